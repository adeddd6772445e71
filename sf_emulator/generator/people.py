"""Profiles, roles, users, their logins and groups: the people every other record is owned by."""

from ..store.schema import ObjectDef
from . import plan as P
from . import words as W
from .columns import choice, per_row
from .table import DAY_MS, Chunk, Factory, Gen, emit
from .text import slug

# Permissions a profile grants (others are off); the seeded System Administrator has them all.
_GRANTS = {
    "Standard User": {"ApiEnabled", "EditTask", "EditEvent", "RunReports"},
    "Marketing User": {"ApiEnabled", "EditTask", "EditEvent", "RunReports"},
    "Contract Manager": {"ApiEnabled", "EditTask", "EditEvent", "RunReports"},
    "Solution Manager": {"ApiEnabled", "EditTask", "EditEvent", "RunReports"},
    "Read Only": {"ApiEnabled", "RunReports"},
}
_TIMEZONES = ("America/Los_Angeles", "America/New_York", "America/Chicago", "America/Denver", "Europe/London",
              "Europe/Paris", "Asia/Tokyo")  # fmt: skip


def build(gen: Gen) -> None:
    _profiles(gen)
    _roles(gen)
    _users(gen)
    _logins(gen)
    _groups(gen)


def _profiles(gen: Gen) -> None:
    obj = gen.obj("Profile")
    if obj is None:
        return
    overrides: dict[str, Factory | None] = {
        "Name": per_row(lambda i: P.PROFILES[i % len(P.PROFILES)]),
        "UserType": per_row(lambda i: "Standard"),
        "Description": per_row(lambda i: f"{P.PROFILES[i % len(P.PROFILES)]} profile"),
        "LastViewedDate": None,
        "LastReferencedDate": None,
    }
    for f in obj.fields:
        if f.name.startswith("Permissions"):
            perm = f.name.removeprefix("Permissions")
            overrides[f.name] = per_row(lambda i, p=perm: int(p in _GRANTS[P.PROFILES[i % len(P.PROFILES)]]))
    emit(gen, "Profile", overrides, window=(0.0, 0.02))


def _roles(gen: Gen) -> None:
    pool = gen.new.get("UserRole")
    if pool is None or not len(pool):
        return
    existing = dict(gen.org.conn.execute('SELECT Name, Id FROM "UserRole" WHERE IsDeleted = 0').fetchall())
    by_name = {name: pool.at(i) for i, (name, _) in enumerate(P.ROLES)}

    def parent(i: int) -> str | None:
        name = P.ROLES[i][1]
        return by_name.get(name) or existing.get(name) or next(iter(existing.values()), None)

    emit(
        gen,
        "UserRole",
        {
            "Name": per_row(lambda i: P.ROLES[i][0]),
            "ParentRoleId": per_row(parent),
            "RollupDescription": per_row(lambda i: P.ROLES[i][0]),
            "DeveloperName": lambda c: [
                f"{slug(P.ROLES[i][0])}_{x}" for i, x in zip(c.rows, c.counters, strict=True)
            ],
            "PortalType": per_row(lambda i: "None"),
            "PortalAccountId": None,
            "ForecastUserId": None,
        },
        window=(0.0, 0.02),
    )


def user_name(gen: Gen, index: int) -> tuple[str, str]:
    return W.person(gen.salt("User"), index)


def _users(gen: Gen) -> None:
    obj = gen.obj("User")
    if obj is None or not gen.has("User"):
        return
    domain = gen.org.credentials.username.rsplit("@", 1)[-1].lower()
    salt = gen.salt("User")
    profiles = gen.pool("Profile")
    roles = gen.pool("UserRole")
    admin = gen.org.user_id or gen.users[0]
    new_users = gen.new["User"]

    def names(c: Chunk) -> list:
        return [W.person(salt, i) for i in c.rows]

    def local(first: str, last: str) -> str:
        return f"{first}.{last}".lower()

    def manager(c: Chunk) -> list:
        r = c.rng.random
        return [
            None if r() < 0.2 or i == 0 else (admin if r() < 0.3 else new_users.at(int(r() * i)))
            for i in c.rows
        ]

    zones = [z for z in _TIMEZONES if _allowed(obj, "TimeZoneSidKey", z)]
    overrides: dict[str, Factory | None] = {
        "_names": names,
        "FirstName": lambda c: [n[0] for n in c["_names"]],
        "LastName": lambda c: [n[1] for n in c["_names"]],
        "MiddleName": None,
        "Suffix": None,
        "Name": lambda c: [f"{a} {b}" for a, b in c["_names"]],
        "Username": lambda c: [
            f"{local(a, b)}.{x}@{domain}" for (a, b), x in zip(c["_names"], c.counters, strict=True)
        ],
        "Email": lambda c: [f"{local(a, b)}@{domain}" for a, b in c["_names"]],
        "Alias": lambda c: [(a[0] + b).lower()[:8] for a, b in c["_names"]],
        "CommunityNickname": lambda c: [
            f"{local(a, b)}.{x}"[:40] for (a, b), x in zip(c["_names"], c.counters, strict=True)
        ],
        "IsActive": lambda c: [int(r < 0.9) for r in (c.rng.random() for _ in c.rows)],
        "ProfileId": choice(profiles.all_ids()) if profiles else None,
        "UserRoleId": choice(roles.all_ids(), 0.9) if roles else None,
        "ManagerId": manager,
        "TimeZoneSidKey": choice(zones) if zones else None,
        "LocaleSidKey": _mostly(obj, "LocaleSidKey", "en_US"),
        "LanguageLocaleKey": _mostly(obj, "LanguageLocaleKey", "en_US"),
        "EmailEncodingKey": _mostly(obj, "EmailEncodingKey", "UTF-8"),
        "DefaultCurrencyIsoCode": per_row(lambda i: "USD"),
        "UserType": per_row(lambda i: "Standard"),
        "CompanyName": per_row(lambda i: "sf_emulator"),
        "SenderEmail": None,
        "SenderName": None,
        "ContactId": None,
        "AccountId": None,
        "DelegatedApproverId": None,
        "FederationIdentifier": None,
        "LastLoginDate": lambda c: [
            gen.anchor_ms - int(c.rng.random() * 30 * DAY_MS) if active else None for active in c["IsActive"]
        ],
        "LastPasswordChangeDate": lambda c: [t + int(c.rng.random() * DAY_MS) for t in c["CreatedDate"]],
    }
    emit(gen, "User", overrides, window=(0.0, 0.3))


def _allowed(obj: ObjectDef, field: str, value: str) -> bool:
    f = obj.field(field)
    return f is not None and any(p.value == value and p.active for p in f.picklist_values)


def _mostly(obj: ObjectDef, field: str, value: str) -> Factory | None:
    """The usual value for 85% of rows, the field's other values for the rest."""
    f = obj.field(field)
    if f is None or not _allowed(obj, field, value):
        return None
    others = [p.value for p in f.picklist_values if p.active and p.value != value] or [value]
    return lambda c: [
        value if r < 0.85 else others[int(r * 1000) % len(others)] for r in (c.rng.random() for _ in c.rows)
    ]


def _logins(gen: Gen) -> None:
    pool = gen.new.get("UserLogin")
    if pool is None or not len(pool) or gen.obj("User") is None:
        return
    missing = [
        row[0]
        for row in gen.org.conn.execute(
            'SELECT Id FROM "User" WHERE Id NOT IN (SELECT UserId FROM "UserLogin" WHERE UserId IS NOT NULL)'
            " ORDER BY _rowid"
        ).fetchall()
    ]
    # Users generated in this run are not in the table yet; their Ids come from the reservation.
    new_users = gen.new.get("User")
    targets = missing + (new_users.all_ids() if new_users is not None else [])
    emit(
        gen,
        "UserLogin",
        {
            "UserId": per_row(lambda i: targets[i % len(targets)]),
            "IsFrozen": lambda c: [int(r < 0.02) for r in (c.rng.random() for _ in c.rows)],
            "IsPasswordLocked": lambda c: [int(r < 0.01) for r in (c.rng.random() for _ in c.rows)],
        },
        window=(0.3, 1.0),
    )


def _groups(gen: Gen) -> None:
    pool = gen.new.get("Group")
    if pool is None or not len(pool):
        return
    roles = gen.pool("UserRole")
    role_ids = roles.all_ids() if roles else []
    role_names = dict(gen.org.conn.execute('SELECT Id, Name FROM "UserRole"').fetchall())
    if gen.new.get("UserRole") is not None:
        role_names.update(
            {gen.new["UserRole"].at(i): name for i, (name, _) in enumerate(P.ROLES[: gen.size("UserRole")])}
        )
    specs: list[tuple[str, str, str | None]] = []
    for role_id in role_ids:
        name = role_names.get(role_id, "Role")
        specs += [(name, "Role", role_id), (f"{name} and Subordinates", "RoleAndSubordinates", role_id)]
    specs += [(name, "Regular", None) for name in P.PUBLIC_GROUPS] + [
        (name, "Queue", None) for name in P.QUEUES
    ]
    team = 1
    while len(specs) < len(pool):
        specs.append((f"Project Team {team}", "Regular", None))
        team += 1
    specs = specs[: len(pool)]
    domain = gen.org.credentials.username.rsplit("@", 1)[-1].lower()
    owner = gen.org.org_id if gen.pool("Organization") else gen.users[0]
    emit(
        gen,
        "Group",
        {
            "Name": per_row(lambda i: specs[i][0][:40]),
            "Type": per_row(lambda i: specs[i][1]),
            "RelatedId": per_row(lambda i: specs[i][2]),
            "DeveloperName": lambda c: [
                f"{slug(specs[i][0])}_{x}" for i, x in zip(c.rows, c.counters, strict=True)
            ],
            "Email": per_row(
                lambda i: f"{slug(specs[i][0]).lower()}@{domain}" if specs[i][1] == "Queue" else None
            ),
            "OwnerId": per_row(lambda i: owner),
        },
        window=(0.0, 0.3),
    )
