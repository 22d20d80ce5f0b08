"""Section, and SectionSpec: a table-and-bars section as data, rendered by `build`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy

from reports import charts
from reports.sections.links import Links


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
    # The workbook's sheet name (Excel: 31 characters at most); the title when empty.
    sheet: str = ""

    @property
    def linked_rows(self) -> list[tuple]:
        """(first cell, its link or "", other cells) for the HTML table."""
        links = [*self.row_links, *[""] * len(self.rows)]
        return [(row[0], links[i], row[1:]) for i, row in enumerate(self.rows)]


def share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Column:
    """One column of a spec's table: its header, the record's key (or a function of the
    record) giving its cells, and its legend when the column is drawn as bars."""

    header: str
    value: str | Callable[[dict], object]
    series: str = ""

    def cell(self, record: dict):
        return self.value(record) if callable(self.value) else record[self.value]


@dataclass(frozen=True)
class SectionSpec:
    """A table-and-chart section as data. The first column labels the rows (and the bars)."""

    slug: str
    title: str
    figure: str  # the key of the dashboard's figures it reads
    columns: tuple[Column, ...]
    # "bars": one bar per column with a series; "tiles": the records marked "tile" as tiles.
    chart: str = "bars"
    # Turns the figure into the table's records; without it the figure is the records.
    records: Callable | None = None
    suffix: str = ""
    note: str = ""
    link: Callable[[Links], str] = Links.projects
    link_label: str = gettext_lazy("Voir les projets")
    row_link: Callable[[Links, dict], str] | None = None
    # Some sections (provider contracts, calls) mean nothing without rows: left out then.
    skip_empty: bool = False


def build(spec: SectionSpec, figures: dict, links: Links) -> Section | None:
    """The section `spec` describes, from the dashboard's figures (None when left out)."""
    figure = figures[spec.figure]
    if spec.skip_empty and not figure:
        return None
    records = spec.records(figure) if spec.records else figure
    rows = [[column.cell(record) for column in spec.columns] for record in records]
    title = str(spec.title)
    svg, tiles = "", []
    if spec.chart == "bars":
        drawn = [i for i, column in enumerate(spec.columns) if column.series]
        svg = charts.bars(
            f"chart-{spec.slug}",
            title,
            [{"label": row[0], "values": [row[i] for i in drawn]} for row in rows],
            [str(spec.columns[i].series) for i in drawn],
            suffix=spec.suffix,
        )
    elif spec.chart == "tiles":
        tiles = [
            (row[0], charts.fmt(row[1]))
            for row, record in zip(rows, records, strict=True)
            if record.get("tile")
        ]
    return Section(
        slug=spec.slug,
        title=title,
        headers=[str(column.header) for column in spec.columns],
        rows=rows,
        svg=svg,
        tiles=tiles,
        note=str(spec.note),
        link_url=spec.link(links),
        link_label=str(spec.link_label),
        row_links=[spec.row_link(links, record) for record in records] if spec.row_link else [],
    )
