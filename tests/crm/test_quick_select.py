"""The filter bars' selects are built in Python, with Django's own markup."""

import re

import pytest
from django import forms
from django.test import RequestFactory
from pytest_django.asserts import assertInHTML

from crm.core.widgets import QuickSelect, QuickSelectMultiple
from crm.models import Project
from crm.projects.filters import ProjectFilter

CHOICES = [("", "---------"), (1, "Aïssata <Diop>"), ("Groupe", [(2, "B & C"), (3, "D")])]
ATTRS = {"id": "id_x", "data-x": 'quote " and <', "required": True, "disabled": False}


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    ("django_widget", "quick_widget", "value"),
    [(forms.Select, QuickSelect, 2), (forms.SelectMultiple, QuickSelectMultiple, [1, 3])],
)
def test_quick_select_writes_the_markup_django_writes(django_widget, quick_widget, value):
    expected = django_widget(attrs=ATTRS, choices=CHOICES).render("x", value)
    quick = quick_widget(attrs=ATTRS, choices=CHOICES).render("x", value)
    assert _tight(quick) == _tight(expected)
    assert "Aïssata &lt;Diop&gt;" in quick and 'data-x="quote &quot; and &lt;"' in quick


@pytest.mark.django_db
def test_the_project_filter_bar_uses_quick_selects_and_keeps_the_choice(officer, coach):
    request = RequestFactory().get("/projects/", {"coach": coach.pk})
    request.user = officer
    form = ProjectFilter(request.GET, queryset=Project.objects.all(), request=request).form
    assert isinstance(form.fields["coach"].widget, QuickSelect)
    assertInHTML(f'<option value="{coach.pk}" selected>{coach}</option>', str(form["coach"]))
