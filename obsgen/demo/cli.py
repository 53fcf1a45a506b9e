"""`obsgen demo`: the release gate end to end on this machine, against synthetic history."""
from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from obsgen import names
from obsgen.demo import story
from obsgen.errors import EXIT_USAGE


@click.command("demo")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Estate root holding rules/.")
@click.option("--generated", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Generated tree whose rules are loaded (default: ROOT/generated).")
@click.option("--days", type=click.IntRange(1, 60), default=story.HISTORY // 86400, show_default=True,
              help="Days of synthetic history.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the HTML report (default: in the demo's temporary directory).")
@click.option("--keep", is_flag=True, help="Keep the Prometheus data directories.")
def demo(root: Path, generated: Path | None, days: int, html_path: Path | None, keep: bool):
    """Start a local Prometheus per region with synthetic history made from the estate's own
    SLOs, load the generated rules, run the gate, show the result, stop Prometheus.

    Exits with the gate's status: one region has eaten its error budget, so the demo's gate
    fails (exit 1) on purpose."""
    from obsgen.cli_common import load_or_exit as _load
    from obsgen.demo import run
    from obsgen.gate.report import html, terminal
    from obsgen.localprom import prometheus_available

    started = time.monotonic()
    say = run.say_to(sys.stderr)
    if not prometheus_available():
        click.echo("error: prometheus and promtool are not installed: run scripts/setup", err=True)
        sys.exit(EXIT_USAGE)
    estate = _load(root)
    workdir = Path(tempfile.mkdtemp(prefix="obsgen-demo-"))
    html_path = html_path or workdir / "gate.html"
    end = int(time.time()) // story.STEP * story.STEP
    regions = []
    try:
        for i, region in enumerate(estate.regions):
            say(f"{region.name}: {story.role_of(i).says}")
        regions = run.prepare(estate, generated or root / names.GENERATED, workdir, end, days * 86400, say)
        evaluation, canary = run.gate(estate, regions, end, say)
    except run.DemoError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        run.stop(regions)
        if not keep:
            for r in regions:
                shutil.rmtree(r.prom.data_dir.parent, ignore_errors=True)
    colour = sys.stdout.isatty()
    click.echo(terminal.table(evaluation, colour=colour), nl=False)
    if canary is not None:
        click.echo("")
        click.echo(terminal.table(canary, colour=colour), nl=False)
    html_path.write_text(html.render(evaluation), encoding="utf-8")
    click.echo(f"\nHTML report: {html_path}")
    click.echo(f"demo finished in {time.monotonic() - started:.0f}s; Prometheus stopped"
               + (f"; data kept in {workdir}" if keep else ""))
    sys.exit(evaluation.exit_status)
