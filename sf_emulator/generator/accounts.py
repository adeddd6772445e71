"""Accounts, their contacts, account contact roles and contracts."""

import datetime as dt

from . import words as W
from .columns import after, ids_at, parents_of
from .table import DAY_MS, Chunk, Factory, Gen, emit, spread

_EPOCH = dt.date(1970, 1, 1)


def account_name(gen: Gen, index: int) -> str:
    return W.company(gen.salt("Account"), index)


def contact_name(gen: Gen, index: int) -> tuple[str, str]:
    return W.person(gen.salt("Contact"), index)


def contact_email(gen: Gen, index: int) -> str | None:
    """A tenth of contacts have no email; a function of the index, so copies (cases, leads) agree."""
    if W.mix(gen.salt("Contact.Email") ^ index) % 10 == 0:
        return None
    first, last = contact_name(gen, index)
    return W.email(first, last, W.domain(account_name(gen, gen.links["Contact"].parent_of[index])))


def build(gen: Gen) -> None:
    accounts = gen.size("Account")
    gen.link("Contact", spread(gen.rng("Contact:links"), accounts, gen.size("Contact")), accounts)
    _accounts(gen)
    _contacts(gen)
    _account_contact_roles(gen)
    _contracts(gen)


def _accounts(gen: Gen) -> None:
    pool = gen.new["Account"]
    salt = gen.salt("Account")

    def parent(c: Chunk) -> list:
        r = c.rng.random
        return [pool.at(int(r() * i)) if i and r() < 0.1 else None for i in c.rows]

    emit(
        gen,
        "Account",
        {
            "Name": lambda c: [W.company(salt, i) for i in c.rows],
            "Website": lambda c: [
                f"https://www.{W.domain(n)}" if c.rng.random() < 0.8 else None for n in c["Name"]
            ],
            "ParentId": parent,
            "Jigsaw": None,
            "ShippingGeocodeAccuracy": None,
            "BillingGeocodeAccuracy": None,
        },
        window=(0.0, 0.95),
    )


def _contacts(gen: Gen) -> None:
    link = gen.links["Contact"]
    accounts = gen.new["Account"]
    contacts = gen.new["Contact"]
    salt = gen.salt("Contact")
    obj = gen.obj("Contact")

    def reports_to(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for i, p in zip(c.rows, c["_p"], strict=True):
            first = link.starts[p]
            out.append(contacts.at(first + int(r() * (i - first))) if i > first and r() < 0.3 else None)
        return out

    overrides: dict[str, Factory | None] = {
        "_p": parents_of(link),
        "_names": lambda c: [W.person(salt, i) for i in c.rows],
        "AccountId": ids_at(accounts, "_p"),
        "FirstName": lambda c: [n[0] for n in c["_names"]],
        "LastName": lambda c: [n[1] for n in c["_names"]],
        "Name": lambda c: [f"{a} {b}" for a, b in c["_names"]],
        "Email": lambda c: [contact_email(gen, i) for i in c.rows],
        "ReportsToId": reports_to,
        "CreatedDate": after(gen, gen.created_of("Account"), lambda c: c["_p"], 60),
        "EmailBouncedReason": None,
        "EmailBouncedDate": None,
        "Jigsaw": None,
    }
    for f in obj.fields if obj else ():
        if f.name.startswith("Other") and f.name != "OtherPhone":
            overrides[f.name] = None  # the second address is rarely kept
    emit(gen, "Contact", overrides)


def _account_contact_roles(gen: Gen) -> None:
    accounts = gen.size("Account")
    link = gen.link(
        "AccountContactRole",
        spread(gen.rng("AccountContactRole:links"), accounts, gen.size("AccountContactRole")),
        accounts,
    )
    emit(
        gen,
        "AccountContactRole",
        {
            "_p": parents_of(link),
            "AccountId": ids_at(gen.new["Account"], "_p"),
            "_c": contact_of_account_column(gen, "_p"),
            "ContactId": ids_at(gen.new["Contact"], "_c"),
            "IsPrimary": lambda c: [int(i == link.starts[p]) for i, p in zip(c.rows, c["_p"], strict=True)],
            "CreatedDate": after(gen, gen.created_of("Contact"), lambda c: c["_c"], 90),
        },
    )


def contact_of_account_column(gen: Gen, account_column: str, *, fallback: bool = True) -> Factory:
    """A contact of each row's account; when it has none, any contact (`fallback`) or -1 (no contact)."""
    link = gen.links["Contact"]
    total = len(link.parent_of)

    def column(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for a in c[account_column]:
            if a is None or a < 0:
                out.append(-1)
                continue
            child = link.pick_child(r, a)
            out.append(child if child >= 0 or not fallback else (int(r() * total) if total else -1))
        return out

    return column


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def _contracts(gen: Gen) -> None:
    accounts = gen.size("Account")
    link = gen.link("Contract", spread(gen.rng("Contract:links"), accounts, gen.size("Contract")), accounts)
    statuses = ("Draft", "In Approval Process", "Activated")
    codes = {"Draft": "Draft", "In Approval Process": "InApproval", "Activated": "Activated"}

    def start_days(c: Chunk) -> list:
        return [t // DAY_MS + int(c.rng.random() * 30) for t in c["CreatedDate"]]

    def end_date(c: Chunk) -> list:
        out = []
        for day, term in zip(c["_start"], c["ContractTerm"], strict=True):
            start = _EPOCH + dt.timedelta(days=day)
            out.append((add_months(start, term) - dt.timedelta(days=1)).isoformat())
        return out

    def activated(c: Chunk) -> list:
        return [
            min(gen.anchor_ms, t + int(c.rng.random() * 5 * DAY_MS)) if s == "Activated" else None
            for t, s in zip(c["CreatedDate"], c["Status"], strict=True)
        ]

    emit(
        gen,
        "Contract",
        {
            "_p": parents_of(link),
            "AccountId": ids_at(gen.new["Account"], "_p"),
            "CreatedDate": after(gen, gen.created_of("Account"), lambda c: c["_p"], 120),
            "Status": lambda c: c.rng.choices(statuses, weights=(2, 1, 7), k=c.n),
            "StatusCode": lambda c: [codes[s] for s in c["Status"]],
            "_start": start_days,
            "StartDate": lambda c: [gen.day(d) for d in c["_start"]],
            "ContractTerm": lambda c: c.rng.choices((12, 24, 36), weights=(5, 3, 2), k=c.n),
            "EndDate": end_date,
            "ActivatedDate": activated,
            "ActivatedById": lambda c: [
                None if t is None else c.rng.choice(gen.users) for t in c["ActivatedDate"]
            ],
            "_c": contact_of_account_column(gen, "_p", fallback=False),
            "CustomerSignedId": lambda c: [
                gen.new["Contact"].at(x) if x >= 0 and s == "Activated" else None
                for x, s in zip(c["_c"], c["Status"], strict=True)
            ],
            "CustomerSignedDate": lambda c: [
                gen.day(d) if s == "Activated" else None
                for d, s in zip(c["_start"], c["Status"], strict=True)
            ],
            "CustomerSignedTitle": lambda c: [
                c.rng.choice(W.TITLES)[:40] if s else None for s in c["CustomerSignedId"]
            ],
            "CompanySignedId": lambda c: [
                c.rng.choice(gen.users) if s == "Activated" else None for s in c["Status"]
            ],
            "CompanySignedDate": lambda c: [
                gen.day(d) if s else None for d, s in zip(c["_start"], c["CompanySignedId"], strict=True)
            ],
            "Pricebook2Id": lambda c: [gen.std_pricebook if c.rng.random() < 0.5 else None for _ in c.rows],
            "LastApprovedDate": None,
            "BillingGeocodeAccuracy": None,
        },
    )
