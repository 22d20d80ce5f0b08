"""Company data from the SIRENE directory (the French state's API "Recherche d'entreprises").

`lookup(siret_or_siren)` asks the API at settings.SIRENE_API_URL (empty: the feature is
off, nothing reaches the network) and returns what the directory says of the organisation
as our fields' values; `differences(organisation, found)` what would change;
`organisation_fill_from_sirene` writes the fields the officer accepted, with its history
line. Every failure (no answer within SIRENE_TIMEOUT_SECONDS, a refusal, too many requests,
an answer that is not what the API sends) raises SireneUnavailable with a message for the
officer, and changes nothing.
"""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.merge_fields import shown
from contacts.models import LegalForm, Organisation
from contacts.validators import digits_only
from crm.core import permissions
from crm.models import Commune

# INSEE's legal categories (nature juridique) we can name; others keep the form typed.
LEGAL_FORMS = {
    "1000": LegalForm.SOLE_TRADER,
    "9210": LegalForm.ASSOCIATION,
    "9220": LegalForm.ASSOCIATION,
    "9221": LegalForm.ASSOCIATION,
    "9222": LegalForm.ASSOCIATION,
    "9223": LegalForm.ASSOCIATION,
    "9224": LegalForm.ASSOCIATION,
    "9230": LegalForm.ASSOCIATION,
    "9260": LegalForm.ASSOCIATION,
    "9300": LegalForm.FOUNDATION,
    "8210": LegalForm.MUTUAL,
    "8290": LegalForm.MUTUAL,
}
# INSEE's headcount bands (tranche d'effectif salarié).
HEADCOUNT_BANDS = {
    "NN": "Non employeuse",
    "00": "0 salarié",
    "01": "1 ou 2 salariés",
    "02": "3 à 5 salariés",
    "03": "6 à 9 salariés",
    "11": "10 à 19 salariés",
    "12": "20 à 49 salariés",
    "21": "50 à 99 salariés",
    "22": "100 à 199 salariés",
    "31": "200 à 249 salariés",
    "32": "250 à 499 salariés",
    "41": "500 à 999 salariés",
    "42": "1 000 à 1 999 salariés",
    "51": "2 000 à 4 999 salariés",
    "52": "5 000 à 9 999 salariés",
    "53": "10 000 salariés et plus",
}
# The fields the directory may fill, in the order the page shows them.
FIELDS = (
    "name",
    "legal_form",
    "legal_category",
    "siren",
    "siret",
    "naf_code",
    "address",
    "postal_code",
    "commune",
    "founded_on",
    "is_active",
    "closed_on",
    "headcount_band",
)
# What the weekly refresh keeps up to date without asking: the directory's own facts.
REFRESHED = ("legal_category", "is_active", "closed_on", "founded_on", "headcount_band")


def UNREADABLE() -> str:  # noqa: N802 (a message, like a constant)
    return _("Le répertoire SIRENE a envoyé une réponse illisible.")


class SireneUnavailable(Exception):
    """The directory could not be asked or did not answer usefully; the message says why."""


def enabled() -> bool:
    return bool(settings.SIRENE_API_URL)


def _get(params: dict) -> dict:
    url = f"{settings.SIRENE_API_URL}/search?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "crm-ess (SIRENE)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SIRENE_TIMEOUT_SECONDS) as answer:
            return json.loads(answer.read(2_000_000).decode("utf-8"))
    except urllib.error.HTTPError as error:
        if error.code == 429:
            raise SireneUnavailable(
                _("Le répertoire SIRENE reçoit trop de demandes : réessayez dans une minute.")
            ) from error
        raise SireneUnavailable(
            _("Le répertoire SIRENE a refusé la demande (erreur %(code)s) : réessayez plus tard.")
            % {"code": error.code}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SireneUnavailable(
            _(
                "Le répertoire SIRENE ne répond pas (au-delà de %(seconds)s secondes ou "
                "injoignable) : rien n'a été modifié, réessayez plus tard."
            )
            % {"seconds": settings.SIRENE_TIMEOUT_SECONDS}
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise SireneUnavailable(
            _("Le répertoire SIRENE a envoyé une réponse illisible.")
        ) from error


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _street(establishment: dict) -> str:
    """The address without its trailing "postal code, commune" (kept in their fields)."""
    address = str(establishment.get("adresse") or "").strip()
    tail = f"{establishment.get('code_postal') or ''} {establishment.get('libelle_commune') or ''}"
    if tail.strip() and address.upper().endswith(tail.strip().upper()):
        address = address[: -len(tail.strip())].strip(" ,")
    return address


def _values(company: dict, siret: str) -> dict:
    establishments = [company.get("siege") or {}, *(company.get("matching_etablissements") or [])]
    establishment = next((e for e in establishments if e.get("siret") == siret), None)
    if siret and establishment is None:
        raise SireneUnavailable(
            _("Le répertoire SIRENE ne connaît pas d'établissement au SIRET %(siret)s.")
            % {"siret": siret}
        )
    establishment = establishment or company.get("siege") or {}
    if siret:
        active = establishment.get("etat_administratif") == "A"
        closed_on = _date(establishment.get("date_fermeture"))
    else:
        active = company.get("etat_administratif") == "A"
        closed_on = _date(company.get("date_fermeture"))
    category = str(company.get("nature_juridique") or "")
    commune = None
    if establishment.get("commune"):
        commune = Commune.objects.filter(insee_code=establishment["commune"]).first()
    return {
        "name": str(company.get("nom_raison_sociale") or company.get("nom_complet") or "").strip(),
        "legal_form": LEGAL_FORMS.get(category, ""),
        "legal_category": category[:4],
        "siren": str(company.get("siren") or ""),
        "siret": str(establishment.get("siret") or ""),
        "naf_code": digits_only(
            str(
                establishment.get("activite_principale") or company.get("activite_principale") or ""
            )
        ).upper(),
        "address": _street(establishment),
        "postal_code": str(establishment.get("code_postal") or "")[:5],
        "commune": commune,
        "founded_on": _date(establishment.get("date_creation") or company.get("date_creation")),
        "is_active": active,
        "closed_on": None if active else closed_on,
        "headcount_band": HEADCOUNT_BANDS.get(
            str(company.get("tranche_effectif_salarie") or ""), ""
        ),
    }


def lookup(identifier: str) -> dict:
    """What the directory says of the SIRET (an establishment) or SIREN (the company):
    our fields' values. One HTTP request; SireneUnavailable when it cannot say."""
    if not enabled():
        raise SireneUnavailable(_("La consultation du répertoire SIRENE n'est pas activée."))
    number = digits_only(identifier)
    if len(number) not in (9, 14):
        raise SireneUnavailable(_("Renseignez d'abord un SIRET (14 chiffres) ou un SIREN (9)."))
    answer = _get({"q": number, "page": 1, "per_page": 1})
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        raise SireneUnavailable(UNREADABLE())
    company = next((r for r in results if str(r.get("siren")) == number[:9]), None)
    if company is None:
        raise SireneUnavailable(
            _("Le répertoire SIRENE ne connaît pas le numéro %(number)s.") % {"number": number}
        )
    return _values(company, number if len(number) == 14 else "")


def identifier_of(organisation: Organisation) -> str:
    return organisation.siret or organisation.siren


def differences(organisation: Organisation, found: dict) -> list[dict]:
    """The fields whose stored value differs from the directory's (blank answers ignored)."""
    changes = []
    for name in FIELDS:
        value = found.get(name)
        if value in (None, "") and name not in ("closed_on",):
            continue
        field = Organisation._meta.get_field(name)
        current = getattr(organisation, name)
        if current == value:
            continue
        probe = Organisation(**{name: value})
        changes.append(
            {
                "name": name,
                "label": str(field.verbose_name),
                "current": shown(organisation, name),
                "proposed": shown(probe, name),
            }
        )
    return changes


@transaction.atomic
def organisation_fill_from_sirene(
    *, organisation: Organisation, found: dict, fields, by
) -> list[str]:
    """Write the directory's values of `fields` onto the organisation (validated, with a
    history line "Complétée depuis SIRENE"); the names of the fields changed."""
    if by is not None:
        permissions.require(permissions.can_change_contacts(by))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    offered = {d["name"] for d in differences(organisation, found)}
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(
            _("Champ inconnu : %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    changed = [name for name in FIELDS if name in fields and name in offered]
    for name in changed:
        setattr(organisation, name, found[name])
    if changed and "siret" in changed and found.get("siren") and "siren" not in changed:
        organisation.siren = found["siren"]
    organisation.sirene_checked_at = timezone.now()
    organisation.full_clean()
    organisation.version += 1
    organisation._history_user = by
    organisation._change_reason = _("Complétée depuis SIRENE")
    organisation.save()
    return changed
