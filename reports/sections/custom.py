"""The sections built by hand, where a SectionSpec would be contrived (shares, map, texts)."""

from django.utils.translation import gettext as _

from crm.models import Stage, Status
from reports import charts, geo, mapchart, timeseries
from reports.sections.spec import Section, share


def funnel_section(figures, links) -> Section:
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
        (_("Lauréat·es"), funnel["winners"], links.calls()),
    ]
    rows = [[label, value, share(value, total)] for label, value, _url in steps]
    title = _("Parcours des projets arrivés sur la période")
    return Section(
        slug="funnel",
        sheet=_("Parcours des projets"),
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


def communes_section(figures, links) -> Section:
    territory = figures["territory"]
    shapes = geo.commune_shapes(territory)
    counts = figures["by_commune"]
    names = {c["insee_code"]: c["name"] for c in territory}
    title = _("Projets suivis par commune")
    rows = [[c["name"], counts.get(c["insee_code"], 0)] for c in territory]
    outside = sum(n for code, n in counts.items() if code not in names)
    if outside:
        rows.append([_("Hors territoire ou non renseignée"), outside])
    return Section(
        slug="communes",
        title=title,
        headers=[_("Commune"), _("Projets")],
        rows=rows,
        svg=mapchart.commune_map("chart-communes", title, shapes, counts) if shapes else "",
        note=_("Fond de carte : %(credit)s.") % {"credit": geo.credit(territory)}
        if shapes and geo.credit(territory)
        else "",
        link_url=links.projects(),
        link_label=_("Voir les projets"),
    )


def months_section(figures, links) -> Section:
    title = _("Heures et rendez-vous par mois")
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
        sheet=_("Rendez-vous par mois"),
        title=title,
        headers=[
            _("Mois"),
            _("Rendez-vous individuels"),
            _("Heures individuelles"),
            _("Rendez-vous collectifs"),
            _("Heures collectives"),
        ],
        rows=rows,
        svg=timeseries.monthly_chart("chart-months", title, figures["months"]),
        note=_(
            "Colonnes : heures des rendez-vous du mois, individuelles puis collectives "
            "(hachurées). Ligne : nombre de rendez-vous. Survolez un mois ou atteignez-le "
            "avec la touche Tab pour lire ses chiffres."
        ),
        link_url=links.meetings(),
        link_label=_("Voir les rendez-vous"),
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


def coach_hours_section(figures, links) -> Section:
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
        sheet=_("Heures par accompagnateur·rice"),
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


def profiles_section(figures, links) -> Section:
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
        sheet=_("Profil des porteur·ses"),
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


def eu_fund_section(figures, links) -> Section:
    table = figures["eu_fund"]
    title = _("Situation des participant·es (vue FSE+)")
    columns = table.headers()[1:]
    situations = [row for row in table.rows if row.code != "total"]
    return Section(
        slug="eu-fund",
        sheet=_("Situation FSE+"),
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


def medians_section(figures, links) -> Section:
    medians = figures["median_days"]
    title = _("Durée médiane passée dans chaque étape (jours)")
    rows = [
        [label, medians.get(value, {}).get("days"), medians.get(value, {}).get("stays", 0)]
        for value, label in Stage.choices
    ]
    return Section(
        slug="medians",
        sheet=_("Durée médiane par étape"),
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
