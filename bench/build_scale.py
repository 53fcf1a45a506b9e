"""Build and `--check` at the size of a 200-service platform: 4 regions, 200 services x 4 SLOs
(availability, latency, a second latency, success) and 2,000 alerts, in separate processes as a
user runs them (median of --runs, wall and CPU seconds, the load average before each run), with
the phases of one build in this process (one process: the CLI forks region workers) and, with
--test, `obsgen test` of the built tree.

    .venv/bin/python bench/build_scale.py [--services 200] [--alerts 2000] [--runs 3] [--profile] [--test]

Goals (issue 10), on this machine (2 cores): build and --check each <= 10 s; obsgen test <= 5 min.
Other work on the machine inflates wall times: compare the CPU seconds and the load average.
"""
from __future__ import annotations

import argparse
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str], runs: int) -> dict:
    walls, cpus, loads, out = [], [], [], ""
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        cpu, start = _children_cpu(), time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr}")
        out = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "walls": walls, "loads": loads,
            "out": out}


def phases(root: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of each phase of one build in this process, without workers."""
    from obsgen.build import render_documents, to_bytes
    from obsgen.load import load_estate
    from obsgen.writer import diff

    marks = [(time.perf_counter(), time.process_time())]
    estate = load_estate(root)
    marks.append((time.perf_counter(), time.process_time()))
    docs = render_documents(estate)
    marks.append((time.perf_counter(), time.process_time()))
    tree = {p: to_bytes(p, d) for p, d in docs.items()}
    marks.append((time.perf_counter(), time.process_time()))
    diff(root / "generated", tree)
    marks.append((time.perf_counter(), time.process_time()))
    names = ["load and validate", "render", "serialize", "compare (--check)"]
    found = {n: (marks[i + 1][0] - marks[i][0], marks[i + 1][1] - marks[i][1]) for i, n in enumerate(names)}
    found["files"] = (len(tree), sum(map(len, tree.values())))
    return found


def _line(name: str, r: dict) -> str:
    return (f"{name:22s} median {r['wall']:7.2f} s wall, {r['cpu']:6.2f} s CPU;  runs {', '.join(f'{s:.2f}' for s in r['walls'])}"
            f"  (load {', '.join(f'{x:.1f}' for x in r['loads'])})  {r['out']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=200)
    ap.add_argument("--alerts", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="print cProfile's top functions of one build (CPU time)")
    ap.add_argument("--test", action="store_true", help="also time `obsgen test` of the built tree (once)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic_estate(Path(tmp) / "estate", args.services, args.alerts)
        build = run([*OBSGEN, "build", "--root", str(root)], args.runs)
        check = run([*OBSGEN, "build", "--check", "--root", str(root)], args.runs)
        print(f"estate: 4 regions, {args.services} services x 4 SLOs, {args.alerts} alerts; {os.cpu_count()} cores")
        print(_line("obsgen build", build))
        print(_line("obsgen build --check", check))
        print(f"goal 10 s: build {build['wall'] / 10:.2f}x of the goal, --check {check['wall'] / 10:.2f}x (wall)")
        if args.test:
            test = run([*OBSGEN, "test", "--root", str(root)], 1)
            print(_line("obsgen test", test))
            print(f"goal 300 s: obsgen test {test['wall'] / 300:.2f}x of the goal (wall)")
        split = phases(root)
        files, size = split.pop("files")
        print(f"phases of one build in one process (load {os.getloadavg()[0]:.1f}); {files} files, {size / 1e6:.1f} MB:")
        for name, (wall, cpu) in split.items():
            print(f"  {name:20s} {wall:6.2f} s wall {cpu:6.2f} s CPU")
        if args.profile:
            import cProfile
            import pstats

            from obsgen.build import render_tree
            from obsgen.load import load_estate

            profile = cProfile.Profile(time.process_time)
            profile.runctx("render_tree(load_estate(root), workers=1)", globals(),
                           {"root": root, "render_tree": render_tree, "load_estate": load_estate})
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
