"""Raw HTTP to the stand-in with plain `requests`, as any client would send it."""

import json

import pytest
import requests


class Wire:
    """POSTs form bodies to the stand-in's /groupidentify."""

    def __init__(self, amplitude) -> None:  # noqa: ANN001
        self.amplitude = amplitude
        self.http = requests.Session()
        self.http.trust_env = False

    def post(
        self, identification: object = None, *, api_key: str | None = None, **fields: str
    ) -> requests.Response:
        """`identification` is JSON-encoded unless it is already a str; fields override the form."""
        form = {"api_key": self.amplitude.api_key if api_key is None else api_key}
        if identification is not None:
            form["identification"] = (
                identification if isinstance(identification, str) else json.dumps(identification)
            )
        form.update(fields)
        return self.http.post(f"{self.amplitude.url}/groupidentify", data=form, timeout=30)


@pytest.fixture
def wire(amplitude) -> Wire:  # noqa: ANN001
    return Wire(amplitude)
