"""The public registration form, outside the staff area: /inscription/."""

from django.urls import path

from crm import views_registration

app_name = "registration"

urlpatterns = [
    path("", views_registration.registration_form, name="form"),
    path("merci/", views_registration.registration_thanks, name="thanks"),
]
