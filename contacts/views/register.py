"""The register of processing activities (/rgpd/), for officers and managers; as PDF too."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from contacts.gdpr.register import processing_register
from crm.core import permissions
from crm.core.pdf import html_to_pdf
from crm.core.spreadsheets import set_download_name
from crm.models import AccessEventKind
from crm.security.audit import log_access_event


@login_required
@require_GET
def register(request):
    permissions.require(permissions.can_read_processing_register(request.user))
    return render(request, "contacts/gdpr/register.html", processing_register())


@login_required
@require_GET
def register_pdf(request):
    permissions.require(permissions.can_read_processing_register(request.user))
    html = render_to_string("contacts/gdpr/register_pdf.html", processing_register())
    pdf = html_to_pdf(html)
    log_access_event(
        kind=AccessEventKind.EXPORT, request=request, detail="Registre des traitements (PDF)"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    return set_download_name(response, "registre-des-traitements.pdf")
