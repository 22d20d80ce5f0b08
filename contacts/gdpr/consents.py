"""Consents (newsletter, photos): given with their origin, withdrawn with who and when.

`Consent` rows are the dated record; `Person.consent_*` hold the current state the lists
filter on. Both change together, here only (the person form writes the columns itself and
then calls `consents_record_form_changes`)."""

from django.db import transaction
from django.utils import timezone

from contacts.models import PERSON_CONSENT_FIELDS, Consent, ConsentOrigin, ConsentPurpose, Person
from crm.core import permissions


def _open_consent(person: Person, purpose: str):
    return Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).first()


def consent_give(
    *, person: Person, purpose: ConsentPurpose | str, origin: ConsentOrigin | str, by=None, at=None
) -> Consent:
    """Record that the person agrees to `purpose` (from the public form `by` is None).
    Already given: the open consent is returned unchanged (its first date stands)."""
    at = at or timezone.now()
    flag, date = PERSON_CONSENT_FIELDS[ConsentPurpose(purpose)]
    with transaction.atomic():
        consent = _open_consent(person, purpose)
        if consent is None:
            consent = Consent.objects.create(
                person=person, purpose=purpose, given_at=at, origin=origin, recorded_by=by
            )
        if not getattr(person, flag):
            setattr(person, flag, True)
            setattr(person, date, consent.given_at)
            # Through save(): the person's history records the change.
            person.save(update_fields=[flag, date, "updated_at"])
    return consent


def consent_withdraw(*, person: Person, purpose: ConsentPurpose | str, by, at=None):
    """Record the withdrawal of the person's consent to `purpose`. Returns the consent
    closed, or None when none was open (nothing to withdraw: idempotent)."""
    permissions.require(permissions.can_withdraw_consent(by))
    at = at or timezone.now()
    flag, date = PERSON_CONSENT_FIELDS[ConsentPurpose(purpose)]
    with transaction.atomic():
        consent = _open_consent(person, purpose)
        if consent is not None:
            consent.withdrawn_at = max(at, consent.given_at)
            consent.withdrawn_by = by
            consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        if getattr(person, flag):
            setattr(person, flag, False)
            setattr(person, date, None)
            person.save(update_fields=[flag, date, "updated_at"])
    return consent


def consent_states(person: Person) -> dict[str, bool]:
    """The person's current consents, before a form changes them."""
    return {purpose: getattr(person, flag) for purpose, (flag, _d) in PERSON_CONSENT_FIELDS.items()}


def consents_record_form_changes(*, person: Person, before: dict[str, bool], by) -> None:
    """After the person form saved the consent columns: record each box ticked (origin:
    officer) or unticked (a withdrawal by `by`) since `before`."""
    now = timezone.now()
    with transaction.atomic():
        for purpose, (flag, date) in PERSON_CONSENT_FIELDS.items():
            given = getattr(person, flag)
            if given and not before.get(purpose):
                if _open_consent(person, purpose) is None:
                    Consent.objects.create(
                        person=person,
                        purpose=purpose,
                        given_at=getattr(person, date) or now,
                        origin=ConsentOrigin.OFFICER,
                        recorded_by=by,
                    )
            elif not given and before.get(purpose):
                Consent.objects.filter(
                    person=person, purpose=purpose, withdrawn_at__isnull=True
                ).update(withdrawn_at=now, withdrawn_by=by)


def consent_panel(person: Person) -> list[dict]:
    """Per purpose: its label, whether it is given and since when (the person's columns,
    the current truth) and every dated record, newest first (one query)."""
    records = list(person.consents.select_related("recorded_by", "withdrawn_by"))
    return [
        {
            "purpose": purpose.value,
            "label": purpose.label,
            "given": getattr(person, flag),
            "since": getattr(person, date),
            "records": [c for c in records if c.purpose == purpose],
        }
        for purpose, (flag, date) in PERSON_CONSENT_FIELDS.items()
    ]
