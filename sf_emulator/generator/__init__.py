"""Deterministic generation of a realistic org: `generate_org_data(org, scale=N, seed=S)`.

About N × 1000 rows across the standard objects and the org definition's custom objects, with
related records wired together (see `plan` for the volumes, the builder modules for the realism
rules, `table` for the time anchor and the determinism contract). The same seed on the same UTC day
gives identical rows, Ids included, in a fresh org.
"""

from ..store.org import Org
from . import accounts, activities, content, marketing, people, refdata, sales, service
from .plan import standard_price_book, volume_plan
from .table import Gen

__all__ = ["generate_org_data", "planned_volumes"]


def planned_volumes(org: Org, *, scale: int) -> dict[str, int]:
    """The rows `generate_org_data` would create per sObject, without writing anything."""
    return volume_plan(Gen(org, 0), scale)


def generate_org_data(org: Org, *, scale: int, seed: int = 0) -> dict[str, int]:
    """Fill `org` with about `scale` × 1000 related records; returns the rows created per sObject."""
    with org.lock:
        gen = Gen(org, seed)
        gen.std_pricebook = standard_price_book(gen)
        plan = volume_plan(gen, scale)
        for name, count in plan.items():
            gen.reserve(name, count)
        users = gen.pool("User")
        gen.users = users.all_ids() if users is not None else [org.user_id]
        generated = gen.new.get("User")
        gen.owners = generated.all_ids() if generated is not None and len(generated) else gen.users
        people.build(gen)
        refdata.build(gen)
        if gen.has("Account") and gen.has("Contact"):
            accounts.build(gen)
            sales.build(gen)
            service.build(gen)
            marketing.build(gen)
        content.build_custom(gen)
        if gen.has("Account") and gen.has("Contact"):
            activities.build(gen)
        content.build(gen)
        content.build_tags(gen)
        return {name: count for name, count in gen.counts.items() if count}
