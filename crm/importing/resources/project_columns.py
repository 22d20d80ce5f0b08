"""The projects import's columns: the spreadsheet headers it recognises and its fields' labels."""

from django.utils.translation import gettext as _

# What the office's spreadsheets call each field (compared accents, case and punctuation
# folded); the French headers of the legacy "suivi porteurs" export need no set-up.
PROJECT_HEADERS = {
    "Nom du projet": "project_name",
    "Projet": "project_name",
    "Prénom porteur": "lead_first_name",
    "Prénom": "lead_first_name",
    "Nom porteur": "lead_last_name",
    "Nom": "lead_last_name",
    "Email": "lead_email",
    "E-mail": "lead_email",
    "Courriel": "lead_email",
    "Téléphone": "lead_phone",
    "Tél": "lead_phone",
    "Structure": "organisation_name",
    "Forme juridique": "organisation_legal_form",
    "SIRET": "organisation_siret",
    "Commune": "commune",
    "QPV": "lead_lives_in_qpv",
    "Secteur": "sector",
    "Étape": "stage",
    "Date d'entrée": "entry_date",
    "Heures allouées": "hours_allocated",
    "Montant subvention": "grant_amount",
    "Observations": "notes",
}

# Field key -> French label, for the mapping step and error messages.
PROJECT_FIELDS = {
    "project_name": _("Nom du projet"),
    "lead_first_name": _("Prénom du porteur"),
    "lead_last_name": _("Nom du porteur"),
    "lead_email": _("Courriel du porteur"),
    "lead_phone": _("Téléphone du porteur"),
    "lead_lives_in_qpv": _("Le porteur réside en QPV"),
    "organisation_name": _("Structure"),
    "organisation_legal_form": _("Forme juridique"),
    "organisation_siret": _("SIRET"),
    "commune": _("Commune du projet"),
    "project_in_qpv": _("Projet implanté en QPV"),
    "sector": _("Secteur"),
    "stage": _("Étape"),
    "entry_date": _("Date d'entrée"),
    "hours_allocated": _("Heures allouées"),
    "grant_amount": _("Montant de subvention"),
    "notes": _("Observations"),
}
