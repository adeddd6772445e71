"""SQLite tables of one org: one table per sObject, columns named as the fields (see schema.FieldDef)."""

import sqlite3
from collections.abc import Iterable, Sequence

from .schema import FieldDef, ObjectDef

RECYCLE_BIN_MS = 15 * 86_400_000  # Salesforce keeps deleted records (and getDeleted entries) 15 days


def quote(identifier: str) -> str:
    """Quote an SQL identifier; names come from describe data (custom objects and fields)."""
    return '"' + identifier.replace('"', '""') + '"'


def _column_sql(f: FieldDef) -> str:
    # Ids are stored in canonical 18-character form, so they compare (and sort) case-sensitively as
    # Salesforce's do; other text compares case-insensitively, as SOQL does.
    collate = " COLLATE NOCASE" if f.storage_affinity == "TEXT" and f.type not in ("id", "reference") else ""
    return f"{quote(f.name)} {f.storage_affinity}{collate}"


class RecordTables:
    """Row-level SQL over an open SQLite connection. Callers hold the org lock; no validation here."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS _deletion_log ("
            " record_id TEXT PRIMARY KEY, sobject TEXT NOT NULL, deleted_ms INTEGER NOT NULL,"
            " purged INTEGER NOT NULL DEFAULT 0)"
        )
        self.conn.execute(
            "CREATE INDEX IF NOT EXISTS _deletion_log_time ON _deletion_log (sobject, deleted_ms)"
        )

    def existing_columns(self, obj: ObjectDef) -> set[str]:
        rows = self.conn.execute(f"PRAGMA table_info({quote(obj.name)})").fetchall()
        return {row[1].lower() for row in rows}

    def ensure_table(self, obj: ObjectDef) -> None:
        """Create the sObject's table, or add the columns of fields that drifted in."""
        existing = self.existing_columns(obj)
        if not existing:
            columns = ["_rowid INTEGER PRIMARY KEY", "IsDeleted INTEGER NOT NULL DEFAULT 0"]
            columns += [_column_sql(f) for f in obj.stored_fields if f.name.lower() != "isdeleted"]
            self.conn.execute(f"CREATE TABLE {quote(obj.name)} ({', '.join(columns)})")
            self.conn.execute(f"CREATE UNIQUE INDEX {quote(obj.name + '_Id')} ON {quote(obj.name)} (Id)")
            for f in obj.stored_fields:
                if f.name == "SystemModstamp" or f.external_id or f.unique or f.type == "reference":
                    index = quote(f"{obj.name}_{f.name}")
                    self.conn.execute(f"CREATE INDEX {index} ON {quote(obj.name)} ({quote(f.name)})")
            return
        for f in obj.stored_fields:
            if f.name.lower() not in existing:
                self.conn.execute(f"ALTER TABLE {quote(obj.name)} ADD COLUMN {_column_sql(f)}")

    def insert_many(
        self, obj: ObjectDef, field_names: Sequence[str], rows: Iterable[Sequence[object]]
    ) -> None:
        columns = ", ".join(quote(name) for name in field_names)
        marks = ", ".join("?" for _ in field_names)
        self.conn.executemany(f"INSERT INTO {quote(obj.name)} ({columns}) VALUES ({marks})", rows)

    def fetch(self, obj: ObjectDef, record_id: str) -> dict[str, object] | None:
        """The stored row by Id (deleted rows too), keyed by canonical field name, plus IsDeleted."""
        cursor = self.conn.execute(f"SELECT * FROM {quote(obj.name)} WHERE Id = ?", (record_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cursor.description]
        return dict(zip(names, row, strict=True))

    def update(self, obj: ObjectDef, record_id: str, changes: dict[str, object]) -> None:
        if not changes:
            return
        assignments = ", ".join(f"{quote(name)} = ?" for name in changes)
        self.conn.execute(
            f"UPDATE {quote(obj.name)} SET {assignments} WHERE Id = ?", (*changes.values(), record_id)
        )

    def delete_row(self, obj: ObjectDef, record_id: str) -> None:
        self.conn.execute(f"DELETE FROM {quote(obj.name)} WHERE Id = ?", (record_id,))

    def ids_where(
        self, obj: ObjectDef, field_name: str, value: object, *, include_deleted: bool
    ) -> list[str]:
        deleted = "" if include_deleted else " AND IsDeleted = 0"
        rows = self.conn.execute(
            f"SELECT Id FROM {quote(obj.name)} WHERE {quote(field_name)} = ?{deleted} ORDER BY _rowid",
            (value,),
        ).fetchall()
        return [row[0] for row in rows]

    def count(self, obj: ObjectDef, *, include_deleted: bool = False) -> int:
        deleted = "" if include_deleted else " WHERE IsDeleted = 0"
        return self.conn.execute(f"SELECT COUNT(*) FROM {quote(obj.name)}{deleted}").fetchone()[0]

    def max_counter_id(self, obj: ObjectDef) -> str | None:
        row = self.conn.execute(f"SELECT MAX(Id) FROM {quote(obj.name)}").fetchone()
        return row[0] if row else None

    def log_deletion(self, obj: ObjectDef, record_id: str, deleted_ms: int, *, purged: bool) -> None:
        self.conn.execute(
            "INSERT INTO _deletion_log (record_id, sobject, deleted_ms, purged) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (record_id) DO UPDATE SET purged = MAX(purged, excluded.purged)",
            (record_id, obj.name, deleted_ms, int(purged)),
        )

    def forget_deletion(self, record_id: str) -> None:
        self.conn.execute("DELETE FROM _deletion_log WHERE record_id = ?", (record_id,))

    def deletions(self, obj: ObjectDef, start_ms: int, end_ms: int) -> list[tuple[str, int]]:
        return self.conn.execute(
            "SELECT record_id, deleted_ms FROM _deletion_log WHERE sobject = ? AND deleted_ms >= ?"
            " AND deleted_ms < ? ORDER BY deleted_ms, record_id",
            (obj.name, start_ms, end_ms),
        ).fetchall()

    def expired_bin_entries(self, cutoff_ms: int) -> list[tuple[str, str]]:
        """(sobject, id) of recycle-bin rows deleted before `cutoff_ms` and not yet purged."""
        return self.conn.execute(
            "SELECT sobject, record_id FROM _deletion_log WHERE purged = 0 AND deleted_ms < ?", (cutoff_ms,)
        ).fetchall()

    def mark_purged(self, record_id: str) -> None:
        self.conn.execute("UPDATE _deletion_log SET purged = 1 WHERE record_id = ?", (record_id,))

    def drop_log_before(self, cutoff_ms: int) -> None:
        self.conn.execute("DELETE FROM _deletion_log WHERE deleted_ms < ?", (cutoff_ms,))
