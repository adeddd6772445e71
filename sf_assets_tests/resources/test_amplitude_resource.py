"""`AmplitudeResource`: a client from settings, a dry run without a key, the key kept out of sight."""

import dagster as dg
import pytest

from sf_assets.amplitude import AmplitudeClient, AmplitudeConfigError
from sf_assets.resources.amplitude import AmplitudeResource


@pytest.mark.parametrize("api_key", [None, "", "  "])
def test_no_api_key_means_no_client(api_key: str | None) -> None:
    resource = AmplitudeResource(api_key=api_key)

    assert resource.dry_run
    assert resource.get_client() is None


def test_settings_reach_the_client() -> None:
    resource = AmplitudeResource(
        api_key="k", region="eu", timeout_seconds=5, max_attempts=2, rate_limit_seconds=40
    )

    client = resource.get_client()

    assert isinstance(client, AmplitudeClient)
    assert (client.url, client.timeout, client.max_attempts, client.rate_limit_seconds) == (
        "https://api.eu.amplitude.com/groupidentify",
        (5, 5),
        2,
        40,
    )
    assert resource.get_client() is client


def test_a_bad_region_names_the_setting() -> None:
    with pytest.raises(AmplitudeConfigError, match="unknown Amplitude region 'mars'.*`region` setting"):
        AmplitudeResource(api_key="k", region="mars").get_client()


def test_the_key_is_not_in_repr() -> None:
    assert "secret-key-1" not in repr(AmplitudeResource(api_key="secret-key-1"))


def test_an_env_var_key_delivers_in_a_dagster_run(amplitude, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("SF_ASSETS_TEST_AMPLITUDE_KEY", amplitude.api_key)

    @dg.asset
    def company_groups(amplitude_api: AmplitudeResource) -> dg.MaterializeResult:
        report = amplitude_api.get_client().send(
            [{"group_type": "company", "group_value": "001A", "group_properties": {"$set": {"Name": "Acme"}}}]
        )
        return dg.MaterializeResult(metadata={"groups_sent": len(report.sent)})

    resource = AmplitudeResource(
        api_key=dg.EnvVar("SF_ASSETS_TEST_AMPLITUDE_KEY"), base_url=amplitude.url, backoff_seconds=0.001
    )
    result = dg.materialize([company_groups], resources={"amplitude_api": resource})

    assert result.success
    assert amplitude.groups() == {("company", "001A"): {"Name": "Acme"}}
    materialization = result.asset_materializations_for_node("company_groups")[0]
    assert materialization.metadata["groups_sent"].value == 1


def test_an_empty_env_var_is_a_dry_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SF_ASSETS_TEST_AMPLITUDE_KEY", "")

    @dg.asset
    def company_groups(amplitude_api: AmplitudeResource) -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"dry_run": amplitude_api.get_client() is None})

    resource = AmplitudeResource(api_key=dg.EnvVar("SF_ASSETS_TEST_AMPLITUDE_KEY"))
    result = dg.materialize([company_groups], resources={"amplitude_api": resource})

    assert result.asset_materializations_for_node("company_groups")[0].metadata["dry_run"].value is True
