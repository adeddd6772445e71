"""Describe-only facts about the standard objects that FieldDef/ObjectDef do not carry.

Child relationship names are what a parent's describe lists under `childRelationships` and what SOQL
accepts in a subquery (`SELECT Id, (SELECT Id FROM Contacts) FROM Account`). The entries marked [rec]
come from recorded describes of real orgs; the rest are the documented standard names.
"""

# (child sObject, reference field) → relationship name; None means the parent lists the child unnamed.
CHILD_RELATIONSHIP_NAMES: dict[tuple[str, str], str | None] = {
    # [rec] Account, Contact, Case, Lead, Opportunity and Event describes
    ("Account", "ParentId"): "ChildAccounts",
    ("AccountContactRole", "AccountId"): "AccountContactRoles",
    ("AccountContactRole", "ContactId"): "AccountContactRoles",
    ("CampaignMember", "ContactId"): "CampaignMembers",
    ("CampaignMember", "LeadId"): "CampaignMembers",
    ("CampaignMember", "LeadOrContactId"): None,
    ("Case", "AccountId"): "Cases",
    ("Case", "ContactId"): "Cases",
    ("Case", "ParentId"): "Cases",
    ("CaseComment", "ParentId"): "CaseComments",
    ("CaseContactRole", "CasesId"): "CaseContactRoles",
    ("CaseContactRole", "ContactId"): "CaseContactRoles",
    ("CaseSolution", "CaseId"): "CaseSolutions",
    ("Contact", "AccountId"): "Contacts",
    ("Contact", "ReportsToId"): None,
    ("Contract", "AccountId"): "Contracts",
    ("Contract", "CustomerSignedId"): "ContractsSigned",
    ("Event", "AccountId"): None,
    ("Event", "RecurrenceActivityId"): "RecurringEvents",
    ("Event", "WhatId"): "Events",
    ("Event", "WhoId"): "Events",
    ("Lead", "ConvertedAccountId"): None,
    ("Lead", "ConvertedContactId"): None,
    ("Lead", "ConvertedOpportunityId"): None,
    ("Note", "ParentId"): "Notes",
    ("Opportunity", "AccountId"): "Opportunities",
    ("Opportunity", "ContactId"): "Opportunities",
    ("OpportunityCompetitor", "OpportunityId"): "OpportunityCompetitors",
    ("OpportunityContactRole", "ContactId"): "OpportunityContactRoles",
    ("OpportunityContactRole", "OpportunityId"): "OpportunityContactRoles",
    ("OpportunityFieldHistory", "OpportunityId"): "Histories",
    ("OpportunityLineItem", "OpportunityId"): "OpportunityLineItems",
    ("Task", "AccountId"): None,
    ("Task", "WhatId"): "Tasks",
    ("Task", "WhoId"): "Tasks",
    ("User", "AccountId"): "Users",
    ("User", "ContactId"): "Users",
    ("UserRole", "PortalAccountId"): None,
    # documented standard names for parents that were not recorded
    ("Campaign", "ParentId"): "ChildCampaigns",
    ("CampaignMember", "CampaignId"): "CampaignMembers",
    ("CampaignShare", "CampaignId"): "Shares",
    ("CaseSolution", "SolutionId"): "CaseSolutions",
    ("Opportunity", "CampaignId"): "Opportunities",
    ("Opportunity", "Pricebook2Id"): "Opportunities",
    ("OpportunityLineItem", "PricebookEntryId"): "OpportunityLineItems",
    ("OpportunityLineItemSchedule", "OpportunityLineItemId"): "OpportunityLineItemSchedules",
    ("PricebookEntry", "Pricebook2Id"): "PricebookEntries",
    ("PricebookEntry", "Product2Id"): "PricebookEntries",
    ("Task", "RecurrenceActivityId"): "RecurringTasks",
    ("User", "DelegatedApproverId"): "DelegatedUsers",
    ("User", "ManagerId"): "ManagedUsers",
    ("User", "UserRoleId"): "Users",
    ("User", "ProfileId"): "Users",
    ("UserLogin", "UserId"): None,
    ("UserRole", "ParentRoleId"): None,
    ("Group", "RelatedId"): None,
    **{(f"{tagged}Tag", "ItemId"): "Tags" for tagged in (
        "Account", "Campaign", "Case", "Contact", "Contract", "Dashboard", "Document", "Event", "Lead", "Note",
        "Opportunity", "Solution", "Task",
    )},
}  # fmt: skip

# Children that block the parent's deletion while they exist [rec]: describe's `restrictedDelete`.
RESTRICTED_DELETE: frozenset[tuple[str, str]] = frozenset(
    {
        ("Case", "AccountId"),
        ("Case", "ContactId"),
        ("Contract", "AccountId"),
        ("Contract", "CustomerSignedId"),
        ("User", "ContactId"),
    }
)

# Objects a real org references from catalog fields but this emulator does not model; such
# reference fields exist (sync tools select them) and simply stay null.
EXTERNAL_OBJECTS: frozenset[str] = frozenset(
    {
        "Asset", "BusinessProcess", "Calendar", "DandBCompany", "FiscalYearSettings", "Folder", "Individual",
        "OperatingHours", "OpportunityHistory", "TagDefinition", "UserLicense",
    }
)  # fmt: skip

# [rec] global describe: the objects that support deep clone.
DEEP_CLONEABLE: frozenset[str] = frozenset({"Campaign", "Opportunity"})
