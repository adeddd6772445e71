"""`sf-assets`: the project's command line.

    sf-assets catalog refresh [--instance NAME ...] [--config PATH]   describe the org(s), write snapshots
    sf-assets catalog show [--instance NAME] [--config PATH]          list collections and skipped objects
    sf-assets mapping validate|export|import|verify …                 the group-property mapping
                                                                      (sf_assets.groups.cli)

Each command group registers itself through one function in `COMMAND_GROUPS` (a `mapping` group
slots in beside `catalog`). Exit codes: 0 done, 1 Salesforce refused or failed, 2 bad config,
snapshot or arguments.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .catalog.refresh import DescribeClient, refresh_catalog
from .catalog.snapshot import Snapshot, SnapshotError, load_catalog, load_snapshot
from .groups.cli import add_mapping_commands
from .lib.catalog import CatalogError
from .lib.mapping_rules import MappingError
from .salesforce import SalesforceApiError, SalesforceConfigError
from .settings import InstanceSettings, Settings, SettingsError, load_settings

ClientFactory = Callable[[Settings, InstanceSettings], DescribeClient]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None, *, client_factory: ClientFactory | None = None) -> int:
    """Run one command; `client_factory` replaces the Salesforce client built from settings (tests)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(getattr(args, "config", None))
        return args.handler(args, settings, client_factory or salesforce_client)
    except (SettingsError, SnapshotError, CatalogError, SalesforceConfigError, MappingError) as exc:
        _echo(f"sf-assets: error: {exc}", err=True)
        return EXIT_USAGE
    except SalesforceApiError as exc:
        _echo(f"sf-assets: Salesforce error: {exc}", err=True)
        return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    # SUPPRESS keeps a subcommand's absent --config from overwriting one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="project config file (default: $SF_ASSETS_CONFIG, else ./sf_assets.yaml)",
    )
    parser = argparse.ArgumentParser(
        prog="sf-assets", description="Salesforce collections as Dagster assets.", parents=[common]
    )
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    for add_group in COMMAND_GROUPS:
        add_group(groups, common)
    return parser


# --- catalog ----------------------------------------------------------------------------------------
def add_catalog_commands(groups: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    catalog = groups.add_parser("catalog", help="describe snapshots of the Salesforce instances")
    commands = catalog.add_subparsers(dest="command", required=True, metavar="COMMAND")
    refresh = commands.add_parser(
        "refresh", parents=[common], help="describe each instance's org and write its snapshot"
    )
    refresh.add_argument(
        "--instance",
        action="append",
        metavar="NAME",
        help="an instance from the config (repeatable; default: every instance)",
    )
    refresh.set_defaults(handler=catalog_refresh)
    show = commands.add_parser("show", parents=[common], help="list collections and skipped objects")
    show.add_argument("--instance", metavar="NAME", help="one instance (default: every instance)")
    show.set_defaults(handler=catalog_show)


def catalog_refresh(args: argparse.Namespace, settings: Settings, client_factory: ClientFactory) -> int:
    names = args.instance or list(settings.instance_names)
    instances = [settings.instance(name) for name in names]  # fail on a typo before any call
    for instance in instances:
        client = client_factory(settings, instance)
        warnings: list[str] = []
        snapshot = refresh_catalog(settings, instance.name, client, progress=_progress, warn=warnings.append)
        _echo(
            f"{instance.name}: {len(snapshot.objects)} collections, {len(snapshot.skipped)} skipped "
            f"→ {_relative(settings.catalog_path(instance.name))}"
        )
        for warning in warnings:
            _echo(f"  warning: {warning}")
    return EXIT_OK


def catalog_show(args: argparse.Namespace, settings: Settings, client_factory: ClientFactory) -> int:
    names = [args.instance] if args.instance else list(settings.instance_names)
    for index, name in enumerate(names):
        instance = settings.instance(name)
        path = settings.catalog_path(instance.name)
        stale = None
        try:
            snapshot = load_catalog(settings, instance.name)
        except SnapshotError as exc:
            snapshot = load_snapshot(path)  # still raises when the file is missing or broken
            stale = str(exc)
        if index:
            _echo()
        _show(instance, snapshot, path, stale)
    return EXIT_OK


def _show(instance: InstanceSettings, snapshot: Snapshot, path: Path, stale: str | None) -> None:
    plan = snapshot.plan
    _echo(
        f"{instance.name} (schema {instance.schema}): {len(plan.objects)} collections, "
        f"{len(plan.skipped)} skipped; {_relative(path)}, refreshed {snapshot.refreshed_at.isoformat()}, "
        f"API {snapshot.api_version}"
    )
    if stale:
        _echo(f"  out of date: {stale}")
    width = max([len(o.table) for o in plan.objects] + [len(s.table) for s in plan.skipped] + [5])
    sobject_width = max([len(o.sobject) for o in plan.objects] + [len(s.sobject) for s in plan.skipped] + [7])
    _echo(f"  {'table'.ljust(width)}  {'sObject'.ljust(sobject_width)}  columns  {'cursor'.ljust(16)}  bulk")
    for spec in plan.objects:
        _echo(
            f"  {spec.table.ljust(width)}  {spec.sobject.ljust(sobject_width)}  {len(spec.fields):>7}  "
            f"{(spec.cursor_field or '-').ljust(16)}  {'yes' if spec.bulk_compatible else 'no'}"
        )
    if plan.skipped:
        _echo("  skipped:")
        for skipped in plan.skipped:
            detail = f" ({skipped.detail})" if skipped.detail else ""
            _echo(
                f"  {skipped.table.ljust(width)}  {skipped.sobject.ljust(sobject_width)}  {skipped.reason}{detail}"
            )
    if plan.warnings:
        _echo("  warnings:")
        for warning in plan.warnings:
            _echo(f"  {warning}")


# --- plumbing ---------------------------------------------------------------------------------------
COMMAND_GROUPS: tuple[Callable[[argparse._SubParsersAction, argparse.ArgumentParser], None], ...] = (
    add_catalog_commands,
    add_mapping_commands,
)


def salesforce_client(settings: Settings, instance: InstanceSettings) -> DescribeClient:
    """The instance's Salesforce client, with secrets read from the environment now (not at import)."""
    from .resources.salesforce import SalesforceResource  # `catalog show` needs no client

    return SalesforceResource(
        **instance.connection_options(), **instance.resolve_env(os.environ)
    ).get_client()


def _progress(done: int, total: int, sobject: str) -> None:
    line = f"[{done}/{total}] {sobject}"
    if sys.stderr.isatty():  # one line redrawn in place; a log file gets every line
        end = "\n" if done == total else ""
        print(f"\r{line}\x1b[K", end=end, file=sys.stderr, flush=True)  # noqa: T201
    else:
        _echo(line, err=True)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _echo(text: str = "", *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=err)  # noqa: T201 - the CLI's output


if __name__ == "__main__":
    sys.exit(main())
