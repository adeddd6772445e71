"""The records every new org has: its Organization row, an admin profile, role and user, a price book."""

from .schema import FieldDef, ObjectDef


def _known(obj: ObjectDef, values: dict) -> dict:
    """Keep only the fields this org's describe has, and fill required ones describe leaves open."""
    known = {k: v for k, v in values.items() if obj.field(k) is not None}
    for f in obj.fields:
        if f.required_on_create and known.get(f.name) is None:
            known[f.name] = _placeholder(f)
    return known


def _placeholder(f: FieldDef) -> object:
    if f.picklist_values:
        return f.picklist_values[0].value
    if f.type in ("int", "long", "double", "currency", "percent"):
        return 0
    if f.type == "date":
        return "2000-01-01"
    if f.type == "datetime":
        return "2000-01-01T00:00:00Z"
    return "Default"


def seed_base_records(org) -> None:  # noqa: ANN001 - Org imports this module
    """Create the admin user first (every audit field points at it), then the rest."""
    org.user_id = org.new_id("005")
    name = org.credentials.username.split("@", 1)[0]
    with org.transaction():
        profile_id = _create(org, "Profile", {"Name": "System Administrator", "UserType": "Standard"})
        role_id = _create(org, "UserRole", {"Name": "CEO", "DeveloperName": "CEO"})
        _create(
            org,
            "User",
            {
                "Id": org.user_id,
                "Username": org.credentials.username,
                "LastName": "Admin",
                "FirstName": name.capitalize(),
                "Email": org.credentials.username,
                "Alias": name[:8],
                "CommunityNickname": name,
                "IsActive": True,
                "ProfileId": profile_id,
                "UserRoleId": role_id,
                "TimeZoneSidKey": "GMT",
                "LocaleSidKey": "en_US",
                "EmailEncodingKey": "UTF-8",
                "LanguageLocaleKey": "en_US",
                "UserType": "Standard",
            },
        )
        _create(
            org,
            "Organization",
            {
                "Id": org.org_id,
                "Name": "sf_emulator",
                "IsSandbox": org.sandbox,
                "OrganizationType": "Developer Edition",
                "InstanceName": "EMU1",
                "TimeZoneSidKey": "GMT",
                "LanguageLocaleKey": "en_US",
                "DefaultLocaleSidKey": "en_US",
            },
        )
        _create(org, "Pricebook2", {"Name": "Standard Price Book", "IsActive": True, "IsStandard": True})


def _create(org, sobject: str, values: dict) -> str | None:  # noqa: ANN001
    obj = org.schema.get(sobject)
    if obj is None:
        return None
    return org.create(obj, _known(obj, values), system=True)
