"""Opportunities with line items (standard price book entries), schedules, contact roles, competitors, history.

An opportunity's skeleton (creation time, stage, close date) is drawn first, so its line items can
be written before it and its Amount be the sum of their totals, as the real org computes it.
"""

from array import array

from . import words as W
from .accounts import account_name, contact_of_account_column
from .columns import after, ids_at, parents_of
from .refdata import stage_info
from .table import DAY_MS, Chunk, Factory, Gen, Link, emit, spread

_SUFFIXES = ("New Business", "Expansion", "Renewal", "Add-On", "Pilot", "Upgrade", "Services Deal",
             "Enterprise Agreement", "Replacement", "Multi-Year Deal")  # fmt: skip


class Skeleton:
    """Per-opportunity facts the children need before the opportunities are written."""

    def __init__(self, gen: Gen, link: Link, stages: list[str]) -> None:
        rng = gen.rng("Opportunity:skeleton")
        r = rng.random
        accounts_created = gen.created_of("Account")
        open_stages = [i for i, s in enumerate(stages) if not stage_info(s)[3]] or [0]
        won = [i for i, s in enumerate(stages) if stage_info(s)[4]]
        lost = [i for i, s in enumerate(stages) if stage_info(s)[3] and not stage_info(s)[4]]
        n = len(link.parent_of)
        self.created = array("q", [0]) * n
        self.stage = array("b", [0]) * n
        self.close_day = array("i", [0]) * n
        self.amount = array("d", [0.0]) * n
        self.quantity = array("d", [0.0]) * n
        self.items = array("i", [0]) * n
        anchor_day = gen.anchor_day
        for o, a in enumerate(link.parent_of):
            created = min(gen.anchor_ms, accounts_created[a] + int(r() ** 2 * 180 * DAY_MS))
            self.created[o] = created
            created_day = created // DAY_MS
            old = anchor_day - created_day > 120
            if (won or lost) and r() < (0.8 if old else 0.25):
                self.stage[o] = rng.choice(won) if won and (not lost or r() < 0.55) else rng.choice(lost)
                self.close_day[o] = min(anchor_day, created_day + 10 + int(r() * 110))
            else:
                self.stage[o] = rng.choice(open_stages)
                overdue = r() < 0.1
                self.close_day[o] = (
                    anchor_day - 1 - int(r() * 30) if overdue else anchor_day + 1 + int(r() * 180)
                )
                self.close_day[o] = max(self.close_day[o], created_day)


def opportunity_name(gen: Gen, account: int, index: int) -> str:
    suffix = _SUFFIXES[W.mix(gen.salt("Opportunity") ^ index) % len(_SUFFIXES)]
    return f"{account_name(gen, account)} - {suffix}"[:120]


def build(gen: Gen) -> None:
    if not gen.has("Opportunity"):
        return
    accounts = gen.size("Account")
    link = gen.link(
        "Opportunity", spread(gen.rng("Opportunity:links"), accounts, gen.size("Opportunity")), accounts
    )
    field = gen.obj("Opportunity").field("StageName")
    stages = [p.value for p in field.picklist_values if p.active] if field else ["Prospecting"]
    sk = Skeleton(gen, link, stages)
    _line_items(gen, sk)
    _opportunities(gen, sk, stages)
    _contact_roles(gen, sk)
    _competitors(gen, sk)
    _history(gen, sk, stages)


def _line_items(gen: Gen, sk: Skeleton) -> None:
    opps = len(sk.created)
    count = gen.size("OpportunityLineItem")
    link = gen.link("OpportunityLineItem", spread(gen.rng("OpportunityLineItem:links"), opps, count), opps)
    products = gen.products
    active = [i for i, p in enumerate(products) if p.active] or list(range(len(products)))
    entries, items = gen.new.get("PricebookEntry"), gen.new.get("Product2")
    if not count or not active or entries is None or items is None:
        return
    # Which line items have schedules, and of which kind (1 revenue, 2 quantity), before writing them.
    rng = gen.rng("OpportunityLineItemSchedule:links")
    schedules = gen.size("OpportunityLineItemSchedule")
    owners = sorted(rng.sample(range(count), min(count, max(1, schedules // 3)))) if schedules else []
    sched_parent = array("i", (owners[k] for k in spread(rng, len(owners), schedules)))
    kinds = bytearray(count)
    for i in sched_parent:
        kinds[i] = 1
    for i in owners:
        if kinds[i] and rng.random() < 0.2:
            kinds[i] = 2
    total = array("d", [0.0]) * count
    qty = array("d", [0.0]) * count

    def unit(c: Chunk) -> list:
        return [round(products[p].price * (1 - c.rng.random() * 0.15), 2) for p in c["_product"]]

    def totals(c: Chunk) -> list:
        out = []
        for i, o, q, u, d in zip(c.rows, c["_p"], c["Quantity"], c["UnitPrice"], c["Discount"], strict=True):
            value = round(q * u * (1 - (d or 0) / 100), 2)
            out.append(value)
            total[i], qty[i] = value, q
            sk.amount[o] += value
            sk.quantity[o] += q
            sk.items[o] += 1
        return out

    emit(
        gen,
        "OpportunityLineItem",
        {
            "_p": parents_of(link),
            "_product": lambda c: c.rng.choices(active, k=c.n),
            "OpportunityId": ids_at(gen.new["Opportunity"], "_p"),
            "PricebookEntryId": ids_at(entries, "_product"),
            "Product2Id": ids_at(items, "_product"),
            "ProductCode": lambda c: [products[p].code for p in c["_product"]],
            "Name": lambda c: [
                f"{opportunity_name(gen, link_account(gen, o), o)} {products[p].name}"
                for o, p in zip(c["_p"], c["_product"], strict=True)
            ],
            "Quantity": lambda c: c.rng.choices((1, 2, 3, 5, 10, 25), weights=(40, 20, 12, 12, 10, 6), k=c.n),
            "UnitPrice": unit,
            "ListPrice": lambda c: [products[p].price for p in c["_product"]],
            "Discount": lambda c: [
                round(c.rng.random() * 20, 2) if c.rng.random() < 0.3 else None for _ in c.rows
            ],
            "Subtotal": lambda c: [
                round(q * u, 2) for q, u in zip(c["Quantity"], c["UnitPrice"], strict=True)
            ],
            "TotalPrice": totals,
            "ServiceDate": lambda c: [
                gen.day(sk.close_day[o]) if c.rng.random() < 0.5 else None for o in c["_p"]
            ],
            "HasSchedule": lambda c: [int(kinds[i] > 0) for i in c.rows],
            "HasRevenueSchedule": lambda c: [int(kinds[i] == 1) for i in c.rows],
            "HasQuantitySchedule": lambda c: [int(kinds[i] == 2) for i in c.rows],
            "SortOrder": None,
            "CreatedDate": after(gen, sk.created, lambda c: c["_p"], 7),
        },
    )
    _schedules(gen, sk, link, sched_parent, kinds, total, qty)


def link_account(gen: Gen, opportunity: int) -> int:
    return gen.links["Opportunity"].parent_of[opportunity]


def _schedules(
    gen: Gen, sk: Skeleton, items: Link, parent: array, kinds: bytearray, total: array, qty: array
) -> None:
    link = gen.link("OpportunityLineItemSchedule", parent, len(items.parent_of))

    def position(c: Chunk) -> list:
        return [i - link.starts[p] for i, p in zip(c.rows, c["_p"], strict=True)]

    def share(values: array, kind: int) -> Factory:
        def column(c: Chunk) -> list:
            out = []
            for p in c["_p"]:
                n = link.starts[p + 1] - link.starts[p]
                out.append(round(values[p] / n, 2) if kinds[p] == kind else None)
            return out

        return column

    emit(
        gen,
        "OpportunityLineItemSchedule",
        {
            "_p": parents_of(link),
            "_k": position,
            "OpportunityLineItemId": ids_at(gen.new["OpportunityLineItem"], "_p"),
            "Type": lambda c: ["Quantity" if kinds[p] == 2 else "Revenue" for p in c["_p"]],
            "Revenue": share(total, 1),
            "Quantity": share(qty, 2),
            "ScheduleDate": lambda c: [
                gen.day(sk.close_day[items.parent_of[p]] + 30 * k)
                for p, k in zip(c["_p"], c["_k"], strict=True)
            ],
            "CreatedDate": after(gen, gen.created_of("OpportunityLineItem"), lambda c: c["_p"], 2),
        },
    )


def _opportunities(gen: Gen, sk: Skeleton, stages: list[str]) -> None:
    link = gen.links["Opportunity"]
    info = [stage_info(s) for s in stages]
    campaigns = gen.new.get("Campaign")
    stats = gen.campaign_opportunities = [[0, 0, 0.0, 0.0] for _ in range(len(campaigns) if campaigns else 0)]
    anchor = gen.anchor_ms

    def campaign(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for amount, won in zip(c["Amount"], c["IsWon"], strict=True):
            k = int(r() * len(stats)) if stats and r() < 0.2 else -1
            if k >= 0:
                entry = stats[k]
                entry[0] += 1
                entry[1] += won
                entry[2] += amount or 0.0
                entry[3] += (amount or 0.0) if won else 0.0
            out.append(k)
        return out

    def amount(c: Chunk) -> list:
        r = c.rng.random
        return [
            round(sk.amount[i], 2)
            if sk.items[i]
            else (round(10 ** (3 + r() * 2.5), -2) if r() < 0.9 else None)
            for i in c.rows
        ]

    def modified(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for i, t in zip(c.rows, c["CreatedDate"], strict=True):
            if info[sk.stage[i]][3]:
                t = max(t, min(anchor, sk.close_day[i] * DAY_MS + int(r() * DAY_MS)))
            elif r() < 0.5:
                t += int((anchor - t) * r() ** 2)
            out.append(t)
        return out

    def fiscal(i: int) -> tuple[int, int]:
        year, month = map(int, gen.day(sk.close_day[i])[:7].split("-"))
        return year, (month - 1) // 3 + 1

    emit(
        gen,
        "Opportunity",
        {
            "_p": parents_of(link),
            "AccountId": ids_at(gen.new["Account"], "_p"),
            "Name": lambda c: [opportunity_name(gen, a, i) for i, a in zip(c.rows, c["_p"], strict=True)],
            "CreatedDate": lambda c: [sk.created[i] for i in c.rows],
            "LastModifiedDate": modified,
            "StageName": lambda c: [stages[sk.stage[i]] for i in c.rows],
            "CloseDate": lambda c: [gen.day(sk.close_day[i]) for i in c.rows],
            "Amount": amount,
            "Probability": lambda c: [info[sk.stage[i]][0] for i in c.rows],
            "ExpectedRevenue": lambda c: [
                None if a is None else round(a * p / 100, 2)
                for a, p in zip(c["Amount"], c["Probability"], strict=True)
            ],
            "ForecastCategory": lambda c: [info[sk.stage[i]][1] for i in c.rows],
            "ForecastCategoryName": lambda c: [info[sk.stage[i]][2] for i in c.rows],
            "IsClosed": lambda c: [info[sk.stage[i]][3] for i in c.rows],
            "IsWon": lambda c: [info[sk.stage[i]][4] for i in c.rows],
            "TotalOpportunityQuantity": lambda c: [sk.quantity[i] if sk.items[i] else None for i in c.rows],
            "HasOpportunityLineItem": lambda c: [int(sk.items[i] > 0) for i in c.rows],
            "Pricebook2Id": lambda c: [gen.std_pricebook if sk.items[i] else None for i in c.rows],
            "FiscalYear": lambda c: [fiscal(i)[0] for i in c.rows],
            "FiscalQuarter": lambda c: [fiscal(i)[1] for i in c.rows],
            "Fiscal": lambda c: [
                f"{y} {q}" for y, q in zip(c["FiscalYear"], c["FiscalQuarter"], strict=True)
            ],
            "LastStageChangeDate": lambda c: list(c["LastModifiedDate"]),
            "_campaign": campaign,
            "CampaignId": ids_at(campaigns, "_campaign") if stats else None,
            "IsPrivate": lambda c: [int(c.rng.random() < 0.02) for _ in c.rows],
            "ContactId": None,
        },
    )


def _contact_roles(gen: Gen, sk: Skeleton) -> None:
    opps = len(sk.created)
    link = gen.link(
        "OpportunityContactRole",
        spread(gen.rng("OpportunityContactRole:links"), opps, gen.size("OpportunityContactRole")),
        opps,
    )
    accounts = gen.links["Opportunity"].parent_of
    emit(
        gen,
        "OpportunityContactRole",
        {
            "_p": parents_of(link),
            "_a": lambda c: [accounts[o] for o in c["_p"]],
            "_c": contact_of_account_column(gen, "_a"),
            "OpportunityId": ids_at(gen.new["Opportunity"], "_p"),
            "ContactId": ids_at(gen.new["Contact"], "_c"),
            "IsPrimary": lambda c: [int(i == link.starts[o]) for i, o in zip(c.rows, c["_p"], strict=True)],
            "CreatedDate": after(gen, sk.created, lambda c: c["_p"], 20),
        },
    )


def _competitors(gen: Gen, sk: Skeleton) -> None:
    opps = len(sk.created)
    link = gen.link(
        "OpportunityCompetitor",
        spread(gen.rng("OpportunityCompetitor:links"), opps, gen.size("OpportunityCompetitor")),
        opps,
    )
    strengths = (
        "Lower price",
        "Incumbent vendor",
        "Strong local support",
        "Broader feature set",
        "Brand recognition",
    )
    weaknesses = (
        "Slow delivery",
        "Weak integrations",
        "Poor support reviews",
        "Higher total cost",
        "Limited scale",
    )
    emit(
        gen,
        "OpportunityCompetitor",
        {
            "_p": parents_of(link),
            "OpportunityId": ids_at(gen.new["Opportunity"], "_p"),
            "CompetitorName": lambda c: c.rng.choices(W.COMPETITORS, k=c.n),
            "Strengths": lambda c: [
                s if c.rng.random() < 0.7 else None for s in c.rng.choices(strengths, k=c.n)
            ],
            "Weaknesses": lambda c: [
                s if c.rng.random() < 0.7 else None for s in c.rng.choices(weaknesses, k=c.n)
            ],
            "CreatedDate": after(gen, sk.created, lambda c: c["_p"], 30),
        },
    )


def _history(gen: Gen, sk: Skeleton, stages: list[str]) -> None:
    obj = gen.obj("OpportunityFieldHistory")
    opps = len(sk.created)
    if obj is None or not opps:
        return
    link = gen.link(
        "OpportunityFieldHistory",
        spread(gen.rng("OpportunityFieldHistory:links"), opps, gen.size("OpportunityFieldHistory")),
        opps,
    )
    field = obj.field("Field")
    tracked = {p.value for p in field.picklist_values} if field else set()
    cycle = [f for f in ("StageName", "Amount", "CloseDate") if f in tracked] or ["StageName"]
    kinds = {"StageName": "Picklist", "Amount": "Currency", "CloseDate": "Date"}
    first = "created" if "created" in tracked else cycle[0]
    open_stages = [s for s in stages if not stage_info(s)[3]] or stages

    def field_of(c: Chunk) -> list:
        return [first if k == 0 else cycle[(k - 1) % len(cycle)] for k in c["_k"]]

    def values(c: Chunk) -> list:
        out = []
        r = c.rng.random
        for o, k, name in zip(c["_p"], c["_k"], c["Field"], strict=True):
            if name == "StageName":
                out.append((open_stages[(k - 1) % len(open_stages)], stages[sk.stage[o]]))
            elif name == "Amount":
                new = round(sk.amount[o], 2) if sk.items[o] else round(10 ** (3 + r() * 2), -2)
                out.append((str(round(new * (0.5 + r()), -1)), str(new)))
            elif name == "CloseDate":
                out.append((gen.day(sk.close_day[o] - 7 - int(r() * 60)), gen.day(sk.close_day[o])))
            else:
                out.append((None, None))
        return out

    def created(c: Chunk) -> list:
        out = []
        for o, k in zip(c["_p"], c["_k"], strict=True):
            start = sk.created[o]
            n = link.starts[o + 1] - link.starts[o]
            step = min(gen.anchor_ms - start, 90 * DAY_MS) // max(n, 1)
            out.append(start + k * step + int(c.rng.random() * step))
        return out

    emit(
        gen,
        "OpportunityFieldHistory",
        {
            "_p": parents_of(link),
            "_k": lambda c: [i - link.starts[o] for i, o in zip(c.rows, c["_p"], strict=True)],
            "OpportunityId": ids_at(gen.new["Opportunity"], "_p"),
            "CreatedDate": created,
            "Field": field_of,
            "DataType": lambda c: [kinds.get(name) for name in c["Field"]],
            "_v": values,
            "OldValue": lambda c: [v[0] for v in c["_v"]],
            "NewValue": lambda c: [v[1] for v in c["_v"]],
        },
    )
