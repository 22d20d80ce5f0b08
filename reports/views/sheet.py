"""Downloads of the project follow-up sheet (fiche de suivi), as PDF and as XLSX.

Whoever may see the project may download its sheet (others get 404); each download is
written to the access log like every other export."""

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import cell, set_download_name, sheet_title
from crm.models import AccessEventKind
from crm.projects.selectors import get_project_for
from crm.security.audit import log_access_event
from followups.templatetags.followups import euros
from reports.followup_sheet import FollowUpSheet, footer_text, gather, measure_labels

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(sheet: FollowUpSheet, ext: str) -> str:
    name = slugify(sheet.project.name)[:60] or str(sheet.project.pk)
    return f"fiche-de-suivi-{name}-{timezone.localdate():%Y-%m-%d}.{ext}"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return set_download_name(HttpResponse(content, content_type=content_type), filename)


def _load(request, pk: int, fmt: str) -> FollowUpSheet:
    project = get_project_for(request.user, pk)
    sheet = gather(project, request.user)
    log_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        detail=f"{request.path} {fmt} fiche de suivi",
    )
    return sheet


def _measure_text(name: str, value) -> str:
    if value is None:
        return _("inconnu")
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if name == "turnover" or name.startswith("funds_"):
        return euros(value)
    if name == "fte":
        return formats.number_format(value, decimal_pos=2, use_l10n=True)
    return str(value)


# Measures per indicator table on paper: more would not fit the width of an A4 page.
MEASURES_PER_TABLE = 5


def measure_tables(sheet: FollowUpSheet) -> list[dict]:
    """The indicators as tables of at most MEASURES_PER_TABLE measures (oldest first):
    one row per indicator, one column per measure, values formatted in French."""
    tables = []
    for start in range(0, len(sheet.measures), MEASURES_PER_TABLE):
        measures = sheet.measures[start : start + MEASURES_PER_TABLE]
        rows = [
            {
                "label": capfirst(label),
                "values": [_measure_text(name, getattr(m, name)) for m in measures],
            }
            for name, label in measure_labels()
        ]
        tables.append({"measures": measures, "rows": rows})
    return tables


def sheet_html(sheet: FollowUpSheet) -> str:
    """The printable HTML the PDF is made from (its styles are inside: no resource to fetch)."""
    return render_to_string(
        "reports/sheet_pdf.html",
        {
            "sheet": sheet,
            "project": sheet.project,
            "measure_tables": measure_tables(sheet),
            "footer": footer_text(),
        },
    )


@require_GET
@login_required
def project_sheet_pdf(request, pk):
    sheet = _load(request, pk, "pdf")
    pdf = html_to_pdf(sheet_html(sheet))
    return _download(pdf, "application/pdf", _filename(sheet, "pdf"))


# --- XLSX -------------------------------------------------------------------------------

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def _add_sheet(workbook, title: str, header: list[str], rows) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(sheet_title(str(title)))
    sheet.append([cell(label) for label in header])
    for heading in sheet[1]:
        heading.font = Font(bold=True)
    for row in rows:
        sheet.append([cell(value) for value in row])
    for row in sheet.iter_rows(min_row=2):
        for written in row:
            if isinstance(written.value, datetime.datetime):
                written.number_format = DATETIME_FORMAT
            elif isinstance(written.value, datetime.date):
                written.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(written.value or "")) for written in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _person_name(user) -> str:
    return str(user) if user else ""


def sheet_workbook(sheet: FollowUpSheet) -> bytes:
    """The sheet as an XLSX workbook, one worksheet per section, French headers."""
    from openpyxl import Workbook

    project = sheet.project
    workbook = Workbook()
    workbook.remove(workbook.active)
    identity = [
        (_("Projet"), project.name),
        (_("Structure"), str(project.organisation or "")),
        (_("Commune"), str(project.commune or "")),
        (_("Implanté en QPV"), project.in_qpv),
        (_("Secteur"), project.get_sector_display()),
        (_("Thèmes"), ", ".join(str(theme) for theme in sheet.themes)),
        (_("Étape"), project.get_stage_display()),
        (_("Statut du suivi"), project.get_status_display()),
        (_("Motif de sortie"), project.get_exit_reason_display()),
        (_("Chargé·e de mission"), _person_name(project.officer)),
        (_("Accompagnateur·rice"), _person_name(project.coach)),
        (_("Date d'entrée"), project.entry_date),
        (_("Date de sortie"), project.exit_date),
        (_("Résumé"), project.summary),
        (_("Fiche éditée le"), sheet.generated_at),
        (_("Notes de rendez-vous"), footer_text()),
    ]
    if project.esf_funded:
        identity.insert(1, (_("Financement"), _("Cofinancé par l'Union européenne")))
    _add_sheet(workbook, _("Projet"), [_("Rubrique"), _("Valeur")], identity)
    _add_sheet(
        workbook,
        _("Porteur·ses"),
        [_("Nom"), _("Prénom"), _("Porteur·se principal·e"), _("Courriel"), _("Téléphone")],
        [
            (m.person.last_name, m.person.first_name, m.is_lead, m.person.email, m.person.phone)
            for m in sheet.members
        ],
    )
    _add_sheet(
        workbook,
        _("Étapes"),
        [_("Date"), _("Étape"), _("Statut"), _("Motif de sortie"), _("Par"), _("Note")],
        [
            (
                change.at,
                change.get_to_stage_display(),
                change.get_to_status_display(),
                change.get_exit_reason_display(),
                _person_name(change.by),
                change.note,
            )
            for change in sheet.stage_changes
        ],
    )
    _add_sheet(
        workbook,
        _("Rendez-vous"),
        [
            _("Date"),
            _("Durée (heures)"),
            _("Format"),
            _("Modalité"),
            _("Décompte"),
            _("Mené par"),
            _("Porteur·ses présent·es"),
            _("Compte rendu"),
            _("Décisions"),
            _("Notes partageables avec le·la porteur·se"),
        ],
        [
            (
                meeting.start,
                meeting.hours,
                meeting.get_format_display(),
                meeting.get_mode_display(),
                meeting.get_time_kind_display(),
                _person_name(meeting.led_by),
                ", ".join(str(person) for person in meeting.participants.all()),
                meeting.summary,
                meeting.decisions,
                "\n\n".join(note.text for note in meeting.sheet_notes),
            )
            for meeting in sheet.meetings
        ],
    )
    _add_sheet(
        workbook,
        _("Actions"),
        [_("Action"), _("Responsable"), _("Échéance"), _("État"), _("Faite le")],
        [
            (
                action.title,
                _person_name(action.owner),
                action.due_on,
                _("Faite") if action.done_on else _("À faire"),
                action.done_on,
            )
            for action in sheet.actions
        ],
    )
    _add_sheet(
        workbook,
        _("Heures"),
        [_("Heures"), _("Valeur")],
        [
            (_("Heures individuelles utilisées"), sheet.hours_used),
            (_("Heures individuelles allouées"), sheet.hours_allocated),
            (_("Heures individuelles restantes"), sheet.hours_allocated - sheet.hours_used),
            (_("Heures collectives (promotion)"), sheet.hours_collective),
        ],
    )
    funding_rows = [
        (
            application.call.year,
            application.call.title,
            application.amount_requested,
            application.get_commune_opinion_display(),
            application.get_decision_display(),
            application.amount_awarded,
            application.decided_at,
            application.first_payment_on,
            application.balance_paid_on,
        )
        for application in sheet.applications
    ]
    if not sheet.sees_applications:
        funding_rows = [(_("Candidatures réservées aux chargé·es de mission et responsables."),)]
    _add_sheet(
        workbook,
        _("Financements"),
        [
            _("Édition"),
            _("Appel à projets"),
            _("Montant demandé (€)"),
            _("Avis de la commune"),
            _("Décision du comité"),
            _("Montant attribué (€)"),
            _("Décidé le"),
            _("Premier versement le"),
            _("Solde versé le"),
        ],
        funding_rows,
    )
    labels = measure_labels()
    _add_sheet(
        workbook,
        _("Indicateurs"),
        [_("Date de la mesure"), _("Moment"), *[label for _name, label in labels]],
        [
            (
                measure.measured_on,
                measure.get_kind_display(),
                *[getattr(measure, name) for name, _label in labels],
            )
            for measure in sheet.measures
        ],
    )
    _add_sheet(
        workbook,
        _("Situation FSE+"),
        [_("Moment"), _("Date"), _("Situation")],
        [(item.moment, item.on, item.situation) for item in sheet.situations],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_GET
@login_required
def project_sheet_xlsx(request, pk):
    sheet = _load(request, pk, "xlsx")
    return _download(sheet_workbook(sheet), XLSX_TYPE, _filename(sheet, "xlsx"))
