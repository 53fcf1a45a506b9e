"""The release gate: read error budgets from Prometheus/Thanos, decide whether a release may go on."""
