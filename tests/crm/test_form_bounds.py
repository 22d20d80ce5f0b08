"""Negative hours and far dates typed in the meeting, next-step (action) and project forms
are refused with the field named, and nothing is saved (issue 16, findings 2 and 3)."""

import pytest
from django.urls import reverse

from followups.models import Action, Meeting
from tests.followups.test_meetings import _form as meeting_form

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"]


@pytest.mark.parametrize("day", FAR_DATES)
def test_meeting_on_a_far_date_is_refused_on_its_date_field(client, coach, project, day):
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(url, meeting_form(start=f"{day}T10:00"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "start" in errors and "2100" in errors["start"][0]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("minutes", ["-90", "0", "100000", "99999999999999999999"])
def test_meeting_duration_out_of_range_is_refused(client, coach, project, minutes):
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    response = client.post(url, meeting_form(duration_minutes=minutes))
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", FAR_DATES)
def test_next_step_due_on_a_far_date_is_refused_on_its_field(client, coach, project, day):
    """A due date of 31/12/9999 used to break its owner's calendar feed for good."""
    client.force_login(coach)
    url = reverse("followups:meeting-create", args=[project.pk])
    data = meeting_form(
        **{"steps-0-title": "Envoyer le budget", "steps-0-owner": coach.pk, "steps-0-due_on": day}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    step_errors = response.context["steps"].forms[0].errors
    assert "due_on" in step_errors and "2100" in step_errors["due_on"][0]
    assert not Action.objects.exists() and not Meeting.objects.exists()


def _project_edit_data(client, project, **changes):
    url = reverse("crm:project-edit", args=[project.pk])
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else value
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours_allocated", "-5"),
        ("hours_allocated", "1e400"),
        ("hours_allocated", "99999999999999999999"),
        ("entry_date", "9999-12-31"),
        ("entry_date", "0001-01-01"),
        ("exit_date", "2101-01-01"),
    ],
)
def test_project_form_refuses_negative_hours_and_far_dates(client, officer, project, field, value):
    client.force_login(officer)
    before = (project.hours_allocated, project.entry_date, project.exit_date)
    url = reverse("crm:project-edit", args=[project.pk])
    response = client.post(url, _project_edit_data(client, project, **{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    project.refresh_from_db()
    assert (project.hours_allocated, project.entry_date, project.exit_date) == before
