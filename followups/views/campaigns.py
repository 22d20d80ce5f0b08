"""The follow-up campaign: the projects whose +6 months / +1 year / +3 years measure is due
or late, and the one-page form that records it (and closes its task)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core import permissions
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from crm.models import EmploymentSituation, MeasureKind, Project
from crm.projects.forms_measures import MeasureForm
from crm.projects.measures import milestone_due
from followups.campaign_lists import CampaignFilter, CampaignTable
from followups.campaigns import (
    CAMPAIGN_KINDS,
    LATE_AFTER_DAYS,
    TASK_TITLES,
    campaign_record,
    pending_projects,
)
from followups.views.meetings import get_project_for


class CampaignListView(FilteredTableView):
    title = gettext_lazy("Campagne de mesures de suivi")
    model = Project
    table_class = CampaignTable
    filterset_class = CampaignFilter
    template_name = "followups/campaign_list.html"
    default_ordering = ("exit_date", "pk")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            permissions.require(permissions.can_read_reports(request.user))
        return super().dispatch(request, *args, **kwargs)

    def scoped_queryset(self):
        # One query for the page (the annotations are in it), one for the count.
        projects = Project.objects.visible_to(self.request.user)
        return pending_projects(projects).select_related("coach", "officer")

    def get_context_data(self, **kwargs):
        return super().get_context_data(late_after_days=LATE_AFTER_DAYS, **kwargs)


class CampaignMeasureForm(MeasureForm):
    """The milestone's measure; at +6 months also the ESF+ situation six months after exit."""

    situation_6_months_after_exit = forms.ChoiceField(
        label=_("Situation du participant 6 mois après la sortie"),
        choices=[("", _("Inconnue"))] + list(EmploymentSituation.choices),
        required=False,
    )

    def __init__(self, *args, milestone: str, **kwargs):
        super().__init__(*args, kind=milestone, **kwargs)
        # The milestone is the page's: not a choice here.
        self.fields.pop("kind")
        if milestone != MeasureKind.SIX_MONTHS:
            self.fields.pop("situation_6_months_after_exit")


@login_required
def campaign_measure(request, project_pk, kind):
    """Record the `kind` measure of a project (its due day offered as the date)."""
    if kind not in CAMPAIGN_KINDS:
        raise Http404
    project = get_project_for(request.user, project_pk)
    permissions.require(permissions.can_record_measure(request.user, project))
    due = milestone_due(project, kind)
    initial = {"measured_on": due} if due else {}
    if project.situation_6_months_after_exit:
        initial["situation_6_months_after_exit"] = project.situation_6_months_after_exit
    form = CampaignMeasureForm(request.POST or None, milestone=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_record(
                project=project,
                kind=kind,
                by=request.user,
                measured_on=data["measured_on"],
                figures=form.figures(),
                situation_6_months=data.get("situation_6_months_after_exit"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("La mesure est enregistrée."))
            return redirect("followups:my-work")
    return render(
        request,
        "followups/campaign_form.html",
        {
            "project": project,
            "form": form,
            "due": due,
            "title": TASK_TITLES[MeasureKind(kind)],
        },
        status=400 if form.errors else 200,
    )
