"""What every command shares: the estate options, loading with a clean error."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from obsgen.errors import EXIT_USAGE, DefinitionError

root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Estate root holding rules/, dashboards/ and pipelines/.",
)
out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Generated tree (default: ROOT/generated).",
)


def load_or_exit(root: Path):
    """The validated estate; on a bad definition, one line on stderr and exit 2."""
    from obsgen.load import load_estate

    try:
        return load_estate(root)
    except DefinitionError as exc:
        click.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(EXIT_USAGE)
