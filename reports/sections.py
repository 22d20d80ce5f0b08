"""Turn the dashboard's figures into sections: a chart (SVG), its figures as a table, a
definition, and a link to the list behind it. The page, the PDF and the XLSX (one sheet per
section) all read these sections, so they always say the same thing."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import FUND_FIELDS, ProjectMeasure, Sector, Stage, Status
from reports import charts, geo


@dataclass
class Section:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]
    svg: str = ""
    note: str = ""
    link_url: str = ""
    link_label: str = ""
    row_links: list[str] = field(default_factory=list)
    tiles: list[tuple[str, str]] = field(default_factory=list)

    @property
    def linked_rows(self) -> list[tuple]:
        """(first cell, its link or "", other cells) for the HTML table."""
        links = [*self.row_links, *[""] * len(self.rows)]
        return [(row[0], links[i], row[1:]) for i, row in enumerate(self.rows)]


def share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


class Links:
    """URLs of the lists behind the charts, carrying the dashboard's project filters and
    its period, so that a list holds the projects its chart counted."""

    def __init__(self, filter_params: dict[str, list[str]], period):
        self.filters = filter_params
        self.period = period

    def _project_list(self, scope: dict, extra: dict) -> str:
        params = {k: v for k, v in self.filters.items() if k not in extra}
        params.update(scope)
        params.update({k: v if isinstance(v, list) else [v] for k, v in extra.items()})
        return reverse("crm:project-list") + "?" + urlencode(params, doseq=True)

    def projects(self, **extra) -> str:
        """The period's portfolio: received before its end, not exited before its start."""
        scope = {
            "received_to": [self.period.end.isoformat()],
            "not_exited_before": [self.period.start.isoformat()],
        }
        return self._project_list(scope, extra)

    def received(self, **extra) -> str:
        """The projects received during the period (the funnel's applicants)."""
        scope = {
            "received_from": [self.period.start.isoformat()],
            "received_to": [self.period.end.isoformat()],
        }
        return self._project_list(scope, extra)

    def entered(self, **extra) -> str:
        """The projects whose entry date falls in the period (the EU-fund view)."""
        scope = {
            "entry_from": [self.period.start.isoformat()],
            "entry_to": [self.period.end.isoformat()],
        }
        return self._project_list(scope, extra)

    def meetings(self) -> str:
        query = urlencode(
            {"start_from": self.period.start.isoformat(), "start_to": self.period.end.isoformat()}
        )
        return f"{reverse('followups:meeting-list')}?{query}"

    def events(self) -> str:
        query = urlencode({"start_from": self.period.start.isoformat()})
        return f"{reverse('followups:event-list')}?{query}"


def build_sections(figures: dict, links: Links, *, pdf: bool = False) -> list[Section]:
    period = figures["period"]
    sections = [
        _funnel(figures, links),
        _stages(figures, links),
        _statuses(figures, links),
        _sectors(figures, links),
        _themes(figures, links),
        _communes(figures, links),
        _months(figures, links),
        _attendance(figures, links),
        _coach_hours(figures, links),
    ]
    if figures["contracts"]:
        sections.append(_contracts(figures))
    sections += [_profiles(figures, links), _outcomes(figures, links), _funds(figures, links)]
    sections.append(_medians(figures, links))
    sections.append(_eu_fund(figures, links))
    if figures["calls"]:
        sections.append(_calls(figures, period))
    return sections


def _funnel(figures, links) -> Section:
    funnel = figures["funnel"]
    total = funnel["applicants"]
    steps = [
        (_("Candidat·es"), funnel["applicants"], links.received()),
        (_("Diagnostiqué·es"), funnel["diagnosed"], links.received()),
        (
            _("Accompagné·es"),
            funnel["accompanied"],
            links.received(status=[Status.ACTIVE, Status.ON_HOLD, Status.COMPLETED]),
        ),
        (_("Lauréat·es"), funnel["winners"], reverse("crm:call-list")),
    ]
    rows = [[label, value, share(value, total)] for label, value, _url in steps]
    title = _("Parcours des projets arrivés sur la période")
    return Section(
        slug="funnel",
        title=title,
        headers=[_("Étape"), _("Projets"), _("% des candidat·es")],
        rows=rows,
        svg=charts.bars(
            "chart-funnel",
            title,
            [
                {
                    "label": r[0],
                    "values": [r[1]],
                    "texts": [f"{charts.fmt(r[1])} ({charts.fmt(r[2])} %)"],
                }
                for r in rows
            ],
            [_("Projets")],
        ),
        note=_(
            "Projets arrivés sur la période (inscription en ligne, sinon date d'entrée). "
            "Diagnostiqué·es : candidature examinée, rendez-vous de diagnostic ou accompagnement. "
            "Accompagné·es : passé·es « en accompagnement ». Lauréat·es : candidature retenue "
            "par le comité d'un appel à projets."
        ),
        link_url=links.received(),
        link_label=_("Voir les projets"),
        row_links=[url for _label, _value, url in steps],
    )


def _simple(slug, title, headers, items, link_url, link_label, note="", row_links=None):
    return Section(
        slug=slug,
        title=title,
        headers=headers,
        rows=[[label, value] for label, value in items],
        svg=charts.bars(
            f"chart-{slug}",
            title,
            [{"label": label, "values": [value]} for label, value in items],
            [headers[1]],
        ),
        note=note,
        link_url=link_url,
        link_label=link_label,
        row_links=row_links or [],
    )


PORTFOLIO_NOTE = gettext_lazy(
    "Projets suivis sur la période : arrivés avant sa fin et non sortis avant son début."
)


def _stages(figures, links) -> Section:
    counts = {}
    for row in figures["by_stage_status"]:
        counts[row["stage"]] = counts.get(row["stage"], 0) + row["count"]
    items = [(label, counts.get(value, 0)) for value, label in Stage.choices]
    return _simple(
        "stages",
        _("Projets suivis par étape"),
        [_("Étape"), _("Projets")],
        items,
        links.projects(),
        _("Voir les projets"),
        note=str(PORTFOLIO_NOTE),
        row_links=[links.projects(stage=value) for value in Stage.values],
    )


def _statuses(figures, links) -> Section:
    counts = {}
    for row in figures["by_stage_status"]:
        counts[row["status"]] = counts.get(row["status"], 0) + row["count"]
    items = [(label, counts.get(value, 0)) for value, label in Status.choices]
    return _simple(
        "statuses",
        _("Projets suivis par statut"),
        [_("Statut du suivi"), _("Projets")],
        items,
        links.projects(),
        _("Voir les projets"),
        note=str(PORTFOLIO_NOTE),
        row_links=[links.projects(status=value) for value in Status.values],
    )


def _sectors(figures, links) -> Section:
    counts = {row["sector"]: row["count"] for row in figures["by_sector"]}
    choices = [(v, label) for v, label in Sector.choices] + [("", _("Non renseigné"))]
    items = [(label, counts.get(value, 0)) for value, label in choices if counts.get(value)]
    items.sort(key=lambda item: -item[1])
    by_label = dict((label, value) for value, label in choices)
    return _simple(
        "sectors",
        _("Projets suivis par secteur"),
        [_("Secteur"), _("Projets")],
        items,
        links.projects(),
        _("Voir les projets"),
        row_links=[
            links.projects(sector=by_label[label]) if by_label[label] else "" for label, _v in items
        ],
    )


def _themes(figures, links) -> Section:
    items = [(row["theme__label"], row["count"]) for row in figures["by_theme"]]
    return _simple(
        "themes",
        _("Projets suivis par thème"),
        [_("Thème"), _("Projets")],
        items,
        links.projects(),
        _("Voir les projets"),
        note=_("Un projet peut relever de plusieurs thèmes."),
        row_links=[links.projects(theme=str(row["theme"])) for row in figures["by_theme"]],
    )


def _communes(figures, links) -> Section:
    shapes = geo.commune_shapes()
    counts = figures["by_commune"]
    names = figures["commune_names"]
    title = _("Projets suivis par commune")
    rows = [
        [names.get(c["insee"], c["name"]), counts.get(c["insee"], 0)] for c in shapes["communes"]
    ]
    outside = sum(n for code, n in counts.items() if code not in names)
    if outside:
        rows.append([_("Hors territoire ou non renseignée"), outside])
    return Section(
        slug="communes",
        title=title,
        headers=[_("Commune"), _("Projets")],
        rows=rows,
        svg=charts.commune_map("chart-communes", title, shapes, counts),
        note=_("Fond de carte : %(credit)s.") % {"credit": geo.CREDIT},
        link_url=links.projects(),
        link_label=_("Voir les projets"),
    )


def _months(figures, links) -> Section:
    title = _("Heures d'accompagnement par mois")
    series = [_("Individuel"), _("Collectif")]
    rows = [
        [
            f"{m['month']:%m/%Y}",
            m["individual_meetings"],
            m["individual_hours"],
            m["collective_meetings"],
            m["collective_hours"],
        ]
        for m in figures["months"]
    ]
    return Section(
        slug="months",
        title=title,
        headers=[
            _("Mois"),
            _("Rendez-vous individuels"),
            _("Heures individuelles"),
            _("Rendez-vous collectifs"),
            _("Heures collectives"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-months",
            title,
            [
                {
                    "label": r[0],
                    "values": [r[2], r[4]],
                    "empty": _("aucun rendez-vous"),
                    "texts": [
                        _("%(h)s h (%(n)s rdv)") % {"h": charts.fmt(r[2]), "n": r[1]},
                        _("%(h)s h (%(n)s rdv)") % {"h": charts.fmt(r[4]), "n": r[3]},
                    ],
                }
                for r in rows
            ],
            series,
        ),
        link_url=links.meetings(),
        link_label=_("Voir les rendez-vous"),
    )


def _attendance(figures, links) -> Section:
    title = _("Participation aux ateliers")
    rows = [
        [r["label"], r["events"], r["registered"], r["attended"], r["excused"], r["absent"]]
        for r in figures["attendance"]["rows"]
    ]
    return Section(
        slug="attendance",
        title=title,
        headers=[
            _("Type"),
            _("Séances"),
            _("Inscrit·es"),
            _("Présent·es"),
            _("Excusé·es"),
            _("Absent·es"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-attendance",
            title,
            [{"label": r[0], "values": [r[2], r[3]]} for r in rows],
            [_("Inscrit·es"), _("Présent·es")],
        ),
        link_url=links.events(),
        link_label=_("Voir les ateliers"),
    )


# A network has dozens of coaches: past this many bars the chart is unreadable (and
# heavy to draw in the PDF); the rest are summed into one bar.
COACH_BARS = 12


def _coach_bars(rows) -> list[dict]:
    """Bars of the coaches with the most hours used, then one bar for all the others."""
    ranked = sorted(rows, key=lambda r: r[3], reverse=True)
    bars = [{"label": r[0], "values": [r[2], r[3]]} for r in ranked[:COACH_BARS]]
    rest = ranked[COACH_BARS:]
    if rest:
        bars.append(
            {
                "label": _("Les %(n)s autres") % {"n": len(rest)},
                "values": [sum(r[2] for r in rest), sum(r[3] for r in rest)],
            }
        )
    return bars


def _coach_hours(figures, links) -> Section:
    title = _("Heures allouées et consommées par accompagnateur·rice")
    rows = [
        [
            r["name"] or _("Sans accompagnateur·rice"),
            r["projects"],
            r["allocated"],
            r["used"],
            r["used_in_period"],
        ]
        for r in figures["coach_hours"]
    ]
    return Section(
        slug="coach-hours",
        title=title,
        headers=[
            _("Accompagnateur·rice"),
            _("Projets suivis"),
            _("Heures allouées"),
            _("Heures consommées (cumul)"),
            _("dont sur la période"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-coach-hours",
            title,
            _coach_bars(rows),
            [_("Allouées"), _("Consommées")],
            suffix=" h",
        ),
        note=_(
            "Heures individuelles des rendez-vous, jusqu'à la fin de la période. Le graphique "
            "montre les %(n)s accompagnateur·rices aux heures consommées les plus élevées et "
            "regroupe les autres ; le tableau les donne tous."
        )
        % {"n": COACH_BARS},
        link_url=links.projects(),
        link_label=_("Voir les projets"),
        row_links=[
            links.projects(coach=str(r["coach_id"])) if r["coach_id"] else ""
            for r in figures["coach_hours"]
        ],
    )


def _contracts(figures) -> Section:
    title = _("Marché du prestataire")
    rows = [
        [
            f"{r['reference']} – {r['provider']}",
            r["max_amount"],
            r["ordered_amount"],
            r["consumed_amount"],
            r["period_amount"],
            r["hours_ordered"],
            r["hours_consumed"],
        ]
        for r in figures["contracts"]
    ]
    return Section(
        slug="contracts",
        title=title,
        headers=[
            _("Marché"),
            _("Montant maximum (€)"),
            _("Commandé (€)"),
            _("Consommé, cumul (€)"),
            _("Consommé sur la période (€)"),
            _("Heures commandées"),
            _("Heures consommées"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-contracts",
            title,
            [{"label": r[0], "values": [r[1], r[2], r[3]]} for r in rows],
            [_("Maximum"), _("Commandé"), _("Consommé")],
            suffix=" €",
        ),
        link_url=reverse("followups:contract-list"),
        link_label=_("Voir les marchés et les états mensuels"),
    )


def _profiles(figures, links) -> Section:
    p = figures["profiles"]
    title = _("Profil des porteur·ses et des projets")
    items = [
        (_("Femmes"), p["women"], p["people"]),
        (_("Moins de 26 ans"), p["under_26"], p["people"]),
        (_("Demandeur·ses d'emploi à l'entrée"), p["jobseekers"], p["people"]),
        (_("Résident·es d'un QPV"), p["qpv_residents"], p["people"]),
        (_("Projets implantés en QPV"), p["projects_in_qpv"], p["projects"]),
    ]
    rows = [[label, part, whole, share(part, whole)] for label, part, whole in items]
    return Section(
        slug="profiles",
        title=title,
        headers=[_("Indicateur"), _("Nombre"), _("Sur"), _("Part (%)")],
        rows=rows,
        svg=charts.bars(
            "chart-profiles",
            title,
            [
                {
                    "label": r[0],
                    "values": [r[3]],
                    "texts": [f"{charts.fmt(r[3])} % ({r[1]}/{r[2]})"],
                }
                for r in rows
            ],
            [_("Part")],
            maximum=100,
        ),
        note=_(
            "Porteur·ses des projets suivis sur la période. Âge à la fin de la période ; "
            "les informations non renseignées comptent comme « non »."
        ),
        link_url=links.projects(in_qpv="true"),
        link_label=_("Voir les projets implantés en QPV"),
    )


def _outcomes(figures, links) -> Section:
    o = figures["outcomes"]
    rows = [
        [_("Structures créées"), o["structures_created"]],
        [_("Emplois (personnes)"), o["jobs"]],
        [_("dont CDI"), o["jobs_permanent"]],
        [_("dont CDD"), o["jobs_fixed_term"]],
        [_("Équivalents temps plein"), o["fte"]],
        [_("Chiffre d'affaires annuel (€)"), o["turnover"]],
        [_("Fonds levés (€)"), o["funds_total"]],
        [_("Projets mesurés"), o["measured"]],
        [_("dont toujours en activité"), o["still_active"]],
    ]
    return Section(
        slug="outcomes",
        title=_("Résultats"),
        headers=[_("Indicateur"), _("Valeur")],
        rows=rows,
        tiles=[(rows[i][0], charts.fmt(rows[i][1])) for i in (0, 1, 4, 5, 6)],
        note=_(
            "Structures créées : projets passés à l'étape Lancement sur la période. Les autres "
            "indicateurs additionnent la dernière mesure de chaque projet suivi à la fin de la "
            "période."
        ),
        link_url=links.projects(stage=Stage.LAUNCH),
        link_label=_("Voir les projets en lancement"),
    )


def _eu_fund(figures, links) -> Section:
    table = figures["eu_fund"]
    title = _("Situation des participant·es (vue FSE+)")
    columns = table.headers()[1:]
    situations = [row for row in table.rows if row.code != "total"]
    return Section(
        slug="eu-fund",
        title=title,
        headers=table.headers(),
        rows=[[r.label, r.at_entry, r.at_exit, r.six_months_after] for r in table.rows]
        + [[label, count, "", ""] for label, count in table.profile],
        svg=charts.bars(
            "chart-eu-fund",
            title,
            [
                {"label": r.label, "values": [r.at_entry, r.at_exit, r.six_months_after]}
                for r in situations
            ],
            columns,
        ),
        note=_(
            "À l'entrée : porteur·ses principaux des projets entrés sur la période. À la "
            "sortie : projets sortis sur la période. 6 mois après : projets dont la sortie "
            "date de six mois pendant la période. Les lignes de profil comptent les "
            "participant·es à l'entrée."
        ),
        link_url=links.entered(),
        link_label=_("Voir les projets"),
    )


def _funds(figures, links) -> Section:
    o = figures["outcomes"]
    labels = {name: ProjectMeasure._meta.get_field(name).verbose_name for name in FUND_FIELDS}
    items = [(capfirst(str(labels[name]).replace(" (€)", "")), o[name]) for name in FUND_FIELDS]
    return _simple(
        "funds",
        _("Fonds levés par type"),
        [_("Type de financement"), _("Montant (€)")],
        items,
        links.projects(),
        _("Voir les projets"),
        note=_("Dernière mesure de chaque projet suivi, à la fin de la période."),
    )


def _medians(figures, links) -> Section:
    medians = figures["median_days"]
    title = _("Durée médiane passée dans chaque étape (jours)")
    rows = [
        [label, medians.get(value, {}).get("days"), medians.get(value, {}).get("stays", 0)]
        for value, label in Stage.choices
    ]
    return Section(
        slug="medians",
        title=title,
        headers=[_("Étape"), _("Jours (médiane)"), _("Passages terminés")],
        rows=rows,
        svg=charts.bars(
            "chart-medians",
            title,
            [
                {
                    "label": r[0],
                    "values": [r[1] or 0],
                    "texts": [_("%(d)s j (%(n)s passages)") % {"d": charts.fmt(r[1]), "n": r[2]}],
                }
                for r in rows
            ],
            [_("Jours")],
        ),
        note=_("Passages terminés sur la période, des projets suivis."),
        link_url=links.projects(),
        link_label=_("Voir les projets"),
        row_links=[links.projects(stage=value) for value in Stage.values],
    )


def _calls(figures, period) -> Section:
    title = _("Enveloppe des appels à projets")
    rows = [
        [c["label"], c["envelope"], c["awarded"], c["left"], c["winners"], c["applications"]]
        for c in figures["calls"]
    ]
    return Section(
        slug="calls",
        title=title,
        headers=[
            _("Appel"),
            _("Enveloppe (€)"),
            _("Attribué (€)"),
            _("Reste (€)"),
            _("Lauréat·es"),
            _("Candidatures"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-calls",
            title,
            [{"label": r[0], "values": [r[1], r[2]]} for r in rows],
            [_("Enveloppe"), _("Attribué")],
            suffix=" €",
        ),
        link_url=reverse("crm:call-list"),
        link_label=_("Voir les appels à projets"),
        row_links=[reverse("crm:call-detail", args=[c["call"].pk]) for c in figures["calls"]],
    )
