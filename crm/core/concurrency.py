"""Optimistic locking: two people editing the same record do not silently overwrite each other.

A model adopts it by inheriting `VersionedModel` (an integer `version`, 1 on creation). An edit
form inherits `VersionedFormMixin`, which carries the version the form was loaded with in a
hidden field. Saving goes through `save_if_unchanged()`: a conditional
``UPDATE … SET version = version + 1 WHERE pk = … AND version = <loaded version>`` claims the
row; if no row matched, somebody saved in between and `StaleObjectError` carries what is now
stored. An edit view inherits `OptimisticLockViewMixin` (after `UpdateView`'s mixins), which
turns that error into the edit page showing both versions side by side.

Only the form's own fields are written (`update_fields`), so a workflow that changes other
columns meanwhile (a stage move) is neither a conflict nor overwritten.
"""

import datetime
from decimal import Decimal

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True


class StaleObjectError(Exception):
    """The record changed since the form was loaded; `current` is what is stored now."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} was changed meanwhile")
        self.current = current


def save_if_unchanged(instance, *, expected_version: int, update_fields=None):
    """Save `instance` only if its stored version is still `expected_version`.

    The conditional UPDATE also locks the row until the transaction ends, so the following
    save (which records the history) cannot interleave with another writer."""
    model = type(instance)
    with transaction.atomic():
        claimed = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleObjectError(model._base_manager.get(pk=instance.pk))
        instance.version = expected_version + 1
        if update_fields is not None:
            update_fields = {*update_fields, "version"}
            if any(getattr(f, "auto_now", False) for f in model._meta.concrete_fields):
                update_fields |= {
                    f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)
                }
        instance.save(update_fields=update_fields)
    return instance


def claim_version(instance, *, expected_version: int) -> None:
    """For a row the caller has just read under `select_for_update()`: raise
    StaleObjectError unless it is still at `expected_version`, else count the coming save
    (the caller saves `version` with its own columns)."""
    if instance.version != expected_version:
        raise StaleObjectError(instance)
    instance.version = expected_version + 1


class VersionedFormMixin(forms.Form):
    """For a form editing a VersionedModel: remembers the version the form was loaded with.

    A ModelForm edits its `instance`; a plain form names the record it edits with
    `record=`. A creation form (no stored record yet) has no version field."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        if self.record is None or self.record.pk is None:
            # Nothing stored yet: nobody can have changed it meanwhile.
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = self.record.version

    @property
    def expected_version(self) -> int | None:
        """The version the user loaded (once valid), None for a creation."""
        return self.cleaned_data.get("version") if "version" in self.fields else None

    def concrete_field_names(self) -> list[str]:
        """The model columns this form writes (many-to-many fields are saved apart)."""
        model = self._meta.model
        concrete = {f.name for f in model._meta.concrete_fields}
        # Columns the model or form derives from the edited ones (a folded name key, the
        # date of a consent) are written with them.
        derived = list(getattr(model, "derived_fields", ()))
        return [name for name in self.fields if name in concrete] + derived


def display_value(instance, name: str) -> str:
    """A field's value on `instance` as a user reads it (choice label, related name, list)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return ", ".join(str(obj) for obj in getattr(instance, name).all()) or "—"
    return _display(field, getattr(instance, name))


def display_number(value) -> str:
    """A number as the comparison writes it: 25.0 stored and 25 typed read the same."""
    return formats.number_format(Decimal(format(Decimal(value).normalize(), "f")))


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        # A model field flattens its groups; a form's choice field is given flat here.
        return str(dict(getattr(field, "flatchoices", field.choices)).get(value, value))
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, Decimal):
        return display_number(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def compare_versions(form, current) -> list[dict]:
    """Each field of `form`: its label, the submitted value and the stored value."""
    rows = []
    model_fields = {f.name for f in current._meta.get_fields()}
    stored_display = getattr(form, "stored_display", None)
    for name, form_field in form.fields.items():
        if name == "version":
            continue
        if name not in model_fields:
            # A value kept beside the record (a contract's prices): the form says how it
            # reads now; a value that only adds (a new note) has no stored version.
            stored = stored_display(name, current) if stored_display else None
            if stored is None:
                continue
            theirs = _display(form_field, form.cleaned_data.get(name))
        else:
            field = current._meta.get_field(name)
            submitted = form.cleaned_data.get(name)
            if field.many_to_many:
                theirs = ", ".join(str(obj) for obj in submitted or []) or "—"
            else:
                theirs = _display(field, submitted)
            stored = display_value(current, name)
        rows.append(
            {
                "name": name,
                "label": form_field.label,
                "yours": theirs,
                "stored": stored,
                "differs": theirs != stored,
            }
        )
    return rows


def save_versioned(instance, *, expected_version: int | None = None, update_fields=None):
    """A service's save: a new record is saved; a stored one through save_if_unchanged,
    expecting the version the user loaded (by default the one `instance` was read with)."""
    if instance.pk is None:
        instance.save()
        return instance
    if expected_version is None:
        expected_version = instance.version
    return save_if_unchanged(
        instance, expected_version=expected_version, update_fields=update_fields
    )


def save_form_if_unchanged(form):
    """Save a valid ModelForm of a VersionedFormMixin: a creation as is, an edit only if
    nobody saved the record since the form was loaded (else StaleObjectError, nothing
    written). Returns the saved instance."""
    if form.expected_version is None:
        return form.save()
    with transaction.atomic():
        instance = save_if_unchanged(
            form.save(commit=False),
            expected_version=form.expected_version,
            update_fields=form.concrete_field_names(),
        )
        form.save_m2m()
    return instance


def _changed_elsewhere(form, current) -> list[dict]:
    """Columns outside the form that changed since the version the user loaded, read from
    the record's history (a decision form shows what was edited on the record meanwhile)."""
    history = getattr(current, "history", None)
    loaded_version = form.cleaned_data.get("version")
    if history is None or not loaded_version:
        return []
    loaded = history.filter(version=loaded_version).order_by("-history_date").first()
    if loaded is None:
        return []
    rows = []
    for field in current._meta.concrete_fields:
        if field.name in form.fields or field.name == "version" or not field.editable:
            continue
        if not hasattr(loaded, field.attname):
            continue  # not kept in the history
        if getattr(loaded, field.attname) == getattr(current, field.attname):
            continue
        rows.append(
            {
                "name": field.name,
                "label": str(field.verbose_name).capitalize(),
                "yours": _display(field, getattr(loaded, field.name)),
                "stored": _display(field, getattr(current, field.name)),
                "differs": True,
            }
        )
    return rows


class OptimisticLockViewMixin:
    """For an UpdateView whose form uses VersionedFormMixin.

    A stale save re-renders the form with what the user typed, a non-field error, and
    `conflict` rows (label, yours, stored) for the template; the hidden version moves to the
    stored one so that saving again deliberately applies the user's version."""

    conflict_message = gettext_lazy(
        "Cette fiche a été modifiée par quelqu'un d'autre pendant que vous la modifiiez : "
        "votre enregistrement n'a pas été appliqué. Comparez les deux versions ci-dessous, "
        "puis enregistrez à nouveau pour appliquer la vôtre."
    )

    def form_valid(self, form):
        try:
            self.object = save_form_if_unchanged(form)
        except StaleObjectError as stale:
            return self.conflict_response(form, stale.current)
        return self.saved_response(form)

    def saved_response(self, form):
        from django.http import HttpResponseRedirect

        return HttpResponseRedirect(self.get_success_url())

    def conflict_response(self, form, current):
        context = conflict_context(form, current, form_kwargs=self.get_form_kwargs())
        context["conflict_current"] = current
        return self.render_to_response(self.get_context_data(**context), status=409)


def conflict_context(form, current, *, form_kwargs: dict | None = None) -> dict:
    """The context that shows both versions after a stale save, with a form holding what
    the user typed whose hidden version is now the stored one (saving again deliberately
    applies the user's version). `form_kwargs`: the view's form arguments, if any.

    Every stale save ends here, whether through OptimisticLockViewMixin or a function view
    catching StaleObjectError; the page includes "_conflict.html" and answers 409."""
    rows = compare_versions(form, current) + _changed_elsewhere(form, current)
    data = form.data.copy()
    data[form.add_prefix("version")] = current.version
    kwargs = {**(form_kwargs or {}), "data": data}
    if isinstance(form, forms.ModelForm):
        kwargs["instance"] = current
    elif isinstance(form, VersionedFormMixin):
        kwargs["record"] = current
    retry = type(form)(**kwargs)
    retry.is_valid()
    retry.add_error(None, OptimisticLockViewMixin.conflict_message)
    history = getattr(current, "history", None)
    last_change = history.select_related("history_user").first() if history else None
    return {"form": retry, "conflict": rows, "conflict_change": last_change}
