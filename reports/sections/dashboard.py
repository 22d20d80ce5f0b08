"""The dashboard's sections in page order (specs and hand-built ones) and `build_sections`."""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import FUND_FIELDS, ProjectMeasure, Sector, Stage, Status
from reports.sections import custom
from reports.sections.links import Links
from reports.sections.spec import Column, Section, SectionSpec, build

PORTFOLIO_NOTE = gettext_lazy(
    "Projets suivis sur la période : arrivés avant sa fin et non sortis avant son début."
)


def _counts_by_choice(name: str, choices):
    """Records of the portfolio's counts per stage or status, every choice in its order."""

    def records(by_stage_status: list[dict]) -> list[dict]:
        counts = {}
        for row in by_stage_status:
            counts[row[name]] = counts.get(row[name], 0) + row["count"]
        return [
            {"value": value, "label": label, "count": counts.get(value, 0)}
            for value, label in choices.choices
        ]

    return records


def _sector_records(by_sector: list[dict]) -> list[dict]:
    """The sectors that have projects (and "not given"), the largest first."""
    counts = {row["sector"]: row["count"] for row in by_sector}
    choices = [(v, label) for v, label in Sector.choices] + [("", _("Non renseigné"))]
    records = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in choices
        if counts.get(value)
    ]
    records.sort(key=lambda record: -record["count"])
    return records


def _outcome_records(o: dict) -> list[dict]:
    """The outcome indicators; those marked "tile" are also shown as figures on the page."""
    return [
        {"label": _("Structures créées"), "value": o["structures_created"], "tile": True},
        {"label": _("Emplois (personnes)"), "value": o["jobs"], "tile": True},
        {"label": _("dont CDI"), "value": o["jobs_permanent"]},
        {"label": _("dont CDD"), "value": o["jobs_fixed_term"]},
        {"label": _("dont emplois aidés"), "value": o["jobs_subsidised"]},
        {"label": _("Bénévoles réguliers"), "value": o["jobs_volunteer"]},
        {"label": _("Équivalents temps plein"), "value": o["fte"], "tile": True},
        {"label": _("Chiffre d'affaires annuel (€)"), "value": o["turnover"], "tile": True},
        {"label": _("Fonds levés (€)"), "value": o["funds_total"], "tile": True},
        {"label": _("Projets mesurés"), "value": o["measured"]},
        {"label": _("dont toujours en activité"), "value": o["still_active"]},
    ]


def _fund_records(o: dict) -> list[dict]:
    """Funds raised per type of funding, labelled by the measure's field."""
    labels = {name: ProjectMeasure._meta.get_field(name).verbose_name for name in FUND_FIELDS}
    return [
        {"label": capfirst(str(labels[name]).replace(" (€)", "")), "amount": o[name]}
        for name in FUND_FIELDS
    ]


SECTIONS = (
    custom.funnel_section,
    SectionSpec(
        slug="stages",
        title=gettext_lazy("Projets suivis par étape"),
        figure="by_stage_status",
        records=_counts_by_choice("stage", Stage),
        columns=(
            Column(gettext_lazy("Étape"), "label"),
            Column(gettext_lazy("Projets"), "count", series=gettext_lazy("Projets")),
        ),
        note=PORTFOLIO_NOTE,
        row_link=lambda links, record: links.projects(stage=record["value"]),
    ),
    SectionSpec(
        slug="statuses",
        title=gettext_lazy("Projets suivis par statut"),
        figure="by_stage_status",
        records=_counts_by_choice("status", Status),
        columns=(
            Column(gettext_lazy("Statut du suivi"), "label"),
            Column(gettext_lazy("Projets"), "count", series=gettext_lazy("Projets")),
        ),
        note=PORTFOLIO_NOTE,
        row_link=lambda links, record: links.projects(status=record["value"]),
    ),
    SectionSpec(
        slug="sectors",
        title=gettext_lazy("Projets suivis par secteur"),
        figure="by_sector",
        records=_sector_records,
        columns=(
            Column(gettext_lazy("Secteur"), "label"),
            Column(gettext_lazy("Projets"), "count", series=gettext_lazy("Projets")),
        ),
        # "Not given" has no list filter: no link.
        row_link=lambda links, record: (
            links.projects(sector=record["value"]) if record["value"] else ""
        ),
    ),
    SectionSpec(
        slug="themes",
        title=gettext_lazy("Projets suivis par thème"),
        figure="by_theme",
        columns=(
            Column(gettext_lazy("Thème"), "theme__label"),
            Column(gettext_lazy("Projets"), "count", series=gettext_lazy("Projets")),
        ),
        note=gettext_lazy("Un projet peut relever de plusieurs thèmes."),
        row_link=lambda links, record: links.projects(theme=str(record["theme"])),
    ),
    custom.communes_section,
    custom.months_section,
    SectionSpec(
        slug="attendance",
        title=gettext_lazy("Participation aux ateliers"),
        figure="attendance",
        records=lambda attendance: attendance["rows"],
        columns=(
            Column(gettext_lazy("Type"), "label"),
            Column(gettext_lazy("Séances"), "events"),
            Column(gettext_lazy("Inscrit·es"), "registered", series=gettext_lazy("Inscrit·es")),
            Column(gettext_lazy("Présent·es"), "attended", series=gettext_lazy("Présent·es")),
            Column(gettext_lazy("Excusé·es"), "excused"),
            Column(gettext_lazy("Absent·es"), "absent"),
        ),
        link=Links.events,
        link_label=gettext_lazy("Voir les ateliers"),
    ),
    custom.coach_hours_section,
    SectionSpec(
        slug="contracts",
        title=gettext_lazy("Marché du prestataire"),
        figure="contracts",
        skip_empty=True,
        columns=(
            Column(gettext_lazy("Marché"), lambda r: f"{r['reference']} – {r['provider']}"),
            Column(
                gettext_lazy("Montant maximum (€)"), "max_amount", series=gettext_lazy("Maximum")
            ),
            Column(gettext_lazy("Commandé (€)"), "ordered_amount", series=gettext_lazy("Commandé")),
            Column(
                gettext_lazy("Consommé, cumul (€)"),
                "consumed_amount",
                series=gettext_lazy("Consommé"),
            ),
            Column(gettext_lazy("Consommé sur la période (€)"), "period_amount"),
            Column(gettext_lazy("Heures commandées"), "hours_ordered"),
            Column(gettext_lazy("Heures consommées"), "hours_consumed"),
        ),
        suffix=" €",
        link=lambda links: reverse("followups:contract-list"),
        link_label=gettext_lazy("Voir les marchés et les états mensuels"),
    ),
    custom.profiles_section,
    SectionSpec(
        slug="outcomes",
        title=gettext_lazy("Résultats"),
        figure="outcomes",
        records=_outcome_records,
        chart="tiles",
        columns=(
            Column(gettext_lazy("Indicateur"), "label"),
            Column(gettext_lazy("Valeur"), "value"),
        ),
        note=gettext_lazy(
            "Structures créées : projets passés à l'étape Lancement sur la période. Les autres "
            "indicateurs additionnent la dernière mesure de chaque projet suivi à la fin de la "
            "période."
        ),
        link=lambda links: links.projects(stage=Stage.LAUNCH),
        link_label=gettext_lazy("Voir les projets en lancement"),
    ),
    SectionSpec(
        slug="funds",
        title=gettext_lazy("Fonds levés par type"),
        figure="outcomes",
        records=_fund_records,
        columns=(
            Column(gettext_lazy("Type de financement"), "label"),
            Column(gettext_lazy("Montant (€)"), "amount", series=gettext_lazy("Montant (€)")),
        ),
        note=gettext_lazy("Dernière mesure de chaque projet suivi, à la fin de la période."),
    ),
    custom.medians_section,
    custom.eu_fund_section,
    SectionSpec(
        slug="calls",
        title=gettext_lazy("Enveloppe des appels à projets"),
        figure="calls",
        skip_empty=True,
        columns=(
            Column(gettext_lazy("Appel"), "label"),
            Column(gettext_lazy("Enveloppe (€)"), "envelope", series=gettext_lazy("Enveloppe")),
            Column(gettext_lazy("Attribué (€)"), "awarded", series=gettext_lazy("Attribué")),
            Column(gettext_lazy("Reste à attribuer (€)"), "left"),
            Column(gettext_lazy("Versé (€)"), "paid", series=gettext_lazy("Versé")),
            Column(gettext_lazy("Reste à verser (€)"), "to_pay"),
            Column(gettext_lazy("Lauréat·es"), "winners"),
            Column(gettext_lazy("Candidatures"), "applications"),
        ),
        suffix=" €",
        link=Links.calls,
        link_label=gettext_lazy("Voir les appels à projets"),
        row_link=lambda links, call: links.call(call["call"].pk),
    ),
)


def build_sections(figures: dict, links: Links, *, pdf: bool = False) -> list[Section]:
    """Every section of the dashboard, in page order, from its figures."""
    sections = []
    for entry in SECTIONS:
        if isinstance(entry, SectionSpec):
            section = build(entry, figures, links)
        else:
            section = entry(figures, links)
        if section is not None:
            sections.append(section)
    return sections


# The dashboard's blocks, in page order, each with the sections it holds (by slug); a
# section not listed goes to the last block. The block ids are the page's anchors.
BLOCKS = (
    (
        "pipeline",
        gettext_lazy("Pipeline"),
        ("funnel", "stages", "statuses", "communes", "sectors", "themes", "medians"),
    ),
    ("activity", gettext_lazy("Activité"), ("months", "attendance")),
    ("provider", gettext_lazy("Prestataire"), ("coach-hours", "contracts")),
    ("outcomes", gettext_lazy("Résultats"), ("outcomes", "funds", "calls")),
    ("eu-funds", gettext_lazy("Fonds européens (FSE+)"), ("eu-fund", "profiles")),
)


def group_sections(sections: list[Section]) -> list[dict]:
    """The sections as the page's blocks: [{"slug", "title", "sections"}], every block kept
    (an empty one still has its anchor)."""
    blocks = [{"slug": slug, "title": str(title), "sections": []} for slug, title, _s in BLOCKS]
    where = {slug: index for index, (_b, _t, slugs) in enumerate(BLOCKS) for slug in slugs}
    for section in sections:
        blocks[where.get(section.slug, len(blocks) - 1)]["sections"].append(section)
    return blocks
