"""`obsgen gate` and `obsgen status`: parse options, call the core, write the reports, exit.

Exit statuses: 0 pass (or warn), 1 fail, 2 usage or definition error, 3 cannot evaluate.
`status` reports the same figures but exits 0 unless it could not evaluate.
"""
from __future__ import annotations

import math
import os
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from obsgen.errors import EXIT_CANNOT_EVALUATE, EXIT_OK, EXIT_USAGE
from obsgen.gate.result import CANNOT_EVALUATE


def _fail_usage(message: str):
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(EXIT_USAGE)


# --at must be a real instant: after Prometheus existed, and not further ahead than a year
# (a clock or a unit mistake: 1e12 is milliseconds, or the year 33658).
EARLIEST_AT = 946684800.0          # 2000-01-01T00:00:00Z
LATEST_AHEAD = 366 * 86400.0


def parse_at(text: str | None, now: float) -> float:
    """Unix seconds, or an ISO 8601 instant (a bare one is UTC); None: now. A value that is not
    finite or lies outside [2000-01-01, now + 366 days] is a usage error (exit 2)."""
    if text is None:
        return now
    try:
        at = float(text)
    except ValueError:
        try:
            instant = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            if instant.tzinfo is None:
                instant = instant.replace(tzinfo=timezone.utc)
            at = instant.timestamp()
        except (ValueError, OverflowError, OSError):
            raise click.BadParameter(f"not a Unix time or ISO 8601 instant: {text!r}", param_hint="--at") from None
    if not math.isfinite(at):
        raise click.BadParameter(f"not a finite instant: {text!r}", param_hint="--at")
    if not EARLIEST_AT <= at <= now + LATEST_AHEAD:
        raise click.BadParameter(f"{text!r} is outside 2000-01-01 .. a year from now (Unix seconds, not milliseconds)",
                                 param_hint="--at")
    return at


def _options(fn):
    from obsgen.cli_common import root_option

    decorators = [
        root_option,
        click.option("--region", "regions", multiple=True, help="Evaluate this region (repeat; default: all)."),
        click.option("--service", "services", multiple=True, help="Only this service's SLOs (repeat)."),
        click.option("--slo", "slos", multiple=True, help="Only this SLO, by id or name (repeat)."),
        click.option("--at", "at_text", default=None,
                     help="The instant to evaluate: Unix seconds or ISO 8601 (default: now). Sent with every query."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Endpoints and credentials YAML (default: $OBSGEN_GATE_CONFIG)."),
        click.option("--endpoint", "endpoint_urls", multiple=True, metavar="NAME=URL",
                     help="Override a region's (or 'thanos') Prometheus URL (repeat)."),
        click.option("--thanos/--no-thanos", "thanos", default=None,
                     help="Read the regions that feed the global view from one Thanos Query."),
        click.option("--timeout", type=click.FloatRange(min=0.01), default=None, help="Seconds per request attempt."),
        click.option("--retries", type=click.IntRange(0, 10), default=None, help="Retries after a timeout or 5xx."),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (docs/gate-json.md)."),
        click.option("--junit", "junit_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Also write a JUnit XML report."),
        click.option("--markdown", "markdown_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Also write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY; '-' for stdout)."),
        click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Also write a self-contained HTML page with budget burn-down charts."),
        click.option("--verbose", "-v", is_flag=True, help="Print each request and its duration on stderr."),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


@click.command("gate")
@_options
@click.option("--canary", "canary_stage", default=None, metavar="STAGE",
              help="Canary mode: compare canary with baseline over this stage's window.")
def gate(**options):
    """Decide whether a release may go on: exit 0 pass, 1 fail, 2 usage error, 3 cannot evaluate."""
    run("gate", **options)


@click.command("status")
@_options
def status(**options):
    """Show every SLO's budget and burn rates (read-only); exit 0 unless it cannot evaluate (3)."""
    run("status", canary_stage=None, **options)


def run(mode: str, *, root, regions, services, slos, at_text, config_path, endpoint_urls, thanos, timeout,
        retries, as_json, junit_path, markdown_path, html_path, verbose, canary_stage):
    from obsgen.cli_common import load_or_exit as _load
    from obsgen.gate import config as gate_config
    from obsgen.gate.evaluate import Selection, SelectionError

    estate = _load(root)
    at = parse_at(at_text, time.time())
    urls = {}
    for item in endpoint_urls:
        name, sep, url = item.partition("=")
        if not sep or not name or not url:
            _fail_usage(f"--endpoint wants NAME=URL, got {item!r}")
        urls[name] = url
    try:
        config = gate_config.load(config_path, env=os.environ, urls=urls, thanos=thanos,
                                  timeout=timeout, retries=retries)
        selection = Selection(tuple(regions), tuple(services), tuple(slos))
        chosen_regions, _ = selection.choose(estate)
        plan = gate_config.plan(estate, chosen_regions, config)
    except (gate_config.ConfigError, SelectionError) as exc:
        _fail_usage(str(exc))
    progress = _Progress([ep.name for ep, _ in plan], enabled=not as_json or verbose)
    if canary_stage is not None:
        from obsgen.gate.canary import CanaryStageError, evaluate_canary

        try:
            evaluation = evaluate_canary(estate, plan, at, canary_stage, selection=selection,
                                         clock=time.monotonic, progress=progress)
        except CanaryStageError as exc:
            _fail_usage(str(exc))
    else:
        from obsgen.gate.evaluate import evaluate

        evaluation = evaluate(estate, plan, at, selection=selection, clock=time.monotonic, mode=mode,
                              progress=progress)
    if html_path is not None:
        from obsgen.gate.burndown import with_burndowns

        evaluation = with_burndowns(evaluation, plan, clock=time.monotonic)
    _report(evaluation, as_json=as_json, junit_path=junit_path, markdown_path=markdown_path,
            html_path=html_path, verbose=verbose)
    if mode == "status":
        sys.exit(EXIT_CANNOT_EVALUATE if evaluation.decision == CANNOT_EVALUATE else EXIT_OK)
    sys.exit(evaluation.exit_status)


def _report(evaluation, *, as_json, junit_path, markdown_path, html_path, verbose):
    from obsgen.gate.report import html, json_report, junit, markdown, terminal

    if verbose:
        click.echo(f"evaluated at {evaluation.at_iso} (Unix {terminal.instant(evaluation.at)})", err=True)
        for entry in evaluation.requests:
            click.echo(terminal.request_line(entry), err=True)
    if as_json:
        click.echo(json_report.render(evaluation), nl=False)
    else:
        click.echo(terminal.table(evaluation, colour=sys.stdout.isatty()), nl=False)
    for path, render in ((junit_path, junit.render), (markdown_path, markdown.render), (html_path, html.render)):
        if path is None:
            continue
        text = render(evaluation)
        if str(path) == "-":
            click.echo(text, nl=False)
            continue
        try:
            with open(path, "a" if path == markdown_path else "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            click.echo(f"error: cannot write {path}: {exc.strerror}", err=True)
            sys.exit(EXIT_USAGE)


class _Progress:
    """Progress lines on stderr while endpoints are queried."""

    def __init__(self, endpoints: list[str], enabled: bool):
        self.index = {name: i + 1 for i, name in enumerate(endpoints)}
        self.total = len(endpoints)
        self.enabled = enabled
        self.started: dict[str, float] = {}
        self.lock = threading.Lock()

    def __call__(self, endpoint: str, state: str, count: int) -> None:
        from obsgen.gate.report import terminal

        if not self.enabled:
            return
        i = self.index.get(endpoint, 0)
        with self.lock:
            if state == "querying":
                self.started[endpoint] = time.monotonic()
                click.echo(terminal.progress_start(endpoint, i, self.total), err=True)
            else:
                seconds = time.monotonic() - self.started.get(endpoint, time.monotonic())
                problem = None if state == "done" else state
                click.echo(terminal.progress_done(endpoint, i, self.total, count, seconds, problem), err=True)
