from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts import services, sirene
from contacts.duplicates import find_organisation_duplicates, probable_duplicates_of
from contacts.forms import LabelFormSet, MembershipFormSet, OrganisationEditForm, OrganisationForm
from contacts.models import MergeKind, Person
from contacts.views.common import (
    get_organisation_for,
    history_entries,
    merges_into,
    record_action,
)
from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context, save_if_unchanged
from crm.models import Project


@login_required
def organisation_detail(request, pk):
    organisation = get_organisation_for(request.user, pk)
    user = request.user
    projects = (
        Project.objects.visible_to(user)
        .filter(organisation=organisation)
        .select_related("commune", "coach")
        .order_by("name", "pk")
    )
    # A coach sees only the people of their own projects.
    memberships = (
        organisation.memberships.filter(person__in=Person.objects.visible_to(user))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    today = timezone.localdate()
    labels = [
        {
            "label": label,
            "valid": label.obtained_on <= today
            and (label.expires_on is None or label.expires_on >= today),
        }
        for label in organisation.labels.order_by("-obtained_on", "pk")
    ]
    return render(
        request,
        "contacts/organisation_detail.html",
        {
            "organisation": organisation,
            "projects": projects,
            "memberships": memberships,
            "labels": labels,
            "history": history_entries(organisation),
            "merges": merges_into(organisation, "kept_organisation"),
            "merged_into": organisation.merged_into if organisation.merged_into_id else None,
            "can_edit": permissions.can_change_contacts(user),
            "sirene_enabled": sirene.enabled(),
            "record_duplicates": (
                probable_duplicates_of(organisation, MergeKind.ORGANISATION)
                if permissions.can_change_contacts(user) and organisation.archived_at is None
                else []
            ),
        },
    )


def _forms(request, instance=None, form_class=OrganisationForm):
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=instance)
    labels = LabelFormSet(data, instance=form.instance, prefix="labels")
    memberships = MembershipFormSet(data, instance=form.instance, prefix="members")
    return form, labels, memberships


@transaction.atomic
def _save(form, labels, memberships):
    organisation = form.save()
    labels.instance = memberships.instance = organisation
    labels.save()
    memberships.save()
    return organisation


@login_required
def organisation_create(request):
    permissions.require(permissions.can_change_contacts(request.user))
    form, labels, memberships = _forms(request)
    duplicates = []
    if request.method == "POST":
        # Evaluate all three so every error shows at once.
        valid = all([form.is_valid(), labels.is_valid(), memberships.is_valid()])
        if not (valid and request.POST.get("confirm_duplicates")):
            data = form.cleaned_data
            if data.get("name"):
                duplicates = find_organisation_duplicates(
                    name=data["name"],
                    siret=data.get("siret") or form.data.get("siret", ""),
                    siren=data.get("siren") or form.data.get("siren", ""),
                    email=data.get("email") or "",
                    phone=data.get("phone") or form.data.get("phone", ""),
                    address=data.get("address") or "",
                    postal_code=data.get("postal_code") or "",
                    commune=data.get("commune"),
                )
        if valid and not duplicates:
            organisation = _save(form, labels, memberships)
            messages.success(
                request, _("La structure %(name)s est créée.") % {"name": organisation}
            )
            return redirect(organisation)
    return render(
        request,
        "contacts/organisation_form.html",
        {
            "form": form,
            "label_formset": labels,
            "membership_formset": memberships,
            "duplicates": duplicates,
            "creating": True,
            "dpo_contact": settings.DPO_CONTACT,
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = get_organisation_for(request.user, pk)
    permissions.require(permissions.can_change_contacts(request.user))
    form, labels, memberships = _forms(
        request, instance=organisation, form_class=OrganisationEditForm
    )
    context = {
        "form": form,
        "label_formset": labels,
        "membership_formset": memberships,
        "organisation": organisation,
        "dpo_contact": settings.DPO_CONTACT,
    }
    if request.method == "POST":
        if all([form.is_valid(), labels.is_valid(), memberships.is_valid()]):
            try:
                with transaction.atomic():
                    save_if_unchanged(
                        form.save(commit=False),
                        expected_version=form.cleaned_data["version"],
                        update_fields=form.concrete_field_names(),
                    )
                    labels.save()
                    memberships.save()
            except StaleObjectError as stale:
                context.update(conflict_context(form, stale.current))
                return render(request, "contacts/organisation_form.html", context, status=409)
            messages.success(request, _("Modifications enregistrées."))
            return redirect(organisation)
    return render(request, "contacts/organisation_form.html", context)


@login_required
@require_POST
def organisation_archive(request, pk):
    return record_action(
        request,
        get_organisation_for(request.user, pk),
        lambda record, by: services.organisation_archive(organisation=record, by=by),
        _("La structure %(name)s est archivée."),
    )


@login_required
@require_POST
def organisation_restore(request, pk):
    return record_action(
        request,
        get_organisation_for(request.user, pk),
        lambda record, by: services.organisation_restore(organisation=record, by=by),
        _("La structure %(name)s est restaurée."),
    )
