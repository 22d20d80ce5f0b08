"""The EU-fund (FSE+) view: participants' labour-market situation at entry, at exit and
six months after exit, as counts per situation, for a scoped queryset of projects and a
period. Plain data, so that the follow-up sheet, the dashboard and the period report
(XLSX/PDF) all show the same figures.

Who counts in which column for a period [start, end] (either bound may be None: open):
- at entry: projects whose entry date falls in the period, by the lead entrepreneur's
  `Person.employment_situation_at_entry`;
- at exit: projects whose exit date falls in the period, by `Project.situation_at_exit`;
- 6 months after exit: projects whose exit date plus six months falls in the period, by
  `Project.situation_6_months_after_exit`.
A project without a lead, or with the situation left blank, counts as "Non renseignée".
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from contacts.models import EmploymentSituation, Gender

UNKNOWN = "unknown"
SIX_MONTHS = 6
# The programme reports the share of under-26s and of people aged 55 or more at entry.
YOUNG_AGE = 26
SENIOR_AGE = 55


@dataclass(frozen=True)
class EuFundRow:
    """One line of the table: a situation and how many participants were in it."""

    code: str
    label: str
    at_entry: int
    at_exit: int
    six_months_after: int


@dataclass(frozen=True)
class EuFundTable:
    start: datetime.date | None
    end: datetime.date | None
    rows: list[EuFundRow]  # one per situation, "Non renseignée" last, then the total
    # Profile of the participants counted at entry: (label, count) pairs.
    profile: list[tuple[str, int]]

    @staticmethod
    def headers() -> list[str]:
        return [
            _("Situation"),
            _("À l'entrée"),
            _("À la sortie"),
            _("6 mois après la sortie"),
        ]

    def as_lists(self) -> list[list]:
        """Header, one list per situation, then the profile lines (entry column only):
        what a spreadsheet or a PDF table of the period report shows."""
        rows = [self.headers()]
        rows += [[row.label, row.at_entry, row.at_exit, row.six_months_after] for row in self.rows]
        rows += [[label, count, None, None] for label, count in self.profile]
        return rows


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` months, on the last day of the month when it overflows."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _in_period(field: str, start, end) -> Q:
    condition = Q(**{f"{field}__isnull": False})
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lte": end})
    return condition


def _situation_codes() -> list[str]:
    return [*EmploymentSituation.values, UNKNOWN]


def _matches(field: str, code: str) -> Q:
    if code == UNKNOWN:
        return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return Q(**{field: code})


def eu_fund_table(
    projects, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> EuFundTable:
    """The FSE+ table for `projects` (a queryset already scoped with `visible_to(user)`)
    over [start, end]. One aggregate query whatever the number of projects."""
    entry_period = _in_period("entry_date", start, end)
    exit_period = _in_period("exit_date", start, end)
    # Exit date + 6 months in [start, end]  <=>  exit date in [start - 6 months, end - 6 months].
    six_period = _in_period(
        "exit_date",
        add_months(start, -SIX_MONTHS) if start else None,
        add_months(end, -SIX_MONTHS) if end else None,
    )
    aggregates = {}
    for code in _situation_codes():
        aggregates[f"entry_{code}"] = Count(
            "pk", filter=entry_period & _matches("lead_situation", code)
        )
        aggregates[f"exit_{code}"] = Count(
            "pk", filter=exit_period & _matches("situation_at_exit", code)
        )
        aggregates[f"six_{code}"] = Count(
            "pk", filter=six_period & _matches("situation_6_months_after_exit", code)
        )
    # Age at entry = entry year - birth year (unknown birth year: counted in neither).
    age_at_entry_young = Q(lead_birth_year__isnull=False) & Q(
        entry_year__lt=F("lead_birth_year") + YOUNG_AGE
    )
    age_at_entry_senior = Q(lead_birth_year__isnull=False) & Q(
        entry_year__gte=F("lead_birth_year") + SENIOR_AGE
    )
    aggregates["profile_women"] = Count("pk", filter=entry_period & Q(lead_gender=Gender.FEMALE))
    aggregates["profile_young"] = Count("pk", filter=entry_period & age_at_entry_young)
    aggregates["profile_senior"] = Count("pk", filter=entry_period & age_at_entry_senior)
    aggregates["profile_qpv"] = Count("pk", filter=entry_period & Q(lead_qpv=True))
    aggregates["profile_project_qpv"] = Count("pk", filter=entry_period & Q(in_qpv=True))
    # Only the projects counted somewhere are read, and the lead (at most one per project,
    # a constraint) is one join: a subquery per project and per field over every project
    # took a second at 60,000 projects.
    figures = (
        projects.order_by()
        .filter(entry_period | exit_period | six_period)
        .alias(lead=FilteredRelation("members", condition=Q(members__is_lead=True)))
        .annotate(
            lead_situation=F("lead__person__employment_situation_at_entry"),
            lead_gender=F("lead__person__gender"),
            lead_birth_year=F("lead__person__birth_year"),
            lead_qpv=F("lead__person__lives_in_qpv"),
            entry_year=ExtractYear("entry_date"),
        )
        .aggregate(**aggregates)
    )
    labels = dict(EmploymentSituation.choices)
    labels[UNKNOWN] = _("Non renseignée")
    rows = [
        EuFundRow(
            code=code,
            label=str(labels[code]),
            at_entry=figures[f"entry_{code}"],
            at_exit=figures[f"exit_{code}"],
            six_months_after=figures[f"six_{code}"],
        )
        for code in _situation_codes()
    ]
    rows.append(
        EuFundRow(
            code="total",
            label=_("Total des participant·es"),
            at_entry=sum(row.at_entry for row in rows),
            at_exit=sum(row.at_exit for row in rows),
            six_months_after=sum(row.six_months_after for row in rows),
        )
    )
    profile = [
        (_("dont femmes"), figures["profile_women"]),
        (_("dont moins de %(age)s ans à l'entrée") % {"age": YOUNG_AGE}, figures["profile_young"]),
        (_("dont %(age)s ans ou plus à l'entrée") % {"age": SENIOR_AGE}, figures["profile_senior"]),
        (_("dont résidant en QPV"), figures["profile_qpv"]),
        (_("dont projets implantés en QPV"), figures["profile_project_qpv"]),
    ]
    return EuFundTable(start=start, end=end, rows=rows, profile=profile)


@dataclass(frozen=True)
class ProjectSituation:
    """One project's situation at one moment, for its follow-up sheet."""

    moment: str
    on: datetime.date | None
    situation: str


def project_situations(project, lead_person) -> list[ProjectSituation]:
    """The project's own situation at entry (its lead's), at exit and six months after
    exit. No query: `lead_person` is given (None when the project has no lead)."""
    labels = dict(EmploymentSituation.choices)
    blank = _("Non renseignée")

    def label(code):
        return str(labels.get(code, blank)) if code else blank

    entry_code = lead_person.employment_situation_at_entry if lead_person else ""
    if project.exit_date is None:
        not_yet = _("Pas encore sorti du dispositif")
        exit_situation = label(project.situation_at_exit) if project.situation_at_exit else not_yet
        six_on, six_situation = None, not_yet
    else:
        exit_situation = label(project.situation_at_exit)
        six_on = add_months(project.exit_date, SIX_MONTHS)
        six_situation = label(project.situation_6_months_after_exit)
    return [
        ProjectSituation(_("À l'entrée"), project.entry_date, label(entry_code)),
        ProjectSituation(_("À la sortie"), project.exit_date, exit_situation),
        ProjectSituation(_("6 mois après la sortie"), six_on, six_situation),
    ]
