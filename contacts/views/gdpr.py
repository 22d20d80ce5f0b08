"""A person's rights from their page: the access export and the withdrawal of a consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contacts.gdpr.consents import consent_withdraw
from contacts.gdpr.export_archive import export_filename, person_data_export
from contacts.models import ConsentPurpose
from contacts.views.common import get_person_for
from crm.core import permissions
from crm.core.spreadsheets import set_download_name


@login_required
@require_GET
def person_data_export_view(request, pk):
    """Everything held on the person, as a ZIP (officers: the export holds internal notes)."""
    person = get_person_for(request.user, pk)
    permissions.require(permissions.can_export_person_data(request.user))
    archive = person_data_export(person=person, by=request.user, request=request)
    response = HttpResponse(archive, content_type="application/zip")
    return set_download_name(response, export_filename(person))


@login_required
@require_POST
def person_consent_withdraw(request, pk, purpose):
    """Record that the person withdrew a consent (officers; the record is kept, dated)."""
    person = get_person_for(request.user, pk)
    permissions.require(permissions.can_withdraw_consent(request.user))
    if purpose not in ConsentPurpose.values:
        raise Http404
    consent_withdraw(person=person, purpose=purpose, by=request.user)
    messages.success(
        request,
        _("Le retrait du consentement « %(purpose)s » est enregistré.")
        % {"purpose": ConsentPurpose(purpose).label},
    )
    return redirect(person)
