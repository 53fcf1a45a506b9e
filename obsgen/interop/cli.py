"""`obsgen import sloth|openslo SRC` and `obsgen export openslo`: parse arguments, call the
converters, write one file whole or nothing. Bad input is one line naming file:line, exit 2."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from obsgen.errors import EXIT_USAGE
from obsgen.errors import DefinitionError

EPILOG = "Exit status: 0 written; 2 a document obsgen cannot map (file:line, object and field named), or --out exists."


def _read(kind: str, src: Path, period: str | None, windows: Path | None = None):
    from obsgen.interop import openslo, sloth, source

    items = []
    nodes = [node for path in source.files_of(src) for node in source.load_documents(path, shown=str(path))]
    if kind == "openslo":
        items = openslo.convert_all(nodes, period=period or "30d")
    else:
        rows = None
        if windows is not None:
            docs = source.load_documents(windows, shown=str(windows))
            if len(docs) != 1:
                where = docs[1].site if docs else source.Site(str(windows), 0)
                raise source.ImportProblem(where, "file", "", "must hold one AlertWindows document")
            period, rows = sloth.alert_windows(docs[0])
        for node in nodes:
            items += sloth.convert(node, period=period or "30d", windows=rows)
    if not items:
        raise source.ImportProblem(source.Site(str(src), 0), "file", "", f"holds no {kind} SLO")
    return items


def _emit(kind: str, src: Path, out: Path | None, force: bool, period: str | None, windows: Path | None = None) -> None:
    from obsgen.interop import emit

    try:
        items = _read(kind, src, period, windows)
        _unique(items)
        text = emit.module(items, f"obsgen import {kind} {src}")
        emit.load_back(text, str(out or "<stdout>"))
    except DefinitionError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(EXIT_USAGE)
    for item in items:
        for note in item.notes:
            click.echo(f"note: {note}", err=True)
    if out is None:
        click.echo(text, nl=False)
        return
    _write(out, text, force)
    click.echo(f"wrote {len(items)} SLO(s) to {out}", err=True)


def _unique(items) -> None:
    from obsgen.interop.source import ImportProblem

    seen = {}
    for item in items:
        key = (item.slo.id, item.slo.regions)   # per-region variants of one SLO share its name
        if key in seen:
            raise ImportProblem(item.slo.site, f"slo {item.slo.service}/{item.slo.name}", "name",
                                f"defined twice (first at {seen[key]})")
        seen[key] = item.slo.site


def _write(out: Path, text: str, force: bool) -> None:
    """The whole file or nothing: a temporary file beside it, renamed over it."""
    if out.exists() and not force:
        click.echo(f"error: {out}: exists; pass --force to replace it", err=True)
        sys.exit(EXIT_USAGE)
    if not out.parent.is_dir():
        click.echo(f"error: {out}: its directory does not exist", err=True)
        sys.exit(EXIT_USAGE)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


_out = click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                    help="Python module to write, e.g. rules/billing_slos.py (default: standard output).")
_force = click.option("--force", is_flag=True, help="Replace --out if it exists.")
_src = click.argument("src", type=click.Path(path_type=Path))


@click.group("import")
def import_():
    """Convert another tool's SLO documents into obsgen definitions (a Python module for rules/)."""


@import_.command("sloth", epilog=EPILOG)
@_src
@_out
@_force
@click.option("--period", default="30d", show_default=True, help="The SLO period (Sloth's --default-slo-period).")
@click.option("--windows", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A Sloth AlertWindows file: its burn windows and sloPeriod replace the workbook's and --period.")
def import_sloth(src: Path, out: Path | None, force: bool, period: str, windows: Path | None):
    """Sloth prometheus/v1 specs and PrometheusServiceLevel objects in SRC (a file or directory)."""
    _emit("sloth", src, out, force, period, windows)


@import_.command("openslo", epilog=EPILOG)
@_src
@_out
@_force
@click.option("--period", default="30d", show_default=True, help="The SLO period when a document gives no timeWindow.")
def import_openslo(src: Path, out: Path | None, force: bool, period: str):
    """OpenSLO v1 documents in SRC (a file or directory): SLO, SLI, DataSource, AlertPolicy,
    AlertCondition, AlertNotificationTarget, Service; references resolve across the files."""
    _emit("openslo", src, out, force, period)


@click.group("export")
def export():
    """Write the estate's definitions in another tool's format."""


@export.command("openslo", epilog="Exit status: 0 written; 2 a bad definition, an SLO OpenSLO cannot express, or --out exists.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The estate (holds rules/).")
@_out
@_force
def export_openslo(root: Path, out: Path | None, force: bool):
    """The estate's SLOs as OpenSLO v1 documents (one YAML stream), for `obsgen import openslo`."""
    import yaml

    from obsgen.cli_common import load_or_exit
    from obsgen.interop import openslo_export

    estate = load_or_exit(root)
    try:
        docs = openslo_export.documents(estate.slos)
    except DefinitionError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(EXIT_USAGE)
    text = "# exported by obsgen export openslo\n" + yaml.safe_dump_all(docs, sort_keys=False, width=10_000)
    if out is None:
        click.echo(text, nl=False)
        return
    _write(out, text, force)
    click.echo(f"wrote {len(docs)} OpenSLO SLO(s) to {out}", err=True)
