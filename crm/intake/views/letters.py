"""The letters of a call for projects: their templates (officers), one application's
letter, every letter of a call as a streamed ZIP, and the e-mailing of them all."""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context, save_form_if_unchanged
from crm.core.permissions import permission_required
from crm.core.spreadsheets import set_download_name
from crm.intake.forms.letters import LetterTemplateForm
from crm.intake.services import letters as letters_services
from crm.intake.tasks import email_call_letters
from crm.intake.views.calls import _application_for, _call_for, calls_reader, calls_writer
from crm.models import CommitteeDecision, LetterTemplate

templates_manager = permission_required(permissions.can_manage_branding)


@templates_manager
def letter_template_list(request):
    rows = {t.kind: t for t in LetterTemplate.objects.all()}
    kinds = [
        {"kind": kind, "label": label, "template": rows.get(kind)}
        for kind, label in LetterTemplate._meta.get_field("kind").choices
    ]
    return render(request, "calls/letter_template_list.html", {"kinds": kinds})


@templates_manager
def letter_template_edit(request, pk):
    template = get_object_or_404(LetterTemplate, pk=pk)
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            save_form_if_unchanged(form)
        except StaleObjectError as stale:
            context = {"template": template, **conflict_context(form, stale.current)}
            context["merge_fields"] = letters_services.MERGE_FIELDS
            return render(request, "calls/letter_template_form.html", context, status=409)
        messages.success(request, _("Modèle de lettre enregistré."))
        return redirect("crm:letter-template-list")
    return render(
        request,
        "calls/letter_template_form.html",
        {"form": form, "template": template, "merge_fields": letters_services.MERGE_FIELDS},
        status=400 if form.is_bound else 200,
    )


@calls_reader
def application_letter(request, pk):
    """The notification letter as a PDF, once the committee has decided."""
    application = _application_for(request.user, pk)
    if application.decision == CommitteeDecision.PENDING:
        messages.error(request, _("Le comité n'a pas encore décidé : pas de lettre à envoyer."))
        return redirect("crm:call-application-detail", pk=pk)
    response = HttpResponse(
        letters_services.letter_pdf(application), content_type="application/pdf"
    )
    return set_download_name(response, letters_services.letter_filename(application))


@calls_writer
def call_letters_zip(request, pk):
    """Every decided application's letter, one PDF each, in a ZIP made as it downloads."""
    call = _call_for(request.user, pk)
    if not letters_services.decided(call).exists():
        messages.error(request, _("Aucune candidature décidée : pas de lettre à générer."))
        return redirect("crm:call-detail", pk=pk)
    response = StreamingHttpResponse(
        letters_services.call_letters_zip(call), content_type="application/zip"
    )
    return set_download_name(response, f"lettres-{call.year}.zip")


@calls_writer
@require_POST
def call_letters_send(request, pk):
    call = _call_for(request.user, pk)
    count = letters_services.decided(call).count()
    if not count:
        messages.error(request, _("Aucune candidature décidée : pas de lettre à envoyer."))
        return redirect("crm:call-detail", pk=pk)
    email_call_letters.enqueue(call.pk)
    messages.success(
        request,
        _(
            "Envoi lancé : chaque porteur·se principal·e des %(count)s candidatures décidées "
            "reçoit sa lettre en PDF par courriel (celles et ceux sans adresse n'en reçoivent pas)."
        )
        % {"count": count},
    )
    return redirect("crm:call-detail", pk=pk)
