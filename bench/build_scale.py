"""Build and `--check` at the size of a 200-service platform: 4 regions, 200 services x 4 SLOs
(availability, latency, a second latency, success) and 2,000 alerts, in separate processes as a
user runs them (median of --runs), with a phase profile of one build in this process.

    .venv/bin/python bench/build_scale.py [--services 200] [--alerts 2000] [--runs 3] [--profile]

Goal (issue 10): build and --check each <= 10 s on this machine (2 cores).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.build_rules import FOUR_REGIONS  # noqa: E402

OBSGEN = [sys.executable, "-m", "obsgen.cli"]


def synthetic_estate(root: Path, services: int, alerts: int) -> Path:
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "regions.py").write_text(FOUR_REGIONS)
    lines = ["from obsgen.model import SLO, EventRatio, LatencyThreshold", "SLOS = ["]
    for i in range(services):
        svc = f"svc{i:03d}"
        lines += [
            f"    SLO(service='{svc}', name='availability', objective=99.5, description='d', "
            f"sli=EventRatio(total='http_requests_total{{service=\"{svc}\"}}', errors='http_requests_total{{service=\"{svc}\",status=~\"5..\"}}')),",
            f"    SLO(service='{svc}', name='latency', objective=95.0, description='d', "
            f"sli=LatencyThreshold(histogram='http_request_duration_seconds', threshold=1, matchers='service=\"{svc}\"')),",
            f"    SLO(service='{svc}', name='slow-latency', objective=99.0, description='d', "
            f"sli=LatencyThreshold(histogram='http_request_duration_seconds', threshold=5, matchers='service=\"{svc}\"')),",
            f"    SLO(service='{svc}', name='success', objective=95.0, period='28d', description='d', "
            f"sli=EventRatio(total='jobs_total{{service=\"{svc}\"}}', good='jobs_succeeded_total{{service=\"{svc}\"}}')),",
        ]
    lines.append("]")
    (root / "rules" / "slos.py").write_text("\n".join(lines) + "\n")
    alert_lines = ["from obsgen.model import Alert", "ALERTS = ["]
    for i in range(alerts):
        svc = f"svc{i % services:03d}"
        alert_lines.append(
            f"    Alert(name='Alert{i}', expr='sum(rate(http_requests_total{{service=\"{svc}\",status=~\"5..\"}}[5m]))"
            f" / sum(rate(http_requests_total{{service=\"{svc}\"}}[5m])) > 0.0{i % 9 + 1}', for_='{i % 10 + 1}m',"
            f" severity='{('critical', 'warning')[i % 2]}', group='g{i % 20}', summary='s'),")
    alert_lines.append("]")
    (root / "rules" / "alerts.py").write_text("\n".join(alert_lines) + "\n")
    return root


def run(argv: list[str], runs: int) -> tuple[float, list[float], str]:
    samples, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr}")
        out = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return statistics.median(samples), samples, out


def phases(root: Path) -> dict[str, float]:
    from obsgen.build import render_documents, to_bytes
    from obsgen.load import load_estate
    from obsgen.writer import diff

    t0 = time.perf_counter()
    estate = load_estate(root)
    t1 = time.perf_counter()
    docs = render_documents(estate)
    t2 = time.perf_counter()
    tree = {p: to_bytes(p, d) for p, d in docs.items()}
    t3 = time.perf_counter()
    diff(root / "generated", tree)
    t4 = time.perf_counter()
    return {"load and validate": t1 - t0, "render": t2 - t1, "serialize": t3 - t2, "compare (--check)": t4 - t3,
            "files": len(tree)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--alerts", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions of one build")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_estate(Path(tmp) / "estate", args.services, args.alerts)
        build, b_samples, b_out = run([*OBSGEN, "build", "--root", str(root)], args.runs)
        check, c_samples, c_out = run([*OBSGEN, "build", "--check", "--root", str(root)], args.runs)
        split = phases(root)
        print(f"estate: 4 regions, {args.services} services x 4 SLOs, {args.alerts} alerts; {split.pop('files')} files")
        print(f"obsgen build          median {build:6.2f} s  runs {', '.join(f'{s:.2f}' for s in b_samples)}  ({b_out})")
        print(f"obsgen build --check  median {check:6.2f} s  runs {', '.join(f'{s:.2f}' for s in c_samples)}  ({c_out})")
        print(f"goal 10 s: build {build / 10:.2f}x of the goal, --check {check / 10:.2f}x")
        for name, seconds in split.items():
            print(f"  {name:20s} {seconds:6.2f} s")
        if args.profile:
            import cProfile
            import pstats

            from obsgen.build import render_tree
            from obsgen.load import load_estate

            cProfile.runctx("render_tree(load_estate(root))", globals(), {"root": root, "render_tree": render_tree,
                                                                         "load_estate": load_estate}, "/tmp/obsgen-build.prof")
            pstats.Stats("/tmp/obsgen-build.prof").sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
