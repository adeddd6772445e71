"""The orgs one emulator serves, found by username (logins) and by session token (API calls)."""

import threading
from pathlib import Path

import yaml

from .store.auth import Credentials, Session, new_credentials
from .store.catalog import build_schema
from .store.errors import SalesforceError
from .store.ids import decode_counter, is_id, make_id, to_18
from .store.limits import LimitSettings
from .store.org import Org
from .store.seed import seed_base_records

DEFAULT_ORG_DEFINITION = Path(__file__).parent / "orgs" / "demo.yaml"


def load_definition_file(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


class OrgRegistry:
    """Creates, persists (with a data dir), finds and drops orgs. One per server process."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self._lock = threading.Lock()
        self._orgs: dict[str, Org] = {}
        self._by_username: dict[str, Org] = {}
        self._next = 1
        if data_dir is not None:
            (data_dir / "orgs").mkdir(parents=True, exist_ok=True)
            for db_path in sorted((data_dir / "orgs").glob("*.sqlite")):
                self._open_existing(db_path)

    # --- lifecycle --------------------------------------------------------------------------------
    def create_org(
        self,
        *,
        org_definition: dict | None = None,
        username: str | None = None,
        sandbox: bool = False,
        daily_api_requests: int | None = None,
    ) -> Org:
        with self._lock:
            number = self._next
            self._next += 1
            org_id = make_id("00D", number)
            credentials = new_credentials(username or f"admin@org{number}.sf-emulator.test")
            if credentials.username.lower() in self._by_username:
                raise ValueError(f"username {credentials.username} is already used by another org")
            definition = org_definition if org_definition is not None else load_definition_file(DEFAULT_ORG_DEFINITION)
            limits = LimitSettings()
            if daily_api_requests is not None:
                limits.daily_api_requests = daily_api_requests
            db_path = self.data_dir / "orgs" / f"{org_id}.sqlite" if self.data_dir else None
            org = Org(
                org_id=org_id,
                schema=build_schema(definition),
                org_definition=definition,
                credentials=credentials,
                db_path=db_path,
                limits=limits,
                sandbox=sandbox,
            )
            seed_base_records(org)
            org.save_meta()
            self._register(org)
            return org

    def _open_existing(self, db_path: Path) -> None:
        meta = Org.read_meta(db_path)
        limits = LimitSettings(daily_api_requests=meta["daily_api_requests"])
        org = Org(
            org_id=meta["org_id"],
            schema=build_schema(meta["org_definition"]),
            org_definition=meta["org_definition"],
            credentials=Credentials(**meta["credentials"]),
            db_path=db_path,
            limits=limits,
            sandbox=meta["sandbox"],
        )
        org.user_id = meta["user_id"]
        self._register(org)
        self._next = max(self._next, decode_counter(org.org_id) + 1)

    def _register(self, org: Org) -> None:
        self._orgs[org.org_id] = org
        self._by_username[org.credentials.username.lower()] = org

    def drop_org(self, org_id: str) -> None:
        with self._lock:
            org = self.get(org_id)
            del self._orgs[org.org_id]
            self._by_username.pop(org.credentials.username.lower(), None)
        org.close()
        if org.db_path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(org.db_path) + suffix).unlink(missing_ok=True)

    # --- lookups ----------------------------------------------------------------------------------
    def get(self, org_id: str) -> Org:
        org = self._orgs.get(org_id) or next((o for o in self._orgs.values() if o.org_id[:15] == org_id[:15]), None)
        if org is None:
            raise SalesforceError(404, "NOT_FOUND", f"no emulated org {org_id}")
        return org

    def orgs(self) -> list[Org]:
        return list(self._orgs.values())

    def by_username(self, username: str) -> Org | None:
        return self._by_username.get(username.lower())

    def authenticate(self, token: str | None) -> tuple[Org, Session]:
        """The org and live session of a bearer token (tokens start with the 15-char org id)."""
        if token:
            prefix = token.split("!", 1)[0]
            org = self._orgs.get(to_18(prefix)) if is_id(prefix) else None
            if org is not None:
                return org, org.sessions.check(token)
        raise SalesforceError(401, "INVALID_SESSION_ID", "Session expired or invalid")

    def close(self) -> None:
        for org in self.orgs():
            org.close()

