"""Cases with comments, contact roles and solutions."""

from array import array
from collections.abc import Callable

from . import words as W
from .accounts import contact_email, contact_name, contact_of_account_column
from .columns import after, ids_at, parents_of
from .table import DAY_MS, Chunk, Factory, Gen, emit, spread
from .text import prose


def build(gen: Gen) -> None:
    accounts = gen.size("Account")
    cases = gen.size("Case")
    gen.link("Case", spread(gen.rng("Case:links"), accounts, cases), accounts)
    links = gen.link(
        "CaseSolution", spread(gen.rng("CaseSolution:links"), cases, gen.size("CaseSolution")), cases
    )
    solutions = gen.size("Solution")
    # Distinct solutions per case: the k-th link of a case takes the solution after its case's base.
    salt = gen.salt("CaseSolution")
    chosen = array("i", [0]) * len(links.parent_of)
    used = [0] * solutions
    for i, case in enumerate(links.parent_of):
        if solutions:
            chosen[i] = (W.mix(salt ^ case) + i - links.starts[case]) % solutions
            used[chosen[i]] += 1
    _solutions(gen, used)
    _cases(gen)
    _comments(gen)
    _contact_roles(gen)
    _case_solutions(gen, chosen)


def _solutions(gen: Gen, used: list[int]) -> None:
    titles = W.SOLUTION_TITLES
    emit(
        gen,
        "Solution",
        {
            "SolutionName": lambda c: [
                titles[i % len(titles)] + (f" ({i // len(titles) + 1})" if i >= len(titles) else "")
                for i in c.rows
            ],
            "Status": lambda c: c.rng.choices(("Draft", "Reviewed", "Duplicate"), weights=(3, 6, 1), k=c.n),
            "IsReviewed": lambda c: [int(s == "Reviewed") for s in c["Status"]],
            "IsPublished": lambda c: [int(s == "Reviewed" and c.rng.random() < 0.7) for s in c["Status"]],
            "IsPublishedInPublicKb": lambda c: [int(p and c.rng.random() < 0.3) for p in c["IsPublished"]],
            "SolutionNote": prose(gen, 2, 4),
            "TimesUsed": lambda c: [used[i] for i in c.rows],
            "IsHtml": lambda c: [0] * c.n,
        },
        window=(0.0, 0.9),
    )


def _cases(gen: Gen) -> None:
    obj = gen.obj("Case")
    if obj is None:
        return
    link = gen.links["Case"]
    contacts = gen.new["Contact"]
    status = obj.field("Status")
    statuses = [p.value for p in status.picklist_values if p.active] if status else ["New"]
    closed = [s for s in statuses if "closed" in s.lower()] or statuses[-1:]
    open_ = [s for s in statuses if s not in closed] or statuses
    pool = gen.new["Case"]
    anchor = gen.anchor_ms

    def status_of(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for t in c["CreatedDate"]:
            old = anchor - t > 30 * DAY_MS
            out.append(c.rng.choice(closed) if r() < (0.9 if old else 0.4) else c.rng.choice(open_))
        return out

    def closed_date(c: Chunk) -> list:
        return [
            min(anchor, t + int(c.rng.random() ** 2 * 20 * DAY_MS)) if s in closed else None
            for t, s in zip(c["CreatedDate"], c["Status"], strict=True)
        ]

    def modified(c: Chunk) -> list:
        r = c.rng.random
        return [
            d if d is not None else (t + int((anchor - t) * r() ** 3) if r() < 0.5 else t)
            for t, d in zip(c["CreatedDate"], c["ClosedDate"], strict=True)
        ]

    def supplied(c: Chunk, make: Callable[[int], str | None]) -> list:
        return [make(x) if o == "Web" and x >= 0 else None for o, x in zip(c["Origin"], c["_c"], strict=True)]

    overrides: dict[str, Factory | None] = {
        "_p": parents_of(link),
        "_c": lambda c: [
            x if c.rng.random() < 0.9 else -1 for x in contact_of_account_column(gen, "_p", fallback=False)(c)
        ],
        "AccountId": ids_at(gen.new["Account"], "_p"),
        "ContactId": ids_at(contacts, "_c"),
        "CreatedDate": after(gen, gen.created_of("Account"), lambda c: c["_p"], 400, power=1.0),
        "Status": status_of,
        "IsClosed": lambda c: [int(s in closed) for s in c["Status"]],
        "ClosedDate": closed_date,
        "LastModifiedDate": modified,
        "IsEscalated": lambda c: [int(s == "Escalated" or c.rng.random() < 0.03) for s in c["Status"]],
        "Subject": lambda c: c.rng.choices(W.CASE_SUBJECTS, k=c.n),
        "ParentId": lambda c: [
            pool.at(int(c.rng.random() * i)) if i and c.rng.random() < 0.05 else None for i in c.rows
        ],
        "SuppliedName": lambda c: supplied(c, lambda x: " ".join(contact_name(gen, x))),
        "SuppliedEmail": lambda c: supplied(c, lambda x: contact_email(gen, x)),
        "SuppliedPhone": None,
        "SuppliedCompany": None,
        "ContactEmail": lambda c: [contact_email(gen, x) if x >= 0 else None for x in c["_c"]],
        "AssetId": None,
    }
    emit(gen, "Case", overrides)


def _comments(gen: Gen) -> None:
    cases = gen.size("Case")
    link = gen.link(
        "CaseComment", spread(gen.rng("CaseComment:links"), cases, gen.size("CaseComment")), cases
    )
    emit(
        gen,
        "CaseComment",
        {
            "_p": parents_of(link),
            "ParentId": ids_at(gen.new["Case"], "_p"),
            "CommentBody": prose(gen, 1, 3),
            "IsPublished": lambda c: [int(c.rng.random() < 0.4) for _ in c.rows],
            "CreatedDate": after(gen, gen.created_of("Case"), lambda c: c["_p"], 10),
        },
    )


def _contact_roles(gen: Gen) -> None:
    cases = gen.size("Case")
    link = gen.link(
        "CaseContactRole", spread(gen.rng("CaseContactRole:links"), cases, gen.size("CaseContactRole")), cases
    )
    accounts = gen.links["Case"].parent_of
    emit(
        gen,
        "CaseContactRole",
        {
            "_p": parents_of(link),
            "_a": lambda c: [accounts[x] for x in c["_p"]],
            "_c": contact_of_account_column(gen, "_a"),
            "CasesId": ids_at(gen.new["Case"], "_p"),
            "ContactId": ids_at(gen.new["Contact"], "_c"),
            "CreatedDate": after(gen, gen.created_of("Case"), lambda c: c["_p"], 5),
        },
    )


def _case_solutions(gen: Gen, chosen: array) -> None:
    link = gen.links["CaseSolution"]
    solutions = gen.new.get("Solution")
    if solutions is None or not len(solutions):
        return
    solution_created = gen.created_of("Solution")
    case_after = after(gen, gen.created_of("Case"), lambda c: c["_p"], 15)
    emit(
        gen,
        "CaseSolution",
        {
            "_p": parents_of(link),
            "_s": lambda c: [chosen[i] for i in c.rows],
            "CaseId": ids_at(gen.new["Case"], "_p"),
            "SolutionId": ids_at(solutions, "_s"),
            "CreatedDate": lambda c: [
                max(t, solution_created[s]) for t, s in zip(case_after(c), c["_s"], strict=True)
            ],
        },
    )
