"""Copy all data from one database into an empty one (`sales-coach db copy`), e.g. to PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.engine import create_engine
from bot.storage.migrate import current, revisions, upgrade
from bot.storage.tables import metadata

BATCH_ROWS = 1000


class CopyError(Exception):
    """The copy was refused or failed its check; `problem` names the operator text to show."""

    def __init__(self, problem: str, **values: object) -> None:
        super().__init__(f"{problem}: {values}")
        self.problem = problem
        self.values = values


@dataclass(frozen=True, slots=True)
class TableCopy:
    """How many rows of one table were copied."""

    table: str
    rows: int


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What a copy did: the rows per table, in the order they were copied."""

    tables: list[TableCopy] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """All rows copied."""
        return sum(t.rows for t in self.tables)


def display_url(url: str) -> str:
    """The URL for messages, with any password masked."""
    return make_url(url).render_as_string(hide_password=True)


def _missing_file(url: str) -> bool:
    """Whether an SQLite URL names a file that does not exist (opening it would create it)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return False
    return not Path(str(parsed.database)).is_file()


async def _count(conn: AsyncConnection, table: Table) -> int:
    return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _check_source(engine: AsyncEngine, url: str) -> None:
    """Refuse a source that is missing or not at this version's schema."""
    head = revisions()[-1]
    revision = await current(engine)
    if revision != head:
        raise CopyError(
            "copy_source_revision",
            source=display_url(url),
            revision=revision or "-",
            head=head,
        )


async def _first_filled(conn: AsyncConnection) -> tuple[str, int] | None:
    """The first table of the target that holds rows, with its count; None if all are empty."""
    for table in metadata.sorted_tables:
        rows = await _count(conn, table)
        if rows:
            return table.name, rows
    return None


async def _copy_table(
    source: AsyncConnection, target: AsyncConnection, table: Table, batch: int
) -> int:
    """Copy one table's rows in primary-key order, `batch` rows per statement."""
    copied = 0
    query = select(table).order_by(*table.primary_key.columns)
    result = await source.stream(query.execution_options(yield_per=batch))
    async for rows in result.partitions(batch):
        await target.execute(table.insert(), [dict(row._mapping) for row in rows])
        copied += len(rows)
    return copied


async def _reset_sequences(target: AsyncConnection) -> None:
    """On PostgreSQL, move each serial primary key's sequence past the copied ids."""
    if target.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        # An empty table restarts at 1; otherwise the next id is max(id) + 1.
        await target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"coalesce(max({column.name}), 1), max({column.name}) IS NOT NULL) "
                f"FROM {table.name}"
            )
        )


async def copy_database(source_url: str, target_url: str, *, batch: int = BATCH_ROWS) -> CopyReport:
    """Copy every table from source to target in one target transaction; the target is brought
    to the migration head first and must hold no rows. Both URLs must be normalised."""
    if make_url(source_url) == make_url(target_url):
        raise CopyError("copy_same", source=display_url(source_url))
    if _missing_file(source_url):
        raise CopyError("copy_source_missing", source=display_url(source_url))
    source = create_engine(source_url)
    target = create_engine(target_url)
    try:
        await _check_source(source, source_url)
        await upgrade(target)
        report = CopyReport()
        async with source.connect() as src, target.begin() as dst:
            filled = await _first_filled(dst)
            if filled is not None:
                raise CopyError(
                    "copy_target_not_empty",
                    target=display_url(target_url),
                    table=filled[0],
                    rows=filled[1],
                )
            for table in metadata.sorted_tables:
                report.tables.append(
                    TableCopy(table.name, await _copy_table(src, dst, table, batch))
                )
            await _reset_sequences(dst)
            for copied in report.tables:
                table = metadata.tables[copied.table]
                expected, found = await _count(src, table), await _count(dst, table)
                if not expected == found == copied.rows:
                    # Raising here rolls the whole copy back.
                    raise CopyError(
                        "copy_mismatch", table=table.name, expected=expected, found=found
                    )
        return report
    finally:
        await source.dispose()
        await target.dispose()
