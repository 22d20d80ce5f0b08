"""The public registration form, outside the staff area: /inscription/."""

from django.urls import path

from crm.intake.views import registration

app_name = "registration"

urlpatterns = [
    path("", registration.registration_form, name="form"),
    path("merci/", registration.registration_thanks, name="thanks"),
]
