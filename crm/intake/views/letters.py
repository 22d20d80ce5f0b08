"""The notification letter of a committee decision, as a PDF."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import set_download_name
from crm.intake.services import calls as calls_services
from crm.intake.views.calls import _application_for, calls_reader
from crm.models import Application, CommitteeDecision


def letter_html(application: Application) -> str:
    """The notification letter's HTML (what the PDF is made from)."""
    lead = application.project.members.select_related("person").filter(is_lead=True).first()
    return render_to_string(
        "calls/letter.html",
        {
            "application": application,
            "call": application.call,
            "project": application.project,
            "lead": lead.person if lead else None,
            "today": timezone.localdate(),
            "amount": calls_services.euros(application.amount_awarded),
        },
    )


@calls_reader
def application_letter(request, pk):
    """The notification letter as a PDF, once the committee has decided."""
    application = _application_for(request.user, pk)
    if application.decision == CommitteeDecision.PENDING:
        messages.error(request, _("Le comité n'a pas encore décidé : pas de lettre à envoyer."))
        return redirect("crm:call-application-detail", pk=pk)
    # The letter carries its own styles and no external resource: nothing to fetch.
    pdf = html_to_pdf(letter_html(application))
    response = HttpResponse(pdf, content_type="application/pdf")
    return set_download_name(response, f"lettre-{application.call.year}-{application.pk}.pdf")
