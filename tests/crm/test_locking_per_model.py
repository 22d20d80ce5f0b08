"""Optimistic locking on every record edited through a form (crm.core.concurrency).

The list of form-edited models is derived from the code: every ModelForm of the project,
every route named "…-edit" in the URLconf, and every form that carries a version. Each
such model must be a VersionedModel and have a case below; each case loads the edit form
twice, saves the first copy, then the second: 409 with both versions, the first save kept.
"""

import importlib
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms
from django.urls import NoReverseMatch, reverse

from crm.core.concurrency import VersionedFormMixin, VersionedModel
from tests.security.access_table import ROUTES, _form_values
from tests.security.conftest import world as world  # the URL walk's world
from tests.security.walk import all_routes, targets

pytestmark = pytest.mark.django_db

PACKAGES = ("crm", "contacts", "followups", "reports")


def _project_forms_modules() -> None:
    """Import every forms module of the project, so their form classes are known."""
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".devtools" in info.name or ".migrations" in info.name:
                continue
            if "forms" in info.name.rsplit(".", 1)[-1] or ".forms." in info.name:
                importlib.import_module(info.name)


def _subclasses(base) -> set[type]:
    found, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return {cls for cls in found if cls.__module__.split(".")[0] in PACKAGES}


def _inline_parents() -> dict[type, type]:
    """Forms of inline formsets, with the model whose edit page saves them (the parent's
    version covers its rows: they are saved in the same transaction, after its claim)."""
    parents = {}
    for module_name, module in list(sys.modules.items()):
        if module_name.split(".")[0] not in PACKAGES:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseInlineFormSet):
                if hasattr(value, "fk"):
                    # The factory subclasses the declared form: name the declared one.
                    for base in value.form.__mro__:
                        parents[base] = value.fk.remote_field.model
    return parents


@dataclass(frozen=True)
class Case:
    """How to edit one model twice. `obj`: the world's record; `route`: the POST;
    `page`: the GET showing the form (default `route`); `form`: its context name;
    `field`/`values`: what each copy changes; `check`: reads the stored value back.
    `first_route`/`first_form`/`first_field`: when the concurrent save is another form
    (a triage decision refused after a project edit)."""

    obj: Callable
    route: str
    field: str
    values: tuple | Callable = ("Première version", "Seconde version")
    form: str = "form"
    page: str | None = None
    check: Callable | None = None
    setup: Callable | None = None
    first_route: str | None = None
    first_form: str = "form"
    first_field: str | None = None
    texts: bool = True
    extra: dict = field(default_factory=dict)


def _label(label):
    return lambda w: w.get(label)


def _esf_answers(w):
    from crm.models import EsfParticipant

    return EsfParticipant.objects.get_or_create(
        project=w.project, defaults={"pk": w.project.pk, "labour_status": "unemployed"}
    )[0]


def _winner(w):
    from crm.intake.services.calls import call_application_decide

    application = w.get("crm.application")
    call_application_decide(
        application=application,
        by=w.users["officer"],
        decision="winner",
        amount_awarded=min(application.amount_requested, application.call.envelope),
    )


CASES: dict[str, Case] = {
    "crm.project": Case(_label("crm.project"), "crm:project-edit", "summary"),
    "contacts.person": Case(_label("contacts.person"), "contacts:person-edit", "last_name"),
    "contacts.organisation": Case(
        _label("contacts.organisation"), "contacts:organisation-edit", "name"
    ),
    "followups.meeting": Case(_label("followups.meeting"), "followups:meeting-edit", "summary"),
    "followups.meetingnote": Case(_label("followups.meetingnote"), "followups:note-edit", "text"),
    "followups.event": Case(_label("followups.event"), "followups:event-edit", "title"),
    "followups.cohort": Case(_label("followups.cohort"), "followups:cohort-edit", "name"),
    "followups.contract": Case(
        _label("followups.contract"),
        "followups:contract-edit",
        "reference",
        values=("2026-WALK-A", "2026-WALK-B"),
    ),
    "followups.purchaseorder": Case(
        _label("followups.purchaseorder"),
        "followups:order-edit",
        "number",
        values=("BC-WALK-A", "BC-WALK-B"),
    ),
    "crm.call": Case(_label("crm.call"), "crm:call-edit", "title"),
    "followups.messagetemplate": Case(
        _label("followups.messagetemplate"), "followups:message-template-edit", "name"
    ),
    "followups.action": Case(
        _label("followups.action"),
        "followups:action-postpone",
        "due_on",
        values=("2027-03-01", "2027-04-01"),
        check=lambda obj: obj.due_on.isoformat(),
        texts=False,
    ),
    "crm.branding": Case(_label("crm.branding"), "branding:edit", "name"),
    # The route names the project: the answers' row takes the project's id.
    "crm.esfparticipant": Case(
        lambda w: _esf_answers(w),
        "crm:project-esf",
        "labour_status",
        values=("employed", "inactive"),
        check=lambda obj: obj.labour_status,
        texts=False,
    ),
    "crm.lettertemplate": Case(_label("crm.lettertemplate"), "crm:letter-template-edit", "subject"),
    "crm.application": Case(
        _label("crm.application"),
        "crm:call-application-score",
        "commune_opinion_comment",
        page="crm:call-application-detail",
        form="score_form",
    ),
}

# The other forms of records already above: each one is locked the same way.
EXTRA_CASES: dict[str, Case] = {
    # `values` may be read from the world: two different new owners of the walk's action.
    "action reassign": Case(
        _label("followups.action"),
        "followups:action-reassign",
        "owner",
        values=lambda w: (str(w.users["officer"].pk), str(w.users["owner"].pk)),
        check=lambda obj: str(obj.owner_id),
        texts=False,
    ),
    "committee decision": Case(
        _label("crm.application"),
        "crm:call-application-decide",
        "decision",
        values=("rejected", "pending"),
        page="crm:call-application-detail",
        form="decision_form",
        texts=False,
    ),
    "grant payments": Case(
        _label("crm.application"),
        "crm:call-application-payments",
        "first_payment_on",
        values=("2026-07-01", "2026-08-01"),
        page="crm:call-application-detail",
        form="payment_form",
        check=lambda obj: obj.first_payment_on.isoformat(),
        setup=_winner,
        texts=False,
    ),
    "grant convention": Case(
        _label("crm.application"),
        "crm:call-application-convention",
        "convention_number",
        values=("CONV-A", "CONV-B"),
        page="crm:call-application-detail",
        form="convention_form",
        setup=_winner,
    ),
    # Two officers deciding on one application is refused by its status ("déjà traitée");
    # the lock catches a decision taken on a project somebody edited meanwhile.
    **{
        f"triage {kind}": Case(
            lambda w, kind=kind: w.named[f"applicant_{kind}"],
            f"crm:triage-{kind}",
            f"{kind}-reason" if kind != "accept" else "accept-note",
            page="crm:triage-detail",
            form=f"{kind}_form",
            first_route="crm:project-edit",
            first_field="summary",
            check=lambda obj: obj.summary,
            texts=False,
        )
        for kind in ("accept", "redirect", "decline")
    },
}


def _form_edited_models(world) -> dict[str, str]:
    """Every model edited through a form, with where it was found."""
    _project_forms_modules()
    inline = _inline_parents()
    versioned_forms = _subclasses(VersionedFormMixin)
    versioned_models = {
        cls._meta.model for cls in versioned_forms if issubclass(cls, forms.ModelForm)
    }
    found = {}
    for cls in _subclasses(forms.ModelForm):
        model = cls._meta.model
        if cls in inline:
            found.setdefault(inline[cls]._meta.label_lower, f"{cls.__name__} (inline)")
            continue
        if cls not in versioned_forms and model in versioned_models:
            continue  # the creation form of a model another form edits with a version
        found.setdefault(model._meta.label_lower, f"{cls.__module__}.{cls.__name__}")
    by_route = {case.route: case for case in (*CASES.values(), *EXTRA_CASES.values())}
    for route in all_routes():
        if not route.name.endswith("-edit"):
            continue
        if route.name not in by_route:
            found.setdefault(f"route {route.name}", "the URLconf")
            continue
        for target in targets(route, world):
            # A route whose kwargs the walk declares names its record through its case.
            edited = target.obj or by_route[route.name].obj(world)
            found.setdefault(edited._meta.label_lower, f"route {route.name}")
    for case in EXTRA_CASES.values():
        found.setdefault(case.obj(world)._meta.label_lower, f"route {case.route}")
    return found


def test_every_form_edited_model_is_versioned_and_tested(world):  # noqa: F811
    from django.apps import apps

    found = _form_edited_models(world)
    unversioned = [
        f"{label} (edited by {where}) is not a VersionedModel"
        for label, where in sorted(found.items())
        if not label.startswith("route ") and not issubclass(apps.get_model(label), VersionedModel)
    ]
    untested = [
        f"{label} (edited by {where}) has no case in CASES"
        for label, where in sorted(found.items())
        if label not in CASES
    ]
    assert not unversioned + untested, "\n".join(unversioned + untested)


def test_every_versioned_form_is_walked():
    """A form carrying a version is shown by one of the cases (its page and context name)."""
    _project_forms_modules()
    covered = {
        "ProjectEditForm", "CoachProjectEditForm", "PersonEditForm", "OrganisationEditForm",
        "MeetingForm", "NoteForm", "EventForm", "CohortForm", "ContractForm",
        "PurchaseOrderForm", "CallForm", "ScoreForm", "DecisionForm", "PaymentForm",
        "AcceptForm", "RedirectForm", "DeclineForm", "ActionPostponeForm", "ActionReassignForm",
        "MessageTemplateForm", "ConventionForm", "BrandingForm", "LetterTemplateForm", "EsfForm",
        # The side panel's forms: their stale saves are tested in tests/crm/test_project_panel.py.
        "PanelMoveForm", "ProjectAssignForm",
        # The portal's stale save is tested in tests/crm/portal/test_details_and_data.py.
        "DetailsForm",
    }  # fmt: skip
    concrete = {
        cls.__name__
        for cls in _subclasses(VersionedFormMixin)
        if not cls.__name__.endswith("Mixin")
    }
    assert concrete <= covered, f"Add a case for {sorted(concrete - covered)}"


def _loaded(response, name: str) -> tuple[dict, str]:
    """The POST an unchanged copy of the page's form sends, and its version key."""
    form = response.context[name]
    assert isinstance(form, VersionedFormMixin), f"{name} carries no version"
    values = {form.add_prefix(key): value for key, value in _form_values(form).items()}
    return values, form.add_prefix("version")


def _post_data(world, route: str) -> dict:  # noqa: F811
    declared = ROUTES[route].post_data
    return declared(world) if declared else {}


def _url(route: str, pk: int) -> str:
    """The route for the record `pk`; a page editing a single row (the branding) has none."""
    try:
        return reverse(route, kwargs={"pk": pk})
    except NoReverseMatch:
        return reverse(route)


def _page(case: Case, pk: int, route: str | None = None) -> str:
    return _url(route or case.page or case.route, pk)


@pytest.mark.parametrize(
    "case", [*CASES.values(), *EXTRA_CASES.values()], ids=[*CASES, *EXTRA_CASES]
)
def test_a_stale_save_is_refused_with_both_versions(client, world, case):  # noqa: F811
    if case.setup:
        case.setup(world)
    obj = case.obj(world)
    model = type(obj)
    values = case.values(world) if callable(case.values) else case.values
    client.force_login(world.users["officer"])
    first_route = case.first_route or case.route
    first_page = client.get(_page(case, obj.pk, case.first_route))
    second_page = client.get(_page(case, obj.pk))
    assert first_page.status_code == second_page.status_code == 200
    first_form = case.first_form if case.first_route else case.form
    first_values, _key = _loaded(first_page, first_form)
    second_values, version_key = _loaded(second_page, case.form)
    first_field = case.first_field or case.field
    first = {**first_values}
    if first_route == case.route:  # a valid submission of this record's form
        first.update(_post_data(world, first_route))
    first[_key] = first_values[_key]
    first[first_field] = values[0]
    response = client.post(_url(first_route, obj.pk), first)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved_version = model._base_manager.get(pk=obj.pk).version
    assert saved_version == int(first_values[_key]) + 1

    second = {**second_values, **_post_data(world, case.route)}
    second[version_key] = second_values[version_key]
    second[case.field] = values[1]
    response = client.post(_url(case.route, obj.pk), second)
    body = response.content.decode()
    assert response.status_code == 409, body[:3000]
    assert "Deux versions de la fiche" in body
    assert "modifiée par quelqu&#x27;un d&#x27;autre" in body
    if case.texts:
        assert values[0] in body and values[1] in body
    stored = model._base_manager.get(pk=obj.pk)
    read = case.check or (lambda record: getattr(record, first_field))
    assert read(stored) == values[0]  # the first save survives
    assert stored.version == saved_version
    # The page now carries the stored version: saving again applies the second copy.
    assert int(response.context[case.form].data[version_key]) == saved_version
