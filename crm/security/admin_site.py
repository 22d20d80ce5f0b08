"""The admin site: logins go through the CRM's login page (throttled, with the second
factor), and a staff member with a confirmed device must have passed it."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from crm.security.sessions import user_has_device


class CrmAdminSite(admin.AdminSite):
    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not user_has_device(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}")
