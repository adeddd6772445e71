"""Account rows → `["amplitude", "companies"]` payloads → the Amplitude stand-in, through real Dagster."""

import json
import os
from datetime import UTC, datetime

import dagster as dg
import pytest

from sf_assets.lib.mapping import Pickup, PickupInterval, RelationCadence
from sf_assets.lib.payloads import pickup_due
from sf_assets.resources.amplitude import AmplitudeResource

FIRST = "2026-03-10-00:00"
NEXT = "2026-03-11-00:00"
KEY_ENV = "TEST_AMPLITUDE_KEY"
NEXT_WINDOW = (datetime(2026, 3, 11, tzinfo=UTC), datetime(2026, 3, 12, tzinfo=UTC))


def mapping(**relation_options) -> dict:
    relation = {
        "name": "companies",
        "source": {"instance": "sfdc_prod", "object": "Account"},
        "group_type": "company",
        "group_name_field": "Id",
        "properties": [
            {"field": "Name", "property": "Name"},
            {"field": "Industry", "property": "Industry"},
            {"field": "AnnualRevenue", "property": "Annual Revenue"},
            {"field": "Active__c", "property": "Active Status", "op": "unset"},
            {"field": "CreatedDate", "property": "First Seen", "op": "set_once"},
        ],
        "pickup": {"interval": "weekly"},
    }
    return {"version": 1, "relations": [{**relation, **relation_options}]}


@pytest.fixture
def groups_project(emulator, org, sf, make_project, amplitude, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """A project with the Account relation, delivering to the stand-in; returns (build, ids)."""
    emulator.control.set_clock(org.org_id, "2026-03-10T10:00:00Z")
    ids = [
        sf.Account.create(
            {"Name": f"Acme {i}", "Industry": "Energy", "AnnualRevenue": 1000.5 * i, "Active__c": "Yes"}
        )["id"]
        for i in range(4)
    ]
    sf.Account.update(ids[3], {"Active__c": None})

    def build(key: str | None = amplitude.api_key, **relation_options):  # noqa: ANN202
        path = tmp_path / "mapping.json"
        path.write_text(json.dumps(mapping(**relation_options)))
        if key is None:
            monkeypatch.delenv(KEY_ENV, raising=False)
        else:
            monkeypatch.setenv(KEY_ENV, key)
        groups = {"mapping": str(path), "amplitude": {"base_url": amplitude.url, "api_key_env": KEY_ENV}}
        project = make_project({"sfdc_prod": org}, extra={"groups": groups})
        return project

    return build, ids


def run(
    project, partition: str, *, sync: bool = True, fast_retries_to: str | None = None
) -> dg.ExecuteInProcessResult:  # noqa: ANN001
    """Sync the Account partition (unless `sync` is false), then materialize the payload asset.

    By default the project's own resources are used (the key through its EnvVar); with
    `fast_retries_to` (the stand-in's URL) the Amplitude resource waits milliseconds between retries.
    """
    if sync:
        assert project.materialize([("sfdc_prod", "accounts")], partition=partition).success
    payloads = next(a for a in project.defs.assets if a.key == dg.AssetKey(["amplitude", "companies"]))
    resources = dict(project.defs.resources)
    if fast_retries_to:
        resources["amplitude"] = AmplitudeResource(
            api_key=os.environ[KEY_ENV],
            base_url=fast_retries_to,
            backoff_seconds=0.001,
            rate_limit_seconds=0.001,
        )
    return dg.materialize([payloads], instance=project.instance, resources=resources, partition_key=partition)


def metadata(result: dg.ExecuteInProcessResult) -> dict:
    [materialization] = result.asset_materializations_for_node("amplitude__companies")
    return {k: v.value for k, v in materialization.metadata.items()}


def sent_groups(amplitude) -> dict:  # noqa: ANN001
    return {i["group_value"]: i for r in amplitude.requests() if r["status"] == 200 for i in r["body"]}


def test_first_run_sends_the_exact_payload_of_every_account(groups_project, amplitude, sf):  # noqa: ANN001
    build, ids = groups_project
    result = run(build(), FIRST)

    sent = sent_groups(amplitude)
    assert set(sent) == set(ids)
    record = sf.Account.get(ids[1])
    assert sent[ids[1]] == {
        "group_type": "company",
        "group_value": ids[1],
        "group_properties": {
            "$set": {
                "Name": "Acme 1",
                "Industry": "Energy",
                "Annual Revenue": 1001,
                "Active Status": "Yes",
            },
            "$setOnce": {"First Seen": record["CreatedDate"].replace("+0000", "Z")},
        },
    }
    assert (
        record["AnnualRevenue"] == 1001
    )  # currency(18,0): the org rounds 1000.5; the payload keeps a number
    assert sent[ids[3]]["group_properties"]["$unset"] == {"Active Status": "-"}
    assert sent[ids[0]]["group_properties"]["$set"]["Annual Revenue"] == 0  # a number, not "0.00"
    assert amplitude.groups()[("company", ids[2])]["Name"] == "Acme 2"
    facts = metadata(result)
    assert (facts["groups_built"], facts["groups_sent"], facts["requests"], facts["dry_run"]) == (
        4,
        4,
        1,
        False,
    )


def test_second_run_sends_only_what_changed_and_a_rerun_sends_nothing(
    groups_project, amplitude, emulator, org, sf
):  # noqa: ANN001
    build, ids = groups_project
    project = build()
    run(project, FIRST)
    emulator.control.set_clock(org.org_id, "2026-03-11T09:00:00Z")
    sf.Account.update(ids[0], {"Industry": "Retail"})
    sf.Account.update(ids[2], {"Name": "Acme Two"})
    before = len(amplitude.requests())

    facts = metadata(run(project, NEXT))
    again = metadata(run(project, NEXT, sync=False))

    due = {
        v for v in ids if pickup_due(v, Pickup(PickupInterval.WEEKLY), RelationCadence.DAILY, *NEXT_WINDOW)
    }
    sent_now = [i["group_value"] for r in amplitude.requests()[before:] for i in r["body"]]
    assert sorted(sent_now) == sorted({ids[0], ids[2]} | due)
    assert (facts["groups_changed"], facts["groups_picked_up"]) == (2, len(due - {ids[0], ids[2]}))
    assert again["groups_sent"] == 0 and again["requests"] == 0
    assert amplitude.groups()[("company", ids[0])]["Industry"] == "Retail"


def test_set_once_keeps_the_first_value(groups_project, amplitude, emulator, org, sf):  # noqa: ANN001
    build, ids = groups_project
    project = build()
    run(project, FIRST)
    first_seen = amplitude.groups()[("company", ids[0])]["First Seen"]
    emulator.control.set_clock(org.org_id, "2026-03-11T09:00:00Z")
    sf.Account.update(ids[0], {"Industry": "Retail"})

    run(project, NEXT)

    assert amplitude.groups()[("company", ids[0])]["First Seen"] == first_seen


def test_a_refused_group_is_dead_lettered_then_delivered_by_the_next_run(groups_project, amplitude):  # noqa: ANN001
    build, ids = groups_project
    project = build()
    amplitude.fail(400, times=None, group_value=ids[1])

    first = run(project, FIRST)

    facts = metadata(first)
    assert (facts["groups_sent"], facts["dead_lettered"], facts["dead_letters_pending"]) == (3, 1, 1)
    assert ("company", ids[1]) not in amplitude.groups()
    amplitude.clear_faults()

    retried = metadata(run(project, FIRST, sync=False))

    assert (retried["groups_sent"], retried["dead_letters_pending"]) == (1, 0)
    assert ("company", ids[1]) in amplitude.groups()


def test_throttling_is_retried_until_accepted(groups_project, amplitude):  # noqa: ANN001
    build, ids = groups_project
    amplitude.fail(429, times=2)

    facts = metadata(run(build(), FIRST, fast_retries_to=amplitude.url))

    assert (facts["groups_sent"], facts["retries"], facts["dead_lettered"]) == (4, 2, 0)


def test_without_a_key_the_run_is_a_dry_run_that_sends_nothing(groups_project, amplitude):  # noqa: ANN001
    build, ids = groups_project

    facts = metadata(run(build(key=None), FIRST))

    assert facts["dry_run"] is True and facts["groups_sent"] == 0
    assert amplitude.requests() == []
    assert {i["group_value"] for i in facts["sample"]} <= set(ids) and len(facts["sample"]) == 3


def test_deleted_accounts_are_skipped_with_their_reason(groups_project, amplitude, sf):  # noqa: ANN001
    build, ids = groups_project
    sf.Account.delete(ids[2])

    facts = metadata(run(build(), FIRST))

    assert facts["groups_skipped"] == {"deleted_in_salesforce": 1}
    assert ids[2] not in sent_groups(amplitude)


def test_unseen_groups_are_not_created_when_the_relation_says_so(groups_project, amplitude):  # noqa: ANN001
    build, _ = groups_project

    facts = metadata(run(build(create_unseen_groups=False), FIRST))

    assert facts["groups_sent"] == 0 and facts["groups_skipped"] == {"unseen_group": 4}


def test_rerunning_the_first_window_sends_nothing_even_for_groups_whose_pickup_is_due(
    groups_project, amplitude
):  # noqa: ANN001
    build, ids = groups_project
    project = build(pickup={"interval": "daily"})  # every group's pickup comes up in every window
    first = metadata(run(project, FIRST))

    again = metadata(run(project, FIRST, sync=False))

    assert first["groups_sent"] == 4
    assert (again["groups_sent"], again["groups_unchanged"], again["requests"]) == (0, 4, 0)
