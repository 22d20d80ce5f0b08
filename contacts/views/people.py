from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts import services
from contacts.duplicates import find_person_duplicates, probable_duplicates_of
from contacts.forms import PersonEditForm, PersonForm
from contacts.gdpr.consents import (
    consent_panel,
    consent_states,
    consents_record_form_changes,
)
from contacts.models import Erasure, MergeKind, Organisation
from contacts.registry import person_panel_context
from contacts.views.common import (
    get_person_for,
    history_entries,
    merges_into,
    record_action,
)
from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context, save_if_unchanged
from crm.models import AccessEventKind, Project, ProjectMember
from crm.security.audit import log_access_event


@login_required
def person_detail(request, pk):
    person = get_person_for(request.user, pk)
    user = request.user
    # Who opened whose record: the person's right of access covers it (gdpr_export).
    log_access_event(kind=AccessEventKind.PERSON_VIEW, request=request, person_pk=person.pk)
    # A coach sees only the projects and organisations within their reach.
    projects = (
        ProjectMember.objects.filter(person=person, project__in=Project.objects.visible_to(user))
        .select_related("project__commune", "project__coach")
        .order_by("-is_lead", "project__name", "pk")
    )
    memberships = (
        person.memberships.filter(organisation__in=Organisation.objects.visible_to(user))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return render(
        request,
        "contacts/person_detail.html",
        {
            "person": person,
            "consents": consent_panel(person),
            "can_withdraw_consent": permissions.can_withdraw_consent(user),
            "can_export_data": permissions.can_export_person_data(user),
            "projects": projects,
            "memberships": memberships,
            "history": history_entries(person),
            "merges": merges_into(person, "kept_person"),
            "merged_into": person.merged_into if person.merged_into_id else None,
            "can_edit": permissions.can_change_contacts(user),
            # Officers see the records probably the same (three indexed queries).
            "record_duplicates": (
                probable_duplicates_of(person, MergeKind.PERSON)
                if permissions.can_change_contacts(user) and person.archived_at is None
                else []
            ),
            "can_erase": permissions.can_erase_person(user),
            "erasure": Erasure.objects.filter(person=person).first(),
            **person_panel_context(person, user),
        },
    )


@login_required
def person_create(request):
    permissions.require(permissions.can_change_contacts(request.user))
    form = PersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST":
        valid = form.is_valid()
        # Likely duplicates are shown before anything is saved; "Créer quand même" posts
        # the same data again with confirm_duplicates. An email already taken makes the
        # form invalid: its owner is still shown, with a link.
        if not (valid and request.POST.get("confirm_duplicates")):
            data = form.cleaned_data
            if data.get("first_name") and data.get("last_name"):
                duplicates = find_person_duplicates(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data.get("email") or form.data.get("email", ""),
                    phone=data.get("phone") or form.data.get("phone", ""),
                    commune=data.get("commune"),
                )
        if valid and not duplicates:
            with transaction.atomic():
                person = form.save()
                consents_record_form_changes(person=person, before={}, by=request.user)
            messages.success(request, _("La fiche de %(name)s est créée.") % {"name": person})
            return redirect(person)
    return render(
        request,
        "contacts/person_form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "creating": True,
            "dpo_contact": settings.DPO_CONTACT,
        },
    )


@login_required
def person_edit(request, pk):
    person = get_person_for(request.user, pk)
    permissions.require(permissions.can_change_contacts(request.user))
    # Read before the form's validation changes the instance.
    consents_before = consent_states(person)
    form = PersonEditForm(request.POST or None, instance=person)
    context = {"form": form, "person": person, "dpo_contact": settings.DPO_CONTACT}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save_if_unchanged(
                    form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    update_fields=form.concrete_field_names(),
                )
                consents_record_form_changes(person=person, before=consents_before, by=request.user)
        except StaleObjectError as stale:
            context.update(conflict_context(form, stale.current))
            return render(request, "contacts/person_form.html", context, status=409)
        messages.success(request, _("Modifications enregistrées."))
        return redirect(person)
    return render(request, "contacts/person_form.html", context)


@login_required
@require_POST
def person_archive(request, pk):
    return record_action(
        request,
        get_person_for(request.user, pk),
        lambda record, by: services.person_archive(person=record, by=by),
        _("%(name)s est archivé·e."),
    )


@login_required
@require_POST
def person_restore(request, pk):
    return record_action(
        request,
        get_person_for(request.user, pk),
        lambda record, by: services.person_restore(person=record, by=by),
        _("%(name)s est restauré·e."),
    )
