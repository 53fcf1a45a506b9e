"""The command line: parse arguments, call the core, map outcomes to exit statuses."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from obsgen import names
from obsgen.cli_common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, load_or_exit, out_option, root_option


@click.group()
def main():
    """obsgen: observability as code for a multi-region platform."""


@main.command()
@root_option
@out_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list what is stale.")
def build(root: Path, out: Path | None, check: bool):
    """Render every region's configuration into generated/."""
    from obsgen.build import render_tree
    from obsgen.writer import diff, write_tree

    estate = load_or_exit(root)
    tree = render_tree(estate)
    out = out or root / names.GENERATED
    if check:
        problems = diff(out, tree)
        for line in problems:
            click.echo(line)
        if problems:
            click.echo(f"{out} is stale: {len(problems)} file(s) differ; run `obsgen build`", err=True)
            sys.exit(EXIT_FAIL)
        click.echo(f"{out} is up to date ({len(tree)} files)")
        return
    write_tree(out, tree)
    click.echo(f"wrote {len(tree)} files to {out}")


@main.command("test")
@root_option
@out_option
def test_cmd(root: Path, out: Path | None):
    """Prove generated/ with promtool and amtool: check every rule file and Alertmanager config,
    run every unit test and route test."""
    from obsgen import promtool

    out = out or root / names.GENERATED
    rules, tests = promtool.rule_files(out), promtool.test_files(out)
    if not rules:
        click.echo(f"error: no rule files under {out}; run `obsgen build` first", err=True)
        sys.exit(EXIT_USAGE)
    ok = True
    from obsgen import amtool

    am_configs, am_tests = amtool.config_files(out), amtool.route_test_files(out)
    for result in (promtool.check_config(promtool.config_files(out)),
                   promtool.check_rules(rules), promtool.test_rules(tests) if tests else None,
                   amtool.check_config(am_configs) if am_configs else None,
                   amtool.test_routes(am_tests) if am_tests else None):
        if result is None:
            continue
        ok &= result.ok
        status = "ok" if result.ok else "FAILED"
        click.echo(f"{result.step}: {status}")
        if not result.ok:
            click.echo(result.output)
    click.echo(f"{len(rules)} rule files checked, {len(tests)} unit-test files run")
    click.echo(f"{len(am_configs)} Alertmanager configs checked, {len(am_tests)} route-test files run")
    sys.exit(EXIT_OK if ok else EXIT_FAIL)


def _register_commands() -> None:
    from obsgen.apply.cli import apply
    from obsgen.demo.cli import demo
    from obsgen.gate.cli import gate, status

    for command in (gate, status, demo, apply):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":
    main()
