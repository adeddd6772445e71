"""Column shapes the builders compose: picks, draws, per-row functions, parent links, child timing."""

from collections.abc import Callable, Sequence

from .ids import IdPool
from .table import DAY_MS, Chunk, Factory, Gen, Link


def choice(values: list, rate: float = 1.0) -> Factory:
    """Uniform picks from `values`, null in (1 - rate) of the rows."""
    values = list(values)
    if rate >= 1.0:
        return lambda c: c.rng.choices(values, k=c.n)
    k = len(values)
    population = [*values, None]
    cum = [rate * (i + 1) / k for i in range(k)] + [1.0]
    return lambda c: c.rng.choices(population, cum_weights=cum, k=c.n)


def numbers(draw: Callable[[Callable[[], float]], object], rate: float = 1.0) -> Factory:
    """`draw(random)` per row, null in (1 - rate) of the rows."""
    if rate >= 1.0:
        return lambda c: [draw(c.rng.random) for _ in c.rows]

    def column(c: Chunk) -> list:
        r = c.rng.random
        return [draw(r) if r() < rate else None for _ in c.rows]

    return column


def per_row(fn: Callable[[int], object]) -> Factory:
    """A column computed from the row index alone."""
    return lambda c: [fn(i) for i in c.rows]


def users(gen: Gen) -> Factory:
    return lambda c: c.rng.choices(gen.users, k=c.n)


def parents_of(link: Link) -> Factory:
    parent_of = link.parent_of
    return lambda c: [parent_of[i] for i in c.rows]


def ids_at(pool: IdPool, column: str) -> Factory:
    """The Ids of the generated rows whose indexes are in `column` (-1 → null)."""
    at = pool.at
    return lambda c: [at(i) if i >= 0 else None for i in c[column]]


def after(
    gen: Gen, created: Sequence[int], parent_index: Factory, max_days: float, *, power: float = 2.0
) -> Factory:
    """Creation times some days after each row's parent was created (never after the anchor).

    `created` holds the parents' creation times by generated row index (`gen.created[name]`);
    `parent_index` gives each row's parent index (or -1: no parent, any time in the window).
    Delays are skewed short (r ** power): most children follow their parent quickly.
    """
    anchor, start = gen.anchor_ms, gen.start_ms
    span = max_days * DAY_MS

    def column(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for p in parent_index(c):
            base = created[p] if p >= 0 else start + int(r() * (anchor - start))
            # Scaled to the time left before the anchor, so late parents do not pile children on it.
            out.append(base + int(r() ** power * min(span, anchor - base)))
        return out

    return column
