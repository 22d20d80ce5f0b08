import pytest
from django.core.management import call_command

from followups.models import Action, Attendance, Consumption, Contract, Event, Meeting


def counts():
    return [m.objects.count() for m in (Meeting, Action, Event, Attendance, Consumption, Contract)]


# 2-3 s: seeds the whole demo data set twice.
@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_adds_follow_ups_once():
    call_command("seed_demo", force=True)
    first = counts()
    assert all(first), first
    assert Meeting.objects.values("project").distinct().count() > 5
    # The demo cohort consumes its flat unit per project and uses collective hours.
    from followups.models import Cohort, UnitKind
    from followups.selectors import cohort_hours

    cohort = Cohort.objects.get(name="Promotion de printemps")
    flat = Consumption.objects.filter(cohort=cohort, unit=UnitKind.COHORT_ENTREPRENEUR)
    assert flat.count() == cohort.projects.count() > 0
    assert cohort_hours(cohort)["level"] == "warning"
    call_command("seed_demo", force=True)
    assert counts() == first
