"""Read the first sheet of an ODS file row by row, in bounded memory.

tablib (odfpy) builds the whole document tree: a 5 MB content.xml took 14 s and 130 MB,
so an upload within every size limit could still hold a worker for minutes. This reader
streams content.xml with iterparse and frees each row once read; repeated cells and rows
(`number-columns-repeated`, `number-rows-repeated`, which LibreOffice writes for empty
space) are expanded no further than the import's column and row limits. Values come out as
tablib gave them: float for numbers, date or datetime, time, bool, text.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _attr(element, namespace: str, name: str, default=None):
    return element.get(f"{{{namespace}}}{name}", default)


def _text(cell) -> str:
    return "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p"))


def _date(value: str):
    if "T" in value:
        return datetime.datetime.fromisoformat(value[:19])
    return datetime.date.fromisoformat(value[:10])


def _time(value: str):
    # "PT14H30M00S"
    hours, _h, rest = value.removeprefix("PT").partition("H")
    minutes, _m, rest = rest.partition("M")
    seconds = rest.rstrip("S").split(".")[0] or "0"
    return datetime.time(int(hours or 0) % 24, int(minutes or 0), int(seconds))


def cell_value(cell):
    kind = _attr(cell, OFFICE, "value-type")
    try:
        if kind in ("float", "percentage", "currency"):
            return float(_attr(cell, OFFICE, "value"))
        if kind == "date":
            return _date(_attr(cell, OFFICE, "date-value"))
        if kind == "time":
            return _time(_attr(cell, OFFICE, "time-value"))
        if kind == "boolean":
            return _attr(cell, OFFICE, "boolean-value") == "true"
    except (TypeError, ValueError):
        pass  # an attribute missing or malformed: the cell's text is what the office saw
    return _text(cell)


def _repeat(element, name: str, limit: int) -> int:
    try:
        count = int(_attr(element, TABLE, name, "1"))
    except ValueError:
        count = 1
    return max(1, min(count, limit))


def rows(data: bytes, *, max_columns: int, max_rows: int) -> Iterator[tuple[int, list]]:
    """(line number, values) for each row of the first sheet, at most `max_columns + 1`
    values a row and `max_rows + 2` rows (one past the limits: enough to refuse)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        with archive.open("content.xml") as content:
            line = yielded = 0
            depth = 0  # 1: inside the first table (a cell may hold a table of its own)
            for event, element in iterparse(content, events=("start", "end")):
                if element.tag == f"{{{TABLE}}}table":
                    depth += 1 if event == "start" else -1
                    if depth == 0:
                        return  # the first sheet only, as for XLSX
                    continue
                if depth != 1 or event != "end" or element.tag != f"{{{TABLE}}}table-row":
                    continue
                values: list = []
                for cell in element:
                    if cell.tag not in (
                        f"{{{TABLE}}}table-cell",
                        f"{{{TABLE}}}covered-table-cell",
                    ):
                        continue
                    room = max_columns + 1 - len(values)
                    if room <= 0:
                        break
                    count = _repeat(cell, "number-columns-repeated", room)
                    values.extend([cell_value(cell)] * count)
                while values and values[-1] in ("", None):
                    values.pop()
                repeat = _repeat(element, "number-rows-repeated", 10**9)
                element.clear()
                if not values:
                    line += repeat  # empty rows (LibreOffice repeats them by the million)
                    continue
                repeat = min(repeat, max_rows + 2)
                for _copy in range(repeat):
                    line += 1
                    yielded += 1
                    yield line, list(values)
                    if yielded > max_rows + 1:
                        return
