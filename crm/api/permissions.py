"""The API's permission class."""

from rest_framework import permissions as drf_permissions


class SignedIn(drf_permissions.BasePermission):
    """Signed in, by token or session. As on the pages, what each user reads is decided by
    the querysets' visible_to(user) (an account without a role reads empty lists and 404s),
    and each write asks its predicate in crm.core.permissions through its service."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated)
