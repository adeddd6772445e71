"""`sf-assets mapping …`: validate, export, import and verify the group-property mapping.

    sf-assets mapping validate FILE            check a mapping file against the project's catalogs
    sf-assets mapping export [--output FILE]   the installed mapping as canonical JSON
    sf-assets mapping import FILE              validate FILE, then install it at groups.mapping
    sf-assets mapping verify [--relation NAME] check the installed mapping against the org's data

Registered in `sf_assets.cli.COMMAND_GROUPS`, which catches MappingError and SettingsError (exit 2)
and Salesforce failures (exit 1).
"""

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..lib.mapping import Mapping, Relation
from ..lib.mapping_rules import Problem, canonical_json
from ..settings import Settings, SettingsError
from .mapping import display_path, load_mapping_file, load_project_mapping, relation_object
from .verify import RelationReport, verify_relation

# The codes of sf_assets.cli, which imports this module (so it cannot import them from there).
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_mapping_commands(groups: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    mapping = groups.add_parser("mapping", help="the group-property mapping (Salesforce → Amplitude groups)")
    commands = mapping.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", parents=[common], help="check a mapping file and list every problem"
    )
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.set_defaults(handler=mapping_validate)
    export = commands.add_parser(
        "export", parents=[common], help="print the installed mapping as canonical JSON"
    )
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    export.set_defaults(handler=mapping_export)
    install = commands.add_parser(
        "import", parents=[common], help="validate FILE, then install it as the project's mapping"
    )
    install.add_argument("file", type=Path, metavar="FILE")
    install.set_defaults(handler=mapping_import)
    verify = commands.add_parser(
        "verify", parents=[common], help="check the installed mapping against the org's data"
    )
    verify.add_argument("--relation", metavar="NAME", help="one relation (default: every relation)")
    verify.set_defaults(handler=mapping_verify)


def mapping_validate(args: argparse.Namespace, settings: Settings, client_factory: Callable) -> int:
    mapping, warnings = load_mapping_file(settings, args.file)
    _echo(f"{display_path(args.file)}: valid: {_summary(mapping)}")
    _warnings(warnings, display_path(args.file))
    return EXIT_OK


def mapping_export(args: argparse.Namespace, settings: Settings, client_factory: Callable) -> int:
    mapping = _installed(settings)
    text = canonical_json(mapping)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write(args.output, text)
        _echo(f"exported {_summary(mapping)} → {display_path(args.output)}", err=True)
    return EXIT_OK


def mapping_import(args: argparse.Namespace, settings: Settings, client_factory: Callable) -> int:
    target = _target(settings)
    mapping, warnings = load_mapping_file(settings, args.file)
    _write(target, canonical_json(mapping))
    _echo(f"installed {display_path(args.file)} → {display_path(target)}: {_summary(mapping)}")
    _warnings(warnings, display_path(args.file))
    return EXIT_OK


def mapping_verify(args: argparse.Namespace, settings: Settings, client_factory: Callable) -> int:
    mapping = _installed(settings)
    relations = list(mapping.relations)
    if args.relation is not None:
        relations = [r for r in relations if r.name == args.relation]
        if not relations:
            names = ", ".join(r.name for r in mapping.relations) or "none"
            raise SettingsError(
                settings.groups.mapping,
                f"no relation {args.relation!r} (relations: {names})",
                key="--relation",
            )
    clients: dict[str, object] = {}
    problems = 0
    for index, relation in enumerate(relations):
        if relation.instance not in clients:
            clients[relation.instance] = client_factory(settings, settings.instance(relation.instance))
        report = verify_relation(clients[relation.instance], relation, relation_object(settings, relation))
        if index:
            _echo()
        _show(report)
        problems += report.problems
    count = f"{len(relations)} relation{'s' if len(relations) != 1 else ''}"
    if problems:
        _echo(
            f"verify: {problems} problem{'s' if problems != 1 else ''} in {count}; fix the data or the mapping"
        )
        return EXIT_FAILED
    _echo(f"verify: ok ({count})")
    return EXIT_OK


# --- plumbing ---------------------------------------------------------------------------------------
def _target(settings: Settings) -> Path:
    if settings.groups.mapping is None:
        raise SettingsError(
            settings.path,
            "not set: name the file that holds the project's mapping (groups: {mapping: mappings/groups.json})",
            key="groups.mapping",
        )
    return settings.groups.mapping


def _installed(settings: Settings) -> Mapping:
    _target(settings)
    mapping = load_project_mapping(settings)
    assert mapping is not None
    return mapping


def _show(report: RelationReport) -> None:
    relation: Relation = report.relation
    _echo(
        f"relation {relation.name!r}: {relation.instance} {relation.sobject} → group type "
        f"{relation.group_type!r}, {report.records} record{'s' if report.records != 1 else ''} checked"
    )
    for finding in report.findings:
        _echo(f"  {'FAIL' if finding.problem else 'ok  '}  {finding.text}")


def _summary(mapping: Mapping) -> str:
    relations = len(mapping.relations)
    properties = sum(len(r.properties) for r in mapping.relations)
    return (
        f"{relations} relation{'s' if relations != 1 else ''}, "
        f"{properties} propert{'ies' if properties != 1 else 'y'}"
    )


def _warnings(warnings: list[Problem], source: str) -> None:
    for warning in warnings:
        _echo(f"  {warning.format(source)}")


def _write(path: Path, text: str) -> None:
    """Write atomically, so a failed import never leaves half a mapping for the definitions to load."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _echo(text: str = "", *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout, flush=err)  # noqa: T201 - the CLI's output
