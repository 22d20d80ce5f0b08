"""The three roles of the CRM, as Django groups, and how to ask a user's role.

Roles are groups so that an administrator manages them in the admin; the permissions each
group holds are declared here once and synchronised by a data migration and after every
migrate (so a model added later gets its permissions without a hand-written migration).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Chargé·e de mission ESS")
    COACH = "coach", _("Accompagnateur·rice")
    MANAGER = "manager", _("Responsable (lecture seule)")


# Model permissions per role: {app_label: {model_name: actions}}. "delete" is given to no
# role: people, organisations and projects are archived, not deleted.
ROLE_PERMISSIONS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    Role.OFFICER: {
        "crm": {
            "project": ("view", "add", "change"),
            "projectmember": ("view", "add", "change"),
            "stagechange": ("view", "add"),
            "projectmeasure": ("view", "add", "change"),
            "commune": ("view",),
            "theme": ("view",),
            "registration": ("view",),
            "triagedecision": ("view", "add"),
            "call": ("view", "add", "change"),
            "application": ("view", "add", "change"),
            "branding": ("view", "add", "change"),
            "lettertemplate": ("view", "add", "change"),
        },
        "contacts": {
            "person": ("view", "add", "change"),
            "organisation": ("view", "add", "change"),
            "organisationlabel": ("view", "add", "change"),
            "personorganisation": ("view", "add", "change"),
        },
    },
    Role.COACH: {
        "crm": {
            "project": ("view", "change"),
            "projectmember": ("view",),
            "stagechange": ("view", "add"),
            "projectmeasure": ("view", "add", "change"),
            "commune": ("view",),
            "theme": ("view",),
        },
        "contacts": {
            "person": ("view",),
            "organisation": ("view",),
            "organisationlabel": ("view",),
            "personorganisation": ("view",),
        },
    },
    Role.MANAGER: {
        "crm": {
            "project": ("view",),
            "projectmember": ("view",),
            "stagechange": ("view",),
            "projectmeasure": ("view",),
            "commune": ("view",),
            "theme": ("view",),
            "registration": ("view",),
            "triagedecision": ("view",),
            "call": ("view",),
            "application": ("view",),
        },
        "contacts": {
            "person": ("view",),
            "organisation": ("view",),
            "organisationlabel": ("view",),
            "personorganisation": ("view",),
        },
    },
}


def sync_roles(apps=None) -> None:
    """Create the role groups and give them exactly the permissions declared above.

    Takes the historical `apps` registry inside a migration; permissions not created yet
    (first migrate) are skipped and added by the post_migrate run.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, by_app in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = [
            (app_label, f"{action}_{model}")
            for app_label, models_ in by_app.items()
            for model, actions in models_.items()
            for action in actions
        ]
        permissions = Permission.objects.filter(
            content_type__app_label__in=by_app.keys(),
            codename__in=[codename for _app, codename in wanted],
        ).select_related("content_type")
        group.permissions.set(
            [p for p in permissions if (p.content_type.app_label, p.codename) in wanted]
        )


def user_roles(user) -> frozenset[str]:
    """Names of the role groups of `user` (one query, then cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_crm_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        cached = user._crm_roles = frozenset(names)
    return cached


def is_officer(user) -> bool:
    """Officers, and the administrator who has every right an officer has."""
    return bool(getattr(user, "is_superuser", False) and user.is_active) or (
        Role.OFFICER in user_roles(user)
    )


def is_manager(user) -> bool:
    return Role.MANAGER in user_roles(user)


def is_coach(user) -> bool:
    return Role.COACH in user_roles(user)


def sees_everything(user) -> bool:
    """Officers and managers read every project; coaches only their own."""
    return is_officer(user) or is_manager(user)


def primary_role(user) -> str | None:
    """The role that decides the home page: officer, then manager, then coach."""
    if is_officer(user):
        return Role.OFFICER
    if is_manager(user):
        return Role.MANAGER
    if is_coach(user):
        return Role.COACH
    return None
