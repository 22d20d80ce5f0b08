"""What an erasure looks for: a person's names, e-mails and phone numbers, as typed in
free text, and the patterns that replace them."""

import json
import re
from dataclasses import dataclass

from contacts.validators import name_key

TOKEN = "[effacé]"
SEPARATOR = r"[\s.\-\u00a0\u202f]?"


def phone_literals(phone: str) -> set[str]:
    """The ways people write a stored number (+33612345678) in a note."""
    if not phone:
        return set()
    literals = {phone}
    if phone.startswith("+33") and len(phone) == 12:
        national = "0" + phone[3:]
        pairs = [national[i : i + 2] for i in range(0, 10, 2)]
        literals |= {national, *(sep.join(pairs) for sep in (" ", ".", "-"))}
        literals.add("+33 " + phone[3] + " " + " ".join(pairs[1:]))
    return literals


def phone_pattern(phone: str) -> str:
    """A regular expression matching the number with any separators, national or +33."""
    if phone.startswith("+33") and len(phone) == 12:
        digits = phone[3:]
        prefix = r"(?:(?:\+|00)33" + SEPARATOR + r"(?:\(0\))?" + SEPARATOR + r"|0)"
        return prefix + SEPARATOR.join(re.escape(d) for d in digits)
    return SEPARATOR.join(re.escape(c) for c in phone)


@dataclass
class Needles:
    """Strong needles are replaced everywhere; weak ones (a first or last name alone) only
    in the person's own rows, where they cannot be someone else's."""

    strong: set[str]
    weak: set[str]
    phones: set[str]

    @classmethod
    def from_identities(cls, identities) -> "Needles":
        strong, weak, phones = set(), set(), set()
        for row in identities:
            first, last = row["first_name"].strip(), row["last_name"].strip()
            if first and last:
                strong |= {f"{first} {last}", f"{last} {first}"}
                strong |= {name_key(first, last), name_key(last, first)}
            weak |= {part for part in (first, last) if len(part) >= 2}
            if row["email"]:
                strong.add(row["email"].strip())
            if row["phone"]:
                phones.add(row["phone"])
                strong |= phone_literals(row["phone"])
        return cls(strong=strong, weak=weak, phones=phones)

    def literals(self) -> list[str]:
        """What a database filter looks for (also as JSON escapes it, for JSON columns)."""
        found = set(self.strong)
        found |= {json.dumps(s)[1:-1] for s in self.strong}
        return sorted(s for s in found if s)

    def weak_literals(self) -> list[str]:
        return sorted(self.weak)

    def strong_re(self) -> re.Pattern | None:
        parts = [re.escape(s) for s in sorted(self.strong, key=len, reverse=True)]
        parts = [phone_pattern(p) for p in self.phones] + parts
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def weak_re(self) -> re.Pattern | None:
        parts = [re.escape(s) for s in sorted(self.weak, key=len, reverse=True)]
        return (
            re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
            if parts
            else None
        )


class Scrubber:
    def __init__(self, needles: Needles):
        self.strong = needles.strong_re()
        self.weak = needles.weak_re()

    def text(self, value: str, *, own: bool) -> str:
        if not value:
            return value
        if self.strong is not None:
            value = self.strong.sub(TOKEN, value)
        if own and self.weak is not None:
            value = self.weak.sub(TOKEN, value)
        return value

    def mentions(self, value: str) -> bool:
        return bool(self.strong is not None and self.strong.search(value))

    def json(self, value, *, own: bool):
        """Walk a JSON value; a row (list or object) holding a strong needle is the person's,
        so its other cells (first name, last name columns) lose the weak ones too."""
        if isinstance(value, str):
            return self.text(value, own=own)
        if isinstance(value, list | dict):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            cells = [v for _, v in items if isinstance(v, str)]
            row_own = own or any(self.mentions(v) for v in cells)
            if isinstance(value, dict):
                return {
                    self.text(k, own=row_own): self.json(v, own=row_own) for k, v in value.items()
                }
            return [self.json(v, own=row_own) for v in value]
        return value
