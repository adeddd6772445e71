"""Problems found in a mapping file, and the base that records them with their place and line.

Part of `sf_assets.lib.mapping_rules` (split for size); import from there.
"""

import difflib
import json
from collections.abc import Collection
from dataclasses import dataclass

from .json_source import Path, SourceMap
from .mapping import FilterOp, PickupInterval

MISSING = object()  # a key absent from the document (None is JSON null)

REQUIRED_HINTS = {
    "version": "1",
    "relations": 'a list of relations, e.g. [{"name": "companies", ...}]',
    "name": 'a lowercase identifier, e.g. "companies"',
    "source": '{"instance": "<configured instance>", "object": "Account"}',
    "group_type": 'the Amplitude group type, e.g. "company"',
    "group_name_field": 'the Salesforce field whose value is the group value, e.g. "Id"',
    "properties": 'a list of {"field": "<Salesforce field>", "property": "<Amplitude property>"}',
    "instance": "the name of a Salesforce instance in the project config",
    "field": 'a Salesforce field API name, e.g. "Industry"',
    "property": 'the Amplitude group property name, e.g. "Industry"',
    "op": f"one of {', '.join(FilterOp)}",
    "value": "the value to compare with",
    "interval": f"one of {', '.join(PickupInterval)}",
}


@dataclass(frozen=True)
class Problem:
    """One finding: `where` names the place (relation, property), `line` is the JSON line."""

    severity: str  # "error" | "warning"
    where: str
    line: int | None
    message: str

    def format(self, source: str) -> str:
        at = f"{source}:{self.line}" if self.line is not None else source
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{at}: {prefix}{self.where}: {self.message}"


class MappingError(ValueError):
    """The mapping cannot be used; `problems` holds every error (and warning) found, in file order."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        warnings = [p for p in self.problems if p.severity != "error"]
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        lines = [
            f"{source}: the group-property mapping is invalid ({count}); fix every one, then check "
            f"again with `sf-assets mapping validate {source}`:"
        ]
        lines += [f"  {p.format(source)}" for p in errors + warnings]
        super().__init__("\n".join(lines))


class NonJsonConstant:
    """NaN / Infinity, which Python's json reads but JSON does not have; reported where they stand."""

    def __init__(self, token: str) -> None:
        self.token = token


class Reporter:
    """Collects problems against a parsed document; `place` names a path the way users read it."""

    def __init__(self, document: object, source_map: SourceMap) -> None:
        self.document = document
        self.source_map = source_map
        self.problems: list[Problem] = []

    def error(self, path: Path, message: str) -> None:
        self.problems.append(Problem("error", self.place(path), self.source_map.line(path), message))

    def warn(self, path: Path, message: str) -> None:
        self.problems.append(Problem("warning", self.place(path), self.source_map.line(path), message))

    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def place(self, path: Path) -> str:
        """`relation 'companies' › properties[2] (Active__c) › op` for ("relations", 0, "properties", 2, "op")."""
        relations = self.document.get("relations") if isinstance(self.document, dict) else None
        if len(path) < 2 or path[0] != "relations" or not isinstance(relations, list):
            return ".".join(str(p) for p in path) or "mapping"
        raw = _at(relations, path[1])
        name = raw.get("name") if isinstance(raw, dict) else None
        parts = [f"relation {name!r}" if isinstance(name, str) and name else f"relations[{path[1]}]"]
        rest = path[2:]
        if len(rest) >= 2 and rest[0] in ("properties", "filter") and isinstance(rest[1], int):
            item = _at(_at(raw, rest[0]), rest[1])
            field = item.get("field") if isinstance(item, dict) else None
            parts.append(
                f"{rest[0]}[{rest[1]}]" + (f" ({field})" if isinstance(field, str) and field else "")
            )
            rest = rest[2:]
        if rest:
            parts.append("".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip("."))
        return " › ".join(parts)

    def keys(self, path: Path, value: dict, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for key in value:
            if key not in allowed:
                self.error(
                    (*path, key), f"unknown key {key!r} (allowed: {', '.join(allowed)}){hint(key, allowed)}"
                )
        for key in required:
            if key not in value:
                self.error(path, f"missing {key!r}: {REQUIRED_HINTS[key]}")

    def is_object(self, path: Path, value: object) -> bool:
        if not isinstance(value, dict):
            self.error(path, f"must be a JSON object, got {json_type(value)}")
            return False
        return True

    def enum(self, path: Path, value: object, choices: type, default: object) -> object:
        if value is MISSING:
            return default
        allowed = [c.value for c in choices]
        if value not in allowed:
            self.error(path, f"must be one of {', '.join(allowed)}; got {show(value)}{hint(value, allowed)}")
            return None
        return choices(value)


def _at(container: object, key: str | int) -> object:
    """`container[key]`, or None where a duplicate key left another shape than the line map saw."""
    try:
        return container[key]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None


def hint(value: object, choices: Collection[str]) -> str:
    if not isinstance(value, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.75)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


def json_type(value: object) -> str:
    if isinstance(value, NonJsonConstant):
        return value.token
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def show(value: object) -> str:
    if isinstance(value, NonJsonConstant):
        return value.token
    return json.dumps(value, ensure_ascii=False, default=lambda v: getattr(v, "token", str(v)))
