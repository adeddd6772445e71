"""`sf-assets mapping verify`: check a relation against the org it reads, through the real client.

Three checks: every mapped field is readable (a SOQL selecting them succeeds; when it does not,
each field is probed alone to name the ones refused), group names are non-empty and unique in
the data, and values convert to their field types. Rows are streamed page by page.
"""

from dataclasses import dataclass
from typing import Protocol

from ..lib.batches import CsvBatch
from ..lib.catalog import ObjectSpec
from ..lib.mapping import Relation
from ..lib.mapping_checks import Finding, RelationData, mapped_fields, probe_query, verify_query
from ..salesforce import InsufficientPrivileges, InvalidQuery, ObjectNotQueryable

# What a field or object the user cannot read looks like; other failures propagate (exit 1).
_REFUSALS = (InvalidQuery, InsufficientPrivileges, ObjectNotQueryable)


class QueryClient(Protocol):
    def query_batches(self, soql: str, *, include_deleted: bool = True) -> object: ...


@dataclass(frozen=True)
class RelationReport:
    relation: Relation
    records: int
    findings: tuple[Finding, ...]

    @property
    def problems(self) -> int:
        return sum(f.problem for f in self.findings)


def verify_relation(client: QueryClient, relation: Relation, spec: ObjectSpec) -> RelationReport:
    """Read the relation's live, filtered records and check them; findings say what is wrong."""
    fields = mapped_fields(relation)
    findings: list[Finding] = []
    try:
        data = _read(client, relation, spec, fields)
    except _REFUSALS:
        refused = _refused_fields(client, relation.sobject, fields)
        findings += [Finding(True, f"{name}: not readable: {reason}") for name, reason in refused.items()]
        if not refused:
            raise  # not a field's fault (the filter, say): show Salesforce's own message
        readable = [name for name in fields if name not in refused]
        data = _read(client, relation, spec, readable) if "Id" in readable else None
    else:
        findings.append(Finding(False, f"{len(fields)} fields readable: {', '.join(fields)}"))
    if data is None:
        return RelationReport(relation, 0, tuple(findings))
    return RelationReport(relation, data.records, tuple(findings + data.findings()))


def _read(client: QueryClient, relation: Relation, spec: ObjectSpec, fields: list[str]) -> RelationData:
    data = RelationData(relation, spec, fields)
    soql = verify_query(relation, spec, fields)
    for batch in client.query_batches(soql, include_deleted=False):
        if isinstance(batch, CsvBatch):  # only REST pages are asked for; Bulk would need CSV parsing
            raise TypeError("verify reads REST pages")
        for record in batch.records:
            data.add(record)
    return data


def _refused_fields(client: QueryClient, sobject: str, fields: list[str]) -> dict[str, str]:
    refused: dict[str, str] = {}
    for name in fields:
        try:
            for _ in client.query_batches(probe_query(sobject, name), include_deleted=False):
                pass
        except _REFUSALS as exc:
            # Query errors quote the SOQL with a caret over several lines; the last one says why.
            lines = [line.strip() for line in exc.detail.splitlines() if line.strip()]
            refused[name] = f"{lines[-1] if lines else 'refused'} ({exc.code})"
    return refused
