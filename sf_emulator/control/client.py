"""A Python client for the control API, used by tests, benchmarks and the demo."""

from dataclasses import dataclass, field

import requests


@dataclass
class EmulatedOrg:
    """Credentials of one emulated org, as `POST /__emulator/orgs` returns them."""

    org_id: str
    username: str
    password: str
    security_token: str
    consumer_key: str
    consumer_secret: str
    jwt_private_key: str
    instance_url: str
    login_url: str
    session_id: str
    refresh_token: str
    user_id: str
    sandbox: bool = False
    extra: dict = field(default_factory=dict)


class EmulatorControl:
    """Drives `/__emulator/` over HTTP(S)."""

    def __init__(self, base_url: str, ca_bundle: str | None = None, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would override `verify` (see reference §1.3)
        self.http.verify = ca_bundle if ca_bundle else True
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        response = self.http.request(method, f"{self.base_url}/__emulator{path}", json=body, timeout=self.timeout)
        if response.status_code >= 400:
            raise RuntimeError(f"control API {method} {path} failed with {response.status_code}: {response.text}")
        return response.json() if response.content else None

    # --- orgs ---------------------------------------------------------------------------------------
    def create_org(self, **options: object) -> EmulatedOrg:
        """A fresh org; options: org_definition, username, sandbox, scale, seed, daily_api_requests."""
        info = self._call("POST", "/orgs", dict(options))
        known = set(EmulatedOrg.__dataclass_fields__) - {"extra"}
        return EmulatedOrg(**{k: v for k, v in info.items() if k in known}, extra={k: v for k, v in info.items() if k not in known})

    def drop_org(self, org_id: str) -> None:
        self._call("DELETE", f"/orgs/{org_id}")

    def reset(self, org_id: str) -> None:
        self._call("POST", f"/orgs/{org_id}/reset")

    def seed(self, org_id: str, *, scale: int, seed: int = 0) -> dict:
        return self._call("POST", f"/orgs/{org_id}/seed", {"scale": scale, "seed": seed})["records"]

    # --- time, sessions, limits, faults ----------------------------------------------------------------
    def set_clock(self, org_id: str, when_iso: str, *, frozen: bool = True) -> int:
        return self._call("POST", f"/orgs/{org_id}/clock", {"set": when_iso, "frozen": frozen})["now_ms"]

    def advance_clock(self, org_id: str, seconds: float) -> int:
        return self._call("POST", f"/orgs/{org_id}/clock", {"advance_seconds": seconds})["now_ms"]

    def now_ms(self, org_id: str) -> int:
        return self._call("GET", f"/orgs/{org_id}/clock")["now_ms"]

    def expire_sessions(self, org_id: str, *, refresh_tokens: bool = False) -> int:
        return self._call("POST", f"/orgs/{org_id}/sessions/expire", {"refresh_tokens": refresh_tokens})["expired"]

    def mint_session(self, org_id: str) -> str:
        return self._call("POST", f"/orgs/{org_id}/sessions")["session_id"]

    def add_fault(self, org_id: str, path_regex: str, **rule: object) -> None:
        """Next `remaining` matching requests: kind error (status, error_code, message), delay (delay_ms) or truncate."""
        self._call("POST", f"/orgs/{org_id}/faults", {"path_regex": path_regex, **rule})

    def clear_faults(self, org_id: str) -> None:
        self._call("DELETE", f"/orgs/{org_id}/faults")

    def set_limits(self, org_id: str, **limits: int) -> dict:
        return self._call("POST", f"/orgs/{org_id}/limits", dict(limits))

    def set_bulk(self, org_id: str, **settings: int) -> dict:
        """Bulk job pacing: `polls_until_complete`, `bulk1_result_rows`."""
        return self._call("POST", f"/orgs/{org_id}/bulk", dict(settings))

    # --- data and schema --------------------------------------------------------------------------------
    def mutate(self, org_id: str, op: str, sobject: str = "", **spec: object) -> dict:
        """op: update, soft_delete, undelete, purge, merge, touch, convert_lead; with `count` or `ids`."""
        return self._call("POST", f"/orgs/{org_id}/mutations", {"op": op, "sobject": sobject, **spec})

    def add_field(self, org_id: str, sobject: str, field_spec: dict) -> None:
        self._call("POST", f"/orgs/{org_id}/schema/fields", {"sobject": sobject, "field": field_spec})

    def add_object(self, org_id: str, object_spec: dict) -> None:
        self._call("POST", f"/orgs/{org_id}/schema/objects", object_spec)

    # --- request log -------------------------------------------------------------------------------
    def requests(self, org_id: str) -> dict:
        return self._call("GET", f"/orgs/{org_id}/requests")

    def reset_requests(self, org_id: str) -> None:
        self._call("DELETE", f"/orgs/{org_id}/requests")
