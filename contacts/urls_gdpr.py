"""Routes of the personal-data pages under /rgpd/, namespaced "gdpr"."""

from django.urls import path

from contacts.views import register

app_name = "gdpr"

urlpatterns = [
    path("", register.register, name="register"),
    path("registre.pdf", register.register_pdf, name="register-pdf"),
]
