"""SOQL text → ast.Query, and Salesforce's MALFORMED_QUERY messages for what does not parse."""

import pytest

from sf_emulator.store.errors import SalesforceError
from sf_emulator.store.soql import parse
from sf_emulator.store.soql.ast import Call, Comparison, FieldPath, InList, Like, OrderItem, Pos


def malformed(soql: str) -> str:
    with pytest.raises(SalesforceError) as caught:
        parse(soql)
    assert (caught.value.status, caught.value.error_code) == (400, "MALFORMED_QUERY")
    return caught.value.message


def where_value(condition: str):
    return parse(f"SELECT Id FROM Account WHERE {condition}").where.value


# --- structure ---------------------------------------------------------------------------------------


def test_select_list_and_object_keep_the_written_names():
    query = parse("select id, Account.owner.NAME from contact")
    assert (query.select, query.sobject) == (
        (FieldPath(("id",), Pos(1, 8)), FieldPath(("Account", "owner", "NAME"), Pos(1, 12))),
        "contact",
    )


def test_keywords_are_case_insensitive():
    query = parse("sElEcT Id fRoM Account wHeRe Name = 'x' oRdEr By Name LiMiT 5 OfFsEt 2")
    assert (query.limit, query.offset) == (5, 2)


def test_object_named_like_a_keyword():
    assert parse("SELECT Id FROM Group ORDER BY Name").sobject == "Group"


def test_object_alias():
    assert parse("SELECT a.Name FROM Account a").alias == "a"


def test_aggregate_with_alias():
    assert parse("SELECT COUNT(Id) cnt FROM Account").select == (
        Call("COUNT", FieldPath(("Id",), Pos(1, 14)), "cnt", Pos(1, 8), Pos(1, 18)),
    )


def test_fields_argument_is_upper_cased():
    assert parse("SELECT FIELDS(all) FROM Account LIMIT 1").select[0].arg.parts == ("ALL",)


def test_order_item_defaults():
    assert parse("SELECT Id FROM Account ORDER BY Name").order_by == (
        OrderItem(FieldPath(("Name",), Pos(1, 33)), descending=False, nulls_first=None),
    )


def test_order_item_desc_nulls_first():
    item = parse("SELECT Id FROM Account ORDER BY Name DESC NULLS FIRST").order_by[0]
    assert (item.descending, item.nulls_first) == (True, True)


def test_angle_brackets_mean_not_equal():
    assert parse("SELECT Id FROM Account WHERE Name <> 'x'").where.op == "!="


def test_not_in_is_negated():
    where = parse("SELECT Id FROM Account WHERE Type NOT IN ('a', 'b')").where
    assert isinstance(where, InList) and where.negated


def test_not_like_is_negated():
    where = parse("SELECT Id FROM Account WHERE Name NOT LIKE 'a%'").where
    assert isinstance(where, Like) and where.negated


def test_semi_join_parses_its_subquery():
    where = parse("SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact)").where
    assert where.query.sobject == "Contact"


def test_parsing_is_cached():
    assert parse("SELECT Id FROM Account") is parse("SELECT Id FROM Account")


# --- values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (r"'it\'s'", "it's"),
        (r"'say \"hi\"'", 'say "hi"'),
        (r"'back\\slash'", "back\\slash"),
        (r"'a\nb\rc\td\be\ff'", "a\nb\rc\td\be\ff"),
        (r"'100\%\_'", "100%_"),
    ],
)
def test_string_escapes(literal, expected):
    assert where_value(f"Name = {literal}").value == expected


def test_unknown_escape_is_malformed():
    assert malformed(r"SELECT Id FROM Account WHERE Name = 'a\x'").endswith(
        "Invalid string literal 'a\\x'. Illegal character sequence '\\x' in string literal."
    )


@pytest.mark.parametrize(("literal", "expected"), [("42", 42), ("-7", -7), ("3.25", 3.25), ("-0.5", -0.5)])
def test_numbers(literal, expected):
    assert where_value(f"NumberOfEmployees = {literal}").value == expected


def test_booleans_and_null():
    values = [where_value(f"X = {word}").value for word in ("TRUE", "false", "NULL")]
    assert values == [True, False, None]


def test_date_value():
    assert where_value("Founded__c = 2024-02-29").value == "2024-02-29"


def test_impossible_date_is_malformed():
    assert malformed("SELECT Id FROM Account WHERE Founded__c = 2023-02-29").endswith(
        "unexpected token: '2023-02-29'"
    )


@pytest.mark.parametrize(
    "literal",
    [
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00.000Z",
        "2024-01-01T00:00:00.000000Z",
        "2024-01-01T00:00:00.000+00:00",
        "2024-01-01T01:00:00.000+0100",
        "2023-12-31T23:00:00-01:00",
    ],
)
def test_datetime_forms_mean_the_same_instant(literal):
    assert where_value(f"SystemModstamp = {literal}").value == 1_704_067_200_000


def test_datetime_fraction_keeps_milliseconds():
    assert where_value("SystemModstamp = 2024-01-01T00:00:00.123999Z").value == 1_704_067_200_123


def test_date_literal_with_number():
    assert where_value("CreatedDate = last_n_days:30").value == ("LAST_N_DAYS", 30)


def test_date_literal_without_its_number_is_malformed():
    assert malformed("SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS").endswith(
        "unexpected token: 'LAST_N_DAYS'"
    )


def test_unknown_bare_word_value_is_malformed():
    assert malformed("SELECT Id FROM Account WHERE Name = Acme").endswith("unexpected token: 'Acme'")


def test_fiscal_date_literal_is_unsupported():
    assert malformed("SELECT Id FROM Account WHERE CloseDate = THIS_FISCAL_QUARTER").endswith(
        "The date literal THIS_FISCAL_QUARTER is not supported by the emulator"
    )


# --- syntax errors -----------------------------------------------------------------------------------


def test_unexpected_token_points_at_it():
    assert malformed("SELECT Id FORM Account") == (
        "\nSELECT Id FORM Account\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FORM'"
    )


def test_end_of_input():
    assert malformed("SELECT Id FROM Account WHERE").endswith("unexpected token: '<EOF>'")


def test_error_on_a_later_row_shows_that_row():
    assert malformed("SELECT Id\nFROM Account\nWHERE Name = 'x' Name") == (
        "\nWHERE Name = 'x' Name\n                 ^\nERROR at Row:3:Column:18\nunexpected token: 'Name'"
    )


def test_character_outside_the_language():
    assert malformed('SELECT Id FROM Account WHERE Name = "x"').endswith(
        "ERROR at Row:1:Column:37\nunexpected token: '\"'"
    )


def test_trailing_garbage_is_never_ignored():
    assert malformed("SELECT Id FROM Account LIMIT 5 5").endswith("unexpected token: '5'")


def test_non_integer_limit_is_malformed():
    assert malformed("SELECT Id FROM Account LIMIT 1.5").endswith("unexpected token: '1.5'")


def test_count_must_be_alone():
    assert malformed("SELECT COUNT(), Id FROM Account").endswith(
        "COUNT() must be the only element in the SELECT list"
    )


def test_fields_with_a_bad_argument():
    assert malformed("SELECT FIELDS(Name) FROM Account").endswith("unexpected token: 'Name'")


def test_unknown_function():
    assert malformed("SELECT FOO(Id) FROM Account").endswith(
        "ERROR at Row:1:Column:11\nunexpected token: '('"
    )


def test_reserved_word_is_no_alias():
    assert malformed("SELECT Id FROM Account LIKE").endswith("unexpected token: 'LIKE'")


# --- valid SOQL the emulator does not implement: said, with the place ------------------------------------


@pytest.mark.parametrize(
    ("soql", "column", "construct"),
    [
        ("SELECT Id, (SELECT Id FROM Contacts) FROM Account", 12, "A child relationship subquery"),
        ("SELECT TYPEOF What WHEN Account THEN Name END FROM Task", 8, "TYPEOF"),
        ("SELECT Id FROM Account WITH SECURITY_ENFORCED", 24, "WITH clause"),
        ("SELECT Id FROM Account WHERE Name = 'x' WITH USER_MODE", 41, "WITH clause"),
        ("SELECT Id FROM Account FOR UPDATE", 24, "FOR VIEW/REFERENCE/UPDATE"),
        ("SELECT Type, COUNT(Id) FROM Account GROUP BY Type HAVING COUNT(Id) > 1", 51, "HAVING clause"),
        ("SELECT Id FROM Account USING SCOPE Mine", 24, "USING SCOPE"),
        ("SELECT toLabel(Type) FROM Account", 8, "TOLABEL()"),
        ("SELECT Type FROM Account GROUP BY ROLLUP(Type)", 35, "ROLLUP()"),
    ],
)
def test_unsupported_construct(soql, column, construct):
    assert malformed(soql).endswith(
        f"ERROR at Row:1:Column:{column}\n{construct} is not supported by the emulator"
    )


def test_comparison_keeps_the_value_position():
    where = parse("SELECT Id FROM Account WHERE Name = 'x'").where
    assert isinstance(where, Comparison) and where.value.pos == Pos(1, 37)
