"""Documents (files in folders, with a base64 body) and dashboards."""

from .fields import (
    audit_fields,
    base64,
    boolean,
    datetime,
    id_field,
    integer,
    is_deleted,
    last_viewed,
    name_field,
    picklist,
    reference,
    sobject,
    string,
    textarea,
    url,
)

DOCUMENT = sobject(
    "Document",
    "015",
    "Document",
    "Documents",
    [
        id_field("Document ID"),
        reference("FolderId", ["Folder", "User"], "Folder", "Folder ID", required=True),
        is_deleted(),
        name_field(255, "Document Name"),
        string("DeveloperName", 80, "Document Unique Name", required=True, defaulted=True),
        string("NamespacePrefix", 15, "Namespace Prefix", readonly=True),
        string("ContentType", 120, "MIME Type"),
        string("Type", 40, "File Extension"),
        boolean("IsPublic", "Externally Available"),
        integer("BodyLength", "Body Length", readonly=True, required=True),
        base64("Body"),
        url("Url"),
        textarea("Description", 255),
        string("Keywords", 255),
        boolean("IsInternalUseOnly", "Internal Use Only"),
        reference("AuthorId", "User", "Author", "Author ID", required=True, defaulted=True),
        audit_fields(),
        boolean("IsBodySearchable", "Document Content Searchable", readonly=True),
        last_viewed(),
    ],
    layoutable=False,
)

DASHBOARD = sobject(
    "Dashboard",
    "01Z",
    "Dashboard",
    "Dashboards",
    [
        id_field("Dashboard ID"),
        is_deleted(),
        reference("FolderId", "Folder", None, "Folder ID", readonly=True, required=True),
        string("FolderName", 255, "Folder Name", readonly=True),
        string("Title", 80, readonly=True, required=True, name_field=True),
        string("DeveloperName", 80, "Dashboard Unique Name", readonly=True, required=True),
        string("NamespacePrefix", 15, "Namespace Prefix", readonly=True),
        string("Description", 255, readonly=True),
        picklist(
            "LeftSize", ["Narrow", "Medium", "Wide"], "Left Column Size", restricted=True, readonly=True
        ),
        picklist(
            "MiddleSize", ["Narrow", "Medium", "Wide"], "Middle Column Size", restricted=True, readonly=True
        ),
        picklist(
            "RightSize", ["Narrow", "Medium", "Wide"], "Right Column Size", restricted=True, readonly=True
        ),
        audit_fields(),
        reference("RunningUserId", "User", "RunningUser", "Running User ID", readonly=True, required=True),
        integer("TitleColor", "Title Color", readonly=True),
        integer("TitleSize", "Title Size", readonly=True),
        integer("TextColor", "Text Color", readonly=True),
        integer("BackgroundStart", "Starting Color", readonly=True),
        integer("BackgroundEnd", "Ending Color", readonly=True),
        picklist(
            "BackgroundDirection",
            [("TopToBottom", "Top to Bottom"), ("LeftToRight", "Left to Right"), ("Diagonal", "Diagonal")],
            "Gradient Direction",
            restricted=True,
            readonly=True,
        ),
        picklist(
            "Type",
            [
                ("SpecifiedUser", "Specified User"),
                ("LoggedInUser", "Logged-in User"),
                ("MyTeamUser", "Manager"),
            ],
            "Dashboard Running User",
            restricted=True,
            readonly=True,
            required=True,
        ),
        last_viewed(),
        datetime("DashboardResultRefreshedDate", "Dashboard Result Refreshed Date", readonly=True),
        string("DashboardResultRunningUser", 255, "Dashboard Result Running User", readonly=True),
        picklist(
            "ColorPalette",
            ["Default", "Unity", "Bluegrass", "Sunrise"],
            "Color Palette",
            restricted=True,
            readonly=True,
        ),
        picklist("ChartTheme", ["light", "dark"], "Chart Theme", restricted=True, readonly=True),
    ],
    createable=False,
    updateable=False,
    layoutable=False,
    triggerable=False,
)

OBJECTS = [DOCUMENT, DASHBOARD]
