"""Import of the office's follow-up spreadsheet: one row creates or updates a project, its
lead entrepreneur and its organisation together (django-import-export resource).

Natural keys make a re-import idempotent: a person by email (ignoring case and spaces),
an organisation by SIRET or else name + commune, a project by name + lead entrepreneur.
The columns are in project_columns.py; what the rows queue is written per chunk by
project_writer.py.
"""

import copy

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources

from contacts.models import Organisation, Person
from contacts.validators import normalize_phone
from crm.core import stored_text
from crm.core.constraints import constraint_errors
from crm.core.stored_text import app_text
from crm.importing.preview import RowWarnings, Samples
from crm.importing.resources.project_writer import ProjectChunkWriter, stored_values
from crm.importing.undo import Journal
from crm.importing.values import (
    CommuneIndex,
    FrenchValueWidget,
    clean_email,
    fold,
    for_field,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_legal_form,
    parse_sector,
    parse_stage,
    warn_siret_name,
)
from crm.models import ExitReason, Project, ProjectMeasure, ProjectMember, StageChange, Status

# Foreign keys: full_clean would check each one with a query per row.
RELATIONS = {
    model: [f.name for f in model._meta.concrete_fields if f.is_relation]
    for model in (Person, Organisation, Project)
}

# What decides that a row leaves its project unchanged.
COMPARED = (
    "name",
    "sector",
    "stage",
    "entry_date",
    "hours_allocated",
    "in_qpv",
    "commune_id",
    "summary",
    "organisation_id",
)

PERSON_KEYS = {
    "lead_first_name": "first_name",
    "lead_last_name": "last_name",
    "lead_email": "email",
    "lead_phone": "phone",
}


def accent_hint(email: str) -> str:
    """Suggest the address without accents, the usual typo in these files."""
    if email.isascii():
        return ""
    suggestion = fold(email.replace("@", " at ").replace(".", " dot "))
    suggestion = suggestion.replace(" dot ", ".").replace(" at ", "@")
    return suggestion if suggestion != email else ""


def imported_move_check(project: Project) -> str:
    """The exit reason an import keeps when it moves `project` to another stage: the rule
    of project_move (an exited project needs a reason, other statuses keep none)."""
    if project.status == Status.EXITED:
        if project.exit_reason not in ExitReason.values:
            raise ValidationError({"exit_reason": _("Indiquez le motif de sortie du projet.")})
        return project.exit_reason
    return ""


class ProjectRowResource(ProjectChunkWriter, RowWarnings, resources.ModelResource):
    """Rows keyed by PROJECT_FIELDS keys (the reader has already mapped the headers)."""

    name = fields.Field(attribute="name", column_name="project_name")
    sector = fields.Field(
        attribute="sector", column_name="sector", widget=FrenchValueWidget(parse_sector)
    )
    stage = fields.Field(
        attribute="stage", column_name="stage", widget=FrenchValueWidget(parse_stage)
    )
    entry_date = fields.Field(
        attribute="entry_date", column_name="entry_date", widget=FrenchValueWidget(parse_date)
    )
    hours_allocated = fields.Field(
        attribute="hours_allocated",
        column_name="hours_allocated",
        widget=FrenchValueWidget(parse_decimal),
    )
    in_qpv = fields.Field(
        attribute="in_qpv", column_name="project_in_qpv", widget=FrenchValueWidget(parse_bool)
    )

    class Meta:
        model = Project
        fields = ("name", "sector", "stage", "entry_date", "hours_allocated", "in_qpv")
        import_id_fields = ()
        clean_model_instances = False  # validate_instance below does it, once
        skip_diff = True
        use_transactions = True
        # Rows are queued by save_instance and written per chunk by after_import (no
        # savepoint per row); django-import-export's own bulk lists stay empty.
        use_bulk = True

    def __init__(self, *, by, mode="update", update_lines=None):
        super().__init__()
        self.by = by
        self.mode = mode  # "update", "keep", or "review" (update only `update_lines`)
        self.update_lines = set(update_lines or ())
        self.communes = CommuneIndex()
        self.counter = 0
        self.stored: dict = {}
        self.samples = Samples()
        self.journal = Journal()
        self.reset_chunk()

    # -- per chunk: the natural keys of the chunk's rows, in a few queries -------------

    def before_import(self, dataset, **kwargs):
        """Look up the people, organisations and lead memberships the chunk's rows may
        match (five queries per chunk instead of four per row). Rows written later in the
        same import are added to these dictionaries by save_instance."""
        self.reset_chunk()
        rows = [dict(zip(dataset.headers, values, strict=False)) for values in dataset]
        emails = {clean_email(row.get("lead_email")) for row in rows} - {""}
        names = {
            (
                " ".join(str(row.get("lead_first_name") or "").split()).lower(),
                " ".join(str(row.get("lead_last_name") or "").split()).lower(),
            )
            for row in rows
            if not clean_email(row.get("lead_email"))
        }
        self.people_by_email: dict[str, Person] = {}
        self.people_by_name: dict[tuple[str, str], Person] = {}
        for person in Person.objects.alias(email_lower=Lower("email")).filter(
            email_lower__in=emails
        ):
            self.people_by_email[person.email.lower()] = person
        if names:
            last_names = {last for _first, last in names}
            for person in (
                Person.objects.alias(last_lower=Lower("last_name"))
                .filter(last_lower__in=last_names)
                .order_by("-pk")
            ):
                key = (person.first_name.lower(), person.last_name.lower())
                self.people_by_name[key] = person  # the lowest pk wins, as .first() did
        sirets = {"".join(str(row.get("organisation_siret") or "").split()) for row in rows}
        org_names = {
            " ".join(str(row.get("organisation_name") or "").split()).lower() for row in rows
        }
        self.orgs_by_siret = {
            o.siret: o for o in Organisation.objects.filter(siret__in=sirets - {""})
        }
        self.orgs_by_name: dict[tuple[str, int | None], list[Organisation]] = {}
        for organisation in (
            Organisation.objects.alias(name_lower=Lower("name"))
            .filter(name_lower__in=org_names - {""})
            .order_by("pk")
        ):
            key = (organisation.name.lower(), organisation.commune_id)
            self.orgs_by_name.setdefault(key, []).append(organisation)
        people = [p.pk for p in self.people_by_email.values()] + [
            p.pk for p in self.people_by_name.values()
        ]
        self.projects_by_lead: dict[tuple[int, str], Project] = {}
        for member in (
            ProjectMember.objects.filter(person__in=people, is_lead=True)
            .select_related("project")
            .order_by("-project_id")
        ):
            key = (member.person_id, member.project.name.strip().lower())
            self.projects_by_lead[key] = member.project  # the lowest project id wins
        # What each record held when read, to send only the columns a row changes.
        self.stored = {
            (type(record), record.pk): stored_values(record)
            for record in [
                *self.people_by_email.values(),
                *self.people_by_name.values(),
                *self.orgs_by_siret.values(),
                *(o for same_name in self.orgs_by_name.values() for o in same_name),
                *self.projects_by_lead.values(),
            ]
        }

    # -- reading the row ---------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        """Resolve the lead and the organisation; collect every error of the row."""
        errors: dict[str, list[str]] = {}
        self.row_context = context = {"errors": errors, "line": row.get("__line__")}

        def fail(key, message):
            errors.setdefault(key, []).append(str(message))

        def parsed(key, parser):
            try:
                return parser(row.get(key))
            except ValidationError as error:
                fail(key, error.messages[0])
                return None

        context["commune"] = parsed("commune", self.communes.find)
        context["notes"] = str(row.get("notes") or "").strip()
        context["grant"] = parsed(
            "grant_amount", for_field(parse_decimal, ProjectMeasure, "funds_grant")
        )
        if not str(row.get("project_name") or "").strip():
            fail("project_name", _("le nom du projet est obligatoire"))

        # The lead entrepreneur, found by email (ignoring case and spaces).
        values = {
            model_key: " ".join(str(row.get(key) or "").split())
            for key, model_key in PERSON_KEYS.items()
        }
        values["email"] = values["email"].replace(" ", "").lower()
        # Compare as stored: "06 12 34 56 78" in the file is "+33612345678" in the database.
        values["phone"] = normalize_phone(values["phone"])
        lives_in_qpv = parsed("lead_lives_in_qpv", parse_bool)
        if values["email"]:
            person = self.people_by_email.get(values["email"])
        else:
            person = self.people_by_name.get(
                (values["first_name"].lower(), values["last_name"].lower())
            )
        # A copy: a refused row must not leave its values on the record of a later row.
        person = copy.copy(person) if person else None
        context["person_changed"] = person is None
        if person is None:
            person = Person()
        for attribute, value in values.items():
            if value and getattr(person, attribute) != value:
                if attribute == "last_name" and fold(value) == fold(person.last_name):
                    continue  # "TRAORÉ" in the file, "Traoré" stored: the same name
                setattr(person, attribute, value)
                context["person_changed"] = True
        if lives_in_qpv is not None and person.lives_in_qpv != lives_in_qpv:
            person.lives_in_qpv = lives_in_qpv
            context["person_changed"] = True
        if person.last_name.isupper() and len(person.last_name) > 2:
            person.last_name = person.last_name.title()
        try:
            # Field and model validation; the database constraints stay the last guard
            # (checking each CheckConstraint by query costs more than the whole row).
            # Field validation only: the row was matched by its email, so no other person
            # can hold that address (Person.clean would ask the database once per row).
            person.clean_fields(exclude=RELATIONS[Person])
            constraint_errors(person, exclude=errors)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                key = next((k for k, v in PERSON_KEYS.items() if v == field_name), "lead_email")
                for message in messages:
                    if field_name == "email" and (hint := accent_hint(values["email"])):
                        message = _("%(message)s (sans accents : « %(hint)s » ?)") % {
                            "message": message,
                            "hint": hint,
                        }
                    fail(key, message)
        context["person"] = person

        # The organisation, by SIRET, else by name + commune.
        name = " ".join(str(row.get("organisation_name") or "").split())
        siret = "".join(str(row.get("organisation_siret") or "").split())
        legal_form = parsed("organisation_legal_form", parse_legal_form)
        organisation = None
        if name or siret:
            if siret:
                organisation = self.orgs_by_siret.get(siret)
                if organisation is not None and name:
                    key = "organisation_name"
                    warn_siret_name(self.warn, key, siret, organisation, name, replaced=False)
            if organisation is None and name:
                commune = context["commune"]
                same_name = self.orgs_by_name.get(
                    (name.lower(), commune.pk if commune else None), []
                )
                if siret:
                    # Another SIRET under the same name is another structure.
                    same_name = [o for o in same_name if not o.siret]
                organisation = same_name[0] if same_name else None
            organisation = copy.copy(organisation) if organisation else None
            context["organisation_changed"] = organisation is None
            if organisation is None:
                organisation = Organisation(name=name or siret, commune=context["commune"])
            stored = organisation.pk is not None or hasattr(organisation, "_import_key")
            matched_by_name = stored and organisation.siret != siret
            for attribute, value in (("siret", siret), ("legal_form", legal_form)):
                # Matched by name only, the row may describe another establishment of the
                # same structure: it fills blanks but does not overwrite identifiers.
                if matched_by_name and getattr(organisation, attribute):
                    continue
                if value and getattr(organisation, attribute) != value:
                    setattr(organisation, attribute, value)
                    context["organisation_changed"] = True
            try:
                organisation.full_clean(
                    exclude=RELATIONS[Organisation],
                    validate_unique=False,
                    validate_constraints=False,
                )
                constraint_errors(organisation)
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    key = {"legal_form": "organisation_legal_form", "name": "organisation_name"}
                    for message in messages:
                        fail(key.get(field_name, "organisation_siret"), message)
        context["organisation"] = organisation

    def get_instance(self, instance_loader, row):
        """A project is the same when its name (ignoring case) and its lead match."""
        person = self.row_context["person"]
        lead_key = person.pk if person.pk is not None else getattr(person, "_import_key", None)
        if lead_key is None:
            return None
        project = self.projects_by_lead.get(
            (lead_key, str(row.get("project_name") or "").strip().lower())
        )
        if project is None:
            return None
        self.row_context["stored"] = {f: getattr(project, f) for f in COMPARED}
        return copy.copy(project)

    def import_instance(self, instance, row, **kwargs):
        pending = instance.pk is not None or hasattr(instance, "_import_key")
        self.row_context["original_stage"] = instance.stage if pending else None
        super().import_instance(instance, row, **kwargs)
        instance.commune = self.row_context["commune"]
        if self.row_context["notes"] and not instance.summary:
            instance.summary = self.row_context["notes"]
        if instance.hours_allocated is None:
            instance.hours_allocated = 0
        if not instance.stage:
            instance.stage = Project._meta.get_field("stage").default

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for key, messages in self.row_context["errors"].items():
            errors.setdefault(key, []).extend(messages)
        try:
            # Related records come from this import's lookups: not checked again one by one.
            exclude = [*RELATIONS[Project], *(["name"] if "project_name" in errors else [])]
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        try:
            # The database's CHECKs, in memory: a row breaking one is refused, not written.
            constraint_errors(instance, exclude=[*errors, *RELATIONS[Project]])
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    # -- deciding and writing ----------------------------------------------------------

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or self.row_context["errors"]:
            return False
        if instance.pk is None and not hasattr(instance, "_import_key"):
            return False  # a new project (one queued earlier in the chunk counts as stored)
        if self.mode == "keep":
            return True
        if self.mode == "review" and self.row_context["line"] not in self.update_lines:
            return True
        stored = self.row_context["stored"]
        unchanged = all(
            stored[f] == getattr(instance, f) for f in COMPARED if f != "organisation_id"
        )
        organisation = self.row_context["organisation"]
        unchanged = unchanged and stored["organisation_id"] == (
            organisation.pk if organisation else stored["organisation_id"]
        )
        return (
            unchanged
            and not self.row_context["person_changed"]
            and not self.row_context.get("organisation_changed")
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        """Queue the row's writes for the chunk's bulk write (after_import).

        Rows of the same chunk that name the same person, organisation or project share
        one in-memory record (`_canonical`), so later rows find, and update, what earlier
        rows queued, as they found what they wrote when rows were written one by one."""
        context = self.row_context
        pending = instance.pk is not None or hasattr(instance, "_import_key")
        previous_stage = context["original_stage"]
        moved = pending and previous_stage and previous_stage != instance.stage
        if moved:
            # Refused like project_move refuses it, before anything of the row is queued.
            instance.exit_reason = imported_move_check(instance)
        person = self._canonical(context["person"], self.chunk_people)
        organisation = context["organisation"]
        if organisation is not None:
            organisation = self._canonical(organisation, self.chunk_orgs)
        if pending:
            # An edit form opened before the import must see that the record changed.
            instance.version += 1
        project = self._canonical(instance, self.chunk_projects)
        plan = self.plans.get(project._import_key)
        if plan is None:
            plan = self.plans[project._import_key] = {
                "project": project,
                "new": project.pk is None,
                "lead": person,
                "organisation": None,
                "changes": [],
                "grants": {},
            }
            if project.pk is None:
                project.status = project.status or Status.APPLICANT
                plan["changes"].append(
                    StageChange(
                        at=timezone.now(),
                        by=self.by,
                        to_stage=project.stage,
                        to_status=project.status,
                        note=app_text(stored_text.IMPORT_CREATED),
                    )
                )
        if organisation is not None:
            plan["organisation"] = organisation
            self.founders.append((person, organisation))
        # One history line per save the row made, with the values of that moment.
        self._snapshot(person)
        if organisation is not None:
            self._snapshot(organisation)
        if moved:
            # Saved at its previous stage first, then moved: two history lines.
            before = copy.copy(project)
            before.stage = previous_stage
            self.snapshots.append((before, project, plan))
            plan["changes"].append(
                StageChange(
                    at=timezone.now(),
                    by=self.by,
                    from_stage=previous_stage,
                    to_stage=project.stage,
                    from_status=project.status,
                    to_status=project.status,
                    exit_reason=project.exit_reason,
                    note=app_text(stored_text.IMPORT_STAGE),
                )
            )
            if project.status in (Status.EXITED, Status.COMPLETED) and not project.exit_date:
                project.exit_date = timezone.localdate()
        self._snapshot(project, plan)
        self._sample(project, person, organisation, pending)
        if context["grant"]:
            measured_on = project.entry_date or timezone.localdate()
            plan["grants"][measured_on] = context["grant"]
        # Later rows of the same chunk find what this row queued.
        if person.email:
            self.people_by_email[person.email.lower()] = person
        else:
            self.people_by_name[(person.first_name.lower(), person.last_name.lower())] = person
        if organisation is not None:
            if organisation.siret:
                self.orgs_by_siret[organisation.siret] = organisation
            key = (organisation.name.lower(), organisation.commune_id)
            same_name = self.orgs_by_name.setdefault(key, [])
            if not any(o is organisation for o in same_name):
                same_name.append(organisation)
        lead_key = person.pk if person.pk is not None else person._import_key
        self.projects_by_lead[(lead_key, project.name.strip().lower())] = project

    def after_import(self, dataset, result, **kwargs):
        self.write_chunk()
        super().after_import(dataset, result, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        pass
