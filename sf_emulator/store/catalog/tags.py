"""Tag objects (`AccountTag` …): one row per tag on a record. Created or deleted, never edited."""

from ..schema import ObjectDef
from .fields import created_date, id_field, is_deleted, picklist, reference, sobject, string, system_modstamp

# Tagged object → key prefix of its tag object (all distinct from every other catalog prefix).
TAGGED = {
    "Account": "0tA", "Campaign": "0tB", "Case": "0tC", "Contact": "0tD", "Contract": "0tE", "Dashboard": "0tF",
    "Document": "0tG", "Event": "0tH", "Lead": "0tI", "Note": "0tJ", "Opportunity": "0tK", "Solution": "0tL",
    "Task": "0tM",
}  # fmt: skip


def tag_object(tagged: str, key_prefix: str) -> ObjectDef:
    return sobject(
        f"{tagged}Tag", key_prefix, f"{tagged} Tag", f"{tagged} Tag",
        [
            id_field(f"{tagged} Tag ID"),
            reference("ItemId", tagged, "Item", "Tagged Item ID", required=True, create_only=True, cascade_delete=True),
            reference("TagDefinitionId", "TagDefinition", None, "Tag Definition ID", readonly=True),
            string("Name", 100, "Tag Name", required=True, create_only=True, name_field=True),
            picklist("Type", ["Public", "Personal"], "Tag Type", restricted=True, required=True, create_only=True),
            created_date(),
            system_modstamp(),
            is_deleted(),
        ],
        updateable=False, undeletable=False, searchable=False, layoutable=False, triggerable=False,
    )  # fmt: skip


OBJECTS = [tag_object(tagged, prefix) for tagged, prefix in TAGGED.items()]
