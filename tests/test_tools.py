"""One place finds every program obsgen runs, by name and version: the pinned builds in the
cache scripts/setup fills, Debian's packages on PATH, or what an OBSGEN_*_BIN variable names."""
from __future__ import annotations

import subprocess

import pytest

from obsgen import tools


def _executable(path, text="#!/bin/sh\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def test_the_go_builds_live_in_the_users_cache_by_name_version_and_build_tags(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    assert tools.PROMETHEUS3.bin_dir(env) == tmp_path / "obsgen/tools/prometheus-v0.316.0/bin"
    assert tools.THANOS.bin_dir({"HOME": str(tmp_path)}) == tmp_path / ".cache/obsgen/tools/thanos-v0.42.4+netgo+slicelabels/bin"


def test_a_built_tool_is_found_in_its_versions_directory_and_nowhere_else(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": ""}
    assert tools.find("promtool3", env) is None
    built = _executable(tools.PROMETHEUS3.bin_dir(env) / "promtool")
    assert tools.find("promtool3", env) == str(built)
    assert tools.promtool("3", env) == str(built)


def test_prometheus_3_is_the_default_and_the_variable_chooses_2(tmp_path):
    assert tools.prometheus_version(env={}) == "3"
    assert tools.prometheus_version(env={tools.VERSION_ENV: "2"}) == "2"
    assert tools.prometheus_version("3", env={tools.VERSION_ENV: "2"}) == "3"
    with pytest.raises(ValueError, match="choose one of 2, 3"):
        tools.prometheus_version("4", env={})


def test_a_variable_names_a_tool_elsewhere(tmp_path):
    mine = _executable(tmp_path / "my-thanos")
    assert tools.path("thanos", {"OBSGEN_THANOS_BIN": str(mine)}) == str(mine)


def test_a_missing_tool_says_what_installs_it():
    with pytest.raises(tools.ToolMissing, match="Thanos 0.42.4, built by scripts/setup.*OBSGEN_THANOS_BIN"):
        tools.path("thanos", {"XDG_CACHE_HOME": "/nonexistent", "PATH": ""})


def test_setup_reads_the_pinned_builds_from_here(capsys):
    assert tools._main(["go-builds"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [(use, module, version, tags, packages) for use, _, module, version, tags, *packages in lines] == [
        ("run", "github.com/prometheus/prometheus", "v0.316.0", "-", ["cmd/prometheus", "cmd/promtool"]),
        ("test", "github.com/thanos-io/thanos", "v0.42.4", "netgo,slicelabels", ["cmd/thanos"]),
    ]


def _version_of(key: str) -> str:
    proc = subprocess.run([tools.path(key), "--version"], capture_output=True, text=True, timeout=30)
    return (proc.stdout + proc.stderr).splitlines()[0]


EXPECTED = {
    "prometheus2": "prometheus, version 2.",
    "promtool2": "promtool, version 2.",
    "prometheus3": f"prometheus, version {tools.PROMETHEUS3.release} ",
    "promtool3": f"promtool, version {tools.PROMETHEUS3.release} ",
    "thanos": f"thanos, version {tools.THANOS.release} ",
    "amtool": "amtool, version 0.25",
    "alertmanager": "alertmanager, version 0.25",
}


@pytest.mark.parametrize("key", [pytest.param(k, marks=pytest.mark.tool(k)) for k in EXPECTED])
def test_each_installed_tool_is_the_version_obsgen_expects(key):
    assert _version_of(key).startswith(EXPECTED[key])
