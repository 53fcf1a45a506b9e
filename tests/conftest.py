"""The suite runs against the real tools: one missing is an error for the whole run, never a
quiet skip that would leave a green result proving nothing. (`scripts/setup --with-test-tools`
installs them all.) Only ../shared may be absent: the dashboard tests then check by a round
trip instead, as they say."""
import shutil

import pytest

REQUIRED = {
    "promtool": "Debian's prometheus",
    "prometheus": "Debian's prometheus",
    "amtool": "Debian's prometheus-alertmanager",
    "prometheus-alertmanager": "Debian's prometheus-alertmanager",
    "chromium": "Debian's chromium",
    "node": "Node.js (Debian's nodejs)",
    "openssl": "Debian's openssl",
}


def pytest_sessionstart(session):
    missing = sorted({f"{tool} ({package})" for tool, package in REQUIRED.items() if shutil.which(tool) is None})
    if missing:
        raise pytest.UsageError("missing test tools: " + ", ".join(missing) + "; run scripts/setup --with-test-tools")
