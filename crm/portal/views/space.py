"""The pages of the entrepreneur space (/espace/): home, shared notes and documents,
applications, workshops, details, "mes données"."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from contacts.gdpr.register import ACTIVITIES
from crm.core.concurrency import StaleObjectError
from crm.core.spreadsheets import set_download_name
from crm.documents.views import version_file_response
from crm.intake.services import letters as letters_services
from crm.portal import selectors, services
from crm.portal.forms import ActionDoneForm, DetailsForm, ErasureRequestForm
from crm.portal.models import ErasureRequest
from crm.portal.views.access import entrepreneur_view


@require_safe
@entrepreneur_view
def home(request, account):
    context = selectors.home(account)
    context["done_form"] = ActionDoneForm()
    return render(request, "portal/home.html", context)


@require_POST
@entrepreneur_view
def action_done(request, account, pk):
    action = selectors.action_for(account, pk)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        try:
            services.portal_action_complete(
                account=account, action=action, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Étape « %(title)s » marquée faite.") % {"title": action})
    else:
        messages.error(request, _("Votre mot est trop long (2000 caractères au plus)."))
    return redirect("portal:home")


@require_safe
@entrepreneur_view
def shared(request, account):
    return render(request, "portal/shared.html", selectors.shared(account))


@require_safe
@entrepreneur_view
def download(request, account, pk):
    return version_file_response(selectors.version_for(account, pk))


@require_safe
@entrepreneur_view
def applications(request, account):
    return render(
        request, "portal/applications.html", {"applications": selectors.applications(account)}
    )


@require_safe
@entrepreneur_view
def letter(request, account, pk):
    application = selectors.application_for(account, pk)
    response = HttpResponse(
        letters_services.letter_pdf(application), content_type="application/pdf"
    )
    return set_download_name(response, letters_services.letter_filename(application))


@require_safe
@entrepreneur_view
def workshops(request, account):
    return render(request, "portal/workshops.html", selectors.workshops(account))


WORKSHOP_MESSAGES = {
    "registered": _("Vous êtes inscrit·e à « %(title)s »."),
    "waiting": _("L'atelier « %(title)s » est complet : vous êtes sur la liste d'attente."),
    "already": _("Vous êtes déjà inscrit·e à « %(title)s »."),
    "cancelled": _("Votre inscription à « %(title)s » est annulée."),
    "left": _("Vous n'êtes plus sur la liste d'attente de « %(title)s »."),
    "none": _("Vous n'étiez pas inscrit·e à « %(title)s »."),
}


@require_POST
@entrepreneur_view
def workshop_register(request, account, pk):
    return _workshop_change(request, account, pk, services.portal_register)


@require_POST
@entrepreneur_view
def workshop_cancel(request, account, pk):
    return _workshop_change(request, account, pk, services.portal_unregister)


def _workshop_change(request, account, pk, service):
    event = selectors.event_for(account, pk)
    try:
        outcome = service(account=account, event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _(WORKSHOP_MESSAGES[outcome]) % {"title": event.title})
    return redirect("portal:workshops")


@require_http_methods(["GET", "POST"])
@entrepreneur_view
def details(request, account):
    person = account.person
    form = DetailsForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changes = services.portal_details_update(account=account, form=form)
            except StaleObjectError:
                messages.error(
                    request,
                    _(
                        "Votre fiche a été modifiée entre-temps par l'équipe : vérifiez vos "
                        "coordonnées ci-dessous et enregistrez à nouveau."
                    ),
                )
                return redirect("portal:details")
            if changes:
                messages.success(
                    request,
                    _("Coordonnées enregistrées : votre accompagnement en est informé."),
                )
            else:
                messages.info(request, _("Rien n'a changé."))
            return redirect("portal:details")
        status = 400
    return render(request, "portal/details.html", {"form": form, "person": person}, status=status)


@require_safe
@entrepreneur_view
def data(request, account):
    return _data_page(request, account, ErasureRequestForm())


def _data_page(request, account, form, status=200):
    return render(
        request,
        "portal/data.html",
        {
            "person": account.person,
            "activities": ACTIVITIES,
            "dpo_contact": settings.DPO_CONTACT,
            "form": form,
            "requests": ErasureRequest.objects.filter(person=account.person)[:5],
        },
        status=status,
    )


@require_safe
@entrepreneur_view
def data_export(request, account):
    archive = services.portal_data_export(account=account, request=request)
    response = HttpResponse(archive, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return set_download_name(response, f"mes-donnees-{account.person.pk}.zip")


@require_POST
@entrepreneur_view
def erasure_request(request, account):
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        services.portal_erasure_request(account=account, message=form.cleaned_data["message"])
        messages.success(
            request,
            _(
                "Votre demande d'effacement est transmise aux chargé·es de mission : ils vous "
                "répondront dans un délai d'un mois."
            ),
        )
        return redirect("portal:data")
    return _data_page(request, account, form, status=400)
