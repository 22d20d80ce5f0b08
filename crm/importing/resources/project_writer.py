"""The projects import's per-chunk bulk writer: the queued records and their history lines."""

import copy
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import Organisation, Person, PersonOrganisation, PersonRole
from crm.models import (
    Application,
    Call,
    CommitteeDecision,
    MeasureKind,
    Project,
    ProjectMeasure,
    ProjectMember,
    StageChange,
)

# What an award from the import writes on an application.
AWARD_FIELDS = ("decision", "amount_awarded", "amount_requested", "decided_at", "decided_by_id")

# What the preview shows of each record a row writes.
PREVIEW_FIELDS = {
    Project: ["name", "sector", "stage", "entry_date", "hours_allocated", "in_qpv", "commune_id"],
    Person: ["first_name", "last_name", "email", "phone", "lives_in_qpv"],
    Organisation: ["name", "siret", "legal_form"],
}


def stored_values(record) -> tuple:
    """A record's columns as read, what _bulk_save compares with to send only the changes."""
    return tuple(getattr(record, f.attname) for f in type(record)._meta.concrete_fields)


def _bulk_save(model, records, now, stored, journal) -> None:
    """Create the new records and update the others (their history lines are written
    apart, one per row that saved them, as when rows were saved one by one).

    A stored record gets a new `updated_at`, as save() gave it; only the columns that
    differ from what was read (`stored`) are sent, since an UPDATE of every column of
    hundreds of rows costs far more to build than the rows' reading."""
    new = [r for r in records if r.pk is None]
    old = [r for r in records if r.pk is not None]
    model.objects.bulk_create(new)
    journal.add_created(model, new)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    changed_records, changed_fields = [], set()
    for record in old:
        record.updated_at = now
        before = stored.get((model, record.pk))
        changed = {
            f.name
            for f, value in zip(model._meta.concrete_fields, before or (), strict=False)
            if not f.primary_key and getattr(record, f.attname) != value
        }
        if before is None:
            changed = {f.name for f in fields if f.name != "created_at"}
        changed.discard("updated_at")
        if changed:
            changed_records.append(record)
            changed_fields |= changed
            if before is not None:
                attnames = [f.attname for f in model._meta.concrete_fields]
                values = dict(zip(attnames, before, strict=False))
                names = {model._meta.get_field(n).attname for n in changed}
                journal.add_updated(record, {a: values[a] for a in names})
    if changed_records:
        model.objects.bulk_update(changed_records, [*sorted(changed_fields), "updated_at"])
    changed_pks = {r.pk for r in changed_records}
    untouched = [r.pk for r in old if r.pk not in changed_pks]
    if untouched:
        model.objects.filter(pk__in=untouched).update(updated_at=now)


class ProjectChunkWriter:
    """What ProjectRowResource queues row by row (one in-memory record per person,
    organisation and project of the chunk, with a snapshot per save) and writes in bulk at
    the end of the chunk."""

    def _snapshot(self, record, plan=None) -> None:
        snapshot = copy.copy(record)
        if hasattr(snapshot, "normalize"):
            snapshot.normalize()
        self.snapshots.append((snapshot, record, plan))

    def _sample(self, project, person, organisation, pending) -> None:
        """The row's project, lead and organisation for the preview: as they will be
        stored if new, the fields that change if stored already."""
        if not self.samples.wanted(not pending):
            return
        line = self.row_context["line"]
        for record, part in (
            (project, _("Projet")),
            (person, _("Porteur·se")),
            (organisation, _("Structure")),
        ):
            if record is None:
                continue
            model = type(record)
            stored = self.stored.get((model, record.pk)) if record.pk is not None else None
            before = None
            if stored is not None:
                attnames = [f.attname for f in model._meta.concrete_fields]
                before = dict(zip(attnames, stored, strict=False))
            elif model is Project and pending:
                before = self.row_context.get("stored")
            self.samples.add(
                line,
                record,
                PREVIEW_FIELDS[model],
                before,
                is_create=before is None and record.pk is None,
                part=part,
            )
        self.samples.add_done(not pending)

    def _canonical(self, obj, registry):
        """The one in-memory record of the chunk for `obj` (a copy taken by a row)."""
        key = obj.pk if obj.pk is not None else getattr(obj, "_import_key", None)
        if key is None:
            self.counter += 1
            key = ("new", self.counter)
        obj._import_key = key
        canonical = registry.get(key)
        if canonical is None:
            registry[key] = obj
            if obj.pk is None:
                self.created.add((type(obj), key))
            return obj
        if canonical is not obj:
            canonical.__dict__.update({k: v for k, v in obj.__dict__.items() if k != "_state"})
        return canonical

    def write_chunk(self) -> None:
        """Write the chunk's queued rows: a fixed number of bulk queries per chunk."""
        now = timezone.now()
        for model, registry in ((Person, self.chunk_people), (Organisation, self.chunk_orgs)):
            records = list(registry.values())
            for record in records:
                record.normalize()
            _bulk_save(model, records, now, self.stored, self.journal)
        plans = list(self.plans.values())
        for plan in plans:
            project = plan["project"]
            if plan["organisation"] is not None:
                project.organisation = plan["organisation"]
        _bulk_save(Project, [plan["project"] for plan in plans], now, self.stored, self.journal)
        self.write_history()

        members = ProjectMember.objects.bulk_create(
            [
                ProjectMember(project=plan["project"], person=plan["lead"], is_lead=True)
                for plan in plans
                if plan["new"]
            ]
        )
        self.journal.add_created(ProjectMember, members)
        # The lead of a project carried by a structure is one of its founders, unless the
        # person already has a role there.
        pairs = {(person.pk, organisation.pk) for person, organisation in self.founders}
        if pairs:
            existing = set(
                PersonOrganisation.objects.filter(
                    person_id__in={p for p, _o in pairs},
                    organisation_id__in={o for _p, o in pairs},
                ).values_list("person_id", "organisation_id")
            )
            founders = PersonOrganisation.objects.bulk_create(
                [
                    PersonOrganisation(person_id=p, organisation_id=o, role=PersonRole.FOUNDER)
                    for p, o in sorted(pairs - existing)
                ]
            )
            self.journal.add_created(PersonOrganisation, founders)
        changes = []
        for plan in plans:
            for change in plan["changes"]:
                change.project = plan["project"]
                changes.append(change)
        self.journal.add_created(StageChange, StageChange.objects.bulk_create(changes))

        grants = {
            (plan["project"].pk, measured_on): amount
            for plan in plans
            for measured_on, amount in plan["grants"].items()
        }
        if grants:
            stored = {
                (m.project_id, m.measured_on): m
                for m in ProjectMeasure.objects.filter(
                    project_id__in={p for p, _d in grants},
                    measured_on__in={d for _p, d in grants},
                )
            }
            created, updated, befores = [], [], {}
            for (project_id, measured_on), amount in grants.items():
                measure = stored.get((project_id, measured_on))
                if measure is None:
                    measure = ProjectMeasure(project_id=project_id, measured_on=measured_on)
                    created.append(measure)
                else:
                    updated.append(measure)
                    befores[measure.pk] = {"kind": measure.kind, "funds_grant": measure.funds_grant}
                measure.kind = MeasureKind.AT_ENTRY
                measure.funds_grant = amount
            ProjectMeasure.objects.bulk_create(created)
            self.journal.add_created(ProjectMeasure, created)
            ProjectMeasure.objects.bulk_update(updated, ["kind", "funds_grant"])
            for measure in updated:
                self.journal.add_updated(measure, befores[measure.pk])
            self.write_awards(grants)
        self.reset_chunk()

    def write_awards(self, grants: dict) -> None:
        """ "Montant subvention" is an award: the project wins the call of the year of its
        entry (that year's edition, created empty when the office has not entered it yet,
        so that no amount is lost), for that amount. An application to that call already
        stored gets the amount and the winning decision; a few queries per chunk."""
        years = {measured_on.year for _project, measured_on in grants}
        calls = {call.year: call for call in Call.objects.filter(year__in=years)}
        for year in sorted(years - set(calls)):
            calls[year] = Call.objects.create(
                year=year,
                title=_("Appel à projets %(year)s (repris d'un import)") % {"year": year},
                envelope=0,
                opens_on=datetime.date(year, 1, 1),
                closes_on=datetime.date(year, 12, 31),
            )
            self.journal.add_created(Call, [calls[year]])
        awards = {
            (project_id, calls[measured_on.year].pk): amount
            for (project_id, measured_on), amount in grants.items()
        }
        stored = {
            (a.project_id, a.call_id): a
            for a in Application.objects.filter(
                project_id__in={p for p, _c in awards}, call_id__in={c for _p, c in awards}
            )
        }
        now = timezone.now()
        created, updated, befores = [], [], {}
        for (project_id, call_id), amount in awards.items():
            application = stored.get((project_id, call_id))
            if application is None:
                application = Application(project_id=project_id, call_id=call_id)
                created.append(application)
            else:
                updated.append(application)
                befores[application.pk] = {
                    name: getattr(application, name) for name in AWARD_FIELDS
                }
            application.decision = CommitteeDecision.WINNER
            application.amount_awarded = amount
            application.amount_requested = max(application.amount_requested or 0, amount)
            application.decided_at = application.decided_at or now
            application.decided_by_id = application.decided_by_id or self.by.pk
        reason = _("Import de fichier")
        created = bulk_create_with_history(
            created, Application, default_user=self.by, default_change_reason=reason
        )
        self.journal.add_created(Application, created)
        if updated:
            bulk_update_with_history(
                updated,
                Application,
                list(AWARD_FIELDS),
                default_user=self.by,
                default_change_reason=reason,
            )
        for application in updated:
            self.journal.add_updated(application, befores[application.pk])

    def reset_chunk(self) -> None:
        self.chunk_people: dict = {}
        self.chunk_orgs: dict = {}
        self.chunk_projects: dict = {}
        self.plans: dict = {}
        self.founders: list = []
        # (values at the row's save, the record written, its project plan if a project)
        self.snapshots: list = []
        self.created: set = set()  # (model, key) of the records this chunk creates

    def write_history(self) -> None:
        """The history lines of the chunk's saves, in their order: a creation line for the
        first save of a new record, an update line for each later one."""
        reason = _("Import de fichier")
        seen: set = set()
        lines: dict = {}
        for snapshot, record, plan in self.snapshots:
            model = type(record)
            key = (model, record._import_key)
            creation = key in self.created and key not in seen
            seen.add(key)
            snapshot.pk = record.pk
            snapshot.created_at = record.created_at
            snapshot.updated_at = record.updated_at
            if plan is not None and plan["organisation"] is not None:
                snapshot.organisation = plan["organisation"]
            lines.setdefault((model, creation), []).append(snapshot)
        for (model, creation), snapshots in lines.items():
            model.history.bulk_history_create(
                snapshots, update=not creation, default_user=self.by, default_change_reason=reason
            )
