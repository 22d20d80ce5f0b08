"""The register of processing activities (RGPD article 30) the CRM carries out.

The text is the body's, written here once; the retention periods are read from the
settings when the register is shown (`RETENTION_PERIODS`, one place), so the register
always states the durations the retention run applies.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Period:
    """A retention period: the setting that holds it, its default, its unit and its rule."""

    setting: str
    default: int
    unit: str  # "years", "months" or "days"
    rule: str  # what the period counts from, e.g. "après la sortie de l'accompagnement"

    @property
    def value(self) -> int:
        # The retention settings are added with the retention run; until a deployment
        # sets them, the register states the defaults the run uses.
        return int(getattr(settings, self.setting, self.default))

    def __str__(self) -> str:
        n = self.value
        if self.unit == "years":
            length = ngettext("%(n)d an", "%(n)d ans", n) % {"n": n}
        elif self.unit == "months":
            length = ngettext("%(n)d mois", "%(n)d mois", n) % {"n": n}
        else:
            length = ngettext("%(n)d jour", "%(n)d jours", n) % {"n": n}
        return f"{length} {self.rule}"


# Every retention period the register states, by the setting that holds it.
RETENTION_PERIODS = {
    "prospect": Period(
        "RETENTION_PROSPECT_YEARS",
        3,
        "years",
        _("après le dernier contact pour une personne jamais accompagnée (recommandation CNIL)"),
    ),
    "beneficiary": Period(
        "RETENTION_BENEFICIARY_YEARS",
        3,
        "years",
        _(
            "après la sortie de l'accompagnement, puis anonymisation ou versement aux archives "
            "publiques"
        ),
    ),
    "rejected_application": Period(
        "RETENTION_REJECTED_APPLICATION_MONTHS",
        6,
        "months",
        _("après la décision pour une candidature non retenue (délai de recours passé)"),
    ),
    "access_log": Period(
        "ACCESS_LOG_RETENTION_DAYS",
        365,
        "days",
        _("pour chaque ligne du journal d'accès"),
    ),
}


@dataclass(frozen=True)
class Activity:
    key: str
    name: str
    purpose: str
    legal_basis: str
    data: str
    people: str
    recipients: str
    retention: tuple[str, ...]  # keys of RETENTION_PERIODS
    retention_note: str = ""

    def periods(self) -> list[Period]:
        return [RETENTION_PERIODS[key] for key in self.retention]


PUBLIC_INTEREST = _(
    "Mission d'intérêt public de l'établissement : soutien à l'économie sociale et solidaire "
    "(RGPD, article 6, paragraphe 1, point e)."
)
COACHES = _(
    "Les chargé·es de mission ESS de l'établissement ; les accompagnateur·rices du prestataire "
    "(sous-traitant au sens de l'article 28), pour les seuls projets qui leur sont confiés, sans "
    "accès aux notes internes."
)

ACTIVITIES = (
    Activity(
        key="accompaniment",
        name=_("Accompagnement des porteur·ses de projet"),
        purpose=_(
            "Accueillir, orienter et accompagner les porteur·ses de projet de l'ESS (diagnostic, "
            "rendez-vous individuels, promotions), suivre leurs projets, rendre compte aux "
            "financeurs (dont le FSE+) par des statistiques anonymes."
        ),
        legal_basis=PUBLIC_INTEREST,
        data=_(
            "Identité, coordonnées, commune et résidence en QPV, genre et année de naissance "
            "déclarés, situation professionnelle à l'entrée et à la sortie ; projet, structure, "
            "étapes ; rendez-vous, comptes rendus, notes, actions, heures d'accompagnement."
        ),
        people=_("Porteur·ses de projet et membres des structures accompagnées."),
        recipients=COACHES,
        retention=("prospect", "beneficiary"),
    ),
    Activity(
        key="calls",
        name=_("Appels à projets « Initiatives d'ESS »"),
        purpose=_(
            "Recevoir et instruire les candidatures, recueillir l'avis de la commune, préparer "
            "le comité de sélection, notifier les décisions et verser les subventions."
        ),
        legal_basis=PUBLIC_INTEREST,
        data=_(
            "Identité et coordonnées du ou de la candidat·e, structure, projet, budget, notes "
            "du comité, décision, montants accordés et versés."
        ),
        people=_("Candidat·es et représentant·es des structures candidates."),
        recipients=_(
            "Les chargé·es de mission ; le comité de sélection (établissement, département, "
            "Région, chambre de commerce, financeurs) ; la commune concernée pour son avis."
        ),
        retention=("rejected_application", "beneficiary"),
        retention_note=_(
            "Les dossiers des lauréat·es suivent la durée des projets accompagnés (pièces "
            "comptables : durée légale des archives publiques)."
        ),
    ),
    Activity(
        key="workshops",
        name=_("Ateliers et temps d'information"),
        purpose=_(
            "Inscrire aux ateliers thématiques et temps d'information organisés avec les "
            "partenaires, tenir les présences, mesurer la participation."
        ),
        legal_basis=PUBLIC_INTEREST,
        data=_("Identité, coordonnées, projet éventuel, inscription et présence."),
        people=_("Participant·es aux ateliers."),
        recipients=COACHES,
        retention=("prospect", "beneficiary"),
    ),
    Activity(
        key="newsletter",
        name=_("Lettre d'information"),
        purpose=_("Informer des appels à projets, ateliers et actualités de l'ESS du territoire."),
        legal_basis=_(
            "Consentement de la personne (RGPD, article 6, paragraphe 1, point a), daté avec "
            "son origine et révocable à tout moment."
        ),
        data=_("Nom, prénom, courriel, date et origine du consentement, date du retrait."),
        people=_("Personnes ayant accepté de la recevoir."),
        recipients=_("Les chargé·es de mission de l'établissement."),
        retention=("prospect",),
        retention_note=_(
            "Jusqu'au retrait du consentement : la personne n'est plus destinataire dès le "
            "retrait enregistré."
        ),
    ),
    Activity(
        key="security",
        name=_("Sécurité du CRM : journal d'accès"),
        purpose=_(
            "Tracer les connexions, exports, imports et consultations de fiches, pour "
            "détecter les abus et répondre aux demandes d'accès."
        ),
        legal_basis=PUBLIC_INTEREST,
        data=_(
            "Identifiant, adresse IP, navigateur, date, événement et numéro de la fiche "
            "consultée (jamais le nom de la personne)."
        ),
        people=_("Utilisateur·rices du CRM."),
        recipients=_("Les chargé·es de mission habilité·es et l'administrateur·rice."),
        retention=("access_log",),
    ),
)


def processing_register() -> dict:
    """The register as shown on /rgpd/ and in its PDF."""
    return {"activities": ACTIVITIES, "dpo_contact": settings.DPO_CONTACT}
