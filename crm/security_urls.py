"""Routes of the security features, namespaced "security": second login step, two-factor
enrolment, History pages and the access log."""

from django.urls import path

from crm import security_views

app_name = "security"

urlpatterns = [
    path("accounts/verify/", security_views.otp_verify, name="otp-verify"),
    path("accounts/two-factor/", security_views.two_factor, name="two-factor"),
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        security_views.history,
        name="history",
    ),
    path("access-log/", security_views.AccessLogView.as_view(), name="access-log"),
]
