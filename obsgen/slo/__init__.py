"""The SLO engine: SLI queries, recording rules, burn-rate alerts and their proofs."""
