"""The warnings shown when a project's individual hours or a cohort's collective hours
near or pass their allocation."""

from decimal import Decimal

from django.utils.translation import gettext as _

from crm.models import Project
from followups.models import Cohort
from followups.selectors import cohort_hours_used, hours_used
from followups.templatetags.followups import hours as hours_filter

# Warn when the hours used reach this share of the allocation.
HOURS_WARNING_RATIO = Decimal("0.8")


def allocation_warning(project: Project, *, extra_minutes: int = 0, exclude=None) -> str:
    """A French warning when the project's individual hours exceed or near the allocation."""
    allocated = project.hours_allocated or Decimal(0)
    used = hours_used(project, exclude=exclude) + Decimal(extra_minutes) / 60
    if allocated <= 0:
        return ""
    if used > allocated:
        return _(
            "Attention : %(used)s h utilisées pour %(allocated)s h allouées, "
            "l'allocation du projet est dépassée."
        ) % {"used": _hours(used), "allocated": _hours(allocated)}
    if used >= allocated * HOURS_WARNING_RATIO:
        return _(
            "Attention : %(used)s h utilisées sur %(allocated)s h allouées, "
            "l'allocation du projet est presque épuisée."
        ) % {"used": _hours(used), "allocated": _hours(allocated)}
    return ""


def _hours(value: Decimal) -> str:
    """12.50 -> "12,5"; 11.00 -> "11"."""
    return hours_filter(value).removesuffix("\u00a0h")


def cohort_allocation_warning(
    cohort: Cohort, *, extra_hours: Decimal = Decimal(0), exclude_meeting=None, exclude_event=None
) -> str:
    """A French warning when the cohort's collective hours exceed or near its allocation."""
    allocated = cohort.hours_allocated or Decimal(0)
    if allocated <= 0:
        return ""
    used = (
        cohort_hours_used(cohort, exclude_meeting=exclude_meeting, exclude_event=exclude_event)
        + extra_hours
    )
    values = {"used": _hours(used), "allocated": _hours(allocated), "cohort": cohort.name}
    if used > allocated:
        return (
            _(
                "Attention : %(used)s h de temps collectif utilisées pour %(allocated)s h "
                "allouées, l'allocation de la promotion %(cohort)s est dépassée."
            )
            % values
        )
    if used >= allocated * HOURS_WARNING_RATIO:
        return (
            _(
                "Attention : %(used)s h de temps collectif utilisées sur %(allocated)s h "
                "allouées, l'allocation de la promotion %(cohort)s est presque épuisée."
            )
            % values
        )
    return ""
