"""The generation context and the chunked, column-wise table writer.

A table is written `CHUNK` rows at a time. For each chunk every column is produced whole by its
factory (`Chunk -> list`), then the columns are zipped into rows for one `executemany`. Factories
may read other columns of the same chunk (`chunk["FirstName"]`); columns are computed on first use
and always requested in describe order, so the random streams are consumed in a fixed order and the
same seed gives the same rows.

Time: every generated timestamp lies in the `WINDOW_DAYS` days before the anchor, which is the org
clock's now truncated to midnight UTC. Two orgs generated with the same seed on the same UTC day are
identical; audit timestamps never exceed the anchor, so they never exceed now either.
"""

import datetime as dt
from array import array
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from random import Random
from typing import TYPE_CHECKING

from ..store.records import quote
from ..store.schema import ObjectDef, OrgSchema
from .ids import IdPool
from .words import mix

if TYPE_CHECKING:
    from ..store.org import Org

DAY_MS = 86_400_000
WINDOW_DAYS = 730
CHUNK = 5_000
# Existing rows join a pool only when the table is small (base records, not a previous big run).
_EXISTING_LIMIT = 20_000

Factory = Callable[["Chunk"], list]
_TIME_COLUMNS = ("CreatedDate", "LastModifiedDate", "SystemModstamp")


class Gen:
    """State shared by the builders of one `generate_org_data` call."""

    def __init__(self, org: "Org", seed: int) -> None:
        self.org = org
        self.schema: OrgSchema = org.schema
        self.seed = seed
        self.anchor_ms = org.now_ms() // DAY_MS * DAY_MS
        self.start_ms = self.anchor_ms - WINDOW_DAYS * DAY_MS
        self.anchor_day = self.anchor_ms // DAY_MS
        self.pools: dict[str, IdPool] = {}
        self.new: dict[str, IdPool] = {}
        self.created: dict[str, array] = {}
        self.counts: dict[str, int] = {}
        self._days: dict[int, str] = {}
        self._salts: dict[str, int] = {}
        self.pools_of_text: dict[str, list[str]] = {}
        self.users: list[str] = []  # every user: creators and editors
        self.owners: list[str] = []  # generated users (all users when none are generated): record owners
        self.links: dict[str, Link] = {}
        self.products: list = []  # refdata.Product of each generated Product2 row
        self.std_pricebook: str | None = None
        # Per generated campaign: opportunities, won ones, their amount, won amount (roll-ups).
        self.campaign_opportunities: list[list[float]] = []

    # --- randomness -------------------------------------------------------------------------------
    def salt(self, name: str) -> int:
        """A per-seed, per-purpose integer for the pure naming functions of `words`."""
        value = self._salts.get(name)
        if value is None:
            value = self.seed
            for char in name:
                value = mix(value * 131 + ord(char))
            self._salts[name] = value
        return value

    def rng(self, name: str) -> Random:
        return Random(f"sf_emulator:{self.seed}:{name}")

    # --- time -------------------------------------------------------------------------------------
    def day(self, epoch_day: int) -> str:
        """'YYYY-MM-DD' of a day number since 1970-01-01 (cached: a few thousand distinct days)."""
        text = self._days.get(epoch_day)
        if text is None:
            text = (dt.date(1970, 1, 1) + dt.timedelta(days=epoch_day)).isoformat()
            self._days[epoch_day] = text
        return text

    def day_of_ms(self, ms: int) -> str:
        return self.day(ms // DAY_MS)

    # --- objects and Id pools ----------------------------------------------------------------------
    def obj(self, name: str) -> ObjectDef | None:
        return self.schema.get(name)

    def has(self, name: str) -> bool:
        return name in self.new and len(self.new[name]) > 0

    def reserve(self, name: str, count: int) -> IdPool | None:
        """Reserve Ids for `count` new rows; the pool of all rows of `name` then includes them."""
        obj = self.obj(name)
        if obj is None:
            return None
        existing = self.existing_ids(obj)
        counters = self.org.reserve_ids(obj.key_prefix, count) if count > 0 else range(0)
        self.pools[obj.name] = IdPool(obj.name, obj.key_prefix, existing, counters)
        self.new[obj.name] = IdPool(obj.name, obj.key_prefix, (), counters)
        return self.new[obj.name]

    def existing_ids(self, obj: ObjectDef) -> list[str]:
        if self.org.tables.count(obj) > _EXISTING_LIMIT:
            return []
        rows = self.org.conn.execute(f"SELECT Id FROM {quote(obj.name)} WHERE IsDeleted = 0 ORDER BY _rowid")
        return [row[0] for row in rows.fetchall()]

    def pool(self, name: str) -> IdPool | None:
        """All rows of `name` (existing and generated); for objects no builder plans, the existing ones."""
        obj = self.obj(name)
        if obj is None:
            return None
        if obj.name not in self.pools:
            self.pools[obj.name] = IdPool(obj.name, obj.key_prefix, self.existing_ids(obj))
        pool = self.pools[obj.name]
        return pool if len(pool) else None

    def created_of(self, name: str) -> array:
        """Creation times of the generated rows of `name` by row index (filled as they are written)."""
        return self.created.setdefault(name, array("q"))

    def link(self, key: str, parent_of: array, parents: int) -> "Link":
        self.links[key] = Link(parent_of, parents)
        return self.links[key]

    def size(self, name: str) -> int:
        pool = self.new.get(name)
        return len(pool) if pool is not None else 0


class Link:
    """A child → parent mapping by row index, children of one parent contiguous (as `spread` makes them)."""

    def __init__(self, parent_of: array, parents: int) -> None:
        self.parent_of = parent_of
        starts = [0] * (parents + 1)
        for p in parent_of:
            starts[p + 1] += 1
        for i in range(parents):
            starts[i + 1] += starts[i]
        self.starts = array("i", starts)

    def children(self, parent: int) -> range:
        return range(self.starts[parent], self.starts[parent + 1])

    def pick_child(self, r: Callable[[], float], parent: int) -> int:
        """A random child of `parent`, or -1 when it has none."""
        first, stop = self.starts[parent], self.starts[parent + 1]
        return first + int(r() * (stop - first)) if stop > first else -1


def spread(rng: Random, parents: int, children: int) -> array:
    """Parent index of each child, sorted: per-parent counts vary (some parents get none), like real data."""
    if parents <= 0:
        return array("i")
    r = rng.random
    return array("i", sorted(int(r() * parents) for _ in range(children)))


class Chunk:
    """One slice of rows of one table; `chunk[name]` is that column's values for the slice."""

    __slots__ = ("gen", "rng", "rows", "counters", "_factories", "_cols")

    def __init__(self, gen: Gen, factories: Mapping[str, Factory], rng: Random, rows: range, counters: range):
        self.gen = gen
        self.rng = rng
        self.rows = rows
        self.counters = counters
        self._factories = factories
        self._cols: dict[str, list] = {}

    @property
    def n(self) -> int:
        return len(self.rows)

    def __getitem__(self, name: str) -> list:
        col = self._cols.get(name)
        if col is None:
            col = self._factories[name](self)
            self._cols[name] = col
        return col


def emit(
    gen: Gen,
    name: str,
    overrides: Mapping[str, Factory | None],
    *,
    window: tuple[float, float] = (0.0, 1.0),
) -> int:
    """Write the rows reserved for `name`: builder overrides first, describe-driven defaults for the rest.

    An override of None leaves the column null; keys starting with "_" are scratch columns that
    other factories read (`chunk["_names"]`) and that are not written. Returns the number of rows.
    """
    from .factories import default_factories

    obj = gen.obj(name)
    pool = gen.new.get(obj.name) if obj is not None else None
    if obj is None or pool is None or not len(pool):
        return 0
    factories: dict[str, Factory] = default_factories(gen, obj, len(pool), window)
    for field_name, factory in overrides.items():
        if field_name.startswith("_"):  # a scratch column other columns read, never written
            if factory is not None:
                factories[field_name] = factory
            continue
        f = obj.field(field_name)
        if f is None:
            continue
        if factory is None:
            factories.pop(f.name, None)
        else:
            factories[f.name] = factory
    names = [f.name for f in obj.stored_fields if f.name in factories and f.name != "IsDeleted"]
    time_column = next((t for t in _TIME_COLUMNS if t in factories), None)
    created = gen.created.setdefault(obj.name, array("q"))
    rng = gen.rng(obj.name)
    counters = pool.counters
    with gen.org.transaction(), _bulk_indexes(gen, obj, len(pool)):
        for start in range(0, len(pool), CHUNK):
            rows = range(start, min(start + CHUNK, len(pool)))
            chunk = Chunk(gen, factories, rng, rows, counters[rows.start : rows.stop])
            columns = [chunk[column] for column in names]
            if time_column is not None:
                created.extend(chunk[time_column])
            gen.org.tables.insert_many(obj, names, zip(*columns, strict=True))
    gen.counts[obj.name] = gen.counts.get(obj.name, 0) + len(pool)
    return len(pool)


@contextmanager
def _bulk_indexes(gen: Gen, obj: ObjectDef, rows: int) -> Iterator[None]:
    """Drop a table's secondary indexes during a large insert and rebuild them after.

    Building an index from the finished table (one sort) is several times faster than updating it
    row by row with keys in random order. The unique Id index stays: new Ids arrive in order, and
    it guards against duplicates while writing. Inside the caller's transaction, so a failure
    restores the indexes with everything else.
    """
    existing = gen.org.tables.count(obj, include_deleted=True)
    if rows < 2 * CHUNK or existing > rows:
        yield
        return
    saved = gen.org.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (obj.name,),
    ).fetchall()
    saved = [(name, sql) for name, sql in saved if "UNIQUE" not in sql.upper()]
    for name, _ in saved:
        gen.org.conn.execute(f"DROP INDEX {quote(name)}")
    yield
    for _, sql in saved:
        gen.org.conn.execute(sql)
