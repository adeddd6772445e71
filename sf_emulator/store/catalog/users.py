"""Users, their logins, roles, profiles and groups, and the polymorphic `Name` lookup object."""

from .fields import (
    address,
    audit_fields,
    boolean,
    datetime,
    email,
    id_field,
    last_modified_by,
    last_modified_date,
    last_viewed,
    name_field,
    phone,
    picklist,
    reference,
    sobject,
    string,
    system_modstamp,
    textarea,
    url,
)
from .picklists import CURRENCIES, EMAIL_ENCODINGS, LANGUAGES, LOCALES, TIMEZONES

USER_TYPES = (
    "Standard", ("PowerPartner", "Partner"), ("PowerCustomerSuccess", "Customer Portal Manager"),
    ("CustomerSuccess", "Customer Portal User"), ("Guest", "Guest"), ("CspLitePortal", "High Volume Portal"),
    ("CsnOnly", "CSN Only"), ("SelfService", "Self Service"),
)  # fmt: skip

USER = sobject(
    "User",
    "005",
    "User",
    "Users",
    [
        id_field("User ID"),
        string("Username", 80, required=True, id_lookup=True, unique=True),
        string("LastName", 80, required=True, compound_field_name="Name", extra_type_info="personname"),
        string("FirstName", 40, compound_field_name="Name", extra_type_info="personname"),
        string("MiddleName", 40, compound_field_name="Name", extra_type_info="personname"),
        string("Suffix", 40, compound_field_name="Name", extra_type_info="personname"),
        string(
            "Name",
            121,
            "Full Name",
            readonly=True,
            required=True,
            name_field=True,
            extra_type_info="personname",
        ),
        string("CompanyName", 80, "Company Name"),
        string("Division", 80),
        string("Department", 80),
        string("Title", 80),
        address(),
        email("Email", length=128, required=True),
        email("SenderEmail", "Email Sender Address"),
        string("SenderName", 80, "Email Sender Name"),
        textarea("Signature", 1333, "Email Signature"),
        string("Alias", 8, required=True),
        string(
            "CommunityNickname", 40, "Nickname", required=True, defaulted=True, id_lookup=True, unique=True
        ),
        boolean("IsActive", "Active"),
        picklist("TimeZoneSidKey", TIMEZONES, "Time Zone", restricted=True, required=True),
        reference("UserRoleId", "UserRole", "UserRole", "Role ID"),
        picklist("LocaleSidKey", LOCALES, "Locale", restricted=True, required=True),
        boolean("ReceivesInfoEmails", "Info Emails"),
        boolean("ReceivesAdminInfoEmails", "Admin Info Emails"),
        picklist("EmailEncodingKey", EMAIL_ENCODINGS, "Email Encoding", restricted=True, required=True),
        picklist(
            "DefaultCurrencyIsoCode", CURRENCIES, "Default Currency ISO Code", restricted=True, readonly=True
        ),
        reference("ProfileId", "Profile", "Profile", required=True),
        picklist("UserType", USER_TYPES, "User Type", restricted=True, readonly=True),
        picklist("LanguageLocaleKey", LANGUAGES, "Language", restricted=True, required=True),
        string("EmployeeNumber", 20, "Employee Number"),
        reference("DelegatedApproverId", ["Group", "User"], None, "Delegated Approver ID"),
        reference("ManagerId", "User", "Manager", "Manager ID"),
        datetime("LastLoginDate", "Last Login", readonly=True),
        datetime("LastPasswordChangeDate", "Last Password Change or Reset", readonly=True),
        audit_fields(),
        reference("ContactId", "Contact", "Contact", create_only=True),
        reference("AccountId", "Account", "Account", readonly=True),
        phone("Phone"),
        phone("Fax"),
        phone("MobilePhone", "Mobile"),
        string("Extension", 40),
        string("FederationIdentifier", 512, "SAML Federation ID", id_lookup=True),
        textarea("AboutMe", 1000, "About Me"),
        url(
            "FullPhotoUrl", "Url for full-sized Photo", length=1024, readonly=True, extra_type_info="imageurl"
        ),
        url("SmallPhotoUrl", "Photo", length=1024, readonly=True, extra_type_info="imageurl"),
        boolean("IsProfilePhotoActive", "Has Profile Photo", readonly=True),
        picklist(
            "DigestFrequency",
            [("D", "Daily"), ("W", "Weekly"), ("N", "Never")],
            "Chatter Email Highlights Frequency",
            restricted=True,
            required=True,
            defaulted=True,
        ),
        boolean("UserPermissionsMarketingUser", "Marketing User"),
        boolean("UserPermissionsOfflineUser", "Offline User"),
        boolean("UserPermissionsSFContentUser", "Salesforce CRM Content User"),
        last_viewed(),
    ],
    deletable=False,
    undeletable=False,
    feed_enabled=True,
)

# Login state per user; maintained by the org (freeze/lock), with only a LastModified* pair.
USER_LOGIN = sobject(
    "UserLogin",
    "0Yw",
    "User Login",
    "User Login",
    [
        id_field("User Login ID"),
        reference("UserId", "User", None, "User ID", readonly=True, required=True),
        boolean("IsFrozen", "Is Frozen"),
        boolean("IsPasswordLocked", "Is Password Locked", readonly=True),
        last_modified_date(),
        last_modified_by(),
    ],
    createable=False,
    deletable=False,
    undeletable=False,
    replicateable=False,
    searchable=False,
    layoutable=False,
    triggerable=False,
)

ACCESS_LEVELS = (("None", "No Access"), ("Read", "Read Only"), ("Edit", "Read/Write"))

# Roles have no Created* fields in a real org: only LastModified* and SystemModstamp.
USER_ROLE = sobject(
    "UserRole",
    "00E",
    "Role",
    "Role",
    [
        id_field("Role ID"),
        name_field(80),
        reference("ParentRoleId", "UserRole", None, "Parent Role ID"),
        string("RollupDescription", 80, "Description"),
        picklist(
            "OpportunityAccessForAccountOwner",
            ACCESS_LEVELS,
            "Opportunity Access Level",
            restricted=True,
            required=True,
        ),
        picklist("CaseAccessForAccountOwner", ACCESS_LEVELS, "Case Access Level", restricted=True),
        picklist("ContactAccessForAccountOwner", ACCESS_LEVELS, "Contact Access Level", restricted=True),
        reference("ForecastUserId", "User", None, "Forecast Manager ID"),
        boolean("MayForecastManagerShare", "May Forecast Manager Share", readonly=True),
        last_modified_date(),
        last_modified_by(),
        system_modstamp(),
        string("DeveloperName", 80, "Developer Name", defaulted=True),
        reference("PortalAccountId", "Account", None, "Account ID", create_only=True),
        picklist(
            "PortalType",
            ["None", "CustomerPortal", "Partner"],
            "Portal Type",
            restricted=True,
            create_only=True,
        ),
        reference("PortalAccountOwnerId", "User", None, "Partner Account Owner ID", readonly=True),
    ],
    undeletable=False,
    layoutable=False,
    triggerable=False,
)

PROFILE = sobject(
    "Profile",
    "00e",
    "Profile",
    "Profile",
    [
        id_field("Profile ID"),
        name_field(255),
        boolean("PermissionsApiEnabled", "API Enabled"),
        boolean("PermissionsApiUserOnly", "Api Only User"),
        boolean("PermissionsViewAllData", "View All Data"),
        boolean("PermissionsModifyAllData", "Modify All Data"),
        boolean("PermissionsEditTask", "Edit Tasks"),
        boolean("PermissionsEditEvent", "Edit Events"),
        boolean("PermissionsRunReports", "Run Reports"),
        boolean("PermissionsManageUsers", "Manage Users"),
        reference(
            "UserLicenseId", "UserLicense", "UserLicense", "User License ID", readonly=True, required=True
        ),
        picklist("UserType", USER_TYPES, "User Type", restricted=True, readonly=True),
        audit_fields(),
        string("Description", 255),
        last_viewed(),
    ],
    createable=False,
    deletable=False,
    undeletable=False,
    layoutable=False,
    triggerable=False,
    searchable=False,
)

GROUP_TYPES = (
    ("Regular", "Public Group"), ("Role", "Role"), ("RoleAndSubordinates", "Role and Subordinates"),
    ("Organization", "Organization"), ("Queue", "Queue"), ("Manager", "Manager"),
    ("ManagerAndSubordinatesInternal", "Manager and Subordinates Internal"), ("AllCustomerPortal", "All Customer Portal"),
)  # fmt: skip

GROUP = sobject(
    "Group",
    "00G",
    "Group",
    "Group",
    [
        id_field("Group ID"),
        string("Name", 40, name_field=True),
        string("DeveloperName", 80, "Developer Name", defaulted=True),
        reference("RelatedId", ["User", "UserRole"], "Related", "Related ID", readonly=True),
        picklist("Type", GROUP_TYPES, restricted=True, required=True, create_only=True),
        email("Email"),
        reference(
            "OwnerId",
            ["Organization", "User"],
            "Owner",
            "Owner ID",
            readonly=True,
            required=True,
            defaulted=True,
        ),
        boolean("DoesSendEmailToMembers", "Send Email to Members"),
        boolean("DoesIncludeBosses", "Include Bosses"),
        audit_fields(),
    ],
    undeletable=False,
    layoutable=False,
    triggerable=False,
    searchable=False,
)

# What a polymorphic lookup (Owner, Who, What, CreatedBy…) points at: a read-only view over the
# named objects, queryable only through relationships, with no key prefix of its own.
NAME_TYPES = (
    "Account", "Campaign", "Case", "Contact", "Contract", "Group", "Lead", "Opportunity", "Product2", "Solution",
    "User",
)  # fmt: skip

NAME = sobject(
    "Name",
    "000",
    "Name",
    "Names",
    [
        id_field("Record ID"),
        string("Name", 255, "Full Name", readonly=True, name_field=True),
        string("LastName", 80, "Last Name", readonly=True),
        string("FirstName", 40, "First Name", readonly=True),
        picklist("Type", NAME_TYPES, "Object Type", readonly=True),
        string("Alias", 8, readonly=True),
        reference("UserRoleId", "UserRole", "UserRole", "Role ID", readonly=True),
        reference("RecordTypeId", "RecordType", "RecordType", "Record Type ID", readonly=True),
        boolean("IsActive", "Active", readonly=True),
        reference("ProfileId", "Profile", "Profile", "Profile ID", readonly=True),
        string("Title", 80, readonly=True),
        email("Email", readonly=True),
        phone("Phone", readonly=True),
        string("NameOrAlias", 255, "Name or Alias", readonly=True),
        string("Username", 80, readonly=True),
        url("SmallPhotoUrl", "Photo", length=1024, readonly=True, extra_type_info="imageurl"),
        url(
            "MediumPhotoUrl",
            "Url for medium profile photo",
            length=1024,
            readonly=True,
            extra_type_info="imageurl",
        ),
        last_viewed(),
    ],
    queryable=False,
    createable=False,
    updateable=False,
    deletable=False,
    undeletable=False,
    replicateable=False,
    searchable=False,
    triggerable=False,
    layoutable=False,
)


OBJECTS = [USER, USER_LOGIN, USER_ROLE, PROFILE, GROUP, NAME]
