"""French spreadsheet values: dates, decimals, amounts, yes/no, communes, stages, sectors.

Each parser returns the Python value or raises ValidationError with a French message that
names what was read, so the officer sees exactly which cell to fix."""

import datetime
import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export import widgets

from contacts.models import LegalForm
from crm.core.bounds import DATE_MAX, DATE_MIN
from crm.models import Commune, Sector, Stage

# More integer digits than any amount, count or duration of these files has: 1e400 or a
# twenty-digit number is a typo (or a hostile file), refused before anything sums it.
MAX_INTEGER_DIGITS = 15


def shown(value, limit: int = 40) -> str:
    """A cell as quoted in a message: a 5,000-character cell must not fill the page."""
    text = str(value).strip()
    return text if len(text) <= limit else text[:limit] + "…"


def fold(text: str) -> str:
    """Lower-case, accents stripped, punctuation and repeated spaces collapsed:
    "  Le Plessis-Trévise " -> "le plessis trevise"."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _in_date_range(day: datetime.date, value) -> datetime.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            _("date hors limites : « %(value)s » (entre le %(min)s et le %(max)s)")
            % {
                "value": shown(value),
                "min": DATE_MIN.strftime("%d/%m/%Y"),
                "max": DATE_MAX.strftime("%d/%m/%Y"),
            }
        )
    return day


def parse_date(value) -> datetime.date | None:
    """A date between DATE_MIN and DATE_MAX (crm.core.bounds), as every date column holds."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return _in_date_range(value.date(), value)
    if isinstance(value, datetime.date):
        return _in_date_range(value, value)
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 a date only
        except ValueError:
            continue
        return _in_date_range(day, text)
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{5,}|\d{5,}-\d{1,2}-\d{1,2}", text):
        raise ValidationError(_("date hors limites : « %(value)s »") % {"value": shown(text)})
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{2,4}", text):
        raise ValidationError(_("date impossible : « %(value)s »") % {"value": shown(text)})
    raise ValidationError(
        _("date illisible : « %(value)s » (attendu jj/mm/aaaa)") % {"value": shown(text)}
    )


def parse_decimal(value) -> Decimal | None:
    """'12,5', '1 500,00 €', '1.500,00', '3 000', 2500 -> Decimal."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("nombre illisible : « %(value)s »") % {"value": shown(value)})
    if isinstance(value, int | float | Decimal):
        return _bounded_number(Decimal(str(value)), value)
    text = str(value).strip()
    text = re.sub(r"[\s\u00a0\u202f€]|EUR", "", text, flags=re.IGNORECASE)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("nombre illisible : « %(value)s »") % {"value": shown(value)}
        ) from None
    return _bounded_number(number, str(value).strip())


def _bounded_number(number: Decimal, value) -> Decimal:
    if not number.is_finite():
        raise ValidationError(_("nombre illisible : « %(value)s »") % {"value": shown(value)})
    if number and number.adjusted() >= MAX_INTEGER_DIGITS:
        raise ValidationError(
            _("nombre trop grand : « %(value)s » (au plus %(digits)s chiffres avant la virgule)")
            % {"value": shown(value), "digits": MAX_INTEGER_DIGITS}
        )
    return number


def for_field(parser, model, name: str):
    """`parser`, then the bounds of the model field that stores the value (its validators:
    minimum, maximum, digits), so the preview refuses what the database would."""
    model_field = model._meta.get_field(name)

    def parse(value):
        result = parser(value)
        if result is not None:
            model_field.run_validators(result)
        return result

    return parse


YES = {"oui", "o", "x", "1", "vrai", "yes", "y", "true"}
NO = {"non", "n", "0", "faux", "no", "false"}


def parse_bool(value) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = fold(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError(_("oui/non attendu, lu « %(value)s »") % {"value": shown(value)})


def _choice_lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    lookup = {fold(label): value for value, label in choices}
    lookup.update({fold(value): value for value, _label in choices})
    lookup.update({fold(k): v for k, v in extra.items()})
    return lookup


STAGE_ALIASES = {"changement echelle": Stage.SCALE_UP, "essaimage": Stage.SCALE_UP}
SECTOR_ALIASES = {
    "epicerie sociale": Sector.FOOD,
    "epicerie solidaire": Sector.FOOD,
    "maraichage bio": Sector.AGRICULTURE,
    "agriculture urbaine": Sector.AGRICULTURE,
    "coworking": Sector.THIRD_PLACE,
    "tiers lieu": Sector.THIRD_PLACE,
    "atelier velo": Sector.MOBILITY,
    "velo": Sector.MOBILITY,
    "logistique dernier km": Sector.LOGISTICS,
    "logistique du dernier kilometre": Sector.LOGISTICS,
    "tourisme fluvial": Sector.TOURISM,
    "tourisme solidaire": Sector.TOURISM,
    "compostage": Sector.CIRCULAR,
    "recyclerie": Sector.CIRCULAR,
    "ressourcerie": Sector.CIRCULAR,
    "finance solidaire": Sector.FINANCE,
    "supermarche cooperatif": Sector.RETAIL,
}
LEGAL_FORM_ALIASES = {
    "asso": LegalForm.ASSOCIATION,
    "association": LegalForm.ASSOCIATION,
    "association loi 1901": LegalForm.ASSOCIATION,
    "scop": LegalForm.SCOP,
    "scic": LegalForm.SCIC,
    "cae": LegalForm.CAE,
    "sas esus": LegalForm.ESS_COMPANY,
    "sarl esus": LegalForm.ESS_COMPANY,
    "sas": LegalForm.ESS_COMPANY,
    "sarl": LegalForm.ESS_COMPANY,
    "ei": LegalForm.SOLE_TRADER,
    "micro entreprise": LegalForm.SOLE_TRADER,
    "auto entrepreneur": LegalForm.SOLE_TRADER,
    "fondation": LegalForm.FOUNDATION,
    "fonds de dotation": LegalForm.ENDOWMENT_FUND,
    "mutuelle": LegalForm.MUTUAL,
    "en creation": LegalForm.NOT_INCORPORATED,
    "non immatriculee": LegalForm.NOT_INCORPORATED,
}


_LOOKUPS: dict = {}


def parse_choice(value, choices, aliases: dict[str, str], what: str) -> str:
    if value in (None, ""):
        return ""
    # Built once per choice set and language: folding every label on each cell costs
    # more than the rest of the row.
    cache_key = (choices, id(aliases), get_language())
    lookup = _LOOKUPS.get(cache_key)
    if lookup is None:
        lookup = _LOOKUPS[cache_key] = _choice_lookup(choices.choices, aliases)
    key = fold(value)
    if key in lookup:
        return lookup[key]
    known = ", ".join(str(label) for _value, label in choices.choices)
    raise ValidationError(
        _("%(what)s inconnu·e : « %(value)s » (valeurs possibles : %(known)s)")
        % {"what": what, "value": shown(value), "known": known}
    )


def parse_stage(value) -> str:
    return parse_choice(value, Stage, STAGE_ALIASES, _("étape"))


def parse_sector(value) -> str:
    return parse_choice(value, Sector, SECTOR_ALIASES, _("secteur"))


def parse_legal_form(value) -> str:
    return parse_choice(value, LegalForm, LEGAL_FORM_ALIASES, _("forme juridique"))


def commune_key(name: str) -> str:
    """'St-Maur', 'Saint Maur' and 'SAINT-MAUR ' share a key; so do names with or without
    their article ('Le Plessis-Trévise' / 'Plessis-Trévise')."""
    words = fold(name).split()
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    if words and words[0] in {"le", "la", "les", "l"}:
        words = words[1:]
    return " ".join(words)


class CommuneIndex:
    """Communes by folded name and INSEE code, loaded once per import (one query)."""

    def __init__(self):
        self.by_key: dict[str, Commune] = {}
        for commune in Commune.objects.all():
            self.by_key[commune_key(commune.name)] = commune
            if commune.insee_code:
                self.by_key[commune.insee_code] = commune

    def find(self, value) -> Commune | None:
        if value in (None, ""):
            return None
        text = str(value).strip()
        commune = self.by_key.get(text) or self.by_key.get(commune_key(text))
        if commune:
            return commune
        close = difflib.get_close_matches(commune_key(text), list(self.by_key), n=3, cutoff=0.6)
        names = [self.by_key[key].name for key in close]
        message = _("commune inconnue : « %(value)s »") % {"value": shown(text)}
        if names:
            message += " " + _("(vouliez-vous dire : %(names)s ?)") % {"names": ", ".join(names)}
        else:
            message += " " + _("(hors territoire : choisissez « Hors territoire »)")
        raise ValidationError(message)


class FrenchValueWidget(widgets.Widget):
    """An import-export widget around one of the parsers above."""

    def __init__(self, parser, render=None):
        super().__init__()
        self.parser = parser
        self.renderer = render

    def clean(self, value, row=None, **kwargs):
        try:
            return self.parser(value)
        except ValidationError as error:
            # import-export files a widget's ValueError under the field's name.
            raise ValueError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        if self.renderer:
            return self.renderer(value)
        return super().render(value)


def parse_int(value) -> int | None:
    """'1985', 1985, 1985.0 (what a spreadsheet stores) -> 1985."""
    if value in (None, ""):
        return None
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValidationError(
            _("nombre entier attendu, lu « %(value)s »") % {"value": shown(value)}
        )
    return int(number)


def parse_time(value) -> datetime.time | None:
    """'14:30', '14h30', '14h', '9 h 05', a spreadsheet time -> time."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    text = str(value).strip().lower()
    match = re.fullmatch(r"(\d{1,2})\s*(?:[h:.]\s*(\d{2})?)?(?::\d{2})?", text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    raise ValidationError(
        _("heure illisible : « %(value)s » (attendu 14:30 ou 14h30)") % {"value": shown(value)}
    )


def parse_duration(value) -> int | None:
    """Minutes: '90', '1h30', '1 h', '1,5 h', '2 heures', '45 min' -> 90, 90, 60, 90, 120, 45."""
    if value in (None, ""):
        return None
    minutes = _minutes(value)
    # The meeting's field caps it further (a day); this keeps absurd numbers out of sums.
    return int(_bounded_number(Decimal(minutes), value))


def _minutes(value) -> int | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return int(parse_decimal(value))  # inf, nan and 1e400 refused there
    if str(value).strip().startswith(("-", "\u2212")):  # fold() would drop the sign
        raise ValidationError(_("durée négative : « %(value)s »") % {"value": shown(value)})
    text = fold(value)
    if len(text) > 40:
        raise ValidationError(_("durée illisible : « %(value)s »") % {"value": shown(text)})
    match = re.fullmatch(r"(\d+)\s*h(?:eures?)?\s*(\d{1,2})?(?:\s*min)?", text)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    match = re.fullmatch(r"(\d+)(?:\s+(\d+))?\s*h(?:eures?)?", text)
    if match:  # "1,5 h" folds to "1 5 h"
        hours = Decimal(f"{match.group(1)}.{match.group(2) or 0}")
        return int(hours * 60)
    match = re.fullmatch(r"(\d+)\s*(?:min|minutes?|mn)?", text)
    if match:
        return int(match.group(1))
    raise ValidationError(
        _("durée illisible : « %(value)s » (attendu 90, 1h30 ou 1,5 h)") % {"value": shown(value)}
    )


def clean_email(value) -> str:
    """The address as stored: spaces anywhere removed, lower-cased."""
    return "".join(str(value or "").split()).lower()


def warn_siret_name(warn, key: str, siret: str, organisation, name: str, *, replaced: bool):
    """A SIRET the database knows under another name: said in the preview, not ignored."""
    if fold(name) == fold(organisation.name):
        return
    message = _(
        "le SIRET %(siret)s est celui de « %(stored)s », déjà enregistrée ; "
        "le fichier la nomme « %(name)s »"
    ) % {"siret": siret, "stored": shown(organisation.name), "name": shown(name)}
    if replaced:
        message += _(" : le nom enregistré sera remplacé (voir l'avant/après)")
    else:
        message += _(" : le nom enregistré est gardé, corrigez la fiche si besoin")
    warn(key, message)
