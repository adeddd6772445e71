"""`POST /groupidentify` validates as Amplitude does: missing fields, key, JSON, shape and limits."""

import json

import pytest
import requests


def company(value: str, properties: dict | None = None) -> dict:
    return {
        "group_type": "company",
        "group_value": value,
        "group_properties": properties or {"$set": {"x": 1}},
    }


def test_success_is_plain_text(wire) -> None:  # noqa: ANN001
    response = wire.post([company("a")])

    assert (response.status_code, response.text) == (200, "success")
    assert response.headers["content-type"].startswith("text/plain")


def test_one_object_is_accepted_as_well_as_an_array(wire, amplitude) -> None:  # noqa: ANN001
    response = wire.post(company("a"))

    assert response.status_code == 200
    assert set(amplitude.groups()) == {("company", "a")}


def test_the_query_string_form_is_accepted(wire, amplitude) -> None:  # noqa: ANN001
    params = {"api_key": amplitude.api_key, "identification": json.dumps(company("q"))}

    response = wire.http.post(f"{amplitude.url}/groupidentify", params=params, timeout=30)

    assert response.status_code == 200
    assert set(amplitude.groups()) == {("company", "q")}


@pytest.mark.parametrize("field", ["api_key", "identification"])
@pytest.mark.parametrize("value", [None, ""])
def test_a_missing_field_is_400_missing_field(wire, amplitude, field: str, value: str | None) -> None:  # noqa: ANN001
    form = {"api_key": amplitude.api_key, "identification": json.dumps(company("a"))}
    if value is None:
        del form[field]
    else:
        form[field] = value

    response = wire.http.post(f"{amplitude.url}/groupidentify", data=form, timeout=30)

    assert response.status_code == 400
    assert response.json() == {"code": 400, "error": "Request missing required field", "missing_field": field}


def test_an_unknown_api_key_is_400_invalid_api_key(wire) -> None:  # noqa: ANN001
    response = wire.post([company("a")], api_key="wrong-key")

    assert response.status_code == 400
    assert response.json() == {"code": 400, "error": "Invalid API key: wrong-key"}


def test_identification_that_is_not_json_is_400(wire) -> None:  # noqa: ANN001
    response = wire.post('[{"group_type": "company",')

    assert response.status_code == 400
    assert response.json()["error"].startswith("Invalid JSON in identification")


@pytest.mark.parametrize("identification", ["[]", '"company"', "42"])
def test_identification_must_be_an_object_or_a_non_empty_array(wire, identification: str) -> None:  # noqa: ANN001
    response = wire.post(identification)

    assert response.status_code == 400
    assert response.json()["error"] == "identification must be a JSON object or a non-empty array of objects"


@pytest.mark.parametrize(
    ("identification", "problem"),
    [
        ({"group_value": "a"}, "group_type must be a non-empty string"),
        ({"group_type": 5, "group_value": "a"}, "group_type must be a non-empty string"),
        ({"group_type": "", "group_value": "a"}, "group_type must be a non-empty string"),
        ({"group_type": "company"}, "group_value must be a non-empty string"),
        ({"group_type": "company", "group_value": True}, "group_value must be a non-empty string"),
        (
            {"group_type": "company", "group_value": "a", "group_properties": [1]},
            "group_properties must be a JSON object",
        ),
        (
            company("a", {"$set": {"x": 1}, "plan": "pro"}),
            "group_properties mixes $-operations with bare properties",
        ),
        (company("a", {"$clearAll": {"x": "-"}}), "unsupported operation $clearAll"),
        (company("a", {"$set": "x"}), "$set must be a JSON object"),
        (company("a", {"$add": {"seats": "three"}}), "$add values must be numbers"),
        ("not an object", "must be a JSON object"),
    ],
)
def test_a_bad_identification_is_400_naming_its_index(wire, identification: object, problem: str) -> None:  # noqa: ANN001
    response = wire.post([company("ok"), identification])

    assert response.status_code == 400
    assert response.json() == {
        "code": 400,
        "error": f"Invalid identification at index 1: {problem}",
        "identification_index": 1,
    }


def test_a_refused_request_changes_no_group(wire, amplitude) -> None:  # noqa: ANN001
    wire.post([company("ok"), company("bad", {"$set": {"x": 1}, "y": 2})])

    assert amplitude.groups() == {}


def test_1024_identifications_are_accepted(wire, amplitude) -> None:  # noqa: ANN001
    response = wire.post([company(str(i), {}) for i in range(1024)])

    assert response.status_code == 200
    assert len(amplitude.groups()) == 1024


def test_1025_identifications_are_400(wire) -> None:  # noqa: ANN001
    response = wire.post([company(str(i), {}) for i in range(1025)])

    assert response.status_code == 400
    assert response.json()["error"] == "Too many identifications in one request: 1025, maximum 1024"


def test_1024_properties_per_group_are_accepted_across_many_groups(wire) -> None:  # noqa: ANN001
    identifications = [company(str(i), {"$set": {f"p{j}": j for j in range(1024)}}) for i in range(4)]

    assert wire.post(identifications).status_code == 200


def test_1025_properties_of_one_group_in_a_request_are_400_even_across_identifications(wire) -> None:  # noqa: ANN001
    identifications = [company("a", {"$set": {f"p{j}": j for j in range(1000)}}), company("b", {})]
    identifications.append(company("a", {"$set": {f"q{j}": j for j in range(24)}, "$unset": {"gone": "-"}}))

    response = wire.post(identifications)

    assert response.status_code == 400
    assert (
        response.json()["error"]
        == "Too many properties for group 'company'/'a' in one request: 1025, maximum 1024"
    )


def test_bare_properties_count_too(wire) -> None:  # noqa: ANN001
    response = wire.post([company("a", {f"p{j}": j for j in range(1025)})])

    assert response.status_code == 400
    assert "1025, maximum 1024" in response.json()["error"]


def body_of(wire, identification: list[dict]) -> int:  # noqa: ANN001
    form = {"api_key": wire.amplitude.api_key, "identification": json.dumps(identification)}
    request = requests.Request("POST", f"{wire.amplitude.url}/groupidentify", data=form).prepare()
    return len(request.body)


def test_a_body_of_exactly_1_mb_is_accepted(wire) -> None:  # noqa: ANN001
    identification = [company("a", {"$set": {"pad": ""}})]
    identification[0]["group_properties"]["$set"]["pad"] = "x" * (1_000_000 - body_of(wire, identification))
    assert body_of(wire, identification) == 1_000_000

    assert wire.post(identification).status_code == 200


def test_a_body_over_1_mb_is_413(wire, amplitude) -> None:  # noqa: ANN001
    identification = [company("a", {"$set": {"pad": "x" * 1_000_000}})]

    response = wire.post(identification)

    assert response.status_code == 413
    assert response.json() == {"code": 413, "error": "Payload too large"}
    assert amplitude.groups() == {}
