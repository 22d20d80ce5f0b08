import pytest
from django.core.management import call_command

from followups.models import Action, Attendance, Consumption, Contract, Event, Meeting


def counts():
    return [m.objects.count() for m in (Meeting, Action, Event, Attendance, Consumption, Contract)]


@pytest.mark.django_db
def test_seed_demo_adds_follow_ups_once():
    call_command("seed_demo", force=True)
    first = counts()
    assert all(first), first
    assert Meeting.objects.values("project").distinct().count() > 5
    call_command("seed_demo", force=True)
    assert counts() == first
