"""`obsgen build` never deletes or overwrites what it did not write: --out on the estate, the
repository, / or a user's directory is refused; a hand-added file stops the build; two builds
serialize; a filesystem failure is one line; generated/ is as readable as any directory."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from obsgen import names
from obsgen.build import render_tree
from obsgen.cli import main
from obsgen.load import load_estate
from obsgen.writer import write_tree
from tests.foundation.estate_builder import snapshot, write_estate


def everything(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(root.rglob("*")) if not p.is_symlink()}


def build(root: Path, *args: str):
    return CliRunner().invoke(main, ["build", "--root", str(root), *args])


def one_line_error(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and message.startswith("error: "), message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("out,words", [
    (".", ["holds the estate root"]),
    ("..", ["holds the estate root"]),
    ("/", ["holds the estate root"]),
    ("rules", ["inside the definitions"]),
    ("rules/sub", ["inside the definitions"]),
], ids=["the estate root itself", "the estate's parent", "the filesystem root", "the definitions", "a folder inside the definitions"])
def test_an_output_directory_holding_the_estate_is_refused_and_nothing_is_deleted(tmp_path, monkeypatch, out, words):
    root = write_estate(tmp_path / "estate")
    (root / ".git").mkdir()
    before = everything(tmp_path)
    monkeypatch.chdir(root)
    one_line_error(build(root, "--out", out), *words)
    assert everything(tmp_path) == before


def test_an_output_directory_holding_the_repository_is_refused(tmp_path):
    (tmp_path / ".git").mkdir()
    root = write_estate(tmp_path / "platform" / "estate")
    before = everything(tmp_path)
    one_line_error(build(root, "--out", str(tmp_path / "platform")), "holds the estate root")
    one_line_error(build(root, "--out", str(tmp_path / "platform" / "estate" / ".git")), "inside the definitions")
    assert everything(tmp_path) == before


def test_a_users_directory_is_refused_and_kept(tmp_path):
    root = write_estate(tmp_path / "estate")
    mine = tmp_path / "notes"
    (mine / "deep").mkdir(parents=True)
    (mine / "deep" / "todo.txt").write_text("keep me\n")
    before = everything(tmp_path)
    one_line_error(build(root, "--out", str(mine)), "obsgen did not write", "todo.txt")
    assert everything(tmp_path) == before


def test_an_empty_directory_may_be_the_output(tmp_path):
    root = write_estate(tmp_path / "estate")
    (tmp_path / "out").mkdir()
    assert build(root, "--out", str(tmp_path / "out")).exit_code == 0
    assert (tmp_path / "out" / names.MANIFEST).is_file()


def test_a_hand_added_file_stops_the_build_and_stays(tmp_path):
    root = write_estate(tmp_path)
    assert build(root).exit_code == 0
    handmade = root / "generated/alpha/prometheus/rules/handmade.yml"
    handmade.write_text("groups: []\n")
    before = snapshot(root / "generated")
    one_line_error(build(root), "handmade.yml", "was not written by obsgen")
    assert snapshot(root / "generated") == before
    handmade.unlink()
    (root / "generated/alpha/notes").mkdir()
    one_line_error(build(root), "notes", "was not written by obsgen")
    (root / "generated/alpha/notes").rmdir()
    assert build(root).exit_code == 0


def test_a_tree_written_before_the_manifest_is_replaced_once_every_file_is_obsgens(tmp_path):
    root = write_estate(tmp_path)
    assert build(root).exit_code == 0
    (root / "generated" / names.MANIFEST).unlink()
    assert build(root).exit_code == 0
    (root / "generated" / names.MANIFEST).unlink()
    (root / "generated/alpha/README").write_text("mine\n")
    one_line_error(build(root), "README", "did not write")
    assert (root / "generated/alpha/README").read_text() == "mine\n"


def test_generated_that_is_a_file_is_one_line(tmp_path):
    root = write_estate(tmp_path)
    (root / "generated").write_text("not a directory\n")
    one_line_error(build(root), "is not a directory")
    assert (root / "generated").read_text() == "not a directory\n"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EPERM], ids=["disk full", "read-only", "immutable"])
def test_a_filesystem_failure_is_one_line_and_the_old_tree_stays(tmp_path, monkeypatch, code):
    root = write_estate(tmp_path)
    assert build(root).exit_code == 0
    before = snapshot(root / "generated")

    def fail(self, data):
        raise OSError(code, os.strerror(code), str(self))

    def no_link(src, dst, *args, **kwargs):
        raise OSError(code, os.strerror(code), str(dst))

    monkeypatch.setattr(Path, "write_bytes", fail)
    monkeypatch.setattr(os, "link", no_link)   # else an unchanged rebuild links, writing nothing
    one_line_error(build(root), "cannot write", os.strerror(code))
    monkeypatch.undo()
    assert snapshot(root / "generated") == before
    assert not list(tmp_path.glob(".generated.new-*"))


def test_a_rebuild_of_the_same_definitions_links_every_file_instead_of_writing_it_again(tmp_path):
    root = write_estate(tmp_path)
    assert build(root).exit_code == 0
    inodes = {p: p.stat().st_ino for p in (root / "generated").rglob("*") if p.is_file()}
    assert build(root).exit_code == 0
    after = {p: p.stat() for p in (root / "generated").rglob("*") if p.is_file()}
    assert set(after) == set(inodes)
    linked = [p for p, st in after.items() if st.st_ino == inodes[p]]
    assert linked and all(st.st_nlink == 1 for st in after.values()), "the old tree's names are gone"
    assert len(linked) == len(inodes)


def test_generated_is_readable_by_everyone_the_umask_allows(tmp_path):
    root = write_estate(tmp_path)
    old = os.umask(0o022)
    try:
        assert build(root).exit_code == 0
    finally:
        os.umask(old)
    assert (root / "generated").stat().st_mode & 0o777 == 0o755


def test_editor_lock_files_and_notebook_checkpoints_are_not_definitions(tmp_path):
    root = write_estate(tmp_path, extra={"rules/.ipynb_checkpoints/alerts-checkpoint.py": "raise SystemExit('no')\n",
                                         "rules/alerts copy.py": "this is not python\n"})
    os.symlink("root@host.1234:1700000000", root / "rules" / ".#alerts.py")   # what Emacs leaves
    result = build(root)
    assert result.exit_code == 0, result.output


def test_a_missing_root_is_named_as_such(tmp_path):
    one_line_error(build(tmp_path / "nowhere"), "is not a directory")
    (tmp_path / "empty").mkdir()
    one_line_error(build(tmp_path / "empty"), "holds none of rules/")


def test_a_collision_between_renderers_is_one_line(tmp_path, monkeypatch):
    from obsgen import build as build_module

    root = write_estate(tmp_path)
    twice = lambda estate, region: {"prometheus/prometheus.yml": {}}   # noqa: E731
    monkeypatch.setattr(build_module, "REGION_RENDERERS", [*build_module.REGION_RENDERERS, twice])
    one_line_error(build(root), "both write alpha/prometheus/prometheus.yml")
    escape = lambda estate, region: {"../../LEAK.yml": {}}   # noqa: E731
    monkeypatch.setattr(build_module, "REGION_RENDERERS", [escape])
    one_line_error(build(root), "would leave the output directory")
    assert not (tmp_path.parent / "LEAK.yml").exists()


def _waits_for_a_lock(pid: int) -> bool:
    """Whether process `pid` is blocked asking for a lock: a `->` line of /proc/locks."""
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


@pytest.mark.tool("obsgen")  # a second build in a real process: about 5 s
def test_two_builds_at_once_run_one_after_the_other(tmp_path):
    """Build A pauses after its first file (a writer hook, no sleeps); build B, another process,
    must wait for A's lock (the kernel lists it as a waiter) and must not touch A's staging
    directory; both finish, and the tree is B's, whole."""
    root = write_estate(tmp_path)
    assert build(root).exit_code == 0
    tree_a = render_tree(load_estate(root))
    (root / "rules" / "more.py").write_text(
        "from obsgen.model import Alert\n" + "\n".join(
            f"A{i} = Alert(name='More{i}', expr='up == 0', for_='1m', severity='warning', group='more{i % 7}', summary='s')"
            for i in range(50)) + "\n")
    paused, release = threading.Event(), threading.Event()
    staged: list[str] = []

    def hook(path):
        staged.append(path)
        if len(staged) == 1:
            paused.set()
            assert release.wait(120)

    writer = threading.Thread(target=write_tree, args=(root / "generated", tree_a), kwargs={"root": root, "on_file": hook})
    writer.start()
    try:
        assert paused.wait(60)
        (staging,) = tmp_path.glob(".generated.new-*")
        other = subprocess.Popen([sys.executable, "-m", "obsgen.cli", "build", "--root", str(root)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not _waits_for_a_lock(other.pid):
            assert other.poll() is None, f"B did not wait for A's lock: {other.communicate()}"
            assert time.monotonic() < deadline, "B never asked for the lock"
            time.sleep(0.05)
        assert staging.is_dir() and (staging / staged[0]).is_file(), "B removed A's staging directory"
    finally:
        release.set()
    writer.join(60)
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    expected = render_tree(load_estate(root))
    on_disk = snapshot(root / "generated")
    assert {k: v for k, v in on_disk.items() if k != names.MANIFEST} == expected
    assert not list(tmp_path.glob(".generated.new-*"))


def test_version_and_exit_statuses_in_every_help():
    runner = CliRunner()
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0 and "obsgen, version" in version.output
    commands = [[name] for name in main.commands]
    commands += [[name, sub] for name, cmd in main.commands.items() for sub in getattr(cmd, "commands", {})]
    for argv in commands:
        result = runner.invoke(main, [*argv, "--help"])
        assert result.exit_code == 0 and "Exit status" in result.output, argv
