"""The erasure of a person's data from their page: a confirmation listing what goes and
what stays, then the erasure itself (contacts.gdpr.erasure)."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from contacts.gdpr.erasure import ErasureRefused, erasure_blockers, erasure_preview, person_erase
from contacts.gdpr.forms import ErasureForm
from contacts.views.common import get_person_for
from crm.core import permissions
from crm.core.forms import add_service_errors


def _place_label(key: str) -> str:
    label, _dot, field_name = key.partition(".")[2].partition(".")
    model = apps.get_model(key.split(".")[0], label)
    name = capfirst(str(model._meta.verbose_name_plural))
    instance_model = getattr(model, "instance_type", None)  # a simple-history table
    if instance_model is not None:
        name = _("Historique : %(model)s") % {"model": instance_model._meta.verbose_name_plural}
    if not field_name:
        return _("%(model)s : nom, prénom, courriel, téléphone") % {"model": name}
    if field_name == "file":
        return _("%(model)s : fichier déposé (supprimé)") % {"model": name}
    return f"{name} : {model._meta.get_field(field_name).verbose_name}"


def _what_stays(person) -> list[str]:
    projects = person.projects.count()
    meetings = person.meeting_set.count()
    attendances = person.attendances.count()
    return [
        _("%(n)s projet(s), leurs étapes, rendez-vous et heures d'accompagnement")
        % {"n": projects},
        _("%(n)s participation(s) à des rendez-vous, %(m)s inscription(s) à des ateliers")
        % {"n": meetings, "m": attendances},
        _("Les candidatures aux appels et leurs montants"),
        _("Pour les statistiques : genre, année de naissance, commune, QPV, situation à l'entrée"),
    ]


@login_required
def person_erase_view(request, pk):
    person = get_person_for(request.user, pk)
    permissions.require(permissions.can_erase_person(request.user))
    if hasattr(person, "erasure"):
        messages.info(
            request,
            _("Déjà fait : cette fiche a été effacée le %(date)s.")
            % {"date": f"{person.erasure.at:%d/%m/%Y}"},
        )
        return redirect(person)
    holds, led = erasure_blockers(person)
    form = ErasureForm(request.POST if request.method == "POST" else None, open_projects=led)
    if request.method == "POST" and not holds and form.is_valid():
        try:
            person_erase(
                person=person,
                by=request.user,
                force=form.cleaned_data.get("force", False),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ErasureRefused as refused:
            add_service_errors(form, refused)
        else:
            messages.success(
                request,
                _("Les données d'identification de la fiche n° %(pk)s sont effacées.")
                % {"pk": person.pk},
            )
            return redirect("contacts:person-detail", pk=person.pk)
    preview = erasure_preview(person)
    goes = [{"label": _place_label(key), "count": count} for key, count in sorted(preview.items())]
    return render(
        request,
        "contacts/person_erase.html",
        {
            "person": person,
            "form": form,
            "holds": holds,
            "open_projects": led,
            "goes": goes,
            "stays": _what_stays(person),
        },
        status=400 if request.method == "POST" else 200,
    )
