"""Build time for a synthetic estate of 4 regions x 1,000 alert rules, against PyYAML alone
serializing the same documents in the same process: the ratio is obsgen's own overhead.

    .venv/bin/python bench/build_rules.py [--rules 1000] [--runs 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from obsgen.build import render_documents, to_bytes  # noqa: E402
from obsgen.load import load_estate  # noqa: E402
from obsgen.writer import write_tree  # noqa: E402
from tests.foundation.estate_builder import REGIONS  # noqa: E402

FOUR_REGIONS = REGIONS.replace(
    'REGIONS = (region("alpha"), region("beta"), region("gamma", isolated=True))',
    'REGIONS = (region("r1"), region("r2"), region("r3"), region("r4", isolated=True))',
)


def synthetic_estate(root: Path, rules: int) -> Path:
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "regions.py").write_text(FOUR_REGIONS)
    lines = ["from obsgen.model import Alert"]
    for i in range(rules):
        lines.append(
            f"A{i} = Alert(name='Alert{i}', expr='sum by (service) (rate(http_requests_total{{job=\"j{i}\",status=~\"5..\"}}[5m]))"
            f" / sum by (service) (rate(http_requests_total{{job=\"j{i}\"}}[5m])) > 0.0{i % 9 + 1}',"
            f" for_='{i % 10 + 1}m', severity='{('critical', 'warning')[i % 2]}', group='g{i % 20}',"
            f" summary='error ratio of job j{i} is high', runbook='https://runbooks.example/a{i}', labels={{'team': 't{i % 7}'}})"
        )
    (root / "rules" / "alerts.py").write_text("\n".join(lines) + "\n")
    return root


def timed(fn, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_estate(Path(tmp) / "estate", args.rules)
        out = Path(tmp) / "generated"
        t_load, estate = timed(lambda: load_estate(root), args.runs)
        t_render, docs = timed(lambda: render_documents(estate), args.runs)
        t_serialize, tree = timed(lambda: {p: to_bytes(p, d) for p, d in docs.items()}, args.runs)
        t_write, _ = timed(lambda: write_tree(out, tree), args.runs)
        yaml_docs = [d for p, d in docs.items() if not isinstance(d, bytes) and not p.endswith(".json")]
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        t_yaml, _ = timed(lambda: [yaml.dump(d, Dumper=dumper, sort_keys=False, width=10_000) for d in yaml_docs], args.runs)
        total = t_load + t_render + t_serialize + t_write
        rules = sum(len(g["rules"]) for p, d in docs.items() if "/rules/" in p and isinstance(d, dict) for g in d.get("groups", ()))
        print(f"estate: {len(estate.regions)} regions x {args.rules} alert rules = {rules} rules, {len(tree)} files; median of {args.runs} runs")
        print(f"load + validate (import, PromQL parse): {t_load * 1000:8.1f} ms")
        print(f"render (pure renderers, documents):      {t_render * 1000:8.1f} ms")
        print(f"serialize (YAML, JSON):                  {t_serialize * 1000:8.1f} ms")
        print(f"write (staging, fsync, atomic swap):     {t_write * 1000:8.1f} ms")
        print(f"obsgen build total:                      {total * 1000:8.1f} ms")
        print(f"PyYAML alone ({dumper.__name__}) on the {len(yaml_docs)} YAML documents: {t_yaml * 1000:.1f} ms")
        print(f"ratio build / PyYAML alone:              {total / t_yaml:8.2f}x")


if __name__ == "__main__":
    main()
