"""The local-Prometheus kit: a throwaway Prometheus on 127.0.0.1 with history backfilled into it,
used by the demo, the tests and bench/.

    server.py    LocalPrometheus: start, stop, restart; queries through the gate's HTTP client
    blocks.py    OpenMetrics text (e.g. a synthetic history) -> TSDB blocks with promtool
    levels.py    recording rules split into levels: a rule reads only what lower levels recorded
    backfill.py  recording rules evaluated by the server over its history, level by level
    query.py     the gate's client on a local server; range queries longer than Prometheus allows

Typical use::

    prom = LocalPrometheus(tmp / "prom", evaluation_interval=60)
    prom.import_scenario(scenario)
    with prom:
        backfill(prom, recording_levels(rule_documents), scenario.start, scenario.end, 60, tmp / "levels")
        prom.query("sum(slo:errors:ratio_rate1h)", at=scenario.end)
"""
from obsgen.localprom.backfill import backfill, grid_steps
from obsgen.localprom.levels import recording_levels
from obsgen.localprom.server import LocalPrometheus, PrometheusError, prometheus_available

__all__ = ["LocalPrometheus", "PrometheusError", "backfill", "grid_steps", "prometheus_available",
           "recording_levels"]
