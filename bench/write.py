"""Bulk writing for the generator: COPY on PostgreSQL, Core executemany in big batches elsewhere."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, func, insert, select, text

from app.extensions import db

BATCH = 50_000
HOURS_COLUMNS = [
    "id",
    "enrolment_id",
    "kind",
    "worked_on",
    "hours",
    "activity_type",
    "learning",
    "created_by_id",
    "created_at",
    "removed_at",
]


class TableWriter:
    """Writes plain tuples into a table with explicit ids, then moves the id sequences on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.tables = db.metadata.tables

    def next_id(self, table: str) -> int:
        with self.engine.connect() as connection:
            return (connection.scalar(select(func.max(self.tables[table].c.id))) or 0) + 1

    def write(self, table: str, columns: list[str], rows: list[tuple], **constants: object) -> None:
        if not rows:
            return
        frame = pd.DataFrame.from_records(rows, columns=columns)
        for name, value in constants.items():
            frame[name] = value
        self.write_frame(table, frame)

    def write_frame(self, table: str, frame: pd.DataFrame) -> None:
        if self.postgres:
            self._copy(table, frame)
            return
        target = self.tables[table]
        with self.engine.begin() as connection:
            for begin in range(0, len(frame), BATCH):
                chunk = frame.iloc[begin : begin + BATCH]
                records = [dict(zip(chunk.columns, _plain(row), strict=True)) for row in chunk.itertuples(index=False)]
                connection.execute(insert(target), records)

    def _copy(self, table: str, frame: pd.DataFrame) -> None:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        raw = self.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                with cursor.copy(sql) as copy:
                    for begin in range(0, len(frame), 1_000_000):
                        buffer = io.StringIO()
                        frame.iloc[begin : begin + 1_000_000].to_csv(buffer, header=False, index=False, na_rep="\\N")
                        copy.write(buffer.getvalue())
            raw.commit()
        finally:
            raw.close()

    def write_hours(self, hours: dict[str, np.ndarray], first_id: int) -> int:
        count = len(hours["enrolment_id"])
        frame = pd.DataFrame(
            {
                "id": np.arange(first_id, first_id + count),
                "enrolment_id": hours["enrolment_id"],
                "kind": hours["kind"],
                "worked_on": hours["worked_on"],
                "hours": hours["hours"],
                "activity_type": hours["activity_type"],
                "learning": "",
                "created_by_id": hours["created_by_id"],
                "created_at": self.now,
                "removed_at": pd.Series(pd.NaT, index=range(count), dtype="datetime64[us, UTC]").where(
                    ~hours["removed"], self.now
                ),
            }
        )
        self.write_frame("hours_entries", frame[HOURS_COLUMNS])
        return count

    def finish(self) -> None:
        """Move every id sequence past the ids written; refresh planner statistics."""
        if not self.postgres:
            return
        with self.engine.begin() as connection:
            for name in self.tables:
                if "id" in self.tables[name].c:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                            f"GREATEST((SELECT max(id) FROM {name}), 1))"
                        )
                    )
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _plain(row: tuple) -> tuple:
    """numpy and pandas scalars as the plain Python values SQLite's driver accepts."""
    out = []
    for value in row:
        if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
            out.append(None)
        elif isinstance(value, pd.Timestamp):
            out.append(value.to_pydatetime() if value.tzinfo else value.date())
        elif isinstance(value, np.datetime64):
            out.append(pd.Timestamp(value).date())
        elif isinstance(value, np.generic):
            out.append(value.item())
        else:
            out.append(value)
    return tuple(out)


__all__ = ["TableWriter", "date"]
