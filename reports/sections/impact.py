"""The survival and impact sections (by year of creation), apart from the page's others so
that the dashboard's layout can place them as one block (templates/reports/_impact.html)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import charts
from reports.sections.spec import Section
from reports.selectors.impact import SURVIVAL_YEARS

SURVIVAL_NOTE = gettext_lazy(
    "Structure créée : premier passage du projet à l'étape Lancement (ou au-delà). Une "
    "structure compte à N ans quand N années ont passé depuis sa création : active si une "
    "mesure la dit toujours en activité à cette date ou après, fermée si une mesure la dit "
    "arrêtée à cette date ou avant, inconnue sinon. Le taux ne porte que sur les statuts "
    "connus ; la part d'inconnus est donnée à côté."
)


def _years_label(years: int) -> str:
    return _("à %(n)s an") % {"n": years} if years == 1 else _("à %(n)s ans") % {"n": years}


def survival_section(figures, links) -> Section:
    impact = figures["impact"]
    cohorts = impact["cohorts"]
    headers = [_("Année de création"), _("Structures créées")]
    for years in SURVIVAL_YEARS:
        label = _years_label(years)
        headers += [
            _("Survie %(when)s (%%)") % {"when": label},
            _("Actives / fermées / inconnues %(when)s") % {"when": label},
            _("Inconnues %(when)s (%%)") % {"when": label},
        ]
    rows = []
    for cohort in [*cohorts, impact["total"]]:
        row = [str(cohort.year) if cohort.year else _("Toutes années"), cohort.created]
        for years in SURVIVAL_YEARS:
            survival = cohort.survival[years]
            if not survival.eligible:
                row += [None, _("pas encore"), None]
                continue
            row += [
                survival.rate,
                f"{survival.active} / {survival.closed} / {survival.unknown}",
                survival.unknown_share,
            ]
        rows.append(row)
    title = _("Survie des structures par année de création")
    series = [_years_label(years) for years in SURVIVAL_YEARS]
    return Section(
        slug="survival",
        title=title,
        sheet=_("Survie"),
        headers=headers,
        rows=rows,
        svg=charts.bars(
            "chart-survival",
            title,
            [
                {
                    "label": str(cohort.year),
                    "values": [cohort.survival[y].rate for y in SURVIVAL_YEARS],
                    "texts": [
                        f"{charts.fmt(cohort.survival[y].rate)} %"
                        if cohort.survival[y].rate is not None
                        else _("inconnu")
                        for y in SURVIVAL_YEARS
                    ],
                }
                for cohort in cohorts
            ],
            series,
            maximum=100,
        ),
        note=str(SURVIVAL_NOTE),
        link_url=links.created(),
        link_label=_("Voir les projets dont la structure est créée"),
        row_links=[links.created(year=cohort.year) for cohort in cohorts] + [links.created()],
    )


def jobs_section(figures, links) -> Section:
    impact = figures["impact"]
    cohorts = impact["cohorts"]
    rows = [
        [
            str(cohort.year) if cohort.year else _("Toutes années"),
            cohort.created,
            cohort.jobs_measured,
            cohort.jobs_created,
            cohort.jobs_held,
        ]
        for cohort in [*cohorts, impact["total"]]
    ]
    title = _("Emplois créés et maintenus par année de création")
    return Section(
        slug="cohort-jobs",
        title=title,
        sheet=_("Emplois par cohorte"),
        headers=[
            _("Année de création"),
            _("Structures créées"),
            _("dont emplois connus"),
            _("Emplois créés"),
            _("Emplois maintenus"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-cohort-jobs",
            title,
            [{"label": str(c.year), "values": [c.jobs_created, c.jobs_held]} for c in cohorts],
            [_("Emplois créés"), _("Emplois maintenus")],
        ),
        note=_(
            "Emplois salariés (CDI, CDD, emplois aidés) à la dernière mesure de chaque "
            "structure. Créés : au-delà de ceux qu'elle avait à l'entrée (aucun quand "
            "l'entrée n'est pas mesurée) ; maintenus : ceux de l'entrée toujours là. Les "
            "structures sans emploi mesuré ne comptent pas."
        ),
        link_url=links.created(),
        link_label=_("Voir les projets dont la structure est créée"),
        row_links=[links.created(year=cohort.year) for cohort in cohorts] + [links.created()],
    )


def leverage_section(figures, links) -> Section:
    impact = figures["impact"]
    cohorts = impact["cohorts"]
    rows = [
        [
            str(cohort.year) if cohort.year else _("Toutes années"),
            cohort.granted_projects,
            cohort.grants,
            cohort.funds_of_granted,
            cohort.leverage,
        ]
        for cohort in [*cohorts, impact["total"]]
    ]
    title = _("Effet levier des subventions par année de création")
    return Section(
        slug="leverage",
        title=title,
        sheet=_("Effet levier"),
        headers=[
            _("Année de création"),
            _("Structures subventionnées"),
            _("Subventions attribuées (€)"),
            _("Autres fonds levés (€)"),
            _("€ levés par € de subvention"),
        ],
        rows=rows,
        svg=charts.bars(
            "chart-leverage",
            title,
            [{"label": str(c.year), "values": [c.leverage]} for c in cohorts],
            [_("€ levés par € de subvention")],
        ),
        note=_(
            "Structures lauréates d'un appel à projets : fonds levés à la dernière mesure "
            "(prêts d'honneur et bancaires, garanties, fonds propres, financement participatif, "
            "mécénat ; hors subventions) rapportés aux subventions attribuées."
        ),
        link_url=links.created(),
        link_label=_("Voir les projets dont la structure est créée"),
        row_links=[links.created(year=cohort.year) for cohort in cohorts] + [links.created()],
    )


def esf_section(figures, links) -> Section:
    """The ESF+ sheet: each common indicator and its count (no chart: a list to report)."""
    return Section(
        slug="esf",
        title=_("Indicateurs communs du FSE+"),
        sheet=_("Indicateurs FSE+"),
        headers=[_("Indicateur"), _("Rubrique"), _("Participant·es")],
        rows=[[label, group, count] for group, label, count in figures["esf"]],
        note=_(
            "Projets cofinancés par le FSE+ (règlement (UE) 2021/1057, annexe I). Entrées : "
            "participant·es (porteur·se principal·e) entré·es sur la période, selon leurs "
            "réponses à l'entrée ; sorties : sorti·es sur la période ; six mois : sortie six "
            "mois avant un jour de la période. « Ne souhaite pas répondre » est compté à part."
        ),
        link_url=links.entered(esf_funded="true"),
        link_label=_("Voir les projets cofinancés par le FSE+ entrés sur la période"),
    )


IMPACT_SECTIONS = (survival_section, jobs_section, leverage_section, esf_section)


def build_impact_sections(figures, links) -> list[Section]:
    """The survival, jobs, leverage and ESF+ sections (the dashboard, the PDF, the workbook)."""
    return [build(figures, links) for build in IMPACT_SECTIONS]
