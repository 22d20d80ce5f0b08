"""Who may open what: the expected outcome of every named route for every persona.

The URL walk (tests/security/test_url_access.py) requests every named route of the URL
configuration as each persona and compares the response with this table. A route missing
here fails the walk, with the line to add. How to declare a route (see docs/architecture.md):

    "crm:project-detail": Route(get=ladder(owner=200), post=ladder(...), target=...),

Outcomes: LOGIN (redirect to the login page), or an HTTP status (200, 302, 403, 404, 405).
`ladder()` gives the usual permission ladder for an object of the owner's project
(anonymous → login, officer/manager/admin → 200, owner → 200, outsider/no-role → 404);
`signed_in(x)` gives x to every signed-in persona; `outcomes(x, **overrides)` is the
general form. Admin routes (`admin:*`) follow one rule (staff only), not this table.
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.security.world import PERSONAS, World

LOGIN = "login"


def outcomes(default, **overrides) -> dict[str, object]:
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}; personas are {PERSONAS}")
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def everyone(outcome) -> dict[str, object]:
    return outcomes(outcome)


def signed_in(outcome, **overrides) -> dict[str, object]:
    """`outcome` for every signed-in persona; anonymous visitors are sent to log in."""
    return outcomes(outcome, **{"anonymous": LOGIN, **overrides})


def ladder(**overrides) -> dict[str, object]:
    """An object of the owner's project: readers 200, outsider and no-role 404."""
    return signed_in(200, outsider=404, no_role=404, **overrides)


def officers_only(refused=403, **overrides) -> dict[str, object]:
    """200 for officers and the administrator, `refused` for every other signed-in user."""
    return signed_in(refused, **{"officer": 200, "admin": 200, **overrides})


@dataclass(frozen=True)
class Route:
    """Expected outcomes of one named route.

    get: persona → outcome of a GET.
    post: persona → outcome of a POST (None: the route is not tested with POST).
    kwargs: the URL arguments, from the world (one dict, or a list to try several objects);
      by default built from the argument names (see test_url_access.route_kwargs).
    post_data: the form data of the POST.
    target: the record a refused POST must leave unchanged.
    """

    get: dict[str, object]
    post: dict[str, object] | None = None
    kwargs: Callable[[World], dict | list[dict]] | None = None
    post_data: Callable[[World], dict] | None = None
    target: Callable[[World], object] | None = None


def _history_targets(world: World) -> list[dict]:
    return [
        {"app_label": "crm", "model_name": "project", "pk": world.project.pk},
        {"app_label": "contacts", "model_name": "person", "pk": world.get("contacts.person").pk},
        {
            "app_label": "contacts",
            "model_name": "organisation",
            "pk": world.get("contacts.organisation").pk,
        },
    ]


# One line per route, grouped by app. Keep this table the single place that says who may
# open what; a branch adding routes adds its lines here.
ROUTES: dict[str, Route] = {
    # Authentication (django.contrib.auth, crm.security_views)
    "login": Route(get=everyone(200)),
    "logout": Route(get=everyone(405)),
    "password_change": Route(get=signed_in(200)),
    "password_change_done": Route(get=signed_in(200)),
    "password_reset": Route(get=everyone(200)),
    "password_reset_done": Route(get=everyone(200)),
    "password_reset_confirm": Route(
        get=everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Route(get=everyone(200)),
    "set_language": Route(get=everyone(302)),
    # Security (crm.security_urls)
    "security:otp-verify": Route(get=everyone(LOGIN)),
    "security:two-factor": Route(get=officers_only(), post=officers_only()),
    "security:history": Route(get=ladder(), post=signed_in(405), kwargs=_history_targets),
    "security:access-log": Route(get=officers_only(), post=officers_only(officer=405, admin=405)),
    # Projects (crm.app_urls)
    "crm:home": Route(get=signed_in(200)),
    "crm:project-list": Route(get=signed_in(200)),
}

# Admin rule: staff only. Anyone else (anonymous or signed in) is redirected to log in,
# for GET and POST alike. Staff get 200 except on the routes below.
ADMIN_STAFF_EXCEPTIONS: dict[str, object] = {
    "admin:login": LOGIN,  # the admin logs in through the CRM's login page
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # needs its query parameters
    "admin:view_on_site": 404,  # no model has a public page yet
    # Read-only in the admin: written by the CRM or by django-axes only.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:crm_accessevent_add": 403,
    "admin:crm_accessevent_delete": 403,  # pruned by purge_access_log only
    "admin:crm_stagechange_add": 403,  # moves are made by crm.services.project_move
}
# Admin routes reachable without being staff (Django's own behaviour).
ADMIN_PUBLIC: dict[str, object] = {
    "admin:login": LOGIN,
    "admin:logout": 302,  # to the admin index, which asks to log in
}
