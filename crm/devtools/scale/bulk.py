"""Fast bulk writes for the scaled seed (COPY, reserved ids, unflushed commits, ANALYZE)."""

from django.db import connection
from django.utils import timezone

BATCH = 2000


def fast_commit() -> None:
    """Inside a seeding transaction on PostgreSQL: do not wait for the WAL flush at commit
    (a crash loses at most the last batches, and a rerun tops them up)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class Writer:
    """Insert rows (tuples in `columns` order) fast: COPY on PostgreSQL, bulk_create
    elsewhere; and reserve primary keys ahead of the insert."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def reserve(self, model, count: int) -> list[int]:
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if self.postgres:
            columns, rows = _with_constant_defaults(model, columns, rows)
            names = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
            with connection.cursor() as cursor:
                sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        attnames = [model._meta.get_field(c).attname for c in columns]
        model.objects.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=BATCH
        )


def _with_constant_defaults(model, columns: tuple[str, ...], rows: list[tuple]):
    """COPY fills no Django default: append the NOT NULL columns the caller left out whose
    default is a constant (a `version` added to a model later, say) or that Django stamps
    itself (`auto_now`: the time of the seed), so that a new field does not break the seed."""
    given = {model._meta.get_field(c).name for c in columns}
    missing = [
        field
        for field in model._meta.concrete_fields
        if field.name not in given
        and not field.primary_key
        and not field.null
        and (
            (field.has_default() and not callable(field.default))
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        )
    ]
    if not missing:
        return columns, rows
    now = timezone.now()
    values = tuple(field.get_default() if field.has_default() else now for field in missing)
    return (*columns, *(field.name for field in missing)), [(*row, *values) for row in rows]


def analyze() -> None:
    """Fresh statistics after a bulk load: without them the planner guesses a handful of
    rows per table and picks nested loops (a 7 ms count took 2 s until autovacuum ran).
    On PostgreSQL, VACUUM too: it fills the visibility map, without which counts cannot
    use index-only scans (the board's counts at scale 1000: 253 ms before, 63 ms after)."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (a test's, for example).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
