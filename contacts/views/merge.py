"""One merge flow for people and organisations: pick the duplicate, preview, confirm."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from contacts import services
from contacts.duplicates import probable_duplicates_of
from contacts.models import Organisation, Person
from contacts.views.common import get_organisation_for, get_person_for
from crm.core import permissions
from crm.core.lists import text_search


@dataclass(frozen=True)
class MergeSpec:
    """What differs between merging two people and merging two organisations."""

    kind: str  # "person" or "organisation": the URL name's prefix and the template's switch
    model: type[models.Model]
    get_for: Callable  # (user, pk) -> the record, or 404 outside the user's reach
    search_fields: tuple[str, ...]
    ordering: tuple[str, ...]
    preview: Callable[..., dict]
    merge: Callable

    @property
    def url_name(self) -> str:
        return f"contacts:{self.kind}-merge"


PERSON = MergeSpec(
    kind="person",
    model=Person,
    get_for=get_person_for,
    search_fields=("first_name", "last_name", "email"),
    ordering=("last_name", "first_name", "pk"),
    preview=services.person_merge_preview,
    merge=services.person_merge,
)
ORGANISATION = MergeSpec(
    kind="organisation",
    model=Organisation,
    get_for=get_organisation_for,
    search_fields=("name", "siret", "rna"),
    ordering=("name", "pk"),
    preview=services.organisation_merge_preview,
    merge=services.organisation_merge,
)


@login_required
def person_merge(request, pk):
    return merge(request, pk, PERSON)


@login_required
def organisation_merge(request, pk):
    return merge(request, pk, ORGANISATION)


def merge(request, pk, spec: MergeSpec):
    """Pick the duplicate, choose which record to keep, preview what moves, confirm."""
    record = spec.get_for(request.user, pk)
    permissions.require(permissions.can_change_contacts(request.user))
    if request.method == "POST":
        return _merge_post(request, record, spec)

    context = {"record": record, "kind": spec.kind}
    other_pk = request.GET.get("other", "")
    if other_pk.isdigit():
        other = get_object_or_404(spec.model.objects.current().exclude(pk=record.pk), pk=other_pk)
        swapped = request.GET.get("keep") == "other"
        keep, drop = (other, record) if swapped else (record, other)
        try:
            context["preview"] = spec.preview(keep=keep, drop=drop)
        except ValidationError as error:
            context["preview_error"] = " ".join(error.messages)
        context.update(other=other, keep=keep, drop=drop, swapped=swapped)
    else:
        # Only current records are offered (an archived one is restored first).
        # Only current records are offered (an archived one is restored first), and an
        # officer's "not a duplicate" holds here too.
        context["candidates"] = probable_duplicates_of(record, spec.kind)
        query = request.GET.get("q", "").strip()
        if query:
            context["query"] = query
            context["results"] = (
                spec.model.objects.current()
                .exclude(pk=record.pk)
                .filter(text_search(list(spec.search_fields), query))
                .select_related("commune")
                .order_by(*spec.ordering)[:20]
            )
    return render(request, "contacts/merge.html", context)


def _merge_post(request, record, spec: MergeSpec):
    ids = {request.POST.get("keep", ""), request.POST.get("drop", "")}
    other_ids = [i for i in ids if i.isdigit() and int(i) != record.pk]
    if len(ids) != 2 or str(record.pk) not in ids or len(other_ids) != 1:
        messages.error(request, _("Choisissez la fiche à conserver et celle à fusionner."))
        return redirect(spec.url_name, pk=record.pk)
    other = get_object_or_404(spec.model.objects.all(), pk=other_ids[0])
    keep, drop = (record, other) if request.POST["keep"] == str(record.pk) else (other, record)
    # One radio group per differing field: "field-<name>" = "keep" or "drop".
    choices = {
        key.removeprefix("field-"): value
        for key, value in request.POST.items()
        if key.startswith("field-")
    }
    try:
        spec.merge(keep=keep, drop=drop, by=request.user, choices=choices)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(spec.url_name, pk=record.pk)
    messages.success(
        request,
        _("« %(drop)s » est fusionnée dans « %(keep)s » et archivée.")
        % {"drop": drop, "keep": keep},
    )
    return redirect(keep)
