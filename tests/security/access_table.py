"""Who may open what: the expected outcome of every named route for every persona.

The URL walk (tests/security/test_url_access.py) requests every named route of the URL
configuration as each persona and compares the response with this table. A route missing
here fails the walk, with the line to add. How to declare a route (see docs/architecture.md):

    "crm:project-detail": Route(get=ladder(owner=200), post=ladder(...), target=...),

Outcomes: LOGIN (redirect to the login page), or an HTTP status (200, 302, 403, 404, 405).
The eighth persona, the entrepreneur (a user with no role and an account of the
entrepreneur space), is declared on every route: 404 unless the route says otherwise, since
crm.portal's middleware answers 404 to them outside their space; the space's own routes
are in tests/security/access_portal.py.
`ladder()` gives the usual permission ladder for an object of the owner's project
(anonymous → login, officer/manager/admin → 200, owner → 200, outsider/no-role → 404);
`signed_in(x)` gives x to every signed-in persona; `outcomes(x, **overrides)` is the
general form. For writes: `writers()` (officers and the owner coach succeed, the manager is
refused), `officer_writes()` (officers only, on an object of the owner's project),
`officers_write()` (officers only, no project object); `POST_ONLY` for a route that answers
every signed-in GET with 405. Admin routes (`admin:*`) follow one rule (staff only), not this table.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from crm.intake.antiabuse import started_token
from crm.models import Registration
from tests.security.world import PERSONAS, World

LOGIN = "login"


# What an entrepreneur gets on any route outside their space (crm.portal.middleware).
ENTREPRENEUR_OUTSIDE = 404


def outcomes(default, **overrides) -> dict[str, object]:
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}; personas are {PERSONAS}")
    overrides.setdefault("entrepreneur", ENTREPRENEUR_OUTSIDE)
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
    query: a query string for the GET (the search's words, so the walks read its hits).
    """

    get: dict[str, object]
    post: dict[str, object] | None = None
    kwargs: Callable[[World], dict | list[dict]] | None = None
    post_data: Callable[[World], dict] | None = None
    target: Callable[[World], object] | None = None
    query: str = ""


def writers(refused=403, **overrides) -> dict[str, object]:
    """A write on an object of the owner's project: officers, the administrator and the
    owner coach succeed (302), the manager is refused, outsider and no-role get 404."""
    return ladder(officer=302, owner=302, admin=302, manager=refused, **overrides)


def officer_writes(**overrides) -> dict[str, object]:
    """A write only officers make, on an object of the owner's project (or reachable by
    the coach): officers 302, owner and manager 403, outsider and no-role 404."""
    return ladder(officer=302, admin=302, owner=403, manager=403, **overrides)


def officers_write(refused=403, **overrides) -> dict[str, object]:
    """A write that is for officers only and names no project object."""
    return officers_only(refused, officer=302, admin=302, **overrides)


POST_ONLY = signed_in(405)


def _project(world: World) -> dict:
    return {"pk": world.get("crm.project").pk}


def _project(world: World) -> dict:
    return {"pk": world.get("crm.project").pk}


_measure_days = iter(range(1, 10_000))


def _measure_data(world: World) -> dict:
    day = datetime.date(2025, 1, 1) + datetime.timedelta(days=next(_measure_days))
    return {"kind": "free", "measured_on": day.isoformat(), "jobs_permanent": "2"}


def _esf_data(world: World) -> dict:
    from crm.models import EsfParticipant

    stored = EsfParticipant.objects.filter(project=world.project).first()
    version = {"version": str(stored.version)} if stored else {}
    return {"labour_status": "unemployed", "disability": "declined", **version}


# --- API (issue 24) ---


def api_reads(outcome=200, **overrides) -> dict[str, object]:
    """An API list: `outcome` for every signed-in persona, 401 without credentials."""
    return outcomes(outcome, **{"anonymous": 401, **overrides})


def api_ladder(**overrides) -> dict[str, object]:
    """An API object of the owner's project: readers 200, outsider and no-role 404."""
    return api_reads(200, outsider=404, no_role=404, **overrides)


def _stage_move_data(world: World) -> dict:
    project = _fresh(world.project)
    stage = "launch" if project.stage != "launch" else "consolidation"
    return {"version": project.version, "stage": stage}


def _api_meeting_data(world: World) -> dict:
    return {
        "project": world.project.pk,
        "start": "2026-11-02T10:00:00+01:00",
        "duration_minutes": 60,
        "summary": "Point sur le prévisionnel.",
    }


def _api_action_data(world: World) -> dict:
    return {
        "project": world.project.pk,
        "title": "Relancer la banque",
        "owner": world.users["owner"].pk,
        "due_on": "2026-12-20",
    }


def _document(world: World) -> dict:
    return {"pk": world.get("documents.document").pk}


def _document_upload_data(world: World) -> dict:
    return {
        "files": [SimpleUploadedFile("compte-rendu.txt", b"Compte rendu du walk")],
        "category": world.get("documents.documentcategory").pk,
        "date": "27/11/2026",
        "visibility": "provider",
    }


def _document_version_data(world: World) -> dict:
    return {"file": SimpleUploadedFile("plan-v2.txt", b"Plan, seconde version")}


def _fresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


def _form_values(form) -> dict:
    """The POST data an unchanged form would send (its initial values)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    if "version" in form.fields and "version" not in data:  # optimistic locking
        data["version"] = str(form.record.version)
    return data


def _person_data(world: World) -> dict:
    from contacts.forms import PersonEditForm

    person = _fresh(world.get("contacts.person"))
    return {**_form_values(PersonEditForm(instance=person)), "phone": "01 43 99 00 00"}


def _new_person_data(world: World) -> dict:
    return {"first_name": "Lucie", "last_name": "Ndiaye", "email": "lucie.ndiaye@exemple.fr"}


def _organisation_data(world: World) -> dict:
    from contacts.forms import OrganisationEditForm

    organisation = _fresh(world.get("contacts.organisation"))
    label = world.get("contacts.organisationlabel")
    membership = world.get("contacts.personorganisation")
    return {
        **_form_values(OrganisationEditForm(instance=organisation)),
        "labels-TOTAL_FORMS": "1",
        "labels-INITIAL_FORMS": "1",
        "labels-0-id": str(label.pk),
        "labels-0-kind": label.kind,
        "labels-0-obtained_on": label.obtained_on.isoformat(),
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "1",
        "members-0-id": str(membership.pk),
        "members-0-person": str(membership.person_id),
        "members-0-role": "director",
    }


def _new_organisation_data(world: World) -> dict:
    from contacts.forms import OrganisationForm

    return {
        **_form_values(OrganisationForm()),
        "name": "Recyclerie du walk",
        "legal_form": "association",
        "labels-TOTAL_FORMS": "0",
        "labels-INITIAL_FORMS": "0",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }


def _merge_data(record_label: str, twin: str) -> Callable[[World], dict]:
    def data(world: World) -> dict:
        return {"keep": world.get(record_label).pk, "drop": world.named[twin].pk}

    return data


def _project_edit_data(world: World) -> dict:
    from crm.projects.forms import ProjectEditForm

    project = _fresh(world.project)
    return {**_form_values(ProjectEditForm(instance=project)), "summary": "Réparation de vélos"}


def _panel_move_data(world: World) -> dict:
    project = _fresh(world.project)
    # Neither "launch" nor "consolidation": the other moves' walks bring the project there.
    stage = "scale_up" if project.stage != "scale_up" else "feasibility"
    return {"move-stage": stage, "move-status": project.status, "move-version": project.version}


def _panel_assign_data(world: World) -> dict:
    from crm.projects.forms_panel import ProjectAssignForm

    form = ProjectAssignForm(instance=_fresh(world.project))
    return {form.add_prefix(name): value for name, value in _form_values(form).items()}


def _project_create_data(world: World) -> dict:
    return {
        "name": "Ressourcerie du walk",
        "stage": "idea",
        "status": "applicant",
        "hours_allocated": "20",
        "commune": world.project.commune_id,
        "lead_mode": "new",
        "lead_first_name": "Awa",
        "lead_last_name": "Diallo",
        "lead_email": "awa.diallo@exemple.fr",
        "organisation_mode": "none",
    }


def _registration_data(world: World) -> dict:
    commune = world.project.commune_id
    return {
        "first_name": "Hélène",
        "last_name": "Dupré",
        "email": "helene.dupre@exemple.fr",
        "commune": commune,
        "project_name": "Recyclerie du Mont-Mesly",
        "description": "Une recyclerie de quartier avec un atelier de réparation.",
        "sector": "circular",
        "stage": "feasibility",
        "social_impact": "Trois emplois en insertion.",
        "project_commune": commune,
        "project_in_qpv": "no",
        "help_sought": "Modèle économique et recherche de locaux.",
        "website": "",
        # The form was displayed a minute ago (the form refuses robots' instant posts).
        "started": started_token(at=time.time() - 60),
    }


def _applicant(name: str) -> Callable[[World], dict]:
    return lambda world: {"pk": world.named[name].pk}


def _lead_pk(world: World) -> int:
    return world.project.members.get(is_lead=True).person_id


def _applicant_target(name: str) -> Callable[[World], object]:
    return lambda world: world.named[name]


def _call_data(world: World) -> dict:
    return {
        "year": "2027",
        "title": "Initiatives d'ESS 2027",
        "envelope": "30000",
        "opens_on": "2027-03-01",
        "closes_on": "2027-05-31",
        "criteria": "Emplois, ancrage territorial.",
    }


def _call_edit_data(world: World) -> dict:
    from crm.intake.forms.calls import CallForm

    return {**_form_values(CallForm(instance=_fresh(world.get("crm.call")))), "envelope": "26000"}


def _branding_data(world: World) -> dict:
    from crm.branding.forms import BrandingForm

    form = BrandingForm(instance=_fresh(world.get("crm.branding")))
    return {**_form_values(form), "name": "Territoire du walk, modifié"}


def _letter_template_data(world: World) -> dict:
    from crm.intake.forms.letters import LetterTemplateForm

    form = LetterTemplateForm(instance=_fresh(world.get("crm.lettertemplate")))
    return {**_form_values(form), "subject": "Décision {annee} – modifiée par le walk"}


def _application(world: World) -> dict:
    return {"pk": world.get("crm.application").pk}


def _application_target(world: World):
    return world.get("crm.application")


def _score_data(world: World) -> dict:
    return {
        "commune_opinion": "favourable",
        "score_jobs": "4",
        "score_local_roots": "3",
        "score_social_utility": "5",
        "score_viability": "3",
        "version": _version(world, "crm.application"),
    }


def _import(world: World) -> dict:
    return {"pk": world.get("crm.importbatch").pk}


def _import_target(world: World):
    return world.get("crm.importbatch")


def _upload_data(world: World) -> dict:
    sample = Path(__file__).parent.parent / "crm" / "data" / "suivi-porteurs-2024.csv"
    return {
        "kind": "projects",
        "mode": "keep",
        "file": SimpleUploadedFile("suivi.csv", sample.read_bytes()),
    }


def _meeting_data(world: World) -> dict:
    return {
        "start": "2026-11-02T10:00",
        "duration_minutes": "60",
        "format": "individual",
        "mode": "in_person",
        "time_kind": "individual",
        "summary": "Point sur le prévisionnel.",
        "note": "À relancer.",
        "note_visibility": "provider",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }


def _event_data(world: World) -> dict:
    return {
        "title": "Atelier marchés publics",
        "kind": "workshop",
        "start": "2026-12-03T09:00",
        "end": "2026-12-03T12:00",
        "place": "Maison de l'ESS",
    }


def _version(world: World, label: str) -> str:
    """The stored version of the world's `label` record, as its edit form carries it."""
    return str(_fresh(world.get(label)).version)


def _meeting_edit_data(world: World) -> dict:
    return {**_meeting_data(world), "version": _version(world, "followups.meeting")}


def _event_edit_data(world: World) -> dict:
    return {
        **_event_data(world),
        "title": "Atelier du walk (modifié)",
        "version": _version(world, "followups.event"),
    }


def _event_register_data(world: World) -> dict:
    return {
        "person": world.named["event_guest"].pk,
        "project": world.project.pk,
        "status": "registered",
    }


def _attendance_data(world: World) -> dict:
    return {f"status-{world.get('followups.attendance').pk}": "attended"}


def _order(world: World) -> dict:
    return {"pk": world.get("followups.purchaseorder").pk}


def _note(world: World) -> dict:
    # The world's last note on the owner's meeting: shareable with the entrepreneur.
    return {"pk": world.get("followups.meetingnote").pk}


def _note_data(world: World) -> dict:
    return {"text": "Note reprise après le rendez-vous.", "visibility": "provider"}


def _note_edit_data(world: World) -> dict:
    return {**_note_data(world), "version": _version(world, "followups.meetingnote")}


def _contract_data(world: World) -> dict:
    contract = world.get("followups.contract")
    return {
        "reference": "2027-WALK-002",
        "provider": str(contract.provider_id),
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "max_amount": "50000",
        "price_coaching_hour": "85",
    }


def _contract_edit_data(world: World) -> dict:
    contract = world.get("followups.contract")
    return {
        **_contract_data(world),
        "reference": contract.reference,
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
        "max_amount": "95000",
        "price_coaching_hour": "80",
        "price_diagnostic": "450",
        "version": _version(world, "followups.contract"),
    }


def _order_data(world: World) -> dict:
    return {"number": "BC-WALK-2", "issued_on": "2026-10-01", "quantity_coaching_hour": "20"}


def _order_edit_data(world: World) -> dict:
    return {
        "number": "BC-WALK-1",
        "issued_on": "2026-09-01",
        "quantity_coaching_hour": "120",
        "quantity_diagnostic": "10",
        "version": _version(world, "followups.purchaseorder"),
    }


def _cohort_data(world: World) -> dict:
    return {
        "name": "Promotion 2027 du walk",
        "start_date": "2027-01-01",
        "end_date": "2027-06-30",
        "hours_allocated": "40",
    }


def _cohort_edit_data(world: World) -> dict:
    return {
        "name": "Promotion du walk",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "hours_allocated": "30",
        "projects": [str(world.project.pk)],
        "version": _version(world, "followups.cohort"),
    }


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
    # Authentication (django.contrib.auth, crm.security.views)
    # The few pages outside their space an entrepreneur uses (crm.portal.middleware).
    "login": Route(get=outcomes(200, entrepreneur=200)),
    "logout": Route(get=outcomes(405, entrepreneur=405)),
    "password_change": Route(get=signed_in(200)),
    "password_change_done": Route(get=signed_in(200)),
    "password_reset": Route(get=everyone(200)),
    "password_reset_done": Route(get=everyone(200)),
    "password_reset_confirm": Route(
        get=everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}
    ),
    "password_reset_complete": Route(get=everyone(200)),
    "set_language": Route(get=outcomes(302, entrepreneur=302)),
    # Security (crm.security.urls)
    "security:otp-verify": Route(get=outcomes(LOGIN, entrepreneur=LOGIN)),
    "security:two-factor": Route(get=officers_only(), post=officers_only()),
    "security:history": Route(get=ladder(), post=signed_in(405), kwargs=_history_targets),
    "security:access-log": Route(get=officers_only(), post=officers_only(officer=405, admin=405)),
    # Contacts (contacts.urls): everyone reads within their reach, officers change.
    "contacts:person-list": Route(get=signed_in(200)),
    # Search endpoints answer everyone signed in, with only what `visible_to` allows.
    "contacts:person-search": Route(get=signed_in(200)),
    "contacts:organisation-search": Route(get=signed_in(200)),
    "contacts:person-create": Route(
        get=officers_only(), post=officers_write(), post_data=_new_person_data
    ),
    "contacts:person-detail": Route(get=ladder()),
    "contacts:person-edit": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_person_data
    ),
    "contacts:person-archive": Route(get=POST_ONLY, post=officer_writes()),
    "contacts:person-restore": Route(get=POST_ONLY, post=officer_writes()),
    # Personal data (contacts.gdpr): the access export holds internal notes, so officers only.
    "contacts:person-data-export": Route(get=ladder(owner=403, manager=403)),
    "contacts:person-consent-withdraw": Route(
        get=POST_ONLY,
        post=officer_writes(),
        kwargs=lambda w: {"pk": w.get("contacts.person").pk, "purpose": "newsletter"},
    ),
    "gdpr:register": Route(get=signed_in(403, officer=200, manager=200, admin=200)),
    "gdpr:register-pdf": Route(get=signed_in(403, officer=200, manager=200, admin=200)),
    "contacts:person-merge": Route(
        get=ladder(owner=403, manager=403),
        post=officer_writes(),
        post_data=_merge_data("contacts.person", "person_twin"),
    ),
    # A person outside the owner's project: coaches do not see them (404), managers 403.
    "contacts:person-erase": Route(
        get=ladder(owner=404, manager=403),
        post=ladder(officer=302, admin=302, owner=404, manager=403),
        kwargs=lambda w: {"pk": w.named["erasable"].pk},
        post_data=lambda w: {"confirm": "on", "reason": ""},
        target=lambda w: w.named["erasable"],
    ),
    # Duplicates (issue 21): officers only, pairs of records of no particular project.
    "contacts:duplicates": Route(get=officers_only()),
    "contacts:duplicate-scan": Route(get=POST_ONLY, post=officers_write()),
    "contacts:duplicate-dismiss": Route(
        get=POST_ONLY,
        post=officers_write(),
        kwargs=lambda w: {"pk": w.named["duplicate_pair"].pk},
        target=lambda w: w.named["duplicate_pair"],
    ),
    # Retention and archives: officers only, on records of no particular project.
    "contacts:retention": Route(get=officers_only()),
    "contacts:retention-extend": Route(
        get=officers_only(),
        post=officers_write(),
        kwargs=lambda w: {"pk": w.named["retained"].pk},
        post_data=lambda w: {"until": "2099-12-31", "reason": "Contentieux en cours"},
        target=lambda w: w.named["retained"],
    ),
    "contacts:archives": Route(get=officers_only()),
    "contacts:archives-propose": Route(get=POST_ONLY, post=officers_write()),
    "contacts:archives-detail": Route(
        get=officers_only(), kwargs=lambda w: {"pk": w.named["elimination"].pk}
    ),
    "contacts:archives-approve": Route(
        get=POST_ONLY,
        post=officers_write(),
        kwargs=lambda w: {"pk": w.named["elimination"].pk},
        post_data=lambda w: {
            "approved_on": timezone.localdate().isoformat(),
            "reference": "AD-1",
            "action": "approve",
        },
        target=lambda w: w.named["elimination"],
    ),
    "contacts:archives-execute": Route(
        get=POST_ONLY,
        post=officers_write(),
        kwargs=lambda w: {"pk": w.named["elimination"].pk},
        target=lambda w: w.named["elimination"],
    ),
    "contacts:archives-pdf": Route(
        get=officers_only(), kwargs=lambda w: {"pk": w.named["elimination"].pk}
    ),
    "contacts:archives-csv": Route(
        get=officers_only(), kwargs=lambda w: {"pk": w.named["elimination"].pk}
    ),
    "contacts:archives-transfer": Route(
        get=officers_only(), kwargs=lambda w: {"pk": w.named["elimination"].pk}
    ),
    "contacts:organisation-list": Route(get=signed_in(200)),
    "contacts:organisation-create": Route(
        get=officers_only(), post=officers_write(), post_data=_new_organisation_data
    ),
    "contacts:organisation-detail": Route(get=ladder()),
    "contacts:organisation-edit": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_organisation_data
    ),
    "contacts:organisation-archive": Route(get=POST_ONLY, post=officer_writes()),
    "contacts:organisation-restore": Route(get=POST_ONLY, post=officer_writes()),
    "contacts:organisation-merge": Route(
        get=ladder(owner=403, manager=403),
        post=officer_writes(),
        post_data=_merge_data("contacts.organisation", "organisation_twin"),
    ),
    # SIRENE is off in tests (SIRENE_API_URL empty): officers get 404 once allowed, so the
    # walk reaches no network; tests/contacts/test_sirene.py runs it against a local fake.
    "contacts:organisation-sirene": Route(
        get=ladder(officer=404, admin=404, owner=403, manager=403),
        post=ladder(officer=404, admin=404, owner=403, manager=403),
    ),
    # Public registration (crm.intake.urls_public): open to everyone, signed in or not.
    "registration:form": Route(get=everyone(200), post=everyone(302), post_data=_registration_data),
    "registration:thanks": Route(get=everyone(200)),
    # Projects (crm.projects.urls)
    # An entrepreneur is sent to their space (crm.portal.middleware).
    "crm:home": Route(get=signed_in(200, entrepreneur=302)),
    "crm:project-list": Route(get=signed_in(200)),
    "crm:project-search": Route(get=signed_in(200)),
    "crm:project-archived": Route(get=signed_in(200)),
    "crm:project-board": Route(get=signed_in(200)),
    "crm:project-create": Route(
        get=officers_only(), post=officers_write(), post_data=_project_create_data
    ),
    "crm:project-detail": Route(get=ladder()),
    # Project follow-up sheet downloads (reports.sheet_urls): whoever sees the project.
    "sheets:project-fiche-pdf": Route(get=ladder()),
    "sheets:project-fiche-xlsx": Route(get=ladder()),
    "crm:project-edit": Route(
        get=ladder(manager=403), post=writers(), post_data=_project_edit_data
    ),
    # POST only, checked before anything else (anonymous visitors included).
    "crm:project-move": Route(
        get=everyone(405),
        post=writers(),
        post_data=lambda w: {"stage": "launch", "status": "active", "note": "Lancement"},
    ),
    # The side panel (crm.projects.views.panel): whoever sees the project reads it; its
    # stage and status are the project's writers', its coach and officer the officers'.
    "crm:project-panel": Route(get=ladder()),
    "crm:project-panel-move": Route(get=everyone(405), post=writers(), post_data=_panel_move_data),
    "crm:project-panel-assign": Route(
        get=everyone(405), post=officer_writes(), post_data=_panel_assign_data
    ),
    # The project list's tools (crm.projects.views.list_tools): each user's own columns
    # and views; bulk actions on the projects the user sees, each through its service.
    "crm:project-list-columns": Route(
        get=everyone(405), post=signed_in(302), post_data=lambda w: {"column": ["stage"]}
    ),
    "crm:project-view-save": Route(
        get=everyone(405),
        post=signed_in(302),
        post_data=lambda w: {"name": "Walk", "query": "stage=idea"},
    ),
    "crm:project-bulk": Route(
        get=everyone(405),
        post=signed_in(302, no_role=403),
        # Not "launch": crm:project-move's walk brings the project there.
        post_data=lambda w: {
            "action": "move",
            "stage": "idea" if _fresh(w.project).stage != "idea" else "feasibility",
            "pk": [w.project.pk],
        },
    ),
    "crm:project-archive": Route(get=everyone(405), post=officer_writes()),
    "crm:project-restore": Route(get=everyone(405), post=officer_writes()),
    # Imports (crm.importing.views): officers only.
    "crm:import-list": Route(get=officers_only(), post=officers_write(), post_data=_upload_data),
    "crm:import-detail": Route(
        get=officers_only(), post=officers_only(), kwargs=_import, target=_import_target
    ),
    "crm:import-confirm": Route(
        get=officers_only(officer=405, admin=405),
        post=officers_write(),
        kwargs=_import,
        target=_import_target,
    ),
    "crm:import-cancel": Route(
        get=officers_only(officer=405, admin=405),
        post=officers_write(),
        kwargs=lambda w: {"pk": w.named["import_to_cancel"].pk},
        target=lambda w: w.named["import_to_cancel"],
    ),
    # Starts a failed or stuck preview again (the world's batch is neither: a redirect).
    "crm:import-retry": Route(
        get=officers_only(officer=405, admin=405),
        post=officers_write(),
        kwargs=_import,
        target=_import_target,
    ),
    "crm:import-refused": Route(get=officers_only(), kwargs=_import),
    # The counters the import page polls while a preview or an import runs (JSON).
    "crm:import-progress": Route(get=officers_only(), kwargs=_import),
    # Triage of applications (crm.intake.views.registration): officers only.
    "crm:triage-list": Route(get=officers_only()),
    "crm:triage-detail": Route(get=officers_only(), kwargs=_applicant("applicant")),
    "crm:triage-reconcile": Route(
        get=officers_only(),
        post=officers_write(),
        kwargs=_applicant("applicant_reconcile"),
        target=lambda w: Registration.objects.get(project=w.named["applicant_reconcile"]),
        post_data=lambda w: {"person": _lead_pk(w), "apply": "unchanged"},
    ),
    "crm:triage-accept": Route(
        get=everyone(405),
        post=officers_write(),
        kwargs=_applicant("applicant_accept"),
        target=_applicant_target("applicant_accept"),
        post_data=lambda w: {
            "accept-officer": w.users["officer"].pk,
            "accept-coach": w.users["owner"].pk,
            "accept-hours_allocated": "12,5",
            "accept-note": "Projet solide",
            "accept-version": str(_fresh(w.named["applicant_accept"]).version),
        },
    ),
    "crm:triage-redirect": Route(
        get=everyone(405),
        post=officers_write(),
        kwargs=_applicant("applicant_redirect"),
        target=_applicant_target("applicant_redirect"),
        post_data=lambda w: {
            "redirect-partner": w.named["partner"].pk,
            "redirect-reason": "La CRESS accompagne mieux les coopératives.",
            "redirect-version": str(_fresh(w.named["applicant_redirect"]).version),
        },
    ),
    "crm:triage-decline": Route(
        get=everyone(405),
        post=officers_write(),
        kwargs=_applicant("applicant_decline"),
        target=_applicant_target("applicant_decline"),
        post_data=lambda w: {
            "decline-exit_reason": "not_eligible",
            "decline-reason": "Hors territoire",
            "decline-version": str(_fresh(w.named["applicant_decline"]).version),
        },
    ),
    # Calls for projects (crm.intake.views.calls): officers run them, managers read them.
    "crm:call-list": Route(get=officers_only(manager=200)),
    "crm:call-create": Route(get=officers_only(), post=officers_write(), post_data=_call_data),
    "crm:call-detail": Route(get=officers_only(manager=200)),
    "crm:call-edit": Route(get=officers_only(), post=officers_write(), post_data=_call_edit_data),
    "crm:call-application-list": Route(get=officers_only(manager=200)),
    "crm:call-application-create": Route(
        get=officers_only(),
        post=officers_write(),
        post_data=lambda w: {"project": w.named["applicant"].pk, "amount_requested": "4000"},
    ),
    "crm:call-application-detail": Route(get=officers_only(manager=200), kwargs=_application),
    # The write pages answer a GET by sending back to the application.
    "crm:call-application-score": Route(
        get=officers_only(officer=302, admin=302),
        post=officers_write(),
        kwargs=_application,
        target=_application_target,
        post_data=_score_data,
    ),
    "crm:call-application-decide": Route(
        get=officers_only(officer=302, admin=302),
        post=officers_write(),
        kwargs=_application,
        target=_application_target,
        post_data=lambda w: {
            "decision": "winner",
            "amount_awarded": "4000",
            "version": _version(w, "crm.application"),
        },
    ),
    "crm:call-application-payments": Route(
        get=officers_only(officer=302, admin=302),
        post=officers_write(),
        kwargs=_application,
        target=_application_target,
        post_data=lambda w: {
            "first_payment_on": "2026-07-01",
            "version": _version(w, "crm.application"),
        },
    ),
    # No letter before the committee decides: readers are sent back to the application.
    "crm:call-application-letter": Route(
        get=officers_only(officer=302, admin=302, manager=302), kwargs=_application
    ),
    # Follow-ups (followups.urls)
    "followups:project-meetings": Route(get=ladder()),
    "followups:meeting-create": Route(
        get=ladder(manager=403), post=writers(), post_data=_meeting_data
    ),
    "followups:meeting-list": Route(get=signed_in(200)),
    "followups:meeting-detail": Route(get=ladder()),
    "followups:meeting-edit": Route(
        get=ladder(manager=403), post=writers(), post_data=_meeting_edit_data
    ),
    # Its author (the owner coach, within a day) and officers; the manager only reads.
    "followups:meeting-delete": Route(
        get=ladder(manager=403),
        post=writers(),
        kwargs=lambda w: {"pk": w.named["meeting_to_delete"].pk},
        target=lambda w: w.named["meeting_to_delete"],
    ),
    # Notes edited after the meeting: the owner coach on their project's non-internal notes
    # (internal ones are 404 for them: tests/followups/test_note_edit.py).
    "followups:note-create": Route(get=ladder(manager=403), post=writers(), post_data=_note_data),
    "followups:note-edit": Route(
        get=ladder(manager=403), post=writers(), kwargs=_note, post_data=_note_edit_data
    ),
    "followups:note-delete": Route(get=POST_ONLY, post=writers(), kwargs=_note),
    "followups:my-work": Route(get=signed_in(200)),
    "followups:action-done": Route(get=POST_ONLY, post=writers()),
    # Each user's own calendar secret.
    "followups:calendar-regenerate": Route(get=POST_ONLY, post=signed_in(302)),
    # No login: the secret token is the credential (here the owner coach's).
    "followups:calendar-feed": Route(
        get=everyone(200), kwargs=lambda w: {"token": w.get("followups.calendartoken").token}
    ),
    "followups:event-list": Route(get=signed_in(200)),
    "followups:event-create": Route(
        get=officers_only(), post=officers_write(), post_data=_event_data
    ),
    "followups:event-detail": Route(get=ladder()),
    "followups:event-edit": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_event_edit_data
    ),
    "followups:event-register": Route(
        get=POST_ONLY, post=officer_writes(), post_data=_event_register_data
    ),
    "followups:event-attendance": Route(
        get=POST_ONLY,
        post=officer_writes(),
        post_data=_attendance_data,
        target=lambda w: w.get("followups.attendance"),
    ),
    "followups:event-sheet": Route(get=ladder()),
    "followups:cohort-list": Route(get=signed_in(200)),
    "followups:cohort-create": Route(
        get=officers_only(), post=officers_write(), post_data=_cohort_data
    ),
    "followups:cohort-detail": Route(get=ladder()),
    "followups:cohort-edit": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_cohort_edit_data
    ),
    # Contracts: officers and managers all; a coach their employer's (the owner's).
    "followups:contract-list": Route(get=signed_in(200)),
    "followups:contract-create": Route(
        get=officers_only(), post=officers_write(), post_data=_contract_data
    ),
    "followups:contract-detail": Route(get=ladder()),
    # Ledger forms: officers only; the provider's coach and the manager read the contract
    # (403 on its forms), the outsider coach and no-role do not see it (404).
    "followups:contract-edit": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_contract_edit_data
    ),
    "followups:order-create": Route(
        get=ladder(owner=403, manager=403), post=officer_writes(), post_data=_order_data
    ),
    "followups:order-edit": Route(
        get=ladder(owner=403, manager=403),
        post=officer_writes(),
        kwargs=_order,
        post_data=_order_edit_data,
    ),
    "followups:order-statement": Route(get=ladder(), kwargs=_order),
    "followups:order-certify": Route(
        get=POST_ONLY,
        post=officer_writes(),
        kwargs=_order,
        post_data=lambda w: {"month": "2026-10"},
    ),
    # A confirmation page, then the revocation with a reason (officers only).
    "followups:certification-revoke": Route(
        get=ladder(owner=403, manager=403),
        post=officer_writes(),
        kwargs=lambda w: {"pk": w.get("followups.servicecertification").pk},
        target=lambda w: w.get("followups.servicecertification"),
        post_data=lambda w: {"reason": "Mois certifié sur le mauvais bon."},
    ),
    # Dashboard and activity report: every role (a coach's figures cover their projects);
    # accounts without a role are refused.
    "reports:dashboard": Route(get=signed_in(200, no_role=403)),
    "reports:bilan-xlsx": Route(get=signed_in(200, no_role=403)),
    "reports:bilan-pdf": Route(get=signed_in(200, no_role=403)),
    # --- tasks of their own (issue 18) ---
    # The actions list: everyone signed in, each sees the steps of the projects they see.
    "followups:action-list": Route(get=signed_in(200)),
    # A step from "Mon travail": the form lists only visible projects (the outsider and an
    # account without a role get the form back), a manager is refused by the service.
    "followups:action-create": Route(
        get=signed_in(200),
        post=signed_in(302, manager=403, outsider=200, no_role=200),
        post_data=lambda w: {
            "project": w.project.pk,
            "title": "Relancer la mairie",
            "owner": w.users["officer"].pk,
            "due_on": "2027-01-15",
        },
    ),
    "followups:project-action-create": Route(
        get=ladder(manager=403),
        post=writers(),
        post_data=lambda w: {
            "title": "Relancer la mairie",
            "owner": w.users["officer"].pk,
            "due_on": "2027-01-15",
        },
    ),
    "followups:action-postpone": Route(
        get=ladder(manager=403),
        post=writers(),
        post_data=lambda w: {
            "due_on": "2027-06-01",
            "reason": "La banque répond en juin.",
            "version": _fresh(w.get("followups.action")).version,
        },
    ),
    "followups:action-reassign": Route(
        get=ladder(manager=403),
        post=writers(),
        post_data=lambda w: {
            "owner": w.users["officer"].pk,
            "version": _fresh(w.get("followups.action")).version,
        },
    ),
    # Undo "done" (the walk's action is done by then: action-done comes first).
    "followups:action-reopen": Route(get=POST_ONLY, post=writers()),
    # Bulk "done": ids the user may not change are ignored, never revealed.
    "followups:actions-done": Route(
        get=POST_ONLY,
        post=signed_in(302),
        post_data=lambda w: {"actions": [w.get("followups.action").pk]},
    ),
    # --- e-mails to entrepreneurs (issue 18) ---
    # The templates are the officers'.
    "followups:message-template-list": Route(get=officers_only()),
    "followups:message-template-create": Route(
        get=officers_only(),
        post=officers_write(),
        post_data=lambda w: {
            "name": "Bienvenue",
            "subject": "Bienvenue {{ personne.prenom }}",
            "body": "Votre projet {{ projet.nom }} est suivi par {{ projet.accompagnateur }}.",
        },
    ),
    "followups:message-template-edit": Route(
        get=officers_only(),
        post=officers_write(),
        kwargs=lambda w: {"pk": w.get("followups.messagetemplate").pk},
        target=lambda w: w.get("followups.messagetemplate"),
        post_data=lambda w: {
            "name": "Relance du walk",
            "subject": "Votre projet {{ projet.nom }}",
            "body": "Bonjour {{ personne.prenom }}, où en êtes-vous ?",
            "version": _fresh(w.get("followups.messagetemplate")).version,
        },
    ),
    # Writing to a project's entrepreneur: whoever may change the project.
    "followups:project-message": Route(
        get=ladder(manager=403),
        post=writers(),
        post_data=lambda w: {
            "person": w.get("contacts.person").pk,
            "subject": "Votre projet {{ projet.nom }}",
            "body": "Bonjour {{ personne.prenom }},",
        },
    ),
    # From the person's page: officers and the coach of one of their projects.
    "followups:person-message": Route(
        get=ladder(manager=403),
        post=writers(),
        post_data=lambda w: {"subject": "Votre dossier", "body": "Bonjour {{ personne.prenom }},"},
    ),
    # --- outcomes ---
    # A project's outcome measures: whoever sees the project reads them; officers and the
    # project's coach record one (each POST on its own day: one measure per project and day).
    "crm:measure-list": Route(get=ladder(), kwargs=_project),
    "crm:measure-create": Route(
        get=ladder(manager=403), post=writers(), kwargs=_project, post_data=_measure_data
    ),
    # Grants as money (crm.intake.views.grants): officers write, managers read the schedule.
    "crm:call-application-convention": Route(
        get=officers_only(officer=302, admin=302),
        post=officers_write(),
        kwargs=_application,
        target=_application_target,
        post_data=lambda w: {
            "convention_number": "CONV-2026-01",
            "version": _version(w, "crm.application"),
        },
    ),
    "crm:grant-instalment-create": Route(
        get=everyone(405),
        post=officers_write(),
        kwargs=_application,
        post_data=lambda w: {"amount": "500", "due_on": "2026-10-01"},
    ),
    "crm:grant-instalment-pay": Route(
        get=everyone(405),
        post=officers_write(),
        kwargs=lambda w: {"pk": w.get("crm.grantinstalment").pk},
        target=lambda w: w.get("crm.grantinstalment"),
        post_data=lambda w: {f"pay{w.get('crm.grantinstalment').pk}-paid_on": "2026-09-02"},
    ),
    "crm:payment-schedule": Route(get=officers_only(manager=200)),
    # The follow-up campaign (followups.campaigns): every role reads the pending measures
    # of its projects; officers and the project's coach record one (302 to "Mon travail").
    "followups:campaign-list": Route(get=signed_in(200, no_role=403)),
    "followups:campaign-measure": Route(
        get=ladder(manager=403),
        post=writers(),
        kwargs=lambda w: {"project_pk": w.project.pk, "kind": "one_year"},
        post_data=lambda w: {"measured_on": _measure_data(w)["measured_on"]},
    ),
    # The ESF+ participant answers (sensitive): officers and the project's coach only.
    "crm:project-esf": Route(
        get=ladder(manager=403), post=writers(), kwargs=_project, post_data=_esf_data
    ),
    # --- API (issue 24) ---
    # Scoped like the pages: lists filtered by visible_to(user), another coach's object 404;
    # without credentials 401 (an API answers rather than redirecting to the login page).
    "api:api-root": Route(get=api_reads()),
    "api:schema": Route(get=everyone(200)),
    "api:docs": Route(get=everyone(200)),
    "api:open-data-projects": Route(get=everyone(404)),  # API_OPEN_DATA is off by default
    "api:project-list": Route(get=api_reads()),
    "api:project-detail": Route(get=api_ladder()),
    "api:project-stage": Route(
        get=api_reads(405, no_role=405),
        post=api_ladder(manager=403),
        post_data=_stage_move_data,
        target=lambda world: world.project,
    ),
    "api:stagechange-list": Route(get=api_reads()),
    "api:stagechange-detail": Route(get=api_ladder()),
    "api:person-list": Route(get=api_reads()),
    "api:person-detail": Route(get=api_ladder()),
    "api:organisation-list": Route(get=api_reads()),
    "api:organisation-detail": Route(get=api_ladder()),
    "api:meeting-list": Route(
        get=api_reads(),
        # The owner's project reads as unknown to those who may not see it (400).
        post=api_reads(201, manager=403, outsider=400, no_role=400),
        post_data=_api_meeting_data,
    ),
    "api:meeting-detail": Route(get=api_ladder()),
    "api:action-list": Route(
        get=api_reads(),
        post=api_reads(201, manager=403, outsider=400, no_role=400),
        post_data=_api_action_data,
    ),
    "api:action-detail": Route(get=api_ladder()),
    "api:event-list": Route(get=api_reads()),
    "api:event-detail": Route(get=api_ladder()),
    "api:attendance-list": Route(get=api_reads()),
    "api:attendance-detail": Route(get=api_ladder()),
    # Calls and applications: officers and managers only, as on the call pages.
    "api:application-list": Route(get=api_reads()),
    "api:application-detail": Route(get=api_ladder(owner=404)),
    "api:projectmeasure-list": Route(get=api_reads()),
    "api:projectmeasure-detail": Route(get=api_ladder()),
    "api:token-list": Route(get=signed_in(200, no_role=403)),
    "api:token-revoke": Route(
        get=POST_ONLY,
        post=signed_in(404, owner=302),
        kwargs=lambda world: {"pk": world.named["api_token"].pk},
        target=lambda world: world.named["api_token"],
    ),
    # --- ops (issue 25): the load balancers' probe, no login ---
    "healthz": Route(get=outcomes(200, entrepreneur=200)),
    # --- global search (issue 18) ---
    # Every role; each finds what it may see. "walk" is in the text of the world's three
    # notes: the internal-notes walk reads the search's hits too.
    "search:results": Route(get=signed_in(200, no_role=403), query="q=walk"),
    # --- imports (issue 21) ---
    # Undoes a confirmed import (the world's batch is a preview: a redirect, nothing done).
    "crm:import-undo": Route(
        get=officers_only(officer=405, admin=405),
        post=officers_write(),
        kwargs=_import,
        target=_import_target,
    ),
    # The decisions on the corrections a preview offers, then the preview again.
    "crm:import-fixes": Route(
        get=officers_only(officer=405, admin=405),
        post=officers_write(),
        kwargs=_import,
        target=_import_target,
    ),
    # --- letters: branding, letter templates, a call's letters (issue 18) ---
    "branding:edit": Route(
        get=officers_only(),
        post=officers_write(),
        post_data=_branding_data,
        target=lambda w: w.get("crm.branding"),
    ),
    # Public like the letterhead itself (the login page shows it); the walk's has no logo.
    # The same for the colour's stylesheet (the walk's letterhead has no colour).
    "branding:colours": Route(get=everyone(404), post=everyone(405)),
    "branding:logo": Route(get=everyone(404), post=outcomes(405, entrepreneur=405)),
    "crm:letter-template-list": Route(get=officers_only(), post=officers_only()),
    "crm:letter-template-edit": Route(
        get=officers_only(),
        kwargs=lambda w: {"pk": w.get("crm.lettertemplate").pk},
        post=officers_write(),
        post_data=_letter_template_data,
        target=lambda w: w.get("crm.lettertemplate"),
    ),
    # The walk's application is pending: officers are sent back to the call (nothing to
    # generate or send); managers read calls but do not run them.
    "crm:call-letters-zip": Route(get=officers_only(refused=403, officer=302, admin=302)),
    "crm:call-letters-send": Route(
        get=officers_only(officer=405, admin=405), post=officers_write()
    ),
    # --- documents (issue 20) ---
    # Lists scope by visible_to (a coach their projects' shared documents, no role nothing).
    "documents:list": Route(get=signed_in(200)),
    # A record's documents tab and upload: the project and one of its meetings; officers
    # and the owner coach upload, the manager reads only.
    "documents:record": Route(
        get=ladder(),
        post=writers(),
        kwargs=lambda w: [
            {"kind": "project", "pk": w.project.pk},
            {"kind": "meeting", "pk": w.get("followups.meeting").pk},
        ],
        post_data=_document_upload_data,
    ),
    "documents:detail": Route(get=ladder(), kwargs=_document),
    "documents:version-add": Route(
        get=POST_ONLY, post=writers(), kwargs=_document, post_data=_document_version_data
    ),
    "documents:delete": Route(
        get=POST_ONLY,
        post=officer_writes(),
        kwargs=lambda w: {"pk": w.named["document_to_delete"].pk},
    ),
    "documents:download": Route(
        get=ladder(), kwargs=lambda w: {"pk": w.get("documents.documentversion").pk}
    ),
    "documents:categories": Route(
        get=officers_only(), post=officers_write(), post_data=lambda w: {"name": "Bilan"}
    ),
    "documents:category-toggle": Route(
        get=POST_ONLY,
        post=officers_write(),
        kwargs=lambda w: {"pk": w.get("documents.documentcategory").pk},
        target=lambda w: w.get("documents.documentcategory"),
    ),
}

# Admin rule: staff only. Anyone else (anonymous or signed in) is redirected to log in,
# for GET and POST alike. Staff get 200 except on the routes below.
ADMIN_STAFF_EXCEPTIONS: dict[str, object] = {
    "admin:login": LOGIN,  # the admin logs in through the CRM's login page
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # needs its query parameters
    "admin:view_on_site": 302,  # to the project's page in the CRM
    # Read-only in the admin: written by the CRM or by django-axes only.
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:crm_accessevent_add": 403,
    "admin:crm_accessevent_delete": 403,  # pruned by purge_access_log only
    "admin:crm_stagechange_add": 403,  # moves are made by crm.projects.services.project_move
    "admin:contacts_mergerecord_add": 403,  # written by contacts.services' merges
    # Written by contacts.gdpr (erasure, retention, archives) only.
    "admin:contacts_erasure_add": 403,
    "admin:contacts_erasure_delete": 403,
    "admin:contacts_retentionextension_add": 403,
    "admin:contacts_retentionextension_delete": 403,
    "admin:contacts_eliminationlist_add": 403,
    "admin:contacts_eliminationlist_delete": 403,
    # Written by followups.services (meeting_log, attendance, service_certify).
    "admin:followups_meeting_add": 403,
    "admin:followups_event_add": 403,
    "admin:followups_servicecertification_add": 403,
}
# Admin routes reachable without being staff (Django's own behaviour).
ADMIN_PUBLIC: dict[str, object] = {
    "admin:login": LOGIN,
    "admin:logout": 302,  # to the admin index, which asks to log in
}

# The entrepreneur space (issue 23), declared in its own module.
from tests.security.access_portal import PORTAL_ROUTES  # noqa: E402

ROUTES.update(PORTAL_ROUTES)
