"""Tests that run a real program say so: `@pytest.mark.tool("amtool")`, or `pytestmark` for a
whole file. `pytest -m "not tool"` runs the rest, pure tables, in seconds and with no program
installed. A selected test whose program is missing ERRORS (never a quiet skip that would leave
a green result proving nothing); `scripts/setup --with-test-tools` installs them all. Only
../shared may be absent: the dashboard tests then check by a round trip instead, as they say.

Prometheus: a test marked `tool("promtool")` or `tool("prometheus")` (the server and its
promtool) runs under Prometheus 3, what users run; one also marked
`prometheus_versions("2", "3")` runs under each. The version is the session-scoped fixture
`prometheus_version` ("2" or "3"); while it is set up, $OBSGEN_PROMETHEUS_VERSION holds it, so
obsgen's own calls (promtool.py, LocalPrometheus, `obsgen test`) pick that version's binaries.
A session or module fixture that starts Prometheus asks for `prometheus_version` too: it is then
made once per version, after the variable is set.
"""
import os
import shutil
from pathlib import Path
from types import MappingProxyType

import pytest

from obsgen import tools

# Tool names a test may ask for, beyond obsgen.tools.TOOLS: what the tests alone run.
TEST_ONLY = {
    "chromium": "Debian's chromium",
    "node": "Node.js (Debian's nodejs)",
    "openssl": "Debian's openssl",
}
# Tools the tests run from a virtualenv of their own (scripts/setup --with-test-tools), not on PATH:
# the command its package installs last, beside the virtualenv's python.
VENV_TOOLS = {
    # ElastAlert 2 pins elasticsearch 7.10.1; obsgen uses the official client 9
    "elastalert2": tools.cache_root() / "elastalert2-2.19.0" / "bin" / "elastalert",
}
EXAMPLE_ROOT = Path(__file__).resolve().parents[1]   # the example estate: rules/, dashboards/, pipelines/
PROMETHEUS = ("prometheus", "promtool")  # of the test's Prometheus version
DEFAULT_VERSIONS = ("3",)


def _needs(item) -> set[str]:
    return {name for mark in item.iter_markers("tool") for name in mark.args}


def _versions(node) -> tuple[str, ...]:
    mark = node.get_closest_marker("prometheus_versions")
    return tuple(mark.args) if mark else DEFAULT_VERSIONS


def pytest_generate_tests(metafunc):
    if not _needs(metafunc.definition) & set(PROMETHEUS):
        return
    if "prometheus_version" not in metafunc.fixturenames:
        metafunc.fixturenames.append("prometheus_version")  # parametrize asks; collection_modifyitems keeps it
    versions = _versions(metafunc.definition)
    metafunc.parametrize("prometheus_version", versions, indirect=True, scope="session",
                         ids=[f"prometheus{v}" for v in versions])


@pytest.fixture(scope="session")
def prometheus_version(request):
    """The Prometheus major version the test runs under, exported to what it runs."""
    version = getattr(request, "param", None)
    if version is None:
        raise pytest.UsageError(f"{request.node.nodeid}: mark it tool('prometheus') or tool('promtool')")
    before = os.environ.get(tools.VERSION_ENV)
    os.environ[tools.VERSION_ENV] = version
    yield version
    if before is None:
        os.environ.pop(tools.VERSION_ENV, None)
    else:
        os.environ[tools.VERSION_ENV] = before


def _missing(name: str, version: str | None) -> str | None:
    """What is missing for tool `name`, or None."""
    if name == "obsgen":  # obsgen itself in subprocesses: slow, not missing
        return None
    if name in VENV_TOOLS:
        return None if VENV_TOOLS[name].is_file() else f"{name} (a virtualenv at {VENV_TOOLS[name].parents[1]})"
    if name in TEST_ONLY:
        return None if shutil.which(name) else f"{name} ({TEST_ONLY[name]})"
    key = name + (version or tools.DEFAULT_PROMETHEUS) if name in PROMETHEUS else name
    return None if tools.find(key) else f"{key} ({tools.TOOLS[key].source})"


def _missing_for(item) -> list[str]:
    callspec = getattr(item, "callspec", None)
    version = callspec.params.get("prometheus_version") if callspec else None
    return sorted(filter(None, (_missing(name, version) for name in _needs(item))))


def pytest_collection_modifyitems(items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "prometheus_version" in callspec.params and "prometheus_version" not in item.fixturenames:
            item.fixturenames.append("prometheus_version")  # asked for by the marker, not the signature


def pytest_collection_finish(session):
    missing = sorted({m for item in session.items for m in _missing_for(item)})
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line("missing test tools: " + ", ".join(missing)
                                + "; the tests that need them will error (run scripts/setup --with-test-tools)",
                                red=True)


def pytest_runtest_setup(item):
    missing = _missing_for(item)
    if missing:
        pytest.fail("missing test tools: " + ", ".join(missing) + "; run scripts/setup --with-test-tools",
                    pytrace=False)


@pytest.fixture(scope="session")
def example_estate():
    """The example estate, loaded once per session. Frozen: share it, never change it."""
    from obsgen.load import load_estate

    return load_estate(EXAMPLE_ROOT)


@pytest.fixture(scope="session")
def example_documents(example_estate):
    """The example estate's documents before serialization ({path: document}), rendered once (read-only)."""
    from obsgen.build import render_documents

    return MappingProxyType(render_documents(example_estate))


@pytest.fixture(scope="session")
def example_tree(example_estate):
    """What `obsgen build` writes for the example estate, rendered once per session (read-only)."""
    from obsgen.build import render_tree

    return MappingProxyType(render_tree(example_estate))
