"""Import of people (porteur·ses) and organisations (structures), one record per row.

Natural keys: a person by email ignoring case and spaces (without an email, by name in
the same commune); an organisation by SIRET, else by name (accents and case folded) in the
same commune. An empty cell never erases what is stored; identifiers (SIRET, SIREN, RNA,
NAF) only fill blanks, so a file cannot silently re-key a structure.
"""

import copy

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.duplicates import PeopleIndex, probable_duplicates_message
from contacts.models import (
    Consent,
    ConsentOrigin,
    ConsentPurpose,
    EmploymentSituation,
    Gender,
    Organisation,
    Person,
)
from contacts.validators import digits_only, name_key
from crm.importing.resources.bulk import CHUNK_SIZE, BulkRowResource
from crm.importing.values import (
    CommuneIndex,
    clean_email,
    fold,
    parse_bool,
    parse_choice,
    parse_int,
    parse_legal_form,
    warn_siret_name,
)

PEOPLE_HEADERS = {
    "Prénom": "first_name",
    "Prénom porteur": "first_name",
    "Nom": "last_name",
    "Nom porteur": "last_name",
    "Nom de famille": "last_name",
    "Email": "email",
    "E-mail": "email",
    "Courriel": "email",
    "Mail": "email",
    "Adresse mail": "email",
    "Téléphone": "phone",
    "Tél": "phone",
    "Portable": "phone",
    "Commune": "commune",
    "Commune de résidence": "commune",
    "Ville": "commune",
    "QPV": "lives_in_qpv",
    "Réside en QPV": "lives_in_qpv",
    "Genre": "gender",
    "Sexe": "gender",
    "Année de naissance": "birth_year",
    "Situation à l'entrée": "employment_situation_at_entry",
    "Situation": "employment_situation_at_entry",
    "Lettre d'information": "consent_newsletter",
    "Accepte la lettre d'information": "consent_newsletter",
    "Newsletter": "consent_newsletter",
    "Photos": "consent_photos",
    "Accepte l'usage de photos": "consent_photos",
    "Droit à l'image": "consent_photos",
}

PEOPLE_FIELDS = {
    "first_name": _("Prénom"),
    "last_name": _("Nom"),
    "email": _("Courriel"),
    "phone": _("Téléphone"),
    "commune": _("Commune de résidence"),
    "lives_in_qpv": _("Réside en QPV"),
    "gender": _("Genre"),
    "birth_year": _("Année de naissance"),
    "employment_situation_at_entry": _("Situation à l'entrée"),
    "consent_newsletter": _("Accepte la lettre d'information"),
    "consent_photos": _("Accepte l'usage de photos"),
}

# A "oui" in a consent column records a consent of origin "import"; a "non" or an empty
# cell changes nothing (a withdrawal is recorded on the person's page, with who and when).
CONSENT_COLUMNS = {
    "consent_newsletter": ConsentPurpose.NEWSLETTER,
    "consent_photos": ConsentPurpose.PHOTOS,
}

GENDER_ALIASES = {"f": Gender.FEMALE, "h": Gender.MALE, "m": Gender.MALE, "nsp": "undisclosed"}
SITUATION_ALIASES = {
    "salarie": EmploymentSituation.EMPLOYED,
    "salariee": EmploymentSituation.EMPLOYED,
    "demandeur d emploi": EmploymentSituation.JOBSEEKER,
    "demandeuse d emploi": EmploymentSituation.JOBSEEKER,
    "de": EmploymentSituation.JOBSEEKER,
    "dels": EmploymentSituation.JOBSEEKER_LONG_TERM,
    "etudiant": EmploymentSituation.STUDENT,
    "etudiante": EmploymentSituation.STUDENT,
    "independant": EmploymentSituation.SELF_EMPLOYED,
    "independante": EmploymentSituation.SELF_EMPLOYED,
}


def _text(row, key) -> str:
    return " ".join(str(row.get(key) or "").split())


def _in_chunks(values, size=CHUNK_SIZE):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


class PersonResource(BulkRowResource):
    compared_fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "commune_id",
        "lives_in_qpv",
        "gender",
        "birth_year",
        "employment_situation_at_entry",
        "name_key",
        "email_key",
        "sound_key",
        "consent_newsletter",
        "consent_newsletter_at",
        "consent_photos",
        "consent_photos_at",
    )

    class Meta:
        model = Person
        fields = ("first_name", "last_name", "email", "phone")
        import_id_fields = ()
        use_bulk = True
        batch_size = CHUNK_SIZE
        skip_diff = True
        clean_model_instances = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.communes = CommuneIndex()
        # (person, purpose, given at) of the consents the file gives, written with the chunk.
        self.pending_consents: list = []

    def prefetch(self, rows):
        """Two queries per chunk: the people with the chunk's emails, and namesakes of the
        rows without an email."""
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = {}
        emails = {clean_email(row.get("email")) for row in rows} - {""}
        for part in _in_chunks(emails):
            for person in Person.objects.alias(email_lower=Lower("email")).filter(
                email_lower__in=part
            ):
                self.by_email[person.email.lower()] = person
                self.remember(person)
        keys = {
            name_key(_text(row, "last_name"), _text(row, "first_name"))
            for row in rows
            if not clean_email(row.get("email"))
        } - {""}
        for part in _in_chunks(keys):
            for person in Person.objects.filter(name_key__in=part, email="").order_by("pk"):
                self.by_name.setdefault(person.name_key, []).append(person)
                self.remember(person)
        # Probable duplicates of the rows that will create a person: one query per chunk.
        probes = []
        for row in rows:
            probe = Person(
                first_name=_text(row, "first_name"),
                last_name=_text(row, "last_name"),
                email=clean_email(row.get("email")),
                phone=_text(row, "phone"),
            )
            probe.normalize()
            probes.append(probe)
        self.duplicates = PeopleIndex(probes)

    def read_row(self, row, fail):
        context = self.row_context
        for key in ("first_name", "last_name"):
            context[key] = _text(row, key)
        context["email"] = clean_email(row.get("email"))
        context["phone"] = _text(row, "phone")
        context["commune"] = self.parsed(row, "commune", self.communes.find)
        context["lives_in_qpv"] = self.parsed(row, "lives_in_qpv", parse_bool)
        context["gender"] = self.parsed(
            row, "gender", lambda v: parse_choice(v, Gender, GENDER_ALIASES, _("genre"))
        )
        context["birth_year"] = self.parsed(row, "birth_year", parse_int)
        context["employment_situation_at_entry"] = self.parsed(
            row,
            "employment_situation_at_entry",
            lambda v: parse_choice(v, EmploymentSituation, SITUATION_ALIASES, _("situation")),
        )
        for key in CONSENT_COLUMNS:
            context[key] = self.parsed(row, key, parse_bool)
        if not context["email"] and not (context["first_name"] and context["last_name"]):
            fail(
                "email", _("ni courriel, ni prénom et nom : impossible de reconnaître la personne")
            )

    def find(self, row):
        context = self.row_context
        if context["email"]:
            person = self.by_email.get(context["email"])
        else:
            commune = context["commune"]
            key = name_key(context["last_name"], context["first_name"])
            person = next(
                (
                    p
                    for p in self.by_name.get(key, [])
                    if commune is None or p.commune_id in (None, commune.pk)
                ),
                None,
            )
        # A copy: a refused row must not leave its values on the record another row writes.
        return copy.copy(person) if person else None

    def natural_key(self, person):
        if person.email:
            return ("email", person.email.lower())
        return ("name", person.name_key, person.commune_id)

    def fill(self, person, row):
        context = self.row_context
        for attribute in ("first_name", "last_name", "email", "phone"):
            value = context[attribute]
            if value and getattr(person, attribute) != value:
                if attribute == "last_name" and fold(value) == fold(person.last_name):
                    continue  # "TRAORÉ" in the file, "Traoré" stored: the same name
                setattr(person, attribute, value)
        if context["commune"] is not None:
            person.commune = context["commune"]
        for attribute in ("lives_in_qpv", "gender", "birth_year", "employment_situation_at_entry"):
            value = context[attribute]
            if value not in (None, ""):
                setattr(person, attribute, value)
        if person.last_name.isupper() and len(person.last_name) > 2:
            person.last_name = person.last_name.title()
        context["consents_given"] = []
        for key, purpose in CONSENT_COLUMNS.items():
            if context[key] and not getattr(person, key):
                setattr(person, key, True)
                setattr(person, f"{key}_at", timezone.now())
                context["consents_given"].append(purpose)
        person.normalize()

    def after_row_saved(self, person, is_create):
        if is_create and (found := self.duplicates.probable(person)):
            self.warn("last_name", probable_duplicates_message(found))
        if not self.dry_run:
            for purpose in self.row_context.get("consents_given", []):
                at = getattr(person, f"consent_{purpose}_at")
                self.pending_consents.append((person, purpose, at))

    def after_bulk_write(self):
        # Created people have their ids now; updated ones had them already.
        ready = [item for item in self.pending_consents if item[0].pk]
        self.pending_consents = [item for item in self.pending_consents if not item[0].pk]
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    person=person,
                    purpose=purpose,
                    given_at=at,
                    origin=ConsentOrigin.IMPORT,
                    recorded_by=self.by,
                )
                for person, purpose, at in ready
            ],
            batch_size=CHUNK_SIZE,
        )
        self.journal.add_created(Consent, consents)


ORGANISATION_HEADERS = {
    "Structure": "name",
    "Nom": "name",
    "Nom de la structure": "name",
    "Raison sociale": "name",
    "Dénomination": "name",
    "Forme juridique": "legal_form",
    "Statut juridique": "legal_form",
    "SIRET": "siret",
    "N° SIRET": "siret",
    "SIREN": "siren",
    "RNA": "rna",
    "N° RNA": "rna",
    "NAF": "naf_code",
    "Code NAF": "naf_code",
    "Code APE": "naf_code",
    "APE": "naf_code",
    "Adresse": "address",
    "Code postal": "postal_code",
    "CP": "postal_code",
    "Commune": "commune",
    "Ville": "commune",
    "Site web": "website",
    "Site internet": "website",
    "Email": "email",
    "E-mail": "email",
    "Courriel": "email",
    "Téléphone": "phone",
    "Tél": "phone",
}

ORGANISATION_FIELDS = {
    "name": _("Nom de la structure"),
    "legal_form": _("Forme juridique"),
    "siret": _("SIRET"),
    "siren": _("SIREN"),
    "rna": _("Numéro RNA"),
    "naf_code": _("Code NAF/APE"),
    "address": _("Adresse"),
    "postal_code": _("Code postal"),
    "commune": _("Commune"),
    "website": _("Site web"),
    "email": _("Courriel"),
    "phone": _("Téléphone"),
}

IDENTIFIERS = ("siret", "siren", "rna", "naf_code")


class OrganisationResource(BulkRowResource):
    compared_fields = (
        "name",
        "legal_form",
        "siret",
        "siren",
        "rna",
        "naf_code",
        "address",
        "postal_code",
        "commune_id",
        "website",
        "email",
        "phone",
        "name_key",
        "sound_key",
        "address_key",
    )

    class Meta:
        model = Organisation
        fields = ("name", "legal_form", "siret")
        import_id_fields = ()
        use_bulk = True
        batch_size = CHUNK_SIZE
        skip_diff = True
        clean_model_instances = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.communes = CommuneIndex()

    def prefetch(self, rows):
        """Two queries per chunk: by SIRET, and by folded name."""
        self.by_siret: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = {}
        sirets = {digits_only(str(row.get("siret") or "")) for row in rows} - {""}
        for part in _in_chunks(sirets):
            for organisation in Organisation.objects.filter(siret__in=part):
                self.by_siret[organisation.siret] = organisation
                self.remember(organisation)
        keys = {name_key(_text(row, "name")) for row in rows} - {""}
        for part in _in_chunks(keys):
            for organisation in Organisation.objects.filter(name_key__in=part).order_by("pk"):
                self.by_name.setdefault(organisation.name_key, []).append(organisation)
                self.remember(organisation)

    def read_row(self, row, fail):
        context = self.row_context
        for key in ("name", "address", "postal_code", "website", "email", "phone", "rna"):
            context[key] = _text(row, key)
        context["email"] = clean_email(context["email"])
        for key in ("siret", "siren", "naf_code"):
            context[key] = digits_only(str(row.get(key) or "")).upper()
        context["legal_form"] = self.parsed(row, "legal_form", parse_legal_form)
        context["commune"] = self.parsed(row, "commune", self.communes.find)
        if not context["name"] and not context["siret"]:
            fail("name", _("le nom de la structure est obligatoire"))

    def find(self, row):
        context = self.row_context
        organisation = None
        if context["siret"]:
            organisation = self.by_siret.get(context["siret"])
            if organisation is not None and context["name"]:
                warn_siret_name(
                    self.warn,
                    "name",
                    context["siret"],
                    organisation,
                    context["name"],
                    replaced=True,
                )
        if organisation is None and context["name"]:
            commune = context["commune"]
            for candidate in self.by_name.get(name_key(context["name"]), []):
                if candidate.commune_id != (commune.pk if commune else None):
                    continue
                # Another SIRET under the same name is another establishment.
                if context["siret"] and candidate.siret:
                    continue
                organisation = candidate
                break
        return copy.copy(organisation) if organisation else None

    def natural_key(self, organisation):
        if organisation.siret:
            return ("siret", organisation.siret)
        return ("name", name_key(organisation.name), organisation.commune_id)

    def fill(self, organisation, row):
        context = self.row_context
        if context["name"] and (organisation.pk is None or not organisation.name):
            organisation.name = context["name"]
        elif context["name"] and fold(context["name"]) != fold(organisation.name):
            organisation.name = context["name"]
        if organisation.pk is None and not organisation.name:
            organisation.name = context["siret"]
        for attribute in IDENTIFIERS:
            if context[attribute] and not getattr(organisation, attribute):
                setattr(organisation, attribute, context[attribute])
        for attribute in ("address", "postal_code", "website", "email", "phone", "legal_form"):
            value = context[attribute]
            if value and getattr(organisation, attribute) != value:
                setattr(organisation, attribute, value)
        if context["commune"] is not None:
            organisation.commune = context["commune"]
        organisation.normalize()
