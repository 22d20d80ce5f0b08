"""The notification letters of a call for projects: which template each application gets,
its merge fields, one PDF per application, a streamed ZIP of them all, and the e-mails.

Officers write the templates' text; it is never a Django template. A merge field is
`{name}` from MERGE_FIELDS and nothing else; every value is escaped, then the text is laid
out in paragraphs (a blank line) and lines. Unknown fields are refused when the template
is saved (`unknown_fields`), so a letter never shows a stray brace."""

import logging
import re
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core.mail import mail_subject
from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import download_filename
from crm.intake.services.calls import euros
from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    LetterKind,
    LetterTemplate,
    TriageOutcome,
)

logger = logging.getLogger(__name__)

MERGE_FIELDS = {
    "projet": gettext_lazy("nom du projet"),
    "porteur": gettext_lazy("prénom et nom du·de la porteur·se principal·e"),
    "structure": gettext_lazy("nom de la structure"),
    "commune": gettext_lazy("commune du projet"),
    "appel": gettext_lazy("titre de l'appel à projets"),
    "annee": gettext_lazy("année de l'édition"),
    "montant": gettext_lazy("montant attribué, par exemple 2 500 €"),
    "montant_demande": gettext_lazy("montant demandé"),
    "partenaire": gettext_lazy("partenaire vers qui le projet est réorienté"),
    "date": gettext_lazy("date de la lettre"),
}
FIELD = re.compile(r"\{(\w+)\}")
# Whatever sits between braces: "{user.password}" is refused, not left as it is.
BRACED = re.compile(r"\{([^{}]*)\}")


def unknown_fields(text: str) -> list[str]:
    return sorted({name for name in BRACED.findall(text) if name not in MERGE_FIELDS})


def decided(call: Call):
    """The call's applications with a decision, with what their letters read (3 queries
    for the whole call, whatever its size, with the leads and partners prefetched)."""
    from django.db.models import Prefetch

    from crm.models import ProjectMember, TriageDecision

    return (
        Application.objects.filter(call=call)
        .exclude(decision=CommitteeDecision.PENDING)
        .select_related("call", "project__organisation", "project__commune")
        .prefetch_related(
            Prefetch(
                "project__members",
                queryset=ProjectMember.objects.filter(is_lead=True).select_related("person"),
                to_attr="leads",
            ),
            Prefetch(
                "project__triage_decisions",
                queryset=TriageDecision.objects.select_related("partner").order_by("-at", "-pk"),
                to_attr="decisions",
            ),
        )
        .order_by("project__name", "pk")
    )


def _lead(application):
    leads = getattr(application.project, "leads", None)
    if leads is None:
        leads = list(application.project.members.filter(is_lead=True).select_related("person"))
    return leads[0].person if leads else None


def _redirection(application):
    decisions = getattr(application.project, "decisions", None)
    if decisions is None:
        decisions = list(application.project.triage_decisions.order_by("-at", "-pk")[:1])
    latest = decisions[0] if decisions else None
    return latest if latest and latest.outcome == TriageOutcome.REDIRECTED else None


def letter_kind(application) -> str:
    """A winner's letter, a redirection when the project was last pointed to a partner,
    else a refusal."""
    if application.decision == CommitteeDecision.WINNER:
        return LetterKind.ACCEPTANCE
    return LetterKind.REDIRECTION if _redirection(application) else LetterKind.REFUSAL


def templates() -> dict[str, LetterTemplate]:
    """Each kind's template (one query); a kind without a row gets its default text."""
    stored = {t.kind: t for t in LetterTemplate.objects.all()}
    return {kind: stored.get(kind) or LetterTemplate.default(kind) for kind in LetterKind.values}


def merge_values(application) -> dict[str, str]:
    project, call, lead = application.project, application.call, _lead(application)
    redirection = _redirection(application)
    partner = redirection.partner if redirection and redirection.partner else None
    return {
        "projet": project.name,
        "porteur": lead.full_name if lead else "",
        "structure": project.organisation.name if project.organisation else "",
        "commune": project.commune.name if project.commune else "",
        "appel": call.title,
        "annee": str(call.year),
        "montant": euros(application.amount_awarded),
        "montant_demande": euros(application.amount_requested),
        "partenaire": str(partner) if partner else _("un partenaire du réseau"),
        "date": timezone.localdate().strftime("%d/%m/%Y"),
    }


def merge(text: str, values: dict[str, str]) -> str:
    """`text` with each {field} replaced by its value (plain text, not escaped yet)."""
    return FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def paragraphs(text: str):
    """Plain text as HTML paragraphs: everything escaped, a blank line between paragraphs."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return format_html_join(
        "\n",
        "<p>{}</p>",
        (
            (mark_safe("<br>".join(escape(line) for line in block.splitlines())),)
            for block in blocks
        ),  # noqa: S308 - each line escaped
    )


def letter(application, template_for: dict[str, LetterTemplate] | None = None) -> dict:
    """The merged subject and HTML of `application`'s letter."""
    template = (template_for or templates())[letter_kind(application)]
    values = merge_values(application)
    subject = merge(template.subject, values)
    html = render_to_string(
        "calls/letter.html",
        {
            "application": application,
            "call": application.call,
            "project": application.project,
            "lead": _lead(application),
            "today": timezone.localdate(),
            "subject": subject,
            "body": paragraphs(merge(template.body, values)),
        },
    )
    return {"subject": subject, "html": html}


def letter_pdf(application, template_for=None) -> bytes:
    return html_to_pdf(letter(application, template_for)["html"])


def letter_filename(application) -> str:
    return download_filename(
        f"lettre-{application.call.year}-{application.pk}-{application.project.name}.pdf"
    )


class _Chunks:
    """A write-only file for zipfile that hands back what was written since last asked."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def call_letters_zip(call: Call) -> Iterator[bytes]:
    """The ZIP of every decided application's letter, made and sent one PDF at a time."""
    chunks = _Chunks()
    template_for = templates()
    with zipfile.ZipFile(chunks, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for application in decided(call).iterator(chunk_size=100):
            archive.writestr(letter_filename(application), letter_pdf(application, template_for))
            yield chunks.take()
    yield chunks.take()


def send_call_letters(call: Call) -> dict[str, int]:
    """E-mail each decided application's letter (PDF attached) to its lead. Returns how
    many went out, how many had no address and how many failed (logged)."""
    counts = {"sent": 0, "no_email": 0, "failed": 0}
    template_for = templates()
    for application in decided(call).iterator(chunk_size=100):
        lead = _lead(application)
        if lead is None or not lead.email:
            counts["no_email"] += 1
            continue
        merged = letter(application, template_for)
        message = EmailMessage(
            mail_subject(merged["subject"]),
            _(
                "Bonjour,\n\nVous trouverez ci-joint la lettre de décision du comité de "
                "sélection de l'appel à projets « %(call)s » pour votre projet « %(project)s ».\n"
            )
            % {"call": application.call.title, "project": application.project.name},
            settings.DEFAULT_FROM_EMAIL,
            [lead.email],
        )
        message.attach(letter_filename(application), html_to_pdf(merged["html"]), "application/pdf")
        try:
            message.send()
        except Exception:
            logger.exception("Letter of application %s could not be sent", application.pk)
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
