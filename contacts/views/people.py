from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contacts import services
from contacts.duplicates import find_person_duplicates
from contacts.forms import PersonEditForm, PersonForm
from contacts.models import Organisation, Person
from contacts.views.common import (
    get_person_for,
    history_entries,
    merges_into,
    record_action,
)
from crm.core import permissions, roles
from crm.core.concurrency import StaleObjectError, conflict_context, save_if_unchanged
from crm.core.lists import text_search
from crm.models import Project, ProjectMember


@login_required
def person_detail(request, pk):
    person = get_person_for(request.user, pk)
    user = request.user
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
            "projects": projects,
            "memberships": memberships,
            "history": history_entries(person),
            "merges": merges_into(person, "kept_person"),
            "merged_into": person.merged_into if person.merged_into_id else None,
            "can_edit": roles.is_officer(user),
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
                    commune=data.get("commune"),
                )
        if valid and not duplicates:
            person = form.save()
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
    form = PersonEditForm(request.POST or None, instance=person)
    context = {"form": form, "person": person, "dpo_contact": settings.DPO_CONTACT}
    if request.method == "POST" and form.is_valid():
        try:
            save_if_unchanged(
                form.save(commit=False),
                expected_version=form.cleaned_data["version"],
                update_fields=form.concrete_field_names(),
            )
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


@login_required
def person_merge(request, pk):
    """Pick the duplicate, choose which record to keep, preview what moves, confirm."""
    person = get_person_for(request.user, pk)
    permissions.require(permissions.can_change_contacts(request.user))
    if request.method == "POST":
        return _merge_post(request, person)

    context = {"record": person, "kind": "person"}
    other_pk = request.GET.get("other", "")
    if other_pk.isdigit():
        other = get_object_or_404(Person.objects.current().exclude(pk=person.pk), pk=other_pk)
        keep, drop = (other, person) if request.GET.get("keep") == "other" else (person, other)
        try:
            context["preview"] = services.person_merge_preview(keep=keep, drop=drop)
        except ValidationError as error:
            context["preview_error"] = " ".join(error.messages)
        context.update(other=other, keep=keep, drop=drop, swapped=keep is other)
    else:
        query = request.GET.get("q", "").strip()
        candidates = find_person_duplicates(
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            commune=person.commune_id,
            exclude_pk=person.pk,
        )
        # Only current records are offered (an archived one is restored first).
        context["candidates"] = [c for c in candidates if c.record.archived_at is None]
        if query:
            context["query"] = query
            context["results"] = (
                Person.objects.current()
                .exclude(pk=person.pk)
                .filter(text_search(["first_name", "last_name", "email"], query))
                .select_related("commune")
                .order_by("last_name", "first_name", "pk")[:20]
            )
    return render(request, "contacts/merge.html", context)


def _merge_post(request, person):
    ids = {request.POST.get("keep", ""), request.POST.get("drop", "")}
    other_ids = [i for i in ids if i.isdigit() and int(i) != person.pk]
    if len(ids) != 2 or str(person.pk) not in ids or len(other_ids) != 1:
        messages.error(request, _("Choisissez la fiche à conserver et celle à fusionner."))
        return redirect("contacts:person-merge", pk=person.pk)
    other = get_object_or_404(Person.objects.all(), pk=other_ids[0])
    keep, drop = (person, other) if request.POST["keep"] == str(person.pk) else (other, person)
    try:
        services.person_merge(keep=keep, drop=drop, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contacts:person-merge", pk=person.pk)
    messages.success(
        request,
        _("« %(drop)s » est fusionnée dans « %(keep)s » et archivée.")
        % {"drop": drop, "keep": keep},
    )
    return redirect(keep)
