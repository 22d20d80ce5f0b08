"""The ESF+ sheet of the activity report: the EU's common indicators on participants
(Regulation (EU) 2021/1057, Annex I) for the ESF+-funded projects, one aggregate query.

- Output indicators: the participants who entered in the period (the lead of each
  ESF+-funded project whose entry date falls in it), by their answers at entry
  (crm.models.EsfParticipant) and their age at entry (from the lead's birth year).
- Immediate results: the participants who left in the period, by their situation at exit
  (`Project.situation_at_exit`) and the qualification gained.
- Longer-term result: those whose exit date plus six months falls in the period, by their
  situation six months after exit (collected by the +6 months follow-up campaign).
"Ne souhaite pas répondre" and "non renseigné" are counted on lines of their own.
"""

import datetime

from django.db.models import Count, F, FilteredRelation, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from crm.models import (
    ANSWER_FIELDS,
    Answer,
    EmploymentSituation,
    EsfLabourStatus,
    EsfParticipant,
    IscedLevel,
)
from reports.eu_fund import SIX_MONTHS, _in_period, add_months

YOUNG_AGE = 30
SENIOR_AGE = 55
IN_EMPLOYMENT = (EmploymentSituation.EMPLOYED, EmploymentSituation.SELF_EMPLOYED)
JOB_SEARCHING = (EmploymentSituation.JOBSEEKER, EmploymentSituation.JOBSEEKER_LONG_TERM)


def _field_label(name: str) -> str:
    label = str(EsfParticipant._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def esf_indicators(
    projects, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[tuple[str, str, int]]:
    """(group, indicator, count) lines for the ESF+-funded projects among `projects`
    (scoped with visible_to) over [start, end]. One query."""
    entry = _in_period("entry_date", start, end)
    left = _in_period("exit_date", start, end)
    six = _in_period(
        "exit_date",
        add_months(start, -SIX_MONTHS) if start else None,
        add_months(end, -SIX_MONTHS) if end else None,
    )
    aggregates = {"participants": Count("pk", filter=entry)}
    lines: list[tuple[str, str, str]] = [
        (_("Réalisations (entrées)"), _("Participant·es entré·es sur la période"), "participants")
    ]
    group = _("Situation à l'entrée")
    for code, label in EsfLabourStatus.choices:
        aggregates[f"labour_{code}"] = Count("pk", filter=entry & Q(esf__labour_status=code))
        lines.append((group, label, f"labour_{code}"))
    aggregates["labour_blank"] = Count(
        "pk", filter=entry & (Q(esf__isnull=True) | Q(esf__labour_status=""))
    )
    lines.append((group, _("Non renseignée"), "labour_blank"))
    group = _("Âge à l'entrée")
    known_age = Q(lead_birth_year__isnull=False)
    aggregates["age_young"] = Count(
        "pk", filter=entry & known_age & Q(entry_year__lt=F("lead_birth_year") + YOUNG_AGE)
    )
    aggregates["age_senior"] = Count(
        "pk", filter=entry & known_age & Q(entry_year__gte=F("lead_birth_year") + SENIOR_AGE)
    )
    aggregates["age_blank"] = Count("pk", filter=entry & ~known_age)
    lines += [
        (group, _("Moins de %(age)s ans") % {"age": YOUNG_AGE}, "age_young"),
        (group, _("%(age)s ans ou plus") % {"age": SENIOR_AGE}, "age_senior"),
        (group, _("Âge non renseigné"), "age_blank"),
    ]
    group = _("Niveau d'études (CITE)")
    for code, label in IscedLevel.choices:
        aggregates[f"isced_{code}"] = Count("pk", filter=entry & Q(esf__education_level=code))
        lines.append((group, label, f"isced_{code}"))
    aggregates["isced_blank"] = Count(
        "pk", filter=entry & (Q(esf__isnull=True) | Q(esf__education_level=""))
    )
    lines.append((group, _("Non renseigné"), "isced_blank"))
    for name in ANSWER_FIELDS:
        group = _field_label(name)
        for code, label in ((Answer.YES, _("Oui")), (Answer.DECLINED, Answer.DECLINED.label)):
            key = f"{name}_{code}"
            aggregates[key] = Count("pk", filter=entry & Q(**{f"esf__{name}": code}))
            lines.append((group, str(label), key))
    group = _("Résultats à la sortie")
    aggregates["exit_total"] = Count("pk", filter=left)
    aggregates["exit_employed"] = Count("pk", filter=left & Q(situation_at_exit__in=IN_EMPLOYMENT))
    aggregates["exit_searching"] = Count("pk", filter=left & Q(situation_at_exit__in=JOB_SEARCHING))
    aggregates["exit_education"] = Count(
        "pk", filter=left & Q(situation_at_exit=EmploymentSituation.STUDENT)
    )
    aggregates["exit_qualification"] = Count(
        "pk", filter=left & Q(esf__qualification_at_exit=Answer.YES)
    )
    aggregates["exit_blank"] = Count("pk", filter=left & Q(situation_at_exit=""))
    lines += [
        (group, _("Participant·es sorti·es sur la période"), "exit_total"),
        (group, _("En emploi, y compris indépendant, à la sortie"), "exit_employed"),
        (group, _("En recherche d'emploi à la sortie"), "exit_searching"),
        (group, _("En études ou en formation à la sortie"), "exit_education"),
        (group, _("Ayant obtenu une qualification à la sortie"), "exit_qualification"),
        (group, _("Situation à la sortie non renseignée"), "exit_blank"),
    ]
    group = _("Résultats à plus long terme")
    aggregates["six_total"] = Count("pk", filter=six)
    aggregates["six_employed"] = Count(
        "pk", filter=six & Q(situation_6_months_after_exit__in=IN_EMPLOYMENT)
    )
    aggregates["six_blank"] = Count("pk", filter=six & Q(situation_6_months_after_exit=""))
    lines += [
        (group, _("Sorti·es il y a six mois sur la période"), "six_total"),
        (group, _("En emploi, y compris indépendant, six mois après la sortie"), "six_employed"),
        (group, _("Situation à six mois non renseignée"), "six_blank"),
    ]
    figures = (
        projects.order_by()
        .filter(esf_funded=True)
        .filter(entry | left | six)
        .alias(lead=FilteredRelation("members", condition=Q(members__is_lead=True)))
        .annotate(
            lead_birth_year=F("lead__person__birth_year"),
            entry_year=ExtractYear("entry_date"),
        )
        .aggregate(**aggregates)
    )
    return [(str(group), str(label), figures[key]) for group, label, key in lines]
