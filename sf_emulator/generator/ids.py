"""Fast record Ids and pools of Ids addressed by row index.

`store.ids.make_id` costs ~10 µs; a million rows with a few references each would spend most of the
generation budget there, so `IdMaker` computes the same Ids from precomputed digit pairs (~1 µs).
Pools never hold a big table's Ids: an Id is recomputed from (key prefix, counter) when needed.
"""

from collections.abc import Sequence
from random import Random

from ..store.ids import BASE62

_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_PAIRS = [a + b for a in BASE62 for b in BASE62]
_UPPER = [int("A" <= c <= "Z") for c in BASE62]
_PAIR_BITS = [_UPPER[i // 62] | (_UPPER[i % 62] << 1) for i in range(62 * 62)]
_POD = "5e0"


class IdMaker:
    """`make_id(prefix, counter)` for one key prefix (same layout: prefix, pod "5e", "0", 9 digits)."""

    def __init__(self, key_prefix: str) -> None:
        head = key_prefix + _POD
        self.head = head
        bits = sum(1 << i for i, c in enumerate(head[:5]) if "A" <= c <= "Z")
        self.suffix0 = _SUFFIX[bits]

    def __call__(self, counter: int) -> str:
        q, p4 = divmod(counter, 3844)
        q, p3 = divmod(q, 3844)
        q, p2 = divmod(q, 3844)
        d0, p1 = divmod(q, 3844)
        b2 = _PAIR_BITS[p2]
        c1 = (_UPPER[d0] << 1) | (_PAIR_BITS[p1] << 2) | ((b2 & 1) << 4)
        c2 = (b2 >> 1) | (_PAIR_BITS[p3] << 1) | (_PAIR_BITS[p4] << 3)
        return (
            self.head
            + BASE62[d0]
            + _PAIRS[p1]
            + _PAIRS[p2]
            + _PAIRS[p3]
            + _PAIRS[p4]
            + self.suffix0
            + _SUFFIX[c1]
            + _SUFFIX[c2]
        )


# Pools up to this size keep their Ids in a list once used, so a pick is an index, not an encoding.
_MATERIALIZE = 500_000


class IdPool:
    """Ids of one sObject: existing records (by value) followed by reserved counters (computed)."""

    def __init__(
        self, sobject: str, key_prefix: str, existing: Sequence[str] = (), counters: range = range(0)
    ):
        self.sobject = sobject
        self.maker = IdMaker(key_prefix)
        self.existing = list(existing)
        self.counters = counters
        self._size = len(self.existing) + len(counters)
        self._ids: list[str] | None = None

    def __len__(self) -> int:
        return self._size

    def _materialize(self) -> list[str] | None:
        if self._ids is None and self._size <= _MATERIALIZE:
            maker = self.maker
            self._ids = self.existing + [maker(c) for c in self.counters]
        return self._ids

    def at(self, index: int) -> str:
        ids = self._ids if self._ids is not None else self._materialize()
        if ids is not None:
            return ids[index]
        offset = len(self.existing)
        if index < offset:
            return self.existing[index]
        return self.maker(self.counters[index - offset])

    def pick(self, rng: Random) -> str:
        return self.at(int(rng.random() * self._size))

    def sample(self, rng: Random, n: int) -> list[str]:
        """`n` Ids drawn with replacement."""
        ids = self._materialize()
        if ids is not None:
            return rng.choices(ids, k=n)
        size = self._size
        at = self.at
        rand = rng.random
        return [at(int(rand() * size)) for _ in range(n)]

    def all_ids(self) -> list[str]:
        ids = self._materialize()
        return list(ids) if ids is not None else [self.at(i) for i in range(self._size)]
