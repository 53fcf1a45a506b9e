"""Swap the generated tree in whole: readers see the old tree or the new one, never a mix."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def diff(out: Path, tree: dict[str, bytes]) -> list[str]:
    """What differs between `out` and `tree`: 'stale PATH', 'missing PATH', 'extra PATH'."""
    out = Path(out)
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
    problems = []
    for path, data in tree.items():
        if path not in on_disk:
            problems.append(f"missing {path}")
        elif (out / path).read_bytes() != data:
            problems.append(f"stale {path}")
    problems += [f"extra {path}" for path in sorted(on_disk - set(tree))]
    return problems


def write_tree(out: Path, tree: dict[str, bytes]) -> None:
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _recover(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, data in tree.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _fsync_tree(staging)
        if out.exists():
            _exchange(staging, out)   # staging now holds the old tree
            shutil.rmtree(staging)
        else:
            os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _exchange(a: Path, b: Path) -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if rc == 0:
            return
    # No atomic exchange here: two renames, with a marker that _recover() finishes from.
    old = b.with_name(f".{b.name}.old")
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def _recover(out: Path) -> None:
    """Finish a two-rename swap that was killed half-way; drop leftovers of killed builds."""
    old = out.with_name(f".{out.name}.old")
    if old.exists() and not out.exists():
        os.rename(old, out)
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
