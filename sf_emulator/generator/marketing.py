"""Leads (some converted into the generated accounts), campaigns, their members and shares.

Plans come first (which leads convert, who is in which campaign with which status) so that
campaign roll-ups and converted-lead fields agree with the rows they summarise.
"""

from array import array

from . import words as W
from .accounts import account_name, contact_email, contact_name
from .columns import after, ids_at, parents_of
from .factories import timeline
from .table import DAY_MS, Chunk, Factory, Gen, emit, spread

_MEMBER_STATUSES = ("Sent", "Received", "Responded", "Planned")


class LeadPlan:
    """Converted leads turned into a generated contact (and its account, maybe an opportunity)."""

    def __init__(self, gen: Gen) -> None:
        rng = gen.rng("Lead:conversions")
        contacts = gen.size("Contact")
        opps = gen.links.get("Opportunity")
        self.contact = array("i", [-1]) * gen.size("Lead")
        self.opportunity = array("i", [-1]) * gen.size("Lead")
        for i in range(len(self.contact)):
            if contacts and rng.random() < 0.2:
                x = int(rng.random() * contacts)
                self.contact[i] = x
                account = gen.links["Contact"].parent_of[x]
                if opps is not None and rng.random() < 0.7:
                    self.opportunity[i] = opps.pick_child(rng.random, account)


class MemberPlan:
    """Members of each campaign: distinct contacts (index < contacts) and leads (index - contacts)."""

    def __init__(self, gen: Gen, leads: LeadPlan) -> None:
        rng = gen.rng("CampaignMember:plan")
        campaigns = gen.size("Campaign")
        self.contacts = gen.size("Contact")
        people = self.contacts + gen.size("Lead")
        parent = spread(rng, campaigns, gen.size("CampaignMember")) if people else array("i")
        self.link = gen.link("CampaignMember", parent, campaigns)
        self.member = array("i", [0]) * len(parent)
        self.status = bytearray(len(parent))
        self.counts = [[0, 0, 0, 0] for _ in range(campaigns)]  # contacts, leads, responses, converted
        for c in range(campaigns):
            span = self.link.children(c)
            if not len(span):
                continue
            if len(span) <= people:
                chosen = rng.sample(range(people), len(span))
            else:
                chosen = [int(rng.random() * people) for _ in span]
            for i, m in zip(span, chosen, strict=True):
                self.member[i] = m
                self.status[i] = rng.choices(range(4), weights=(4, 2, 3, 1))[0]
                stats = self.counts[c]
                stats[0 if m < self.contacts else 1] += 1
                stats[2] += self.status[i] == 2
                stats[3] += m >= self.contacts and leads.contact[m - self.contacts] >= 0


def build(gen: Gen) -> None:
    leads = LeadPlan(gen)
    members = MemberPlan(gen, leads) if gen.has("Campaign") else None
    owners: list[str] = []
    if members is not None:
        _campaigns(gen, members, owners)
    _leads(gen, leads)
    if members is not None:
        _members(gen, members, leads)
        _shares(gen, owners)


def lead_name(gen: Gen, plan: LeadPlan, index: int) -> tuple[str, str]:
    """A converted lead carries the name of the contact it became."""
    x = plan.contact[index]
    return contact_name(gen, x) if x >= 0 else W.person(gen.salt("Lead"), index)


def lead_company(gen: Gen, plan: LeadPlan, index: int) -> str:
    x = plan.contact[index]
    return (
        account_name(gen, gen.links["Contact"].parent_of[x])
        if x >= 0
        else W.company(gen.salt("Lead.Company"), index)
    )


def _campaigns(gen: Gen, plan: MemberPlan, owners: list[str]) -> None:
    anchor_day = gen.anchor_day
    pool = gen.new["Campaign"]
    stats = gen.campaign_opportunities or [[0, 0, 0.0, 0.0] for _ in range(len(pool))]

    def owner(c: Chunk) -> list:
        chosen = c.rng.choices(gen.owners, k=c.n)
        owners.extend(chosen)
        return chosen

    def status(c: Chunk) -> list:
        out = []
        for start, end in zip(c["_start"], c["_end"], strict=True):
            if start > anchor_day:
                out.append("Planned")
            elif end >= anchor_day:
                out.append("In Progress")
            else:
                out.append("Aborted" if c.rng.random() < 0.1 else "Completed")
        return out

    def rollup(k: int) -> Factory:
        return lambda c: [plan.counts[i][k] for i in c.rows]

    def opportunities(k: int, digits: int | None) -> Factory:
        return lambda c: [round(stats[i][k], digits) if digits else stats[i][k] for i in c.rows]

    emit(
        gen,
        "Campaign",
        {
            "_start": lambda c: [t // DAY_MS + int(c.rng.random() * 30) for t in c["CreatedDate"]],
            "_end": lambda c: [d + 14 + int(c.rng.random() * 76) for d in c["_start"]],
            "StartDate": lambda c: [gen.day(d) for d in c["_start"]],
            "EndDate": lambda c: [gen.day(d) for d in c["_end"]],
            "Name": lambda c: [
                f"{W.CAMPAIGN_THEMES[i % len(W.CAMPAIGN_THEMES)]} {gen.day(d)[:4]}"
                + (f" #{i}" if i >= 11 else "")
                for i, d in zip(c.rows, c["_start"], strict=True)
            ],
            "Status": status,
            "IsActive": lambda c: [int(s in ("Planned", "In Progress")) for s in c["Status"]],
            "ParentId": lambda c: [
                pool.at(int(c.rng.random() * i)) if i and c.rng.random() < 0.1 else None for i in c.rows
            ],
            "BudgetedCost": lambda c: [round(10 ** (3 + c.rng.random() * 2), -2) for _ in c.rows],
            "ActualCost": lambda c: [
                round(b * (0.6 + c.rng.random() * 0.6), -1) if s in ("Completed", "In Progress") else None
                for b, s in zip(c["BudgetedCost"], c["Status"], strict=True)
            ],
            "ExpectedRevenue": lambda c: [round(b * (2 + c.rng.random() * 8), -2) for b in c["BudgetedCost"]],
            "ExpectedResponse": lambda c: [round(1 + c.rng.random() * 19, 2) for _ in c.rows],
            "NumberSent": lambda c: [float(sum(plan.counts[i][:2]) * 10) for i in c.rows],
            "NumberOfContacts": rollup(0),
            "NumberOfLeads": rollup(1),
            "NumberOfResponses": rollup(2),
            "NumberOfConvertedLeads": rollup(3),
            "NumberOfOpportunities": opportunities(0, None),
            "NumberOfWonOpportunities": opportunities(1, None),
            "AmountAllOpportunities": opportunities(2, 2),
            "AmountWonOpportunities": opportunities(3, 2),
            "CampaignMemberRecordTypeId": None,
            "OwnerId": owner,
        },
        window=(0.0, 1.0),
    )


def _leads(gen: Gen, plan: LeadPlan) -> None:
    obj = gen.obj("Lead")
    if obj is None or not gen.has("Lead"):
        return
    status = obj.field("Status")
    statuses = [p.value for p in status.picklist_values if p.active] if status else ["Open - Not Contacted"]
    converted = next(
        (s for s in statuses if "converted" in s.lower() and "not" not in s.lower()), statuses[-1]
    )
    others = [s for s in statuses if s != converted] or statuses
    contacts, accounts, opps = gen.new["Contact"], gen.new["Account"], gen.new.get("Opportunity")
    contact_link = gen.links["Contact"]
    accounts_created = gen.created_of("Account")
    base_times = timeline(gen, gen.size("Lead"), (0.0, 1.0))
    anchor, start = gen.anchor_ms, gen.start_ms

    def created(c: Chunk) -> list:
        out = []
        for i, t in zip(c.rows, base_times(c), strict=True):
            x = plan.contact[i]
            if x >= 0:  # created before the conversion that created the account
                t = max(
                    start, accounts_created[contact_link.parent_of[x]] - int(c.rng.random() * 60 * DAY_MS)
                )
            out.append(t)
        return out

    def converted_ms(c: Chunk) -> list:
        return [
            accounts_created[contact_link.parent_of[plan.contact[i]]] if plan.contact[i] >= 0 else None
            for i in c.rows
        ]

    def names(c: Chunk) -> list:
        return [lead_name(gen, plan, i) for i in c.rows]

    def email(c: Chunk) -> list:
        out = []
        for i, (first, last) in zip(c.rows, c["_names"], strict=True):
            x = plan.contact[i]
            if x >= 0:
                out.append(contact_email(gen, x))
            else:
                out.append(
                    W.email(first, last, W.domain(c["Company"][i - c.rows.start]))
                    if c.rng.random() < 0.9
                    else None
                )
        return out

    def modified(c: Chunk) -> list:
        r = c.rng.random
        out = []
        for t, conv in zip(c["CreatedDate"], c["_converted"], strict=True):
            t = max(t, conv) if conv is not None else t
            out.append(t + int((anchor - t) * r() ** 3) if r() < 0.4 else t)
        return out

    overrides: dict[str, Factory | None] = {
        "_names": names,
        "_converted": converted_ms,
        "CreatedDate": created,
        "LastModifiedDate": modified,
        "FirstName": lambda c: [n[0] for n in c["_names"]],
        "LastName": lambda c: [n[1] for n in c["_names"]],
        "Name": lambda c: [f"{a} {b}" for a, b in c["_names"]],
        "Company": lambda c: [lead_company(gen, plan, i) for i in c.rows],
        "Email": email,
        "Website": lambda c: [
            f"https://www.{W.domain(n)}" if c.rng.random() < 0.5 else None for n in c["Company"]
        ],
        "Status": lambda c: [converted if plan.contact[i] >= 0 else c.rng.choice(others) for i in c.rows],
        "IsConverted": lambda c: [int(plan.contact[i] >= 0) for i in c.rows],
        "ConvertedDate": lambda c: [gen.day_of_ms(t) if t is not None else None for t in c["_converted"]],
        "ConvertedContactId": lambda c: [
            contacts.at(plan.contact[i]) if plan.contact[i] >= 0 else None for i in c.rows
        ],
        "ConvertedAccountId": lambda c: [
            accounts.at(contact_link.parent_of[plan.contact[i]]) if plan.contact[i] >= 0 else None
            for i in c.rows
        ],
        "ConvertedOpportunityId": lambda c: [
            opps.at(plan.opportunity[i]) if opps is not None and plan.opportunity[i] >= 0 else None
            for i in c.rows
        ],
        "GeocodeAccuracy": None,
        "Jigsaw": None,
    }
    emit(gen, "Lead", overrides)


def _members(gen: Gen, plan: MemberPlan, lead_plan: LeadPlan) -> None:
    contacts, leads = gen.new["Contact"], gen.new.get("Lead")
    split = plan.contacts
    contact_link = gen.links["Contact"]

    def who(c: Chunk) -> list:
        return [plan.member[i] for i in c.rows]

    def name(m: int) -> tuple[str, str]:
        return contact_name(gen, m) if m < split else lead_name(gen, lead_plan, m - split)

    def company(m: int) -> str:
        return (
            account_name(gen, contact_link.parent_of[m])
            if m < split
            else lead_company(gen, lead_plan, m - split)
        )

    statuses = _MEMBER_STATUSES
    emit(
        gen,
        "CampaignMember",
        {
            "_p": parents_of(plan.link),
            "_m": who,
            "CampaignId": ids_at(gen.new["Campaign"], "_p"),
            "ContactId": lambda c: [contacts.at(m) if m < split else None for m in c["_m"]],
            "LeadId": lambda c: [leads.at(m - split) if m >= split and leads else None for m in c["_m"]],
            "LeadOrContactId": lambda c: [a or b for a, b in zip(c["ContactId"], c["LeadId"], strict=True)],
            "Type": lambda c: ["Contact" if m < split else "Lead" for m in c["_m"]],
            "Status": lambda c: [statuses[plan.status[i]] for i in c.rows],
            "HasResponded": lambda c: [int(s == "Responded") for s in c["Status"]],
            "FirstRespondedDate": lambda c: [
                gen.day_of_ms(t) if s == "Responded" else None
                for t, s in zip(c["CreatedDate"], c["Status"], strict=True)
            ],
            "_n": lambda c: [name(m) for m in c["_m"]],
            "FirstName": lambda c: [n[0] for n in c["_n"]],
            "LastName": lambda c: [n[1] for n in c["_n"]],
            "Name": lambda c: [f"{a} {b}" for a, b in c["_n"]],
            "CompanyOrAccount": lambda c: [company(m) for m in c["_m"]],
            "Email": lambda c: [
                contact_email(gen, m if m < split else lead_plan.contact[m - split])
                if m < split or lead_plan.contact[m - split] >= 0
                else None
                for m in c["_m"]
            ],
            "CreatedDate": after(gen, gen.created_of("Campaign"), lambda c: c["_p"], 30),
            "LeadOrContactOwnerId": None,
        },
    )


def _shares(gen: Gen, owners: list[str]) -> None:
    """An Owner row per campaign, then a manual or rule grant to a group on every other campaign."""
    campaigns = gen.new["Campaign"]
    count = len(campaigns)
    groups = gen.new.get("Group")
    group_ids = groups.all_ids() if groups is not None and len(groups) else list(gen.users)

    def campaign_index(i: int) -> int:
        return i if i < count else (2 * (i - count)) % count

    emit(
        gen,
        "CampaignShare",
        {
            "_p": lambda c: [campaign_index(i) for i in c.rows],
            "CampaignId": ids_at(campaigns, "_p"),
            "UserOrGroupId": lambda c: [owners[i] if i < count else c.rng.choice(group_ids) for i in c.rows],
            "CampaignAccessLevel": lambda c: [
                "All" if i < count else c.rng.choice(("Read", "Edit")) for i in c.rows
            ],
            "RowCause": lambda c: [
                "Owner" if i < count else c.rng.choice(("Manual", "Rule")) for i in c.rows
            ],
            "LastModifiedDate": after(gen, gen.created_of("Campaign"), lambda c: c["_p"], 10),
        },
    )
