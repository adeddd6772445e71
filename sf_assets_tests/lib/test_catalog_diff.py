from sf_assets.lib.catalog_diff import CatalogDiff, diff_catalogs

BEFORE = {"accounts": ["Id", "Name"], "cases": ["Id", "Subject"], "leads": ["Id", "Email", "Old__c"]}


def test_an_unchanged_catalog_has_no_diff():
    diff = diff_catalogs(BEFORE, BEFORE)
    assert not diff
    assert diff.summary() == "no changes"


def test_new_and_removed_objects_and_fields():
    after = {
        "accounts": ["Id", "Name", "Tier__c"],
        "leads": ["Id", "Email"],
        "invoice_c": ["Id", "Amount__c"],
    }
    diff = diff_catalogs(BEFORE, after)
    assert diff == CatalogDiff(
        added_objects=("invoice_c",),
        removed_objects=("cases",),
        added_fields={"accounts": ("Tier__c",)},
        removed_fields={"leads": ("Old__c",)},
    )
    assert diff.summary() == (
        "new objects: invoice_c; removed objects: cases; new fields: accounts.Tier__c; removed fields: leads.Old__c"
    )


def test_field_names_compare_case_insensitively_as_in_salesforce():
    assert not diff_catalogs({"accounts": ["Id", "Tier__c"]}, {"accounts": ["ID", "tier__C"]})


def test_the_diff_as_json():
    diff = diff_catalogs({"accounts": ["Id"]}, {"accounts": ["Id", "B__c", "A__c"]})
    assert diff.as_json() == {
        "added_objects": [],
        "removed_objects": [],
        "added_fields": {"accounts": ["A__c", "B__c"]},
        "removed_fields": {},
    }
