"""A believable, deterministic demo data set for the 16 communes of the territory.

`build_plan()` is pure (a seeded random generator, no database), so running the seed twice
plans exactly the same records and `apply_plan()` finds them all by their natural keys.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from crm.devtools import demo_esf
from crm.models import ExitReason, MeasureKind, Sector, Source, Stage, Status

FIRST_NAMES_F = [
    "Camille",
    "Léa",
    "Inès",
    "Fatoumata",
    "Sarah",
    "Chloé",
    "Aïcha",
    "Manon",
    "Julie",
    "Nadia",
    "Emma",
    "Sophie",
    "Amina",
    "Claire",
    "Yasmine",
    "Lucie",
    "Mariam",
    "Élodie",
]
FIRST_NAMES_M = [
    "Mehdi",
    "Hugo",
    "Yacine",
    "Thomas",
    "Karim",
    "Lucas",
    "Mamadou",
    "Julien",
    "Antoine",
    "Samir",
    "Nicolas",
    "Théo",
    "Moussa",
    "Rémi",
    "Bilal",
    "Maxime",
    "Omar",
    "Pierre",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Traoré",
    "Dubois",
    "Lefèvre",
    "Benali",
    "Moreau",
    "Diallo",
    "Laurent",
    "Nguyen",
    "Garcia",
    "Roux",
    "Haddad",
    "Fontaine",
    "Mercier",
    "Kone",
    "Girard",
    "Lambert",
    "Bonnet",
    "Chevalier",
    "Mendy",
    "Perrin",
    "Cissé",
    "Robin",
    "Faure",
    "Rousseau",
    "Barbier",
]

# (sector, name templates, summary, social impact, environmental impact)
PROJECT_IDEAS = [
    (
        Sector.FOOD,
        ["Épicerie solidaire", "Cantine solidaire", "Traiteur d'insertion"],
        "Une épicerie à prix solidaires pour les familles du quartier, avec un espace café.",
        "Accès à une alimentation de qualité pour les ménages à petit budget.",
        "Circuits courts et lutte contre le gaspillage alimentaire.",
    ),
    (
        Sector.AGRICULTURE,
        ["Maraîchage bio", "Ferme urbaine", "Jardins partagés"],
        "Production maraîchère biologique en ceinture verte et vente en paniers.",
        "Emplois en insertion et ateliers pédagogiques pour les écoles.",
        "Agriculture biologique, sols vivants, biodiversité.",
    ),
    (
        Sector.THIRD_PLACE,
        ["Tiers-lieu", "Coworking solidaire", "Fabrique de quartier"],
        "Un lieu partagé de travail, de formation et d'activités associatives.",
        "Lien social, accueil des indépendants et des associations locales.",
        "Réhabilitation d'un bâtiment vacant, mobilier de réemploi.",
    ),
    (
        Sector.MOBILITY,
        ["Atelier vélo", "Vélo-école", "Recyclerie du cycle"],
        "Atelier participatif d'autoréparation de vélos et vente de vélos reconditionnés.",
        "Mobilité accessible et apprentissage de la mécanique.",
        "Report modal de la voiture vers le vélo, réemploi.",
    ),
    (
        Sector.LOGISTICS,
        ["Livraison à vélo cargo", "Coursiers solidaires"],
        "Livraison du dernier kilomètre en vélos cargos électriques pour les commerces.",
        "Emplois locaux en CDI pour des personnes éloignées de l'emploi.",
        "Moins de camionnettes en ville, zéro émission à l'usage.",
    ),
    (
        Sector.TOURISM,
        ["Tourisme fluvial", "Balades sur la Marne", "Guinguette solidaire"],
        "Découverte des bords de Marne en bateau électrique, ouverte à tous les publics.",
        "Loisirs accessibles aux personnes à mobilité réduite et aux familles.",
        "Bateaux électriques, sensibilisation à la biodiversité des berges.",
    ),
    (
        Sector.CIRCULAR,
        ["Compostage", "Ressourcerie", "Recyclerie"],
        "Collecte et compostage des biodéchets des restaurants et des habitants.",
        "Emplois d'insertion et animations de sensibilisation.",
        "Réduction des déchets enfouis, compost pour les jardins.",
    ),
    (
        Sector.FINANCE,
        ["Club d'investisseurs solidaires", "Monnaie locale", "Microcrédit"],
        "Un outil de finance solidaire pour les petites entreprises du territoire.",
        "Accès au crédit pour les créateurs exclus du système bancaire.",
        "Financement fléché vers la transition écologique.",
    ),
    (
        Sector.RETAIL,
        ["Supermarché coopératif", "Boutique de créateurs", "Friperie solidaire"],
        "Un supermarché géré par ses membres, qui y donnent trois heures par mois.",
        "Prix justes, gouvernance partagée entre habitants.",
        "Vrac, produits locaux et de saison.",
    ),
    (
        Sector.CARE,
        ["Aide à domicile coopérative", "Maison de santé associative"],
        "Services d'aide à domicile en coopérative, salariés associés.",
        "Maintien à domicile et emplois de qualité dans le soin.",
        "Tournées optimisées, déplacements à vélo.",
    ),
    (
        Sector.EDUCATION,
        ["Auto-école solidaire", "Chantier d'insertion", "École du numérique"],
        "Un parcours d'insertion par l'activité économique vers les métiers du territoire.",
        "Retour à l'emploi de personnes qui en sont éloignées.",
        "Chantiers de rénovation énergétique.",
    ),
    (
        Sector.CULTURE,
        ["Café culturel", "Radio associative", "Ateliers d'artistes"],
        "Un café associatif avec programmation culturelle et ateliers.",
        "Lieu de rencontre intergénérationnel.",
        "Approvisionnement local et vaisselle réutilisable.",
    ),
]

PARTNERS = [
    ("Chambre régionale de l'ESS Île-de-France", "partner", "association"),
    ("Région Île-de-France", "funder", ""),
    ("Université Paris-Est Créteil", "partner", ""),
    ("France Active Val-de-Marne", "funder", "association"),
    ("Initiative Plaine Centrale", "funder", "association"),
]
PROVIDER_NAME = "Coop'Accompagnement ESS"

LEGAL_FORMS = [
    "association",
    "association",
    "association",
    "scop",
    "scic",
    "ess_company",
    "sole_trader",
    "cae",
    "not_incorporated",
]
PERSON_ROLES = ["founder", "director", "founder", "board_member"]
STAGES = Stage.values


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit that makes `prefix` + digit valid."""
    for digit in "0123456789":
        candidate = prefix + digit
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


@dataclass
class PersonPlan:
    first_name: str
    last_name: str
    email: str
    phone: str
    gender: str
    birth_year: int
    commune: str
    lives_in_qpv: bool
    employment: str


@dataclass
class OrganisationPlan:
    name: str
    legal_form: str
    siret: str
    commune: str
    naf_code: str
    esus_since: datetime.date | None


@dataclass
class ProjectPlan:
    name: str
    sector: str
    summary: str
    social_impact: str
    environmental_impact: str
    commune: str
    in_qpv: bool
    source: str
    entry_date: datetime.date
    hours_allocated: Decimal
    coach: str | None
    officer: str | None
    themes: list[str]
    lead: PersonPlan
    partner: PersonPlan | None
    organisation: OrganisationPlan | None
    # Each move: (date, stage, status, exit_reason, note)
    moves: list[tuple] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    # ESF+ (crm.devtools.demo_esf): cofinanced, the participant's answers, situations.
    esf_funded: bool = False
    esf: dict | None = None
    situation_at_exit: str = ""
    situation_6_months: str = ""


def _phone(rng: random.Random) -> str:
    return "+336" + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _person(rng, communes, used_emails, tag: str = "") -> PersonPlan:
    female = rng.random() < 0.55
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    last = rng.choice(LAST_NAMES)
    base = f"{first}.{last}".lower()
    for src, dst in zip("éèëêïîôöçàâ", "eeeeiiooca" + "a", strict=True):
        base = base.replace(src, dst)
    email = f"{base}.{tag}@exemple.fr" if tag else f"{base}@exemple.fr"
    suffix = 2
    while email in used_emails:
        email = f"{base}{suffix}@exemple.fr"
        suffix += 1
    used_emails.add(email)
    return PersonPlan(
        first_name=first,
        last_name=last,
        email=email,
        phone=_phone(rng),
        gender="female" if female else ("male" if rng.random() < 0.95 else "undisclosed"),
        birth_year=rng.randint(1962, 2004),
        commune=rng.choice(communes),
        lives_in_qpv=rng.random() < 0.3,
        employment=rng.choice(
            [
                "jobseeker",
                "jobseeker",
                "employed",
                "self_employed",
                "student",
                "jobseeker_long_term",
                "inactive",
            ]
        ),
    )


def _target_state(rng) -> tuple[str, str, str]:
    """(stage, status, exit reason) with a believable spread over the pipeline."""
    status = rng.choices(
        [Status.APPLICANT, Status.ACTIVE, Status.ON_HOLD, Status.EXITED, Status.COMPLETED],
        weights=[12, 50, 8, 12, 18],
    )[0]
    if status == Status.APPLICANT:
        stage = rng.choice([Stage.IDEA, Stage.IDEA, Stage.FEASIBILITY])
    elif status == Status.COMPLETED:
        stage = rng.choice([Stage.LAUNCH, Stage.CONSOLIDATION, Stage.SCALE_UP])
    else:
        stage = rng.choices(STAGES, weights=[15, 25, 25, 20, 15])[0]
    reason = rng.choice(ExitReason.values[:-1]) if status == Status.EXITED else ""
    return stage, status, reason


def build_plan(
    *,
    communes: list[str],
    count: int = 60,
    today: datetime.date,
    seed: int = 2016,  # the year of the first call for projects
    first_index: int = 0,
    years: float = 6.5,
    tag: str = "",
) -> list[ProjectPlan]:
    """Plan `count` projects. With a `tag` (the scaled data set), names, emails and SIRENs
    are made unique from the project's index instead of by searching for a free one."""
    rng = random.Random(seed)
    used_emails: set[str] = set()
    used_names: set[str] = set()
    plans = []
    theme_codes = [
        "strategy",
        "business_model",
        "funding",
        "governance",
        "hr",
        "cooperation",
        "local_partnerships",
        "digital",
        "public_procurement",
        "premises",
        "legal_status",
    ]
    for index in range(first_index, first_index + count):
        sector, templates, summary, social, environmental = PROJECT_IDEAS[
            index % len(PROJECT_IDEAS)
        ]
        commune = rng.choice(communes)
        lead = _person(rng, communes, used_emails, tag=str(index) if tag else "")
        name = f"{rng.choice(templates)} {lead.last_name}"
        if tag:
            name = f"{name} {tag}{index}"
        if name in used_names:
            name = f"{name} – {commune}"
        suffix = 2
        base_name = name
        while name in used_names:
            name = f"{base_name} {suffix}"
            suffix += 1
        used_names.add(name)
        partner = (
            _person(rng, communes, used_emails, tag=f"{index}b" if tag else "")
            if rng.random() < 0.3
            else None
        )
        organisation = None
        if rng.random() < 0.7:
            legal_form = rng.choice(LEGAL_FORMS)
            siret = ""
            if legal_form != "not_incorporated":
                siren = luhn_complete(
                    f"{20_000_000 + index:08d}" if tag else str(rng.randint(10_000_000, 99_999_999))
                )
                siret = luhn_complete(siren + f"{rng.randint(1, 9999):04d}")
            organisation = OrganisationPlan(
                name=f"{name} ({'SCOP' if legal_form == 'scop' else 'structure'})"
                if legal_form in ("scop", "scic")
                else f"Les Ateliers {lead.last_name} {index}"
                if legal_form == "ess_company"
                else f"Association {name}",
                legal_form=legal_form,
                siret=siret,
                commune=commune,
                naf_code=rng.choice(["9499Z", "4711D", "8899B", "0113Z", "5320Z", "9329Z"])
                if siret
                else "",
                esus_since=today - datetime.timedelta(days=rng.randint(100, 1500))
                if legal_form in ("ess_company", "scic") and rng.random() < 0.7
                else None,
            )
        stage, status, exit_reason = _target_state(rng)
        years_back = rng.uniform(0.05, years) if status != Status.APPLICANT else rng.uniform(0, 0.2)
        entry = today - datetime.timedelta(days=int(years_back * 365))
        source = rng.choice(Source.values)
        coach = None
        if status != Status.APPLICANT and rng.random() < 0.85:
            coach = rng.choice(["coach", "coach", "coach2"])
        plan = ProjectPlan(
            name=name,
            sector=sector,
            summary=summary,
            social_impact=social,
            environmental_impact=environmental,
            commune=commune,
            in_qpv=rng.random() < 0.25,
            source=source,
            entry_date=entry,
            hours_allocated=Decimal(rng.choice([0, 10, 15, 20, 25, 30])) if coach else Decimal(0),
            coach=coach,
            officer="officer" if rng.random() < 0.9 else None,
            themes=rng.sample(theme_codes, rng.randint(1, 3)),
            lead=lead,
            partner=partner,
            organisation=organisation,
        )
        # Walk the stages from the idea up to the target, then set the final status;
        # the days of the moves are drawn then sorted so the history reads in order.
        span = max((today - entry).days, 1)
        target_index = STAGES.index(stage)
        start_index = min(target_index, rng.choice([0, 0, 1]))
        ends_elsewhere = status in (Status.ON_HOLD, Status.EXITED, Status.COMPLETED)
        steps = target_index - start_index + (1 if status != Status.APPLICANT else 0)
        steps += 1 if ends_elsewhere else 0
        days = sorted(rng.randint(1, span) for _ in range(steps))
        plan.moves.append((entry, STAGES[start_index], Status.APPLICANT, "", ""))
        current_status = Status.APPLICANT
        if status != Status.APPLICANT:
            current_status = Status.ACTIVE
            plan.moves.append(
                (
                    entry + datetime.timedelta(days=days.pop(0)),
                    STAGES[start_index],
                    Status.ACTIVE,
                    "",
                    "Candidature acceptée en comité de sélection.",
                )
            )
        for stage_index in range(start_index + 1, target_index + 1):
            day = entry + datetime.timedelta(days=days.pop(0))
            plan.moves.append((day, STAGES[stage_index], current_status, "", ""))
        if ends_elsewhere:
            note = {
                Status.ON_HOLD: "Pause à la demande du porteur de projet, reprise prévue.",
                Status.EXITED: "Sortie du dispositif.",
                Status.COMPLETED: "Accompagnement terminé, structure en activité.",
            }[status]
            day = entry + datetime.timedelta(days=days.pop(0))
            plan.moves.append((day, stage, status, exit_reason, note))
        # Indicators at entry, then yearly for launched projects.
        if target_index >= STAGES.index(Stage.LAUNCH) and status != Status.APPLICANT:
            jobs = rng.randint(0, 2)
            plan.measures.append(
                {
                    "measured_on": entry,
                    "kind": MeasureKind.AT_ENTRY,
                    "jobs_permanent": jobs,
                    "fte": Decimal(jobs),
                    "turnover": Decimal(0),
                }
            )
            unknown = len(plans) % 4 == 3
            yearly = entry + datetime.timedelta(days=365)
            growth = 1
            while yearly < today:
                growth += 1
                plan.measures.append(
                    {
                        "measured_on": yearly,
                        "kind": MeasureKind.FREE,
                        "jobs_permanent": jobs + growth,
                        "jobs_fixed_term": rng.randint(0, 3),
                        "fte": Decimal(jobs + growth) - Decimal("0.5"),
                        # Every fourth project's follow-ups leave turnover and activity
                        # unknown (no answer): reports must tell unknown from zero.
                        "turnover": None if unknown else Decimal(rng.randint(20, 400) * 1000),
                        "funds_grant": Decimal(rng.choice([0, 2500, 5000, 10000])),
                        "funds_honour_loan": Decimal(rng.choice([0, 0, 8000, 15000])),
                        "funds_bank_loan": Decimal(rng.choice([0, 0, 0, 30000])),
                        "funds_crowdfunding": Decimal(rng.choice([0, 0, 4000])),
                        "still_active": None if unknown else status != Status.EXITED,
                    }
                )
                yearly += datetime.timedelta(days=365)
        demo_esf.enrich(plan, index=index, seed=seed, status=status, today=today)
        plans.append(plan)
    return plans
