"""Cases, their comments, contact roles and solutions. Case fields follow a recorded describe."""

from .fields import (
    audit_fields,
    boolean,
    created_by,
    created_date,
    datetime,
    email,
    id_field,
    integer,
    is_deleted,
    last_viewed,
    owner,
    phone,
    picklist,
    reference,
    sobject,
    string,
    system_modstamp,
    textarea,
)

CASE = sobject(
    "Case",
    "500",
    "Case",
    "Cases",
    [
        id_field("Case ID"),
        is_deleted(),
        reference("MasterRecordId", "Case", "MasterRecord", readonly=True),
        string(
            "CaseNumber", 30, system=True, auto_number=True, id_lookup=True, name_field=True, groupable=False
        ),
        reference("ContactId", "Contact", "Contact"),
        reference("AccountId", "Account", "Account"),
        reference("AssetId", "Asset", "Asset"),
        reference("ParentId", "Case", "Parent", "Parent Case ID"),
        string("SuppliedName", 80, "Name"),
        email("SuppliedEmail", "Email Address"),
        string("SuppliedPhone", 40, "Phone"),
        string("SuppliedCompany", 80, "Company"),
        picklist("Type", ["Mechanical", "Electrical", "Electronic", "Structural", "Other"], "Case Type"),
        picklist("Status", ["New", "Working", "Escalated", "Closed"], default="New"),
        picklist(
            "Reason",
            [
                "Installation",
                "Equipment Complexity",
                "Performance",
                "Breakdown",
                "Equipment Design",
                "Feedback",
                "Other",
            ],
            "Case Reason",
        ),
        picklist("Origin", ["Phone", "Email", "Web"], "Case Origin"),
        string("Subject", 255),
        picklist("Priority", ["High", "Medium", "Low"], default="Medium"),
        textarea("Description"),
        boolean("IsClosed", "Closed", system=True),
        datetime("ClosedDate", readonly=True),
        boolean("IsEscalated", "Escalated"),
        owner(["Group", "User"]),
        audit_fields(),
        phone("ContactPhone", readonly=True),
        phone("ContactMobile", readonly=True),
        email("ContactEmail", readonly=True),
        phone("ContactFax", readonly=True),
        textarea("Comments", 4000, "Internal Comments", sortable=True),
        last_viewed(),
    ],
    feed_enabled=True,
)

CASE_COMMENT = sobject(
    "CaseComment",
    "00a",
    "Case Comment",
    "Case Comments",
    [
        id_field("Case Comment ID"),
        reference(
            "ParentId",
            "Case",
            "Parent",
            "Parent Case ID",
            required=True,
            create_only=True,
            cascade_delete=True,
        ),
        boolean("IsPublished", "Published"),
        textarea("CommentBody", 4000, "Body", sortable=True),
        audit_fields(),
        is_deleted(),
    ],
    searchable=False,
    layoutable=False,
    undeletable=False,
)

CASE_CONTACT_ROLE = sobject(
    "CaseContactRole",
    "03j",
    "Case Contact Role",
    "Case Contact Role",
    [
        id_field("Case Contact Role ID"),
        reference(
            "CasesId", "Case", "Cases", "Case ID", required=True, create_only=True, cascade_delete=True
        ),
        reference("ContactId", "Contact", "Contact", required=True, cascade_delete=True),
        picklist("Role", ["Technical Contact", "Business Contact", "Decision Maker", "Other"]),
        audit_fields(),
        is_deleted(),
    ],
    searchable=False,
    layoutable=False,
    undeletable=False,
)

# A case-solution link is created or deleted, never edited: there is no LastModified* pair.
CASE_SOLUTION = sobject(
    "CaseSolution",
    "010",
    "Case Solution",
    "Case Solution",
    [
        id_field("Case Solution ID"),
        reference("CaseId", "Case", "Case", required=True, create_only=True, cascade_delete=True),
        reference("SolutionId", "Solution", "Solution", required=True, create_only=True, cascade_delete=True),
        created_by(),
        created_date(),
        system_modstamp(),
        is_deleted(),
    ],
    updateable=False,
    searchable=False,
    layoutable=False,
    undeletable=False,
)

SOLUTION = sobject(
    "Solution",
    "501",
    "Solution",
    "Solutions",
    [
        id_field("Solution ID"),
        is_deleted(),
        string("SolutionNumber", 30, "Solution Number", system=True, auto_number=True, id_lookup=True),
        string("SolutionName", 255, "Solution Title", required=True, name_field=True),
        boolean("IsPublished", "Public"),
        boolean("IsPublishedInPublicKb", "Visible in Public Knowledge Base"),
        picklist("Status", ["Draft", "Reviewed", "Duplicate"], default="Draft", required=True),
        boolean("IsReviewed", "Reviewed", readonly=True),
        textarea("SolutionNote", label="Description"),
        owner(),
        audit_fields(),
        integer("TimesUsed", "Num Related Cases", readonly=True),
        last_viewed(),
        boolean("IsHtml", "Is Html", readonly=True),
    ],
)

OBJECTS = [CASE, CASE_COMMENT, CASE_CONTACT_ROLE, CASE_SOLUTION, SOLUTION]
