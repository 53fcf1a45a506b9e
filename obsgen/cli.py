"""The command line: parse arguments, call the core, map outcomes to exit statuses."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from obsgen import names
from obsgen.cli_common import load_or_exit, out_option, root_option
from obsgen.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, ObsgenError

PROGRESS_AFTER = 2.0   # seconds: a command quieter than this prints no progress


class Progress:
    """One line on stderr per finished step, once the command has run for PROGRESS_AFTER seconds."""

    def __init__(self, command: str, after: float = PROGRESS_AFTER):
        self.command, self.after, self.start = command, after, time.monotonic()

    def step(self, text: str) -> None:
        elapsed = time.monotonic() - self.start
        if elapsed >= self.after:
            click.echo(f"{self.command}: {text} ({elapsed:.1f} s)", err=True)


class _Main(click.Group):
    """Bad input is the user's (one line, the error's exit status); any other exception is obsgen's
    own bug: one line asking for a report, exit 1, and the traceback with `obsgen -v`."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ObsgenError as exc:
            click.echo(f"error: {exc.one_line()}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("verbose"):
                import traceback
                traceback.print_exc()
            click.echo(f"obsgen: internal error ({type(exc).__name__}: {exc}). This is a bug in obsgen, "
                       "not in your definitions: please report it"
                       + ("" if ctx.params.get("verbose") else "; `obsgen -v ...` shows the traceback") + ".", err=True)
            sys.exit(EXIT_FAIL)


@click.group(cls=_Main, epilog="Exit status: see each command's --help. obsgen --version prints the version.")
@click.version_option(package_name="obsgen", prog_name="obsgen")
@click.option("-v", "--verbose", is_flag=True, help="On an internal error, print the traceback.")
def main(verbose: bool):
    """obsgen: observability as code for a multi-region platform."""


@main.command(epilog="Exit status: 0 written (or up to date with --check); 1 stale (--check); "
                     "2 bad definition, or an output directory obsgen may not or cannot write.")
@root_option
@out_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list what is stale.")
def build(root: Path, out: Path | None, check: bool):
    """Render every region's configuration into generated/ (or --out).

    Only a tree obsgen wrote is replaced: --out may not hold the estate or the repository, and a
    file added by hand under it stops the build."""
    from obsgen.build import render_tree
    from obsgen.writer import diff, write_tree

    # Both paths are fixed before a definition module runs (one that calls os.chdir is refused).
    root = Path(os.path.abspath(root))
    out = Path(os.path.abspath(out)) if out else root / names.GENERATED
    progress = Progress("obsgen build")
    estate = load_or_exit(root)
    progress.step("definitions loaded and validated")
    tree = render_tree(estate, progress=progress.step)   # BuildError: the user's, exit 2 (see _Main)
    progress.step(f"{len(tree)} files rendered")
    if check:
        problems = diff(out, tree)
        for line in problems:
            click.echo(line)
        if problems:
            click.echo(f"{out} is stale: {len(problems)} file(s) differ; run `obsgen build`", err=True)
            sys.exit(EXIT_FAIL)
        click.echo(f"{out} is up to date ({len(tree)} files)")
        return
    write_tree(out, tree, root=root)   # OutputError: the user's, exit 2 (see _Main)
    click.echo(f"wrote {len(tree)} files to {out}")


@main.command("test")
@root_option
@out_option
@click.option("--prometheus", "prometheus_version", type=click.Choice(["2", "3"]), default=None,
              help="Whose promtool proves the tree: Prometheus 3 (default, or $OBSGEN_PROMETHEUS_VERSION) "
                   "or Debian's Prometheus 2.")
def test_cmd(root: Path, out: Path | None, prometheus_version: str | None):
    """Prove generated/ with promtool and amtool: check every rule file and Alertmanager config,
    run every unit test and route test."""
    from obsgen import promtool, tools

    version = tools.prometheus_version(prometheus_version)
    try:
        promtool_bin = tools.promtool(version)
    except tools.ToolMissing as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)

    out = out or root / names.GENERATED
    rules, tests = promtool.rule_files(out), promtool.test_files(out)
    if not rules:
        click.echo(f"error: no rule files under {out}; run `obsgen build` first", err=True)
        sys.exit(EXIT_USAGE)
    ok = True
    from obsgen import amtool

    from obsgen import region_alike, shape_check

    am_configs, am_tests = amtool.config_files(out), amtool.route_test_files(out)
    click.echo(f"promtool of Prometheus {version}: {promtool_bin}")
    progress = Progress("obsgen test")
    listed = 0
    rest = sorted(set(rules) - promtool.named_by_configs(promtool.config_files(out)))
    to_run, proven_by = region_alike.group(tests)

    def shapes():
        nonlocal listed
        result, listed = shape_check.check(out)
        return result

    steps = (lambda: promtool.check_config(promtool.config_files(out), version=version),
             lambda: promtool.check_rules(rest, version=version) if rest else None,
             shapes,
             lambda: promtool.test_rules(to_run, version=version, progress=progress.step) if to_run else None,
             lambda: amtool.check_config(am_configs) if am_configs else None,
             lambda: amtool.test_routes(am_tests) if am_tests else None)
    for step in steps:
        result = step()
        if result is None:
            continue
        ok &= result.ok
        status = "ok" if result.ok else "FAILED"
        click.echo(f"{result.step}: {status}")
        progress.step(f"{result.step} {status}")
        if not result.ok:
            click.echo(result.output)
    click.echo(f"{len(rules)} rule files checked, {len(to_run)} unit-test files run")
    if proven_by:
        click.echo(f"{len(proven_by)} unit-test files proven by the run of another region's file that is the same "
                   "up to the region's name:")
        for file, by in sorted(proven_by.items()):
            click.echo(f"  {file.relative_to(out)} by {by.relative_to(out)}")
    if listed:
        click.echo(f"{listed} SLOs proven by the proof of their shape ({names.SLO_SHAPES_INDEX} in each region)")
    click.echo(f"{len(am_configs)} Alertmanager configs checked, {len(am_tests)} route-test files run")
    sys.exit(EXIT_OK if ok else EXIT_FAIL)


def _register_commands() -> None:
    from obsgen.apply.cli import apply
    from obsgen.demo.cli import demo
    from obsgen.gate.cli import gate, status
    from obsgen.interop.cli import export, import_

    for command in (gate, status, demo, apply, import_, export):
        main.add_command(command)
    for command in main.commands.values():
        _exit_statuses(command)


# Shown under every command's --help that does not state its exit statuses itself.
EXIT_STATUSES = {
    "test": "0 every check and proof passed; 1 a check or proof failed; 2 nothing to test, or a tool is missing.",
    "gate": "0 pass (or warn); 1 fail; 2 usage; 3 cannot evaluate.",
    "status": "0; 3 cannot evaluate.",
    "demo": "the gate's: 0 pass; 1 fail (the demo's story ends in a fail); 2 usage; 3 cannot evaluate.",
    "apply": "0 applied (or the dry run printed); 1 failed; 2 usage.",
    "import": "0 written; 2 a document obsgen cannot map, or --out exists (each converter's --help says more).",
    "export": "0 written; 2 a bad definition, one the format cannot express, or --out exists.",
}


def _exit_statuses(command) -> None:
    text = EXIT_STATUSES.get(command.name)
    commands = [command, *getattr(command, "commands", {}).values()]
    for cmd in commands:
        if text and "Exit status" not in (cmd.help or "") + (cmd.epilog or ""):
            cmd.epilog = ((cmd.epilog or "") + f"\n\nExit status: {text}").strip()


_register_commands()

if __name__ == "__main__":
    main()
