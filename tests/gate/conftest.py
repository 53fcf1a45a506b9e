"""Session fixtures: real Prometheus servers on 127.0.0.1 with the synthetic history."""
from __future__ import annotations

import os

import pytest

from tests.gate import synthetic



@pytest.fixture(scope="session")
def scenarios():
    return synthetic.scenarios()


@pytest.fixture(scope="session")
def estate():
    return synthetic.estate()


class _Running:
    """A server started by hand (OBSGEN_GATE_TEST_PROM=url, with OBSGEN_GATE_TEST_END=its END):
    for iterating on the tests without rebuilding the history each run."""

    def __init__(self, url: str):
        from obsgen.localprom import query

        self.url = url
        self.query = query.client(url).query


@pytest.fixture(scope="session")
def prom(tmp_path_factory, estate, scenarios, prometheus_version):
    """Every test region's history and the SLO engine's recording rules over all of it, in the
    test's Prometheus version (one server per version)."""
    if os.environ.get("OBSGEN_GATE_TEST_PROM"):
        yield _Running(os.environ["OBSGEN_GATE_TEST_PROM"])
        return
    from tests.gate.promfixture import start_prometheus

    server = start_prometheus(tmp_path_factory.mktemp("gate-prom"), estate, synthetic.REGIONS, scenarios)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def young_prom(tmp_path_factory, estate, scenarios, prometheus_version):
    """north alone, its rules deployed three hours before the end of its 27-hour history."""
    from dataclasses import replace

    from tests.gate.promfixture import start_prometheus

    north = synthetic.REGIONS[0]
    small = replace(estate, slos=tuple(s for s in estate.slos if s.id == "api-availability"))
    server = start_prometheus(tmp_path_factory.mktemp("gate-young"), small, (north,),
                              {"north": scenarios["north"]}, rules_since=synthetic.END - 3 * 3600)
    yield server
    server.stop()
