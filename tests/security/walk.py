"""The machinery of the URL walk: every named route, its URL arguments built from the
world, the outcome a response means, and a snapshot to prove a refused write changed
nothing. Used by test_url_access.py; other branches may call `assert_outsider_gets_404`.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.access_table import (
    ADMIN_PUBLIC,
    ADMIN_STAFF_EXCEPTIONS,
    LOGIN,
    ROUTES,
    Route,
    outcomes,
)
from tests.security.world import PERSONAS, World, content_type_id

REFUSED = {LOGIN, 403, 404, 405}


@dataclass(frozen=True)
class NamedRoute:
    name: str  # qualified: "namespace:name"
    arg_names: tuple[str, ...]  # named groups, in order
    positional: int  # number of unnamed groups (admin's simple-history view)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def all_routes() -> list[NamedRoute]:
    """Every named route of the URL configuration, namespaces included. When two routes
    share a name, the first one is kept: it is the one `reverse()` gives."""
    found: dict[str, NamedRoute] = {}

    def walk(resolver, namespaces, prefix_groups):
        for pattern in resolver.url_patterns:
            groups = dict(pattern.pattern.regex.groupindex)
            unnamed = pattern.pattern.regex.groups - len(groups)
            if isinstance(pattern, URLResolver):
                namespace = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern, namespace, (*prefix_groups, *groups))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = ":".join((*namespaces, pattern.name))
                route = NamedRoute(name, (*prefix_groups, *groups), unnamed)
                found.setdefault(name, route)

    walk(get_resolver(), (), ())
    return list(found.values())


@dataclass
class Target:
    """One URL of a route, built from the world."""

    url: str
    project_scoped: bool
    obj: models.Model | None = None  # the record the URL names, if any


def _model_from_name(route: NamedRoute) -> str:
    # "crm:project-detail" → "project"; "contacts:person-history" → "person"
    return route.name.split(":")[-1].split("-")[0]


def _admin_object(route: NamedRoute, world: World):
    # "admin:crm_project_change" → the world's crm.project
    for label, obj in world.objects.items():
        if route.name.startswith(f"admin:{label.replace('.', '_')}_"):
            return obj
    raise LookupError(
        f"The URL-walk world has no object for {route.name}: add one in build_world() "
        "(tests/security/world.py)."
    )


def _admin_targets(route: NamedRoute, world: World) -> list[Target]:
    if route.name == "admin:view_on_site":
        kwargs = {"content_type_id": content_type_id(world.project), "object_id": world.project.pk}
        return [Target(reverse(route.name, kwargs=kwargs), False)]
    if not route.arg_names and not route.positional:
        return [Target(reverse(route.name), False)]
    if route.name == "admin:app_list":
        return [Target(reverse(route.name, kwargs={"app_label": "crm"}), False)]
    if route.name == "admin:auth_user_password_change":
        user = world.users["owner"]
        return [Target(reverse(route.name, kwargs={"id": user.pk}), False, user)]
    obj = _admin_object(route, world)
    if route.positional:  # simple-history's "<object_id>/history/<history_id>/"
        record = obj.history.order_by("history_id").first()
        return [Target(reverse(route.name, args=[obj.pk, record.history_id]), False, obj)]
    kwargs = {name: obj.pk for name in route.arg_names}
    return [Target(reverse(route.name, kwargs=kwargs), False, obj)]


def targets(route: NamedRoute, world: World) -> list[Target]:
    """The URLs to request for `route`: declared kwargs, or built from the argument names
    (`pk` → the world's object named like the route; `<model>_pk` → that model)."""
    if route.is_admin:
        return _admin_targets(route, world)
    declared = ROUTES.get(route.name)
    if declared is not None and declared.kwargs is not None:
        built = declared.kwargs(world)
        kwarg_sets = built if isinstance(built, list) else [built]
        result = []
        for kwargs in kwarg_sets:
            obj = _object_named_by(kwargs, route, world)
            scoped = obj is not None and obj._meta.label_lower in world.project_scoped
            result.append(Target(reverse(route.name, kwargs=kwargs), scoped, obj))
        return result
    kwargs, obj = {}, None
    scoped = False
    for arg in route.arg_names:
        model_name = _model_from_name(route) if arg == "pk" else arg.removesuffix("_pk")
        found = world.find(model_name)
        if found is None:
            raise LookupError(
                f"{route.name}: cannot build the argument {arg!r} (no {model_name} in the "
                "world). Add one in build_world() (tests/security/world.py) or declare "
                "kwargs= on the route in tests/security/access_table.py."
            )
        label, value = found
        kwargs[arg] = value.pk
        obj = obj or value
        scoped = scoped or label in world.project_scoped
    url = reverse(route.name, kwargs=kwargs)
    if declared is not None and declared.query:
        url = f"{url}?{declared.query}"
    return [Target(url, scoped, obj)]


def _object_named_by(kwargs: dict, route: NamedRoute, world: World):
    """The world object a declared set of kwargs names (by `app_label`/`model_name`/`pk`
    or by the route's model), to know whether it belongs to the owner's project."""
    if {"app_label", "model_name", "pk"} <= kwargs.keys():
        obj = world.objects.get(f"{kwargs['app_label']}.{kwargs['model_name']}")
        return obj if obj is not None and obj.pk == kwargs["pk"] else None
    if "pk" in kwargs:
        found = world.find(_model_from_name(route))
        return found[1] if found and found[1].pk == kwargs["pk"] else None
    return None


def expectation(route: NamedRoute) -> Route | None:
    """The declared expectation, or the admin rule for admin routes."""
    if route.is_admin:
        public = ADMIN_PUBLIC.get(route.name)
        staff = ADMIN_STAFF_EXCEPTIONS.get(route.name, 200)
        get = outcomes(public or LOGIN, admin=staff)
        # Writes in the admin: anyone but staff is sent to log in, and nothing changes.
        post = None
        if route.name.endswith(("_change", "_delete")):
            post = outcomes(LOGIN, admin=None)
        return Route(get=get, post=post)
    return ROUTES.get(route.name)


def missing_line(route: NamedRoute) -> str:
    return (
        f"{route.name!r} has no declared outcome. Add a line to ROUTES in "
        f'tests/security/access_table.py, for example:\n    "{route.name}": '
        "Route(get=ladder()),  # or signed_in(200), officers_only(), outcomes(...)"
    )


def outcome_of(response) -> object:
    if response.status_code in (301, 302):
        path = urlsplit(response["Location"]).path
        if path in {reverse("login"), reverse("admin:login")}:
            return LOGIN
    return response.status_code


def snapshot(obj: models.Model | None):
    """The record's stored values (None when it no longer exists)."""
    if obj is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).values().first()


def log_in_as(client, world: World, persona: str) -> None:
    client.logout()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)


def refuses_get_unseen(route: NamedRoute) -> bool:
    """A POST-only route that answers every signed-in GET with 405 before looking up its
    object: its GET tells the outsider nothing (the POST must still be a 404)."""
    declared = ROUTES.get(route.name)
    if declared is None or declared.post is None:
        return False
    # The entrepreneur gets 404 from the separation middleware before any view runs.
    return all(declared.get[p] == 405 for p in PERSONAS if p not in ("anonymous", "entrepreneur"))


def assert_outsider_gets_404(client, world: World) -> None:
    """The outsider coach gets 404 on every page that names an object of the owner's
    project (GET, or 405 on a POST-only route that looks nothing up; and POST where the
    route takes POST, 404 or 405 without looking)."""
    log_in_as(client, world, "outsider")
    failures = []
    for route in all_routes():
        if route.is_admin or not route.arg_names:
            continue
        for target in targets(route, world):
            if not target.project_scoped:
                continue
            got = outcome_of(client.get(target.url))
            if got != 404 and not (got == 405 and refuses_get_unseen(route)):
                failures.append(f"GET {route.name} {target.url}: {got}, expected 404")
            declared = ROUTES.get(route.name)
            if declared is not None and declared.post is not None:
                got = outcome_of(client.post(target.url, {}))
                if got not in (404, 405):
                    failures.append(f"POST {route.name} {target.url}: {got}, expected 404")
    assert not failures, "\n".join(failures)


__all__ = ["PERSONAS", "REFUSED"]
