import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    EmploymentSituation,
    Gender,
    LabelKind,
    LegalForm,
    Organisation,
    OrganisationKind,
    OrganisationLabel,
    Person,
    PersonOrganisation,
)
from contacts.validators import name_key
from crm.core import roles
from crm.core.lists import ListFilterSet, text_search
from crm.models import Commune, Project, ProjectMember, Stage, Status

PHONE_TYPED = re.compile(r"[+\d][\d\s.\-]*")
YES_NO = [("", _("Indifférent")), ("true", _("Oui")), ("false", _("Non"))]


def organisation_choices(request):
    """Organisations the user may see (a coach: those of their projects), current only."""
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user).current().order_by("name", "pk")


class ArchivedFilterMixin:
    """An "archived" choice offered to officers only; the view applies it (see
    ContactListView.scoped_queryset), so the filter itself does nothing."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not roles.is_officer(request.user):
            del self.filters["archived"]

    def ignore(self, queryset, name, value):
        return queryset


def archived_filter():
    return django_filters.ChoiceFilter(
        label=_("Fiches"),
        choices=[("1", _("Archivées seulement"))],
        empty_label=_("En cours (non archivées)"),
        method="ignore",
    )


class PersonFilter(ArchivedFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Nom, courriel, téléphone")}),
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune de résidence"), queryset=Commune.objects.all()
    )
    lives_in_qpv = django_filters.BooleanFilter(
        label=_("Réside en QPV"), widget=forms.Select(choices=YES_NO)
    )
    gender = django_filters.ChoiceFilter(label=_("Genre"), choices=Gender.choices)
    employment_situation_at_entry = django_filters.ChoiceFilter(
        label=_("Situation à l'entrée"), choices=EmploymentSituation.choices
    )
    project_stage = django_filters.MultipleChoiceFilter(
        label=_("A un projet à l'étape"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_project_stage",
    )
    project_status = django_filters.MultipleChoiceFilter(
        label=_("A un projet au statut"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_project_status",
    )
    # A name to type rather than a drop-down: a territory has thousands of structures.
    organisation = django_filters.CharFilter(
        label=_("Structure (nom ou SIRET)"), method="filter_organisation"
    )
    # A newsletter mailing list is this list filtered on the consent, then exported: only
    # people whose consent is in force (a withdrawn one clears the column).
    consent_newsletter = django_filters.BooleanFilter(
        label=_("Accepte la lettre d'information"), widget=forms.Select(choices=YES_NO)
    )
    consent_photos = django_filters.BooleanFilter(
        label=_("Accepte l'usage de photos"), widget=forms.Select(choices=YES_NO)
    )
    archived = archived_filter()

    class Meta:
        model = Person
        fields: list[str] = []

    def search(self, queryset, name, value):
        condition = text_search(["first_name", "last_name", "email", "phone"], value)
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 4 and PHONE_TYPED.fullmatch(value.strip()):
            # Phones are stored as +33…: "06 12 34" typed the French way still matches.
            needle = f"+33{digits[1:]}" if digits.startswith("0") else digits
            condition |= Q(phone__contains=needle)
        return queryset.filter(condition)

    def _with_project(self, queryset, condition):
        # Exists rather than a join: a person on two matching projects appears once, and a
        # coach only matches on projects they may see.
        projects = ProjectMember.objects.filter(
            person=OuterRef("pk"),
            project__in=Project.objects.visible_to(self.request.user).current(),
        ).filter(condition)
        return queryset.filter(Exists(projects))

    def filter_project_stage(self, queryset, name, value):
        return self._with_project(queryset, Q(project__stage__in=value)) if value else queryset

    def filter_project_status(self, queryset, name, value):
        return self._with_project(queryset, Q(project__status__in=value)) if value else queryset

    def filter_organisation(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = Q(organisation__name__icontains=value)
        if key := name_key(value):
            matches |= Q(organisation__name_key__contains=key)
        if digits := "".join(value.split()):
            if digits.isdigit():
                matches |= Q(organisation__siret__startswith=digits)
        members = PersonOrganisation.objects.filter(matches, person=OuterRef("pk"))
        return queryset.filter(Exists(members))


def valid_labels_on(day: datetime.date):
    """Labels in force on `day`."""
    return OrganisationLabel.objects.filter(obtained_on__lte=day).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=day)
    )


class OrganisationFilter(ArchivedFilterMixin, ListFilterSet):
    q = django_filters.CharFilter(
        label=_("Recherche"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Nom, SIREN/SIRET, RNA")}),
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OrganisationKind.choices)
    legal_form = django_filters.ChoiceFilter(label=_("Forme juridique"), choices=LegalForm.choices)
    commune = django_filters.ModelChoiceFilter(label=_("Commune"), queryset=Commune.objects.all())
    label = django_filters.ChoiceFilter(
        label=_("Label en cours de validité"), choices=LabelKind.choices, method="filter_label"
    )
    archived = archived_filter()

    class Meta:
        model = Organisation
        fields: list[str] = []

    def search(self, queryset, name, value):
        digits = "".join(value.split())
        condition = text_search(["name", "rna"], value)
        if digits.isdigit():
            # "732 829 320" typed with spaces still finds the SIREN.
            condition |= Q(siren__startswith=digits) | Q(siret__startswith=digits)
        return queryset.filter(condition)

    def filter_label(self, queryset, name, value):
        today = timezone.localdate()
        labels = valid_labels_on(today).filter(organisation=OuterRef("pk"), kind=value)
        return queryset.filter(Exists(labels))
