"""The access export as a ZIP: a readable summary (HTML and PDF), the same data as JSON,
and one CSV per section. Written to the access log (who, when, whose record)."""

import csv
import io
import json
import shutil
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from contacts.gdpr import hooks
from contacts.gdpr.access_export import PersonExport, person_export_data
from contacts.models import Person
from crm.core import permissions
from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import neutralise
from crm.models import AccessEventKind
from crm.security.audit import log_access_event


def summary_html(export: PersonExport) -> str:
    return render_to_string(
        "contacts/gdpr/export_summary.html",
        {
            "export": export,
            "has_internal": any(s.has_internal for s in export.all_sections()),
            "dpo_contact": settings.DPO_CONTACT,
        },
    )


def _csv(section) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    names = [name for name, _label in section.columns]
    writer.writerow([label for _name, label in section.columns] + [_("Note interne")])
    for row, internal in zip(section.rows, section.internal, strict=True):
        cells = [row.get(name) for name in names]
        cells = [", ".join(c) if isinstance(c, list) else c for c in cells]
        writer.writerow([neutralise(c) for c in cells] + [_("oui") if internal else ""])
    # A BOM so that spreadsheet software reads the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_filename(person: Person) -> str:
    return f"donnees-personnelles-{person.pk}.zip"


def build_archive(export: PersonExport, *, include_internal: bool = True) -> bytes:
    """The ZIP of `export`; `include_internal` off (the person's own download from their
    space) leaves out the internal files the sources hold (internal documents)."""
    html = summary_html(export)
    folder = f"donnees-personnelles-{export.person.pk}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/resume.html", html)
        archive.writestr(f"{folder}/resume.pdf", html_to_pdf(html))
        archive.writestr(
            f"{folder}/donnees.json",
            json.dumps(export.as_json(), ensure_ascii=False, indent=2, default=str),
        )
        for section in export.all_sections():
            archive.writestr(f"{folder}/csv/{section.key}.csv", _csv(section))
        # Files about the person kept by the apps above contacts (documents).
        for source in hooks.archive_sources:
            for path, open_file in source(export.person, include_internal=include_internal):
                with open_file() as handle, archive.open(f"{folder}/{path}", "w") as out:
                    shutil.copyfileobj(handle, out)
    return buffer.getvalue()


def person_data_export(*, person: Person, by=None, request=None) -> bytes:
    """Everything held on `person` as a ZIP, logged in the access log. `by` is the officer
    asking (None from the command line, which the server's operator runs)."""
    if by is not None:
        permissions.require(permissions.can_export_person_data(by))
    archive = build_archive(person_export_data(person))
    log_access_event(
        kind=AccessEventKind.EXPORT,
        request=request,
        user=by,
        username="" if by is not None else "manage.py gdpr_export",
        detail="Export des données personnelles (droit d'accès)",
        person_pk=person.pk,
    )
    return archive
