"""Large inserts of plain tuples for demo data (the 1,000-branch district of `make bench`): COPY on
PostgreSQL, one prepared INSERT run over all rows (executemany) elsewhere. Values are already in
database form (ISO dates, decimal strings). Demo data only; the app writes through services."""
from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

BATCH = 50_000


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """`columns` are quoted column names (connection.ops.quote_name)."""
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # executemany sends a statement per row; COPY streams them (a million attendance rows
            # took three minutes, now seconds).
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])
