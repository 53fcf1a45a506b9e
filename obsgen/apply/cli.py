"""`obsgen apply TARGET --region R [--url URL] [--dry-run]`: parse, plan, print, send."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from obsgen import names
from obsgen.apply import APPLIERS
from obsgen.errors import EXIT_FAIL, EXIT_USAGE


@click.command("apply")
@click.argument("target", type=click.Choice(sorted(APPLIERS)))
@click.option("--region", required=True, help="Region whose generated files to push.")
@click.option("--url", default=None, help="Base URL of the system (default: the region table's).")
@click.option("--dry-run", is_flag=True, help="Read the live state and list what would change; send nothing.")
@click.option("--credentials-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File of api_key= or username= and password= lines (default: the environment).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Generated tree (default: ROOT/generated).")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Sample lines per log pipeline, run through _ingest/pipeline/_simulate "
                   "(default: ROOT/tests/pipelines/corpus when it exists).")
def apply(target, region, url, dry_run, credentials_file, root, out, corpus):
    """Push the rendered configuration of one region to a live system: Elasticsearch ILM
    policies, ingest pipelines and index templates, Grafana dashboards, or Kibana's log
    dashboards. Credentials: <PREFIX>_API_KEY, or <PREFIX>_USERNAME and <PREFIX>_PASSWORD, with
    PREFIX=OBSGEN_ELASTICSEARCH, OBSGEN_GRAFANA or OBSGEN_KIBANA; never printed."""
    from obsgen.apply import base, credentials
    from obsgen.apply.http import ApplyError, Client

    applier = APPLIERS[target]
    region_dir = (out or root / names.GENERATED) / names.region_dir(region)
    if not region_dir.is_dir():
        _usage(f"no generated files for region {region!r} under {region_dir.parent}; run `obsgen build`")
    if url is None:
        from obsgen.cli_common import load_or_exit as _load

        estate = _load(root)
        if region not in {r.name for r in estate.regions}:
            _usage(f"unknown region {region!r}")
        url = applier.default_url(estate, estate.region(region))
        if not url:
            _usage(f"region {region} has no {target} endpoint in the region table; pass --url")
    try:
        creds = credentials.load(applier.env_prefix, credentials_file)
    except credentials.CredentialsError as exc:
        _usage(str(exc))
    connect = getattr(applier, "connect", None)   # an applier may bring the system's own client
    client = connect(url, creds) if connect else Client(url, creds, auth_scheme=applier.auth_scheme)
    verify = getattr(applier, "verify", None)
    try:
        changes = applier.plan(region_dir, client)
        if not dry_run:
            base.execute(changes, client)
        problems = verify(changes, client, corpus or root / "tests" / "pipelines" / "corpus", dry_run) if verify else []
    except (ApplyError, RuntimeError) as exc:
        click.echo(f"error: {client.scrub(str(exc))}", err=True)
        sys.exit(EXIT_FAIL)
    if problems:
        for line in problems:
            click.echo(f"error: {client.scrub(line)}", err=True)
        click.echo(f"error: {len(problems)} corpus sample(s) do not come out of the pipelines as expected", err=True)
        sys.exit(EXIT_FAIL)
    for change in changes:
        click.echo(change.line(dry_run))
    todo = sum(c.action != base.UNCHANGED for c in changes)
    click.echo(f"{target} {_shown(client.scrub(url))}: {todo} of {len(changes)} {'would change' if dry_run else 'changed'}")


def _shown(url: str) -> str:
    """The URL without any user:password@ part."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else ""))) if parts.hostname else url


def _usage(message: str):
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)
