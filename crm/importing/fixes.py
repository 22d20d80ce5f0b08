"""Corrections the preview offers, never imposes: an accented e-mail, a phone in another
format, a commune, a stage or a sector spelled another way.

For each cell of a fixable column, `propose` says what is wrong and what the cell would
hold once corrected. The officer accepts or refuses a proposal for one row, or for every
row of the column with the same fault (a rule); rules are remembered for the next file of
the same kind with the same columns (its mapping's `signature`, model ImportFixRule).
`apply` gives the table with the accepted corrections in its cells: the preview and the
import then read it as if the office had typed them.
"""

import copy
import difflib
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from contacts.validators import normalize_phone, validate_phone
from crm.importing.reading import Table
from crm.importing.sectors import normalise_sector
from crm.importing.values import (
    STAGE_ALIASES,
    CommuneIndex,
    clean_email,
    commune_key,
    fold,
    parse_sector,
    parse_stage,
)
from crm.models import ImportFault, ImportFixDecision, ImportFixRule, Sector, Stage

ACCEPT, REFUSE = ImportFixDecision.ACCEPT.value, ImportFixDecision.REFUSE.value


@dataclass
class Proposal:
    line: int
    column: str  # the header as written in the file
    fault: str  # an ImportFault value
    value: str
    proposed: str
    decision: str = ""  # "", "accept" or "refuse"
    decided_by_rule: bool = False

    @property
    def row_key(self) -> str:
        return f"{self.line}|{self.column}"

    @property
    def rule_key(self) -> str:
        return f"{self.column}|{self.fault}"

    def to_list(self) -> list:
        return [self.line, self.column, self.fault, self.value, self.proposed]


def fix_email(value: str):
    """ "Inès.Lefèvre @exemple.fr" -> "ines.lefevre@exemple.fr", when that is an address."""
    email = clean_email(value)
    if not email or email.isascii():
        return None
    local, _at, domain = email.rpartition("@")
    proposed = "@".join(
        ".".join(fold(p).replace(" ", "") for p in part.split(".")) for part in (local, domain)
    )
    try:
        validate_email(proposed)
    except ValidationError:
        return None
    return ImportFault.EMAIL_ACCENTS, proposed


def fix_phone(value: str):
    """A number the office wrote its own way ("6 12 34 56 78", "33 6 12…", "06 12 34 56 78
    (portable)"), which the phone check refuses, as a French number."""
    text = str(value or "").strip()
    try:
        validate_phone(text)
        return None
    except ValidationError:
        pass
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) == 9 and digits[0] != "0":
        digits = "0" + digits
    elif len(digits) == 11 and digits.startswith("33"):
        digits = "0" + digits[2:]
    proposed = normalize_phone(digits)
    if proposed == digits or not proposed.startswith("+33"):
        return None
    return ImportFault.PHONE_FORMAT, proposed


def _closest(value: str, names: dict[str, str], cutoff: float):
    """The one name whose folded form is closest to `value`'s."""
    close = difflib.get_close_matches(fold(value), list(names), n=1, cutoff=cutoff)
    return names[close[0]] if close else None


def _choice_names(choices, aliases) -> dict[str, str]:
    labels = dict(choices.choices)
    names = {fold(label): str(label) for label in labels.values()}
    names.update({fold(alias): str(labels[value]) for alias, value in aliases.items()})
    return names


def _fix_choice(parser, choices, aliases, fault):
    def fix(value):
        try:
            parser(value)
            return None
        except ValidationError:
            proposed = _closest(value, _choice_names(choices, aliases), cutoff=0.75)
            return (fault, proposed) if proposed else None

    return fix


def fix_sector(value: str):
    """A sector written another way (plural, accents, a synonym, a typo): its label, which
    the import reads (crm.importing.sectors)."""
    try:
        parse_sector(value)
        return None
    except ValidationError:
        sector = normalise_sector(value)
        return (ImportFault.SECTOR_SPELLING, str(Sector(sector).label)) if sector else None


class CommuneFixer:
    """The closest commune of the territory to a name the commune index does not know."""

    def __init__(self):
        self.index = CommuneIndex()
        self.names = {key: commune.name for key, commune in self.index.by_key.items()}

    def __call__(self, value):
        try:
            self.index.find(value)
            return None
        except ValidationError:
            close = difflib.get_close_matches(
                commune_key(value), list(self.names), n=1, cutoff=0.75
            )
            return (ImportFault.COMMUNE_SPELLING, self.names[close[0]]) if close else None


# Field keys (of every import kind) whose cells may be corrected, and by what.
FIXERS = {
    "email": lambda: fix_email,
    "lead_email": lambda: fix_email,
    "phone": lambda: fix_phone,
    "lead_phone": lambda: fix_phone,
    "commune": CommuneFixer,
    "stage": lambda: _fix_choice(parse_stage, Stage, STAGE_ALIASES, ImportFault.STAGE_SPELLING),
    "sector": lambda: fix_sector,
}


def signature(mapping: dict[str, str]) -> str:
    """What identifies "a file with the same columns": its headers and their fields."""
    text = json.dumps(sorted(mapping.items()), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def propose(table: Table, mapping: dict[str, str], decisions: dict | None = None):
    """Every correction the table's cells could take, with the decision taken on it: for
    its row, else for its column and fault (`decisions["rules"]`), else none yet."""
    decisions = decisions or {}
    rows, rules = decisions.get("rows", {}), decisions.get("rules", {})
    fixers = {header: FIXERS[key]() for header, key in mapping.items() if key in FIXERS}
    proposals = []
    for line, values in table.rows:
        for header, fixer in fixers.items():
            value = values.get(header)
            if value in (None, ""):
                continue
            found = fixer(str(value))
            if found is None:
                continue
            fault, proposed = found
            proposal = Proposal(line, header, str(fault), str(value), proposed)
            if proposal.row_key in rows:
                proposal.decision = rows[proposal.row_key]
            elif proposal.rule_key in rules:
                proposal.decision, proposal.decided_by_rule = rules[proposal.rule_key], True
            proposals.append(proposal)
    return proposals


def apply(table: Table, proposals) -> Table:
    """The table with the accepted corrections in its cells (the file is left as it is)."""
    accepted = {(p.line, p.column): p.proposed for p in proposals if p.decision == ACCEPT}
    if not accepted:
        return table
    fixed = copy.copy(table)
    fixed.rows = [
        (
            line,
            {h: accepted.get((line, h), v) for h, v in values.items()}
            if any((line, h) in accepted for h in values)
            else values,
        )
        for line, values in table.rows
    ]
    return fixed


def remembered(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    """The rules decided on an earlier file of this kind with the same columns."""
    return {
        f"{column}|{fault}": decision
        for column, fault, decision in ImportFixRule.objects.filter(
            kind=kind, signature=signature(mapping)
        ).values_list("column", "fault", "decision")
    }


def remember(kind: str, mapping: dict[str, str], rules: dict[str, str], by) -> None:
    """Keep the officer's rules for the next file with the same columns; a rule taken back
    (neither accepted nor refused any more) is forgotten."""
    sign = signature(mapping)
    for key, decision in rules.items():
        column, _sep, fault = key.rpartition("|")
        if decision in (ACCEPT, REFUSE):
            ImportFixRule.objects.update_or_create(
                kind=kind,
                signature=sign,
                column=column,
                fault=fault,
                defaults={"decision": decision, "saved_by": by},
            )
        else:
            ImportFixRule.objects.filter(
                kind=kind, signature=sign, column=column, fault=fault
            ).delete()
