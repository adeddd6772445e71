"""How many rows of each sObject a scale gives.

Business data scales with the number of accounts A, at realistic ratios per account (2 contacts,
1.5 opportunities with 2 line items each, a case, 3 activities…). Admin data is small: profiles,
roles, stages, periods and price books have a fixed size; users, products, campaigns, solutions and
documents grow slowly with the scale. A is whatever brings the total to about `scale` × 1000 rows.
"""

import math

from .table import Gen

# Expected rows per account.
PER_ACCOUNT: dict[str, float] = {
    "Account": 1.0,
    "Contact": 2.0,
    "AccountContactRole": 0.3,
    "Contract": 0.2,
    "Opportunity": 1.5,
    "OpportunityLineItem": 3.0,
    "OpportunityLineItemSchedule": 1.2,
    "OpportunityContactRole": 1.2,
    "OpportunityCompetitor": 0.4,
    "OpportunityFieldHistory": 3.0,
    "Case": 1.0,
    "CaseComment": 1.5,
    "CaseContactRole": 0.4,
    "CaseSolution": 0.3,
    "Lead": 1.0,
    "CampaignMember": 1.2,
    "Task": 2.0,
    "Event": 1.0,
    "Note": 0.3,
    "AccountTag": 0.1,
    "ContactTag": 0.1,
    "OpportunityTag": 0.1,
    "CaseTag": 0.05,
    "LeadTag": 0.05,
    "TaskTag": 0.05,
    "EventTag": 0.03,
    "NoteTag": 0.02,
    "ContractTag": 0.02,
}
CUSTOM_PER_ACCOUNT = 0.5

# Tags on the slow-growing objects: tags per tagged row.
TAGS_PER_ROW = {"CampaignTag": 0.3, "SolutionTag": 0.3, "DocumentTag": 0.3, "DashboardTag": 0.3}

# Roles under the org's root role (seeded as CEO): (name, parent name).
ROLES = (
    ("VP, Sales", "CEO"), ("Sales Manager", "VP, Sales"), ("Sales Representative", "Sales Manager"),
    ("VP, Marketing", "CEO"), ("Marketing Team", "VP, Marketing"), ("VP, Customer Service", "CEO"),
    ("Support Agent", "VP, Customer Service"),
)  # fmt: skip
PROFILES = ("Standard User", "Marketing User", "Contract Manager", "Solution Manager", "Read Only")
PRICE_BOOKS = ("Partner Price Book", "Enterprise Price Book")
PERIOD_YEARS = 3  # last, this and next fiscal year
PERIODS_PER_YEAR = 1 + 4 + 12
PUBLIC_GROUPS = ("All Sales", "Marketing Team", "Support Escalations")
QUEUES = ("Lead Queue", "Case Queue")


def _grows(base: int, per_scale: float, scale: int) -> int:
    return base + math.ceil(per_scale * scale)


def volume_plan(gen: Gen, scale: int) -> dict[str, int]:
    """Rows to create per sObject (objects absent from the schema are left out)."""
    scale = max(1, scale)
    fresh = {
        name: _is_fresh(gen, name)
        for name in ("Profile", "UserRole", "OpportunityStage", "Period", "Pricebook2")
    }
    stages = gen.obj("Opportunity").field("StageName") if gen.obj("Opportunity") else None
    users = _grows(4, 0.4, scale)
    products = _grows(10, 0.2, scale)
    campaigns = _grows(3, 1.0, scale)
    solutions = _grows(3, 2.0, scale)
    documents = _grows(3, 1.0, scale)
    dashboards = _grows(3, 0.05, scale)
    fixed: dict[str, int] = {
        "Profile": len(PROFILES) if fresh["Profile"] else 0,
        "UserRole": len(ROLES) if fresh["UserRole"] else 0,
        "OpportunityStage": len(stages.picklist_values) if stages and fresh["OpportunityStage"] else 0,
        "Period": PERIOD_YEARS * PERIODS_PER_YEAR if fresh["Period"] else 0,
        "Pricebook2": len(PRICE_BOOKS) + (0 if standard_price_book(gen) else 1) if fresh["Pricebook2"] else 0,
        "User": users,
        "UserLogin": users + _users_without_login(gen),
        "Group": 2 * (len(ROLES) + 1) + len(PUBLIC_GROUPS) + len(QUEUES) + scale // 20,
        "Product2": products,
        "PricebookEntry": 2 * products,
        "Campaign": campaigns,
        "CampaignShare": campaigns + campaigns // 2,
        "Solution": solutions,
        "Document": documents,
        "Dashboard": dashboards,
    }
    for tag, ratio in TAGS_PER_ROW.items():
        fixed[tag] = round(ratio * fixed.get(tag.removesuffix("Tag"), 0))
    customs = [obj.name for obj in gen.schema if obj.custom and obj.createable]
    per_account = dict(PER_ACCOUNT)
    for name in customs:
        per_account[name] = CUSTOM_PER_ACCOUNT
    present = {k: v for k, v in per_account.items() if gen.obj(k) is not None}
    budget = 1000 * scale - sum(v for k, v in fixed.items() if gen.obj(k) is not None)
    accounts = max(5, round(budget / sum(present.values())))
    plan = {k: v for k, v in fixed.items() if gen.obj(k) is not None}
    plan.update({k: max(1, round(v * accounts)) for k, v in present.items()})
    return plan


def _is_fresh(gen: Gen, name: str) -> bool:
    """Fixed-size admin data is generated once per org: a table holding only base records is fresh."""
    obj = gen.obj(name)
    return obj is not None and gen.org.tables.count(obj) <= 1


def standard_price_book(gen: Gen) -> str | None:
    obj = gen.obj("Pricebook2")
    if obj is None or obj.field("IsStandard") is None:
        return None
    row = gen.org.conn.execute(
        'SELECT Id FROM "Pricebook2" WHERE IsStandard = 1 AND IsDeleted = 0'
    ).fetchone()
    return row[0] if row else None


def _users_without_login(gen: Gen) -> int:
    if gen.obj("UserLogin") is None or gen.obj("User") is None:
        return 0
    row = gen.org.conn.execute(
        'SELECT COUNT(*) FROM "User" WHERE Id NOT IN (SELECT UserId FROM "UserLogin" WHERE UserId IS NOT NULL)'
    ).fetchone()
    return row[0]
