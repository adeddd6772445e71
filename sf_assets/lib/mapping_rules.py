"""Reading, checking and writing the group-property mapping file (JSON, `version: 1`).

`parse_mapping` checks everything before anything is used and reports every problem at once,
each with its place (`relation 'companies' › properties[2] (Active__c)`) and JSON line: the
format is strict (unknown keys are errors at every level), objects and fields must be in the
instance's catalog snapshot (and are normalised to its spelling), fields and properties are
one-to-one within a relation, and Amplitude's project limits hold (5 group types; more than 1000
properties is a warning). `canonical_json` writes the one text of a mapping, every default
spelled out, so export → import → export gives the same bytes.
"""

import json
from collections.abc import Collection, Mapping

from .catalog import CollectionsPlan
from .json_source import Path, SourceMap
from .mapping import MAPPING_VERSION, PickupInterval, Relation
from .mapping import Mapping as GroupMapping
from .mapping_relation import RelationRules
from .mapping_report import MISSING, MappingError, NonJsonConstant, Problem, json_type, show

__all__ = [
    "MAX_GROUP_TYPES",
    "MAX_PROJECT_PROPERTIES",
    "MappingError",
    "Problem",
    "canonical_json",
    "parse_mapping",
]

MAX_GROUP_TYPES = 5  # Amplitude: group types per project
MAX_PROJECT_PROPERTIES = 1000  # Amplitude: group properties per project (more → warning)
_TOP_KEYS = ("version", "relations")


def parse_mapping(
    text: str,
    *,
    source: str,
    catalogs: Mapping[str, CollectionsPlan],
    instances: Collection[str],
    catalog_errors: Mapping[str, str] | None = None,
) -> tuple[GroupMapping, list[Problem]]:
    """The validated mapping and its warnings; MappingError lists every error.

    `catalogs`: instance name → its catalog plan; `instances`: the configured instance names;
    `catalog_errors`: instance → why its snapshot could not be loaded (shown where it is used).
    """
    try:
        document = json.loads(text, parse_constant=NonJsonConstant)
    except json.JSONDecodeError as exc:
        problem = Problem(
            "error", "JSON", exc.lineno, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        )
        raise MappingError(source, [problem]) from None
    checker = _MappingRules(document, SourceMap(text), catalogs, instances, catalog_errors or {})
    mapping = checker.mapping()
    problems = sorted(checker.problems, key=lambda p: (p.line or 0, p.where))
    if any(p.severity == "error" for p in problems):
        raise MappingError(source, problems)
    assert mapping is not None
    return mapping, problems


def canonical_json(mapping: GroupMapping) -> str:
    """The mapping's one text: fixed key order, defaults written out, 2-space indent, final newline."""
    document = {"version": mapping.version, "relations": [_relation_document(r) for r in mapping.relations]}
    return _render(document) + "\n"


def _relation_document(relation: Relation) -> dict:
    pickup: dict[str, object] = {"interval": relation.pickup.interval.value}
    if relation.pickup.interval == PickupInterval.EVERY_N_DAYS:
        pickup["every_days"] = relation.pickup.every_days
    return {
        "name": relation.name,
        "source": {"instance": relation.instance, "object": relation.sobject},
        "group_type": relation.group_type,
        "group_name_field": relation.group_name_field,
        "properties": [
            {"field": p.field, "property": p.property, "op": p.op.value} for p in relation.properties
        ],
        "create_unseen_groups": relation.create_unseen_groups,
        "filter": [
            {
                "field": c.field,
                "op": c.op.value,
                "value": list(c.value) if isinstance(c.value, tuple) else c.value,
            }
            for c in relation.filter
        ],
        "pickup": pickup,
        "cadence": relation.cadence.value,
    }


def _render(value: object, depth: int = 0) -> str:
    """Indented JSON in insertion order; an object of plain values (a property) below the top takes one line."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and (
        depth == 0 or any(isinstance(v, dict) or _nested_list(v) for v in value.values())
    ):
        items = [f"{inner}{json.dumps(k)}: {_render(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if _nested_list(value):
        return "[\n" + ",\n".join(f"{inner}{_render(v, depth + 1)}" for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def _nested_list(value: object) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict | list) for v in value)


# --- checking ---------------------------------------------------------------------------------------
class _MappingRules(RelationRules):
    """Walks the document once, collecting problems and building the relations that are sound."""

    def mapping(self) -> GroupMapping | None:
        document = self.document
        self.constants(document, ())
        for path, line in self.source_map.duplicates:
            self.problems.append(
                Problem("error", self.place(path), line, f"duplicate key {path[-1]!r}: give each key once")
            )
        if not self.is_object((), document):
            return None
        self.keys((), document, _TOP_KEYS, _TOP_KEYS)
        version = document.get("version", MISSING)
        if version is not MISSING and (version != MAPPING_VERSION or isinstance(version, bool)):
            self.error(
                ("version",),
                f"must be {MAPPING_VERSION} (this sf_assets reads version 1); got {show(version)}",
            )
        raw_relations = document.get("relations", MISSING)
        if raw_relations is MISSING:
            return None
        if not isinstance(raw_relations, list):
            self.error(("relations",), f"must be a list of relations, got {json_type(raw_relations)}")
            return None
        relations = [self.relation(i, raw) for i, raw in enumerate(raw_relations)]
        self.project_rules(raw_relations, relations)
        if self.errors():
            return None
        return GroupMapping(relations=tuple(r for r in relations if r is not None))

    def constants(self, value: object, path: Path) -> None:
        if isinstance(value, NonJsonConstant):
            self.error(path, f"{value.token} is not a JSON value (use a number or null)")
        elif isinstance(value, dict):
            for key, item in value.items():
                self.constants(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.constants(item, (*path, index))

    def project_rules(self, raw: list, relations: list[Relation | None]) -> None:
        names: dict[str, int] = {}
        group_types: list[str] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                continue
            name, group_type = item.get("name"), item.get("group_type")
            if isinstance(name, str) and name:
                if name in names:
                    self.error(
                        ("relations", index, "name"),
                        f"relation name {name!r} is already used by relations[{names[name]}] "
                        f"(line {self.source_map.line(('relations', names[name]))}); each relation needs its own name "
                        "(it is the payload asset's key)",
                    )
                else:
                    names[name] = index
            if isinstance(group_type, str) and group_type.strip() and group_type not in group_types:
                group_types.append(group_type)
                if len(group_types) == MAX_GROUP_TYPES + 1:
                    self.error(
                        ("relations", index, "group_type"),
                        f"group type {group_type!r} would be the {MAX_GROUP_TYPES + 1}th: Amplitude allows at "
                        f"most {MAX_GROUP_TYPES} group types per project (already: "
                        f"{', '.join(group_types[:MAX_GROUP_TYPES])}); reuse one of them",
                    )
        properties = {p.property for r in relations if r is not None for p in r.synced_properties}
        if len(properties) > MAX_PROJECT_PROPERTIES:
            self.warn(
                ("relations",),
                f"{len(properties)} distinct properties are sent; Amplitude keeps at most "
                f"{MAX_PROJECT_PROPERTIES} group properties per project, so some may not show up "
                "(drop some, or mark them dont_sync)",
            )
