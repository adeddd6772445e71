"""The project config file (`sf_assets.yaml`): warehouse, catalog, Salesforce instances, groups, alerts.

Secrets never live in the file: it names the environment variables that hold them, and nothing
here reads those variables unless asked (`InstanceSettings.resolve_env`). Relative paths are taken
from the config file's folder, so the project loads the same from any working directory.
Every mistake is a `SettingsError` naming the file, the instance and the key, and saying what is
allowed; the format is shown in full in `sf_assets.example.yaml`.
"""

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CONFIG_ENV = "SF_ASSETS_CONFIG"
DEFAULT_CONFIG = Path("sf_assets.yaml")
DEFAULT_WAREHOUSE_URL_ENV = "SF_ASSETS_WAREHOUSE_URL"
DEFAULT_START = date(2024, 1, 1)
DEFAULT_API_VERSION = "59.0"
DEFAULT_DRIFT_CHECK_HOURS = 6.0


class Cadence(StrEnum):
    HOURLY = "hourly"
    EVERY_3H = "every_3h"  # the classic warehouse connector's default
    DAILY = "daily"


class AuthMode(StrEnum):
    PASSWORD = "password"
    REFRESH_TOKEN = "refresh_token"
    CLIENT_CREDENTIALS = "client_credentials"
    JWT = "jwt"
    SESSION = "session"


# Each mode's required and optional env-var keys; the role (key minus `_env`) names the secret.
_AUTH_ENV_KEYS: dict[AuthMode, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # The security token may be omitted when the org trusts the caller's IP range.
    AuthMode.PASSWORD: (("username_env", "password_env"), ("security_token_env",)),
    AuthMode.REFRESH_TOKEN: (("consumer_key_env", "consumer_secret_env", "refresh_token_env"), ()),
    AuthMode.CLIENT_CREDENTIALS: (("consumer_key_env", "consumer_secret_env"), ()),
    AuthMode.JWT: (("consumer_key_env", "username_env", "private_key_env"), ()),
    AuthMode.SESSION: (("session_id_env",), ()),
}
_SECRET_ROLES = (
    "username",
    "password",
    "security_token",
    "consumer_key",
    "consumer_secret",
    "refresh_token",
    "private_key",
    "session_id",
)
_ALL_AUTH_ENV_KEYS = tuple(f"{role}_env" for role in _SECRET_ROLES)

# Keys that would put a credential in the file, and the key that names its env var instead.
_SECRET_KEYS = {role: f"{role}_env" for role in _SECRET_ROLES} | {
    "token": "security_token_env",
    "client_id": "consumer_key_env",
    "client_secret": "consumer_secret_env",
    "access_token": "session_id_env",
    "secret": "<name>_env",
    "api_key": "<name>_env",
}

_TOP_KEYS = ("warehouse", "catalog_dir", "instances", "groups", "alerts", "execution")
_WAREHOUSE_KEYS = ("url_env", "data_dir")
_INSTANCE_KEYS = (
    "schema",
    "cadence",
    "start",
    "sandbox",
    "api_version",
    "login_url",
    "instance_url",
    "ca_bundle_env",
    "objects",
    "auth",
    "schedule",
    "max_partitions_per_run",
    "drift_check_hours",
    "api_budget",
)
_API_BUDGET_KEYS = ("max_used_fraction", "retry_after_minutes")
_OBJECTS_KEYS = ("include", "exclude")
_GROUPS_KEYS = ("mapping", "amplitude")
_AMPLITUDE_KEYS = ("region", "base_url", "api_key_env")
AMPLITUDE_REGIONS = ("us", "eu")
DEFAULT_AMPLITUDE_KEY_ENV = "AMPLITUDE_API_KEY"
_AUTH_KEYS = ("mode", *_ALL_AUTH_ENV_KEYS)

# Lowercase, so a schema is the same unquoted in PostgreSQL and SQLite; 63 is PostgreSQL's limit.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_INSTANCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_API_VERSION = re.compile(r"^[1-9][0-9]\.0$")
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SettingsError(ValueError):
    """The config file is missing, unreadable or wrong; the message says where and what is allowed."""

    def __init__(
        self, path: Path | str, message: str, *, instance: str | None = None, key: str | None = None
    ):
        self.path = Path(path)
        self.instance = instance
        self.key = key
        where = [str(path)]
        if instance is not None:
            where.append(f"instance {instance!r}")
        if key is not None:
            where.append(f"key {key!r}")
        super().__init__(f"{': '.join(where)}: {message}")


@dataclass(frozen=True)
class WarehouseSettings:
    url_env: str = DEFAULT_WAREHOUSE_URL_ENV  # unset at run time → the embedded SQLite warehouse
    data_dir: Path = Path("data/warehouse")


@dataclass(frozen=True)
class ObjectSelection:
    """sObject API names or table names, matched case-insensitively; empty include = the default set."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthSettings:
    """The auth mode and the names (not values) of the environment variables holding its secrets."""

    mode: AuthMode
    username_env: str | None = None
    password_env: str | None = None
    security_token_env: str | None = None
    consumer_key_env: str | None = None
    consumer_secret_env: str | None = None
    refresh_token_env: str | None = None
    private_key_env: str | None = None
    session_id_env: str | None = None

    def env_vars(self) -> dict[str, str]:
        """Secret role (`username`, `password`, …) → env var name, for the keys this mode uses."""
        return {key[:-4]: getattr(self, key) for key in _ALL_AUTH_ENV_KEYS if getattr(self, key) is not None}


@dataclass(frozen=True)
class ApiBudget:
    """Syncs stop once `max_used_fraction` of the org's daily API requests are used, and retry later."""

    max_used_fraction: float = 0.8
    retry_after_minutes: float = 60.0


@dataclass(frozen=True)
class InstanceSettings:
    name: str
    schema: str
    auth: AuthSettings
    cadence: Cadence = Cadence.EVERY_3H
    start: date = DEFAULT_START
    sandbox: bool = False
    api_version: str = DEFAULT_API_VERSION
    login_url: str | None = None
    instance_url: str | None = None
    ca_bundle_env: str | None = None
    objects: ObjectSelection = field(default_factory=ObjectSelection)
    schedule: bool = False  # `schedule: on`: its schedules and drift sensor start RUNNING
    max_partitions_per_run: int | None = None  # None: a backfill of any length is one run
    drift_check_hours: float = DEFAULT_DRIFT_CHECK_HOURS
    api_budget: ApiBudget = field(default_factory=ApiBudget)

    def env_vars(self) -> dict[str, str]:
        """Role → env var name for everything this instance reads from the environment.

        Roles: the auth secrets (`username`, `password`, `security_token`, `consumer_key`,
        `consumer_secret`, `refresh_token`, `private_key`, `session_id`) and `ca_bundle`.
        """
        names = self.auth.env_vars()
        if self.ca_bundle_env is not None:
            names["ca_bundle"] = self.ca_bundle_env
        return names

    def connection_options(self) -> dict[str, object]:
        """The non-secret `SalesforceResource` options; secrets come from `env_vars()` roles."""
        options = {
            "auth_mode": self.auth.mode.value,
            "login_url": self.login_url,
            "instance_url": self.instance_url,
            "sandbox": self.sandbox,
            "api_version": self.api_version,
            "api_budget_fraction": self.api_budget.max_used_fraction,
        }
        return {key: value for key, value in options.items() if value is not None}

    def setting_key(self, role: str) -> str:
        """The config key that names the env var of `role`, for error messages."""
        if role == "ca_bundle":
            return f"instances.{self.name}.ca_bundle_env"
        return f"instances.{self.name}.auth.{role}_env"

    def resolve_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """Role → value from `environ`; a SettingsError names every unset variable and its setting."""
        names = self.env_vars()
        missing = [role for role, env in names.items() if env not in environ]
        if missing:
            listed = ", ".join(f"{names[role]} ({self.setting_key(role)})" for role in missing)
            raise SettingsError(
                "environment", f"not set: {listed}; export them before running", instance=self.name
            )
        return {role: environ[env] for role, env in names.items()}


@dataclass(frozen=True)
class AmplitudeSettings:
    region: str = "us"  # "us" | "eu": which Amplitude data centre the project lives in
    # Overrides the region's URL, e.g. the local stand-in http://127.0.0.1:8444 (http only for loopback).
    base_url: str | None = None
    api_key_env: str = DEFAULT_AMPLITUDE_KEY_ENV  # unset at run time → a dry run that sends nothing


@dataclass(frozen=True)
class GroupsSettings:
    """Group properties: the mapping file (None → no relations) and where Amplitude is."""

    mapping: Path | None = None
    amplitude: AmplitudeSettings = AmplitudeSettings()


@dataclass(frozen=True)
class AlertsSettings:
    """Where run failures are announced: the env var holding a webhook URL (None: no webhook)."""

    webhook_url_env: str | None = None


@dataclass(frozen=True)
class ExecutionSettings:
    """How a run executes its steps: 1, one after another in the run's process; N, up to N step
    processes side by side."""

    parallel_steps: int = 1


@dataclass(frozen=True)
class Settings:
    path: Path
    instances: tuple[InstanceSettings, ...]
    warehouse: WarehouseSettings = field(default_factory=WarehouseSettings)
    catalog_dir: Path = Path("catalog")
    groups: GroupsSettings = GroupsSettings()
    alerts: AlertsSettings = AlertsSettings()
    execution: ExecutionSettings = ExecutionSettings()

    @property
    def instance_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.instances)

    def instance(self, name: str) -> InstanceSettings:
        for candidate in self.instances:
            if candidate.name == name:
                return candidate
        declared = ", ".join(self.instance_names)
        raise SettingsError(self.path, f"no instance {name!r} (declared: {declared})", instance=name)

    def catalog_path(self, instance_name: str) -> Path:
        """Where the describe snapshot of an instance lives: `<catalog_dir>/<instance>.json`."""
        return self.catalog_dir / f"{self.instance(instance_name).name}.json"

    def env_vars(self) -> dict[str, dict[str, str]]:
        """Per instance, role → env var name (see `InstanceSettings.env_vars`)."""
        return {i.name: i.env_vars() for i in self.instances}


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the config file: `path`, else `$SF_ASSETS_CONFIG`, else `./sf_assets.yaml`."""
    path = Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise SettingsError(
            path,
            f"config file not found (give --config, set {CONFIG_ENV}, or run from the project folder; "
            "see sf_assets.example.yaml)",
        ) from None
    except OSError as exc:
        raise SettingsError(path, f"cannot read the config file: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise SettingsError(path, f"not valid YAML: {exc}") from exc
    return parse_settings(data, path)


def parse_settings(data: object, path: str | Path) -> Settings:
    """Validate a loaded config document; `path` names the file in errors and anchors relative paths."""
    at = _At(Path(path))
    base = at.path.resolve().parent
    top = at.section(data, None, _TOP_KEYS)
    warehouse = at.section(top.get("warehouse") or {}, "warehouse", _WAREHOUSE_KEYS)
    raw_instances = top.get("instances")
    if not isinstance(raw_instances, Mapping) or not raw_instances:
        raise at.error("instances", "declare at least one Salesforce instance (name → settings)")
    instances = tuple(_instance(_At(at.path, str(name)), spec) for name, spec in raw_instances.items())
    owners: dict[str, str] = {}
    for inst in instances:
        if inst.schema in owners:
            raise _At(at.path, inst.name).error(
                "schema",
                f"schema {inst.schema!r} is already used by instance {owners[inst.schema]!r}; "
                "each instance needs its own schema",
            )
        owners[inst.schema] = inst.name
    return Settings(
        path=at.path,
        instances=instances,
        warehouse=WarehouseSettings(
            url_env=at.env_name(warehouse.get("url_env", DEFAULT_WAREHOUSE_URL_ENV), "warehouse.url_env"),
            data_dir=at.folder(warehouse.get("data_dir", "data/warehouse"), "warehouse.data_dir", base),
        ),
        catalog_dir=at.folder(top.get("catalog_dir", "catalog"), "catalog_dir", base),
        groups=_groups(at, top.get("groups") or {}, base),
        alerts=_alerts(at, top.get("alerts") or {}),
        execution=_execution(at, top.get("execution") or {}),
    )


def _execution(at: "_At", spec: object) -> ExecutionSettings:
    spec = at.section(spec, "execution", ("parallel_steps",))
    steps = spec.get("parallel_steps", 1)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise at.error(
            "execution.parallel_steps",
            f"must be a whole number of steps, 1 or more (1: one after another in the run's process); got {steps!r}",
        )
    return ExecutionSettings(parallel_steps=steps)


def _alerts(at: "_At", spec: object) -> AlertsSettings:
    if isinstance(spec, Mapping) and "webhook_url" in spec:
        raise at.error(
            "alerts.webhook_url",
            "webhook URLs carry tokens, so they never go in the file: name the environment variable "
            "that holds it instead (alerts.webhook_url_env: SF_ASSETS_ALERT_WEBHOOK_URL) and export it",
        )
    spec = at.section(spec, "alerts", ("webhook_url_env",))
    name = spec.get("webhook_url_env")
    return AlertsSettings(None if name is None else at.env_name(name, "alerts.webhook_url_env"))


# --- values -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _At:
    """Where in the file a value sits (file, instance), to raise errors that name it."""

    path: Path
    instance: str | None = None

    def error(self, key: str | None, message: str) -> SettingsError:
        return SettingsError(self.path, message, instance=self.instance, key=key)

    def section(self, value: object, where: str | None, allowed: tuple[str, ...]) -> Mapping:
        if not isinstance(value, Mapping):
            raise self.error(where, f"expected a mapping, got {type(value).__name__}")
        for key in value:
            dotted = f"{where}.{key}" if where else str(key)
            if key in _SECRET_KEYS or (where == "warehouse" and key == "url"):
                target = "warehouse.url_env" if key == "url" else _SECRET_KEYS[key]
                if where != "auth" and key != "url":
                    target = f"auth.{target}"
                raise self.error(
                    dotted,
                    "looks like a secret value, and secrets never go in the file: name the environment "
                    f"variable that holds it instead ({target}: MY_ENV_VAR) and export that variable",
                )
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise self.error(dotted, f"unknown key (allowed: {', '.join(allowed)}){hint}")
        return value

    def env_name(self, value: object, key: str) -> str:
        # The value is never echoed: a user who pasted a secret here should not see it in logs.
        if not isinstance(value, str) or not _ENV_NAME.match(value):
            raise self.error(
                key,
                "must be the NAME of an environment variable (letters, digits and _, "
                "e.g. SFDC_PROD_PASSWORD), not the secret itself",
            )
        return value

    def folder(self, value: object, key: str, base: Path) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a folder path; got {value!r}")
        folder = Path(value).expanduser()
        return folder if folder.is_absolute() else base / folder

    def url(self, value: object, key: str, example: str = "https://acme.my.salesforce.com") -> str | None:
        """A base URL (https, or http on a loopback host for a local emulator or stand-in), no path."""
        if value is None:
            return None
        parts = urlsplit(value) if isinstance(value, str) else None
        if (
            not parts
            or parts.scheme not in ("https", "http")
            or not parts.hostname
            or parts.path not in ("", "/")
            or parts.query
        ):
            raise self.error(key, f"must be a base URL such as {example} (no path); got {value!r}")
        if parts.scheme == "http" and parts.hostname not in _LOOPBACK_HOSTS:
            raise self.error(
                key,
                f"http:// is only allowed for a local emulator or stand-in (127.0.0.1, localhost); got {value!r}",
            )
        return value.rstrip("/")

    def start(self, value: object) -> date:
        if type(value) is date:  # from a document built in Python; YAML dates arrive as text
            return value
        try:
            return date.fromisoformat(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise self.error("start", f"must be an ISO date such as 2024-01-01; got {value!r}") from None

    def api_version(self, value: object) -> str:
        # An unquoted 59.0 is a float in YAML; accept it rather than make users quote it.
        text = f"{value:.1f}" if isinstance(value, int | float) and not isinstance(value, bool) else value
        if not isinstance(text, str) or not _API_VERSION.match(text):
            raise self.error("api_version", f'must be a version such as "59.0"; got {value!r}')
        return text


# --- sections ---------------------------------------------------------------------------------------
def _instance(at: _At, spec: object) -> InstanceSettings:
    name = at.instance
    if not _INSTANCE_NAME.match(name):
        raise at.error(None, "instance names are lowercase letters, digits and _ (starting with a letter)")
    spec = at.section(spec, None, _INSTANCE_KEYS)
    schema = spec.get("schema", name)
    if not isinstance(schema, str) or not _IDENTIFIER.match(schema):
        raise at.error(
            "schema",
            "must be a SQL identifier: lowercase letters, digits and _, not starting with a digit, "
            f"at most 63 characters; got {schema!r}",
        )
    cadence = spec.get("cadence", Cadence.EVERY_3H.value)
    if cadence not in Cadence.__members__.values():
        raise at.error("cadence", f"must be one of {', '.join(Cadence)}; got {cadence!r}")
    auth = _auth(at, spec.get("auth"))
    login_url = at.url(spec.get("login_url"), "login_url")
    instance_url = at.url(spec.get("instance_url"), "instance_url")
    _check_urls(at, auth.mode, login_url, instance_url)
    ca_bundle_env = spec.get("ca_bundle_env")
    sandbox = spec.get("sandbox", False)
    if not isinstance(sandbox, bool):
        raise at.error("sandbox", f"must be true or false; got {sandbox!r}")
    return InstanceSettings(
        name=name,
        schema=schema,
        auth=auth,
        cadence=Cadence(cadence),
        start=at.start(spec.get("start", DEFAULT_START.isoformat())),
        sandbox=sandbox,
        api_version=at.api_version(spec.get("api_version", DEFAULT_API_VERSION)),
        login_url=login_url,
        instance_url=instance_url,
        ca_bundle_env=None if ca_bundle_env is None else at.env_name(ca_bundle_env, "ca_bundle_env"),
        objects=_objects(at, spec.get("objects") or {}),
        schedule=_switch(at, spec.get("schedule", False), "schedule"),
        max_partitions_per_run=_partitions_cap(at, spec.get("max_partitions_per_run")),
        drift_check_hours=_hours(
            at, spec.get("drift_check_hours", DEFAULT_DRIFT_CHECK_HOURS), "drift_check_hours"
        ),
        api_budget=_api_budget(at, spec.get("api_budget") or {}),
    )


def _api_budget(at: _At, spec: object) -> ApiBudget:
    spec = at.section(spec, "api_budget", _API_BUDGET_KEYS)
    fraction = spec.get("max_used_fraction", 0.8)
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) or not 0 < fraction <= 1:
        raise at.error(
            "api_budget.max_used_fraction",
            f"must be a share of the daily API requests, above 0 and at most 1 (e.g. 0.8); got {fraction!r}",
        )
    minutes = spec.get("retry_after_minutes", 60)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        raise at.error(
            "api_budget.retry_after_minutes", f"must be a number of minutes, 0 or more; got {minutes!r}"
        )
    return ApiBudget(max_used_fraction=float(fraction), retry_after_minutes=float(minutes))


def _switch(at: _At, value: object, key: str) -> bool:
    # YAML 1.1 reads a bare on/off as true/false; quoted "on"/"off" arrive as text.
    switches = {True: True, False: False, "on": True, "off": False}
    if isinstance(value, bool | str) and value in switches:
        return switches[value]
    raise at.error(key, f"must be on or off; got {value!r}")


def _partitions_cap(at: _At, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise at.error(
            "max_partitions_per_run",
            f"must be a whole number of partitions, 1 or more (omit it for one run per backfill); got {value!r}",
        )
    return value


def _hours(at: _At, value: object, key: str) -> float:
    # The daemon ticks sensors every 30 s at the fastest; under a minute would only mislead.
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 1 / 60:
        raise at.error(key, f"must be a number of hours, at least 1/60 (one minute); got {value!r}")
    return float(value)


def _auth(at: _At, spec: object) -> AuthSettings:
    modes = ", ".join(AuthMode)
    if spec is None:
        raise at.error("auth", f"required: a mapping with 'mode' ({modes})")
    spec = at.section(spec, "auth", _AUTH_KEYS)
    mode = spec.get("mode")
    if mode not in AuthMode.__members__.values():
        raise at.error("auth.mode", f"must be one of {modes}; got {mode!r}")
    required, optional = _AUTH_ENV_KEYS[AuthMode(mode)]
    unused = [key for key in spec if key != "mode" and key not in required + optional]
    if unused:
        raise at.error(
            f"auth.{unused[0]}",
            f"not used by auth mode {mode!r}, which reads {', '.join(required + optional)}",
        )
    missing = [key for key in required if key not in spec]
    if missing:
        example = f"{at.instance.upper()}_{missing[0].removesuffix('_env').upper()}"
        raise at.error(
            "auth",
            f"auth mode {mode!r} needs {', '.join(missing)}: the names of the environment "
            f"variables holding those secrets (e.g. {missing[0]}: {example})",
        )
    names = {key: at.env_name(spec[key], f"auth.{key}") for key in spec if key != "mode"}
    return AuthSettings(mode=AuthMode(mode), **names)


def _objects(at: _At, spec: object) -> ObjectSelection:
    spec = at.section(spec, "objects", _OBJECTS_KEYS)
    lists = {}
    for key in _OBJECTS_KEYS:
        value = spec.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise at.error(
                f"objects.{key}",
                "must be a list of sObject API names or table names (e.g. [Account, subscription_c])",
            )
        lists[key] = tuple(v.strip() for v in value)
    return ObjectSelection(**lists)


def _groups(at: _At, spec: object, base: Path) -> GroupsSettings:
    spec = at.section(spec, "groups", _GROUPS_KEYS)
    mapping = spec.get("mapping")
    if mapping is not None and (not isinstance(mapping, str) or not mapping.strip()):
        raise at.error("groups.mapping", f"must be the path of a mapping JSON file; got {mapping!r}")
    amplitude = spec.get("amplitude") or {}
    if isinstance(amplitude, Mapping) and "api_key" in amplitude:
        raise at.error(
            "groups.amplitude.api_key",
            "looks like a secret value, and secrets never go in the file: name the environment variable "
            "that holds it instead (groups.amplitude.api_key_env: AMPLITUDE_API_KEY) and export that variable",
        )
    amplitude = at.section(amplitude, "groups.amplitude", _AMPLITUDE_KEYS)
    region = amplitude.get("region", "us")
    if region not in AMPLITUDE_REGIONS:
        raise at.error(
            "groups.amplitude.region", f"must be one of {', '.join(AMPLITUDE_REGIONS)}; got {region!r}"
        )
    path = None
    if mapping is not None:
        path = Path(mapping).expanduser()
        path = path if path.is_absolute() else base / path
    return GroupsSettings(
        mapping=path,
        amplitude=AmplitudeSettings(
            region=region,
            base_url=at.url(
                amplitude.get("base_url"), "groups.amplitude.base_url", "https://api2.amplitude.com"
            ),
            api_key_env=at.env_name(
                amplitude.get("api_key_env", DEFAULT_AMPLITUDE_KEY_ENV), "groups.amplitude.api_key_env"
            ),
        ),
    )


def _check_urls(at: _At, mode: AuthMode, login_url: str | None, instance_url: str | None) -> None:
    if mode == AuthMode.SESSION:
        if instance_url is None:
            raise at.error(
                "instance_url",
                "auth mode 'session' needs the org's instance_url (e.g. https://acme.my.salesforce.com)",
            )
        if login_url is not None:
            raise at.error("login_url", "not used by auth mode 'session', which never logs in")
    elif instance_url is not None:
        raise at.error(
            "instance_url",
            f"only used by auth mode 'session'; mode {mode.value!r} learns the instance URL at login "
            "(use login_url to point the login elsewhere)",
        )
    elif mode == AuthMode.CLIENT_CREDENTIALS and login_url is None:
        raise at.error(
            "login_url",
            "auth mode 'client_credentials' needs login_url: the org's My Domain URL "
            "(e.g. https://acme.my.salesforce.com); login.salesforce.com refuses this flow",
        )


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (plain YAML keeps the last) and keeps dates as text.

    Dates stay text so a bad one (2024-13-01) is reported against its key, not as a YAML error.
    """


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_scalar)
