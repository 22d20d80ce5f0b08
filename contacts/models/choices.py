"""The contacts app's choices: legal forms, kinds, labels, gender, roles, merge kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association (loi 1901)")
    FOUNDATION = "foundation", _("Fondation")
    ENDOWMENT_FUND = "endowment_fund", _("Fonds de dotation")
    MUTUAL = "mutual", _("Mutuelle")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    CAE = "cae", _("CAE (coopérative d'activité et d'emploi)")
    OTHER_COOP = "other_coop", _("Autre coopérative")
    ESS_COMPANY = "ess_company", _("Société commerciale de l'ESS (SAS/SARL, agrément ESUS)")
    SOLE_TRADER = "sole_trader", _("Entreprise individuelle / micro-entreprise")
    NOT_INCORPORATED = "not_incorporated", _("Pas encore immatriculée")


class OrganisationKind(models.TextChoices):
    ESS_STRUCTURE = "ess_structure", _("Structure de l'ESS")
    PARTNER = "partner", _("Partenaire")
    FUNDER = "funder", _("Financeur")
    PROVIDER = "provider", _("Prestataire d'accompagnement")


class NafVersion(models.TextChoices):
    NAF_2008 = "naf2008", _("NAF rév. 2 (2008)")
    NAF_2025 = "naf2025", _("NAF 2025 (à partir de 2027)")


class LabelKind(models.TextChoices):
    ESUS = "esus", _("Agrément ESUS")
    SIAE_ACI = "siae_aci", _("SIAE – atelier et chantier d'insertion (ACI)")
    SIAE_AI = "siae_ai", _("SIAE – association intermédiaire (AI)")
    SIAE_EI = "siae_ei", _("SIAE – entreprise d'insertion (EI)")
    SIAE_ETTI = "siae_etti", _("SIAE – entreprise de travail temporaire d'insertion (ETTI)")
    SIAE_EITI = "siae_eiti", _("SIAE – entreprise d'insertion par le travail indépendant (EITI)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Femme")
    MALE = "male", _("Homme")
    OTHER = "other", _("Autre")
    UNDISCLOSED = "undisclosed", _("Ne souhaite pas répondre")


class PersonRole(models.TextChoices):
    FOUNDER = "founder", _("Fondateur·rice")
    DIRECTOR = "director", _("Dirigeant·e")
    EMPLOYEE = "employee", _("Salarié·e")
    VOLUNTEER = "volunteer", _("Bénévole")
    BOARD_MEMBER = "board_member", _("Membre du bureau / CA")
    CONTACT = "contact", _("Contact")


class MergeKind(models.TextChoices):
    PERSON = "person", _("Porteur·se de projet")
    ORGANISATION = "organisation", _("Structure")
