"""Field paths (`Name`, `Account.Owner.Name`, `Who.Name`) → SQL expressions over LEFT JOINed parent tables."""

import itertools
from dataclasses import dataclass

from ..schema import TEXT_TYPES, FieldDef, ObjectDef, OrgSchema
from .ast import FieldPath, Pos
from .diagnostics import INVALID_FIELD, no_such_column, query_error, unknown_relationship


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Join:
    """One relationship hop: a LEFT JOIN per target object (several for a polymorphic reference)."""

    path: tuple[str, ...]  # canonical relationship names from the root, e.g. ('Account', 'Owner')
    reference: FieldDef
    targets: tuple[tuple[ObjectDef, str], ...]  # (object, table alias)
    clauses: tuple[str, ...]

    @property
    def polymorphic(self) -> bool:
        return len(self.targets) > 1

    @property
    def target(self) -> ObjectDef | None:
        """The parent object, or None when the reference is polymorphic (known per row only)."""
        return None if self.polymorphic else self.targets[0][0]

    def id_sql(self) -> str:
        return self.column_sql("Id", text=False)

    def type_sql(self) -> str:
        """The matching target's name per row (polymorphic hops)."""
        whens = " ".join(
            f'WHEN {alias}."Id" IS NOT NULL THEN {sql_string(obj.name)}' for obj, alias in self.targets
        )
        return f"CASE {whens} END"

    def column_sql(self, name: str, *, text: bool) -> str:
        if not self.polymorphic:
            return f"{self.targets[0][1]}.{quote(name)}"
        coalesced = ", ".join(f"{alias}.{quote(name)}" for _, alias in self.targets)
        # COALESCE drops the columns' NOCASE collation; restore it so filters and sorts agree.
        return f"(COALESCE({coalesced}) COLLATE NOCASE)" if text else f"COALESCE({coalesced})"


@dataclass(frozen=True)
class Resolved:
    """A field path resolved against the schema."""

    path: tuple[str, ...]  # canonical names
    field: FieldDef
    sql: str
    joins: tuple[Join, ...]  # one per relationship hop
    root: ObjectDef
    pos: Pos

    @property
    def objects(self) -> tuple[ObjectDef | None, ...]:
        """The root's ObjectDef then each hop's (None where polymorphic)."""
        return (self.root, *(join.target for join in self.joins))

    @property
    def owner(self) -> ObjectDef | None:
        return self.objects[-1]


class Scope:
    """One FROM object with its alias and the joins its field paths need, created on first use."""

    def __init__(
        self, schema: OrgSchema, sobject: ObjectDef, alias: str | None, soql: str, aliases: itertools.count
    ) -> None:
        self.schema = schema
        self.sobject = sobject
        self.alias = alias
        self.soql = soql
        self._aliases = aliases
        self.table = self._new_alias()
        self.joins: dict[tuple[str, ...], Join] = {}

    def _new_alias(self) -> str:
        return f"t{next(self._aliases)}"

    def root_id_sql(self) -> str:
        return f'{self.table}."Id"'

    def from_sql(self, join_count: int | None = None) -> str:
        """`"Obj" AS t0` and the first `join_count` joins (all by default), in creation order."""
        joins = list(self.joins.values())[:join_count]
        clauses = [clause for join in joins for clause in join.clauses]
        return " ".join([f"{quote(self.sobject.name)} AS {self.table}", *clauses])

    def resolve(self, path: FieldPath) -> Resolved:
        parts = self._strip_qualifier(path.parts)
        current: ObjectDef | None = self.sobject
        table = self.table
        canonical: list[str] = []
        joins: list[Join] = []
        for name in parts[:-1]:
            if current is None:
                # Beyond a polymorphic hop only the common fields are known: no further traversal.
                raise unknown_relationship(self.soql, path.pos, name)
            join = self._join(current, table, name, tuple(canonical), path.pos)
            canonical.append(join.path[-1])
            joins.append(join)
            current = join.target
            table = join.targets[0][1]
        leaf = parts[-1]
        if not joins or not joins[-1].polymorphic:
            found = current.field(leaf)
            if found is None:
                raise no_such_column(self.soql, path.pos, leaf, current.name)
            sql = f"{table}.{quote(found.name)}"
        else:
            found = self._common_field(joins[-1], leaf, path.pos)
            sql = joins[-1].column_sql(found.name, text=found.type in TEXT_TYPES)
        return Resolved((*canonical, found.name), found, sql, tuple(joins), self.sobject, path.pos)

    def sibling_sql(self, resolved: Resolved, name: str) -> str:
        """Another column of the record that holds `resolved` (a compound field's components)."""
        if resolved.joins:
            return resolved.joins[-1].column_sql(name, text=False)
        return f"{self.table}.{quote(name)}"

    def _strip_qualifier(self, parts: tuple[str, ...]) -> tuple[str, ...]:
        if len(parts) < 2:
            return parts
        first = parts[0].lower()
        if self.alias is not None and first == self.alias.lower():
            return parts[1:]
        if first == self.sobject.name.lower() and self._relationship(self.sobject, parts[0]) is None:
            return parts[1:]
        return parts

    @staticmethod
    def _relationship(obj: ObjectDef, name: str) -> FieldDef | None:
        found = obj.relationship(name)
        if found is None and name.lower().endswith("__r"):
            # A custom lookup Foo__c is traversed as Foo__r even when describe left relationshipName out.
            candidate = obj.field(name[:-3] + "__c")
            if candidate is not None and candidate.type == "reference":
                found = candidate
        return found if found is not None and found.type == "reference" else None

    def _join(self, obj: ObjectDef, table: str, name: str, prefix: tuple[str, ...], pos: Pos) -> Join:
        reference = self._relationship(obj, name)
        targets = [self.schema.get(t) for t in reference.reference_to] if reference else []
        targets = [t for t in targets if t is not None]
        if reference is None or not targets:
            raise unknown_relationship(self.soql, pos, name)
        rel_name = reference.relationship_name or reference.name[:-3] + "__r"
        key = tuple(p.lower() for p in (*prefix, rel_name))
        existing = self.joins.get(key)
        if existing is not None:
            return existing
        aliased = tuple((target, self._new_alias()) for target in targets)
        clauses = tuple(
            f'LEFT JOIN {quote(target.name)} AS {alias} ON {alias}."Id" = {table}.{quote(reference.name)}'
            for target, alias in aliased
        )
        join = Join((*prefix, rel_name), reference, aliased, clauses)
        self.joins[key] = join
        return join

    def _common_field(self, join: Join, name: str, pos: Pos) -> FieldDef:
        """A field reached through a polymorphic reference must exist on every target."""
        found = [target.field(name) for target, _ in join.targets]
        if any(f is None for f in found) or found[0].is_compound:
            raise no_such_column(self.soql, pos, name, "Name")
        return found[0]


def check_capability(soql: str, resolved: Resolved, capability: str) -> None:
    """Raise unless the field may be `filtered`, `sorted` or `grouped` (compound fields never may)."""
    allowed = {"filtered": "filterable", "sorted": "sortable", "grouped": "groupable"}[capability]
    if resolved.field.is_compound or not getattr(resolved.field, allowed):
        raise query_error(
            INVALID_FIELD,
            soql,
            resolved.pos,
            f"field '{resolved.field.name}' can not be {capability} in a query call",
        )
