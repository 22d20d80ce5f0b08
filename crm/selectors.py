"""Read-side queries of the pipeline. Each runs a fixed number of queries."""

from django.db.models import Count, Q, Sum

from crm import roles
from crm.models import Commune, Project, Stage, StageChange, Status

OPEN_STATUSES = (Status.APPLICANT, Status.ACTIVE, Status.ON_HOLD)


def _counts_by(queryset, field, choices):
    """One row per choice, zeros included; `max` scales the bars of a chart."""
    counts = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    largest = max(counts.values(), default=0) or 1
    return [
        {"value": value, "label": label, "count": counts.get(value, 0), "max": largest}
        for value, label in choices.choices
    ]


def home_summary(user) -> dict:
    """Figures for the home page, scoped to what `user` may see (5 to 7 queries)."""
    role = roles.primary_role(user)
    projects = Project.objects.visible_to(user).current()
    open_projects = projects.filter(status__in=OPEN_STATUSES)
    totals = projects.aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        applicants=Count("pk", filter=Q(status=Status.APPLICANT)),
        on_hold=Count("pk", filter=Q(status=Status.ON_HOLD)),
        closed=Count("pk", filter=Q(status__in=(Status.EXITED, Status.COMPLETED))),
        hours_allocated=Sum("hours_allocated", filter=Q(status__in=OPEN_STATUSES)),
    )
    context = {
        "role": role,
        "totals": totals,
        "stage_counts": _counts_by(open_projects, "stage", Stage),
        "status_counts": _counts_by(projects, "status", Status),
    }
    if role is None:
        return context

    if role == roles.Role.COACH:
        # The coach's own projects, grouped by stage as columns.
        mine = list(open_projects.select_related("commune", "organisation").order_by("name", "pk"))
        context["columns"] = [
            {
                "stage": value,
                "label": label,
                "projects": [p for p in mine if p.stage == value],
            }
            for value, label in Stage.choices
        ]
    else:
        context["by_commune"] = list(
            Commune.objects.annotate(
                n=Count(
                    "projects",
                    filter=Q(
                        projects__in=open_projects,
                    ),
                )
            )
            .filter(n__gt=0)
            .order_by("-n", "name")
            .values("name", "n")
        )
        context["recent_moves"] = list(
            StageChange.objects.visible_to(user)
            .select_related("project", "by")
            .order_by("-at", "-pk")[:8]
        )
    if role == roles.Role.OFFICER:
        context["my_projects"] = _counts_by(open_projects.filter(officer=user), "stage", Stage)
        context["my_project_total"] = sum(item["count"] for item in context["my_projects"])
    return context
