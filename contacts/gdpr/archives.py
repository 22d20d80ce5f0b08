"""Public archives (Code du patrimoine L212-2 and L212-3): records of accompaniment are
public archives, destroyed or anonymised only with the archives service's approval.

Each batch that falls due becomes an elimination list (bordereau d'élimination: what, how
many, which years, under which rule); nothing in it is anonymised until an officer records
the approval (date, reference, who) or the batch's transfer to the archives service.
"""

import csv
import datetime
import io
import zipfile
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.gdpr.erasure import ErasureRefused, person_erase
from contacts.gdpr.retention import due_by, period_days
from contacts.models import EliminationList, EliminationStatus, Person, RetentionRule
from crm.core import permissions
from crm.core.exports import csv_text
from crm.core.pdf import html_to_pdf

OPEN = (EliminationStatus.PROPOSED, EliminationStatus.APPROVED, EliminationStatus.TRANSFERRED)
READY = (EliminationStatus.APPROVED, EliminationStatus.TRANSFERRED)

TYPOLOGY = {
    RetentionRule.PROSPECT: gettext_lazy(
        "Dossiers de porteur·ses inscrit·es sans suite (prospects)"
    ),
    RetentionRule.REJECTED: gettext_lazy(
        "Dossiers de candidatures non retenues aux appels à projets"
    ),
    RetentionRule.BENEFICIARY: gettext_lazy("Dossiers d'accompagnement de projets sortis"),
}
BASIS = {
    RetentionRule.PROSPECT: gettext_lazy(
        "3 ans après le dernier contact (recommandation CNIL, prospects)"
    ),
    RetentionRule.REJECTED: gettext_lazy(
        "Délai de recours contentieux (2 mois) et marge, après la décision"
    ),
    RetentionRule.BENEFICIARY: gettext_lazy("Durée de l'accompagnement puis 3 ans après la sortie"),
}


def typology(rule: str) -> str:
    return str(TYPOLOGY[rule])


def basis(rule: str) -> str:
    return str(BASIS[rule])


def elimination_propose(*, today: datetime.date, by=None) -> list[EliminationList]:
    """One list per rule for the people due today who are in no open list yet."""
    if by is not None:
        permissions.require(permissions.can_manage_retention(by))
    listed = Person.objects.filter(elimination_lists__status__in=OPEN)
    created = []
    with transaction.atomic():
        due = list(due_by(today, Person.objects.exclude(pk__in=listed)))
        for rule in RetentionRule.values:
            batch = [person for person in due if person.rule == rule]
            if not batch:
                continue
            years = Counter(str(person.reference.year) for person in batch)
            elimination = EliminationList.objects.create(
                rule=rule, created_by=by, count=len(batch), years=dict(sorted(years.items()))
            )
            elimination.people.set(batch)
            created.append(elimination)
    return created


def _check_open(elimination: EliminationList) -> None:
    if elimination.status != EliminationStatus.PROPOSED:
        raise ValidationError(
            _("Ce bordereau est déjà « %(status)s » : il ne peut plus être visé.")
            % {"status": elimination.get_status_display()}
        )


def elimination_approve(
    *, elimination: EliminationList, approved_on: datetime.date, reference: str, by
) -> EliminationList:
    """Record the archives service's approval: the batch may now be anonymised."""
    permissions.require(permissions.can_manage_retention(by))
    with transaction.atomic():
        elimination = EliminationList.objects.select_for_update().get(pk=elimination.pk)
        _check_open(elimination)
        if approved_on > timezone.localdate():
            raise ValidationError({"approved_on": _("Le visa ne peut pas être daté du futur.")})
        if approved_on < elimination.created_at.date():
            raise ValidationError(
                {"approved_on": _("Le visa ne peut pas précéder l'établissement du bordereau.")}
            )
        elimination.status = EliminationStatus.APPROVED
        elimination.approved_on = approved_on
        elimination.approval_reference = reference.strip()
        elimination.approved_by = by
        elimination.approval_recorded_at = timezone.now()
        elimination.full_clean()
        elimination.save()
    return elimination


def elimination_transfer(
    *, elimination: EliminationList, approved_on: datetime.date, reference: str, by
) -> EliminationList:
    """Record the transfer (versement) of the batch to the archives service, whose copy
    is then the archive: the CRM's may be anonymised like an approved one."""
    elimination = elimination_approve(
        elimination=elimination, approved_on=approved_on, reference=reference, by=by
    )
    EliminationList.objects.filter(pk=elimination.pk).update(status=EliminationStatus.TRANSFERRED)
    elimination.status = EliminationStatus.TRANSFERRED
    return elimination


def elimination_execute(*, elimination: EliminationList, today: datetime.date) -> tuple[int, int]:
    """Anonymise the people of an approved (or transferred) list who are still due (an
    extension or a legal hold since keeps them). Returns (anonymised, kept)."""
    elimination = EliminationList.objects.get(pk=elimination.pk)
    if elimination.status not in READY:
        raise ValidationError(_("Ce bordereau n'a pas reçu le visa des archives."))
    still_due = set(due_by(today, elimination.people.all()).values_list("pk", flat=True))
    reason = _(
        "Fin de la durée de conservation (%(rule)s), bordereau n° %(pk)s visé le %(date)s (%(ref)s)"
    ) % {
        "rule": elimination.get_rule_display(),
        "pk": elimination.pk,
        "date": f"{elimination.approved_on:%d/%m/%Y}",
        "ref": elimination.approval_reference,
    }
    erased = kept = 0
    for person in elimination.people.filter(erasure__isnull=True).order_by("pk"):
        if person.pk not in still_due:
            kept += 1
            continue
        try:
            person_erase(person=person, reason=reason, force=True)
            erased += 1
        except ErasureRefused:
            kept += 1
    EliminationList.objects.filter(pk=elimination.pk).update(
        status=EliminationStatus.EXECUTED, executed_at=timezone.now()
    )
    return erased, kept


# Documents ------------------------------------------------------------------------------


def bordereau_rows(elimination: EliminationList) -> list[list]:
    header = [
        _("Bordereau"),
        _("Typologie"),
        _("Règle de conservation"),
        _("Durée (jours)"),
        _("Année"),
        _("Nombre de dossiers"),
    ]
    rows = [header]
    for year, count in elimination.years.items():
        rows.append(
            [
                elimination.pk,
                typology(elimination.rule),
                basis(elimination.rule),
                period_days(elimination.rule),
                year,
                count,
            ]
        )
    rows.append([elimination.pk, typology(elimination.rule), _("Total"), "", "", elimination.count])
    return rows


def _csv(rows) -> bytes:
    handle = io.StringIO()
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + handle.getvalue()).encode("utf-8")


def bordereau_csv(elimination: EliminationList) -> bytes:
    return _csv(bordereau_rows(elimination))


def bordereau_pdf(elimination: EliminationList, *, records=None) -> bytes:
    years = list(elimination.years)
    html = render_to_string(
        "contacts/elimination_pdf.html",
        {
            "elimination": elimination,
            "typology": typology(elimination.rule),
            "basis": basis(elimination.rule),
            "first_year": years[0] if years else "",
            "last_year": years[-1] if years else "",
            "records": records,
        },
    )
    return html_to_pdf(html)


def transfer_records(elimination: EliminationList) -> list[list]:
    """One line per record for the archives service: who, which projects, which dates."""
    people = elimination.people.prefetch_related("project_memberships__project").order_by("pk")
    rows = [
        [
            _("N° de fiche"),
            _("Nom"),
            _("Prénom"),
            _("Projets"),
            _("Entrée"),
            _("Sortie"),
        ]
    ]
    for person in people:
        projects = [member.project for member in person.project_memberships.all()]
        entries = [p.entry_date for p in projects if p.entry_date]
        exits = [p.exit_date for p in projects if p.exit_date]
        rows.append(
            [
                person.pk,
                person.last_name,
                person.first_name,
                " | ".join(p.name for p in projects),
                min(entries) if entries else None,
                max(exits) if exits else None,
            ]
        )
    return rows


def transfer_zip(elimination: EliminationList) -> bytes:
    """The batch for the archives service: the list (PDF, CSV) and the records (CSV, PDF)."""
    records = transfer_records(elimination)
    handle = io.BytesIO()
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"bordereau-{elimination.pk}.pdf", bordereau_pdf(elimination))
        archive.writestr(f"bordereau-{elimination.pk}.csv", bordereau_csv(elimination))
        archive.writestr(f"dossiers-{elimination.pk}.csv", _csv(records))
        archive.writestr(
            f"dossiers-{elimination.pk}.pdf", bordereau_pdf(elimination, records=records)
        )
    return handle.getvalue()
