"""What was sent to Amplitude, kept in the warehouse schema `amplitude` so reruns send nothing new.

- `group_state`: per (relation, group value), the hash of the payload Amplitude last accepted,
  when, by which run, and the window of its last full pickup. A group is sent again only when its
  payload hash differs, or when its pickup comes up in a window it was not yet picked up for.
- `group_outbox`: every payload a run delivered, dry-ran or dead-lettered, with its status.
- `group_dead_letters`: groups Amplitude refused even alone, with the error and the attempts.
  They are retried by every run (their state hash is not updated) and removed once accepted.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from ..lib.payloads import Payload
from ..warehouse import Warehouse

SCHEMA = "amplitude"

_TABLES = {
    "group_state": (
        "relation TEXT NOT NULL, group_value TEXT NOT NULL, group_type TEXT NOT NULL, "
        "payload_hash TEXT NOT NULL, sent_at TIMESTAMPTZ NOT NULL, run_id TEXT NOT NULL, last_pickup TEXT, "
        "PRIMARY KEY (relation, group_value)"
    ),
    "group_outbox": (
        "run_id TEXT NOT NULL, relation TEXT NOT NULL, partition_range TEXT NOT NULL, group_type TEXT NOT NULL, "
        "group_value TEXT NOT NULL, payload TEXT NOT NULL, payload_hash TEXT NOT NULL, status TEXT NOT NULL, "
        "error TEXT, created_at TIMESTAMPTZ NOT NULL"
    ),
    "group_dead_letters": (
        "relation TEXT NOT NULL, group_value TEXT NOT NULL, group_type TEXT NOT NULL, payload TEXT NOT NULL, "
        "http_status INTEGER, error TEXT NOT NULL, attempts INTEGER NOT NULL, first_failed_at TIMESTAMPTZ NOT NULL, "
        "last_failed_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (relation, group_value)"
    ),
}


@dataclass(frozen=True)
class SentGroup:
    payload_hash: str
    last_pickup: str | None


class GroupStore:
    """The three bookkeeping tables of one warehouse; every write commits on its own."""

    def __init__(self, warehouse: Warehouse, *, run_id: str, partition_range: str) -> None:
        self.warehouse = warehouse
        self.run_id = run_id
        self.partition_range = partition_range
        d = warehouse.dialect
        self._t = {name: d.table(SCHEMA, name) for name in _TABLES}
        with warehouse.connect(SCHEMA) as conn:
            for name, columns in _TABLES.items():
                conn.execute(sa.text(f"CREATE TABLE IF NOT EXISTS {self._t[name]} ({columns})"))
            conn.commit()

    def sent(self, relation: str) -> dict[str, SentGroup]:
        """Each group value's last accepted payload hash and pickup window."""
        sql = (
            f"SELECT group_value, payload_hash, last_pickup FROM {self._t['group_state']} WHERE relation = :r"
        )
        with self.warehouse.connect(SCHEMA) as conn:
            return {v: SentGroup(h, p) for v, h, p in conn.execute(sa.text(sql), {"r": relation})}

    def dead_letter_count(self, relation: str) -> int:
        sql = f"SELECT count(*) FROM {self._t['group_dead_letters']} WHERE relation = :r"
        with self.warehouse.connect(SCHEMA) as conn:
            return conn.execute(sa.text(sql), {"r": relation}).scalar_one()

    def record_sent(self, relation: str, payloads: Iterable[Payload], *, pickup: str | None) -> None:
        """Amplitude accepted these: new state hashes, outbox rows, and their dead letters cleared.

        `pickup` is the run's window label, written for the groups this run picked up in full."""
        payloads = list(payloads)
        now = self._now()
        rows = [
            {
                "r": relation,
                "v": p.group_value,
                "t": p.identification["group_type"],
                "h": p.hash,
                "at": now,
                "run": self.run_id,
                "pickup": pickup if p.picked_up else None,
            }
            for p in payloads
        ]
        if not rows:
            return
        state = self._t["group_state"]
        upsert = (
            f"INSERT INTO {state} (relation, group_value, group_type, payload_hash, sent_at, run_id, last_pickup) "
            "VALUES (:r, :v, :t, :h, :at, :run, :pickup) ON CONFLICT (relation, group_value) DO UPDATE SET "
            "group_type = excluded.group_type, payload_hash = excluded.payload_hash, sent_at = excluded.sent_at, "
            f"run_id = excluded.run_id, last_pickup = COALESCE(excluded.last_pickup, {state}.last_pickup)"
        )
        clear = f"DELETE FROM {self._t['group_dead_letters']} WHERE relation = :r AND group_value = :v"
        with self.warehouse.connect(SCHEMA) as conn:
            conn.execute(sa.text(upsert), rows)
            conn.execute(sa.text(clear), rows)
            self._outbox(conn, relation, payloads, "sent")
            conn.commit()

    def record_dry_run(self, relation: str, payloads: Iterable[Payload]) -> None:
        with self.warehouse.connect(SCHEMA) as conn:
            self._outbox(conn, relation, payloads, "dry_run")
            conn.commit()

    def record_rejected(self, relation: str, rejected: Iterable[tuple[Payload, int, str]]) -> None:
        """Groups Amplitude refused alone: dead letters (attempts counted) and outbox rows."""
        rejected = list(rejected)
        now = self._now()
        rows = [
            {
                "r": relation,
                "v": p.group_value,
                "t": p.identification["group_type"],
                "p": json.dumps(p.identification, ensure_ascii=False),
                "s": status,
                "e": error,
                "at": now,
            }
            for p, status, error in rejected
        ]
        if not rows:
            return
        letters = self._t["group_dead_letters"]
        upsert = (
            f"INSERT INTO {letters} (relation, group_value, group_type, payload, http_status, error, attempts, "
            "first_failed_at, last_failed_at) VALUES (:r, :v, :t, :p, :s, :e, 1, :at, :at) "
            "ON CONFLICT (relation, group_value) DO UPDATE SET payload = excluded.payload, "
            "http_status = excluded.http_status, error = excluded.error, "
            f"attempts = {letters}.attempts + 1, last_failed_at = excluded.last_failed_at"
        )
        outbox = (
            f"INSERT INTO {self._t['group_outbox']} (run_id, relation, partition_range, group_type, group_value, "
            "payload, payload_hash, status, error, created_at) "
            "VALUES (:run, :r, :range, :t, :v, :p, :h, 'dead_letter', :e, :at)"
        )
        with self.warehouse.connect(SCHEMA) as conn:
            conn.execute(sa.text(upsert), rows)
            conn.execute(
                sa.text(outbox),
                [
                    {**row, "run": self.run_id, "range": self.partition_range, "h": p.hash}
                    for row, (p, _, _) in zip(rows, rejected, strict=True)
                ],
            )
            conn.commit()

    def _outbox(self, conn: sa.Connection, relation: str, payloads: Iterable[Payload], status: str) -> None:
        now = self._now()
        rows = [
            {
                "run": self.run_id,
                "r": relation,
                "range": self.partition_range,
                "t": p.identification["group_type"],
                "v": p.group_value,
                "p": json.dumps(p.identification, ensure_ascii=False),
                "h": p.hash,
                "s": status,
                "at": now,
            }
            for p in payloads
        ]
        if rows:
            conn.execute(
                sa.text(
                    f"INSERT INTO {self._t['group_outbox']} (run_id, relation, partition_range, group_type, "
                    "group_value, payload, payload_hash, status, created_at) "
                    "VALUES (:run, :r, :range, :t, :v, :p, :h, :s, :at)"
                ),
                rows,
            )

    def _now(self) -> object:
        return self.warehouse.dialect.timestamp_param(datetime.now(UTC))
