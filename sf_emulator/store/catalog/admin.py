"""The organization record, record types and fiscal periods.

Organization's fields are those of a real org's record (GET sobjects/Organization/{id}), in that order.
"""

from .fields import (
    address,
    audit_fields,
    boolean,
    created_by,
    created_date,
    date,
    datetime,
    email,
    id_field,
    integer,
    last_modified_by,
    last_modified_date,
    name_field,
    phone,
    picklist,
    reference,
    sobject,
    string,
    system_modstamp,
    url,
)
from .picklists import LANGUAGES, LOCALES, TIMEZONES

ACCESS = (
    ("None", "Private"), ("Read", "Read Only"), ("Edit", "Read/Write"), ("ReadEditTransfer", "Read/Write/Transfer"),
    ("All", "Full Access"), ("ControlledByParent", "Controlled by Parent"), ("ReadSelect", "Use"),
    ("HideDetails", "Hide Details"), ("HideDetailsInsert", "Hide Details and Add Events"),
    ("ShowDetails", "Show Details"), ("ShowDetailsInsert", "Show Details and Add Events"),
)  # fmt: skip

ORGANIZATION_TYPES = (
    "Team Edition", "Professional Edition", "Enterprise Edition", "Developer Edition", "Personal Edition",
    "Unlimited Edition", "Contact Manager Edition", "Base Edition",
)  # fmt: skip

_PREFERENCES = (
    "RequireOpportunityProducts", "TransactionSecurityPolicy", "TerminateOldestSession",
    "ConsentManagementEnabled", "AutoSelectIndividualOnMerge", "LightningLoginEnabled", "OnlyLLPermUserAllowed",
)  # fmt: skip
_ACCESS_DEFAULTS = ("Account", "Contact", "Opportunity", "Lead", "Case", "Calendar", "Pricebook", "Campaign")

ORGANIZATION = sobject(
    "Organization",
    "00D",
    "Organization",
    "Organizations",
    [
        id_field("Organization ID"),
        name_field(80),
        string("Division", 80),
        address(),
        phone("Phone"),
        phone("Fax"),
        string("PrimaryContact", 80, "Primary Contact"),
        picklist("DefaultLocaleSidKey", LOCALES, "Locale", restricted=True, required=True),
        picklist("TimeZoneSidKey", TIMEZONES, "Time Zone", restricted=True, required=True),
        picklist("LanguageLocaleKey", LANGUAGES, "Language", restricted=True, required=True),
        boolean("ReceivesInfoEmails", "Info Emails"),
        boolean("ReceivesAdminInfoEmails", "Info Emails Admin"),
        [boolean(f"Preferences{name}", readonly=True) for name in _PREFERENCES],
        integer("FiscalYearStartMonth", "Fiscal Year Starts In", digits=2, readonly=True),
        boolean("UsesStartDateAsFiscalYearName", "Fiscal Year Name by Start", readonly=True),
        [
            picklist(f"Default{obj}Access", ACCESS, f"Default {obj} Access", restricted=True, readonly=True)
            for obj in _ACCESS_DEFAULTS
        ],
        url(
            "DelegatedAuthenticationServiceUrl",
            "Delegated Authentication Service URL",
            length=1000,
            readonly=True,
        ),
        system_modstamp(),
        email("ComplianceBccEmail", "Compliance BCC Email", readonly=True),
        picklist(
            "UiSkin",
            ["Theme1", "Theme2", "PortalDefault", "Webstore", "Theme3"],
            "UI Skin",
            restricted=True,
            readonly=True,
        ),
        string("SignupCountryIsoCode", 2, "Signup Country", readonly=True),
        datetime("TrialExpirationDate", "Trial Expiration Date", readonly=True),
        integer("NumKnowledgeService", "Knowledge Licenses", readonly=True),
        picklist("OrganizationType", ORGANIZATION_TYPES, "Edition", restricted=True, readonly=True),
        string("NamespacePrefix", 15, "Namespace Prefix", readonly=True),
        string("InstanceName", 5, "Instance Name", readonly=True),
        boolean("IsSandbox", "Is Sandbox", readonly=True),
        string("WebToCaseDefaultOrigin", 40, "Web to Cases Default Origin", readonly=True),
        integer("MonthlyPageViewsUsed", "Monthly Page Views Used", readonly=True),
        integer("MonthlyPageViewsEntitlement", "Monthly Page Views Allowed", readonly=True),
        boolean("IsReadOnly", "Is Read Only", readonly=True),
        created_date(),
        created_by(),
        last_modified_date(),
        last_modified_by(),
    ],
    createable=False,
    deletable=False,
    undeletable=False,
    searchable=False,
    layoutable=False,
    triggerable=False,
)

# Objects whose records can carry a RecordTypeId; describe lists their master record type.
RECORD_TYPE_OBJECTS = (
    "Account", "Campaign", "CampaignMember", "Case", "Contact", "Contract", "Event", "Lead", "Opportunity",
    "Pricebook2", "Product2", "Solution", "Task",
)  # fmt: skip

RECORD_TYPE = sobject(
    "RecordType",
    "012",
    "Record Type",
    "Record Types",
    [
        id_field("Record Type ID"),
        name_field(80, "Record Type Name"),
        string("DeveloperName", 80, "Record Type Name", required=True),
        string("NamespacePrefix", 15, "Namespace Prefix", readonly=True),
        string("Description", 255),
        reference("BusinessProcessId", "BusinessProcess", None, "Business Process ID"),
        picklist(
            "SobjectType",
            RECORD_TYPE_OBJECTS,
            "SObject Type Name",
            restricted=True,
            required=True,
            create_only=True,
        ),
        boolean("IsActive", "Active"),
        audit_fields(),
    ],
    deletable=False,
    undeletable=False,
    searchable=False,
    layoutable=False,
    triggerable=False,
)

# Fiscal periods are generated from fiscal-year settings: SystemModstamp is their only timestamp.
PERIOD = sobject(
    "Period",
    "026",
    "Period",
    "Period",
    [
        id_field("Period ID"),
        reference(
            "FiscalYearSettingsId",
            "FiscalYearSettings",
            "FiscalYearSettings",
            "Fiscal Year Settings ID",
            readonly=True,
        ),
        picklist("Type", ["Month", "Quarter", "Week", "Year"], restricted=True, readonly=True),
        date("StartDate", "Start Date", readonly=True, required=True),
        date("EndDate", "End Date", readonly=True, required=True),
        system_modstamp(),
        boolean("IsForecastPeriod", "Forecast Period", readonly=True),
        picklist("QuarterLabel", ["Q1", "Q2", "Q3", "Q4"], "Quarter Label", readonly=True),
        picklist(
            "PeriodLabel",
            ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12", "P13"],
            "Period Label",
            readonly=True,
        ),
        integer("Number", readonly=True),
        string("FullyQualifiedLabel", 255, "Fully Qualified Label", readonly=True),
    ],
    createable=False,
    updateable=False,
    deletable=False,
    undeletable=False,
    searchable=False,
    layoutable=False,
    triggerable=False,
)

OBJECTS = [ORGANIZATION, RECORD_TYPE, PERIOD]
