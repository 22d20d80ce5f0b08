"""The entrepreneur space's routes in the URL walk (crm.portal, issue 23): only the
entrepreneur reaches their pages (staff personas get 404, as a user without a role);
the invitation link is public; invite and revoke are the staff's, from a person's page."""

from tests.security.access_table import LOGIN, Route, outcomes, signed_in, writers


def entrepreneur_only(outcome=200) -> dict[str, object]:
    """A page of the space: the entrepreneur `outcome`, other signed-in users 404."""
    return signed_in(404, entrepreneur=outcome)


# POST-only pages of the space answer every GET with 405 before anything else.
EVERY_GET_405 = outcomes(405, entrepreneur=405)


def _action(world) -> dict:
    return {"pk": world.named["entrepreneur_action"].pk}


def _event(world) -> dict:
    return {"pk": world.named["open_event"].pk}


def _details_data(world) -> dict:
    from crm.portal.forms import DetailsForm

    person = type(world.get("contacts.person"))._base_manager.get(
        pk=world.get("contacts.person").pk
    )
    form = DetailsForm(instance=person)
    data = {name: form[name].value() for name in form.fields}
    data = {k: "" if v is None else str(v) for k, v in data.items()}
    return {**data, "phone": "06 12 34 56 78"}


def _person(world) -> dict:
    return {"person_pk": world.get("contacts.person").pk}


PORTAL_ROUTES: dict[str, Route] = {
    "portal:home": Route(get=entrepreneur_only()),
    "portal:action-done": Route(
        get=EVERY_GET_405,
        post=signed_in(404, entrepreneur=302),
        kwargs=_action,
        post_data=lambda w: {"comment": "Envoyé ce matin."},
        target=lambda w: w.named["entrepreneur_action"],
    ),
    "portal:shared": Route(get=entrepreneur_only()),
    "portal:download": Route(
        get=entrepreneur_only(), kwargs=lambda w: {"pk": w.named["entrepreneur_version"].pk}
    ),
    "portal:applications": Route(get=entrepreneur_only()),
    "portal:letter": Route(
        get=entrepreneur_only(), kwargs=lambda w: {"pk": w.named["decided_application"].pk}
    ),
    "portal:workshops": Route(get=entrepreneur_only()),
    "portal:workshop-register": Route(
        get=EVERY_GET_405,
        post=signed_in(404, entrepreneur=302),
        kwargs=_event,
        target=lambda w: w.named["open_event"],
    ),
    "portal:workshop-cancel": Route(
        get=EVERY_GET_405,
        post=signed_in(404, entrepreneur=302),
        kwargs=_event,
        target=lambda w: w.named["open_event"],
    ),
    "portal:details": Route(
        get=entrepreneur_only(),
        post=signed_in(404, entrepreneur=302),
        post_data=_details_data,
        target=lambda w: w.get("contacts.person"),
    ),
    "portal:data": Route(get=entrepreneur_only()),
    "portal:data-export": Route(get=entrepreneur_only()),
    "portal:erasure-request": Route(
        get=EVERY_GET_405,
        post=signed_in(404, entrepreneur=302),
        post_data=lambda w: {"confirm": "on"},
        target=lambda w: w.get("contacts.person"),
    ),
    # The link is the credential: no login (its POST, which logs in, has its own tests).
    "portal:accept": Route(
        get=outcomes(200, entrepreneur=200),
        kwargs=lambda w: {"token": w.named["invitation"].raw_token},
    ),
    "portal:renewal": Route(
        get=EVERY_GET_405,
        post=outcomes(200, entrepreneur=200),
        kwargs=lambda w: {"token": w.named["invitation_expired"].raw_token},
        target=lambda w: w.named["invitation_expired"].person,
    ),
    # From a person's page: officers and the project's coach; the manager reads the page
    # but may not invite.
    "portal:invite": Route(
        get=signed_in(405, entrepreneur=404),
        post=writers(),
        kwargs=_person,
        target=lambda w: w.get("contacts.person"),
    ),
    "portal:revoke": Route(
        get=signed_in(405, entrepreneur=404),
        post=writers(),
        kwargs=_person,
        target=lambda w: w.get("contacts.person"),
    ),
}

__all__ = ["LOGIN", "PORTAL_ROUTES"]
