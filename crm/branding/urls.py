from django.urls import path

from crm.branding import views

app_name = "branding"

urlpatterns = [
    path("", views.branding_edit, name="edit"),
    path("logo/", views.branding_logo, name="logo"),
    path("colours.css", views.branding_colours, name="colours"),
]
