"""'Compléter depuis SIRENE' on an organisation: the directory's values, the differences
shown before anything is saved, the officer's choice of fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from contacts import sirene
from contacts.views.common import get_organisation_for
from crm.core import permissions


@login_required
def organisation_sirene(request, pk):
    organisation = get_organisation_for(request.user, pk)
    permissions.require(permissions.can_change_contacts(request.user))
    if not sirene.enabled():
        raise Http404(_("La consultation du répertoire SIRENE n'est pas activée."))
    try:
        # Asked again on confirmation: what is saved is the directory's word, not the form's.
        found = sirene.lookup(sirene.identifier_of(organisation))
    except sirene.SireneUnavailable as error:
        messages.error(request, str(error))
        return redirect(organisation)
    if request.method == "POST":
        fields = request.POST.getlist("fields")
        try:
            changed = sirene.organisation_fill_from_sirene(
                organisation=organisation, found=found, fields=fields, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("contacts:organisation-sirene", pk=organisation.pk)
        if changed:
            messages.success(
                request,
                _("Structure complétée depuis SIRENE : %(count)s champ(s) mis à jour.")
                % {"count": len(changed)},
            )
        else:
            messages.info(request, _("Vérifiée dans SIRENE : aucun champ modifié."))
        return redirect(organisation)
    return render(
        request,
        "contacts/organisation_sirene.html",
        {
            "organisation": organisation,
            "differences": sirene.differences(organisation, found),
            "found": found,
        },
    )
