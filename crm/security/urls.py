"""Routes of the security features, namespaced "security": second login step, two-factor
enrolment, History pages and the access log."""

from django.urls import path

from crm.security import views

app_name = "security"

urlpatterns = [
    path("accounts/verify/", views.otp_verify, name="otp-verify"),
    path("accounts/two-factor/", views.two_factor, name="two-factor"),
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        views.history,
        name="history",
    ),
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
]
