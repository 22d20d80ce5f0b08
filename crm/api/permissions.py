"""The API's permission class: asks crm.core.permissions, like every view."""

from rest_framework import permissions as drf_permissions

from crm.core import permissions


class HasRole(drf_permissions.BasePermission):
    """Signed in (token or session) with one of the three roles. What each role may read is
    decided by the querysets' visible_to(user); writes ask their own predicates."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and permissions.can_use_api(user))
