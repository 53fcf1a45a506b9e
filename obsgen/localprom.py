"""A throwaway Prometheus on 127.0.0.1 with backfilled history (the IO edge).

Typical use::

    prom = LocalPrometheus(tmp / "prom", evaluation_interval=60)
    prom.import_openmetrics(write_openmetrics(scenario, tmp / "om"))
    with prom:
        prom.backfill_rules([[level1_rules], [level2_rules]], scenario.start, scenario.end)
        prom.query("sum(slo:errors:ratio_rate1h)", at=scenario.end)

Recording-rule backfill (promtool 2.42 ``create-blocks-from rules``) queries
the running server, and a rule only sees what is already in its TSDB, never
the output of other rules being backfilled in the same run. Rules are
therefore backfilled level by level: run promtool for a level, move its blocks
into the TSDB, restart the server so the next level can read them.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import requests
import yaml

from obsgen import tools
from obsgen.synth import BLOCK_SECONDS, Scenario, iter_write_openmetrics

# Prometheus refuses range queries with more points than this per series.
MAX_POINTS_PER_SERIES = 11_000
TWO_HOURS = 7_200


@dataclass(frozen=True)
class Sample:
    """One element of an instant vector (or a scalar, with no labels)."""

    labels: tuple[tuple[str, str], ...]
    value: float

    @property
    def metric(self) -> dict[str, str]:
        return dict(self.labels)


@dataclass(frozen=True)
class RangeSeries:
    """One series of a range-vector result: ``(timestamp_seconds, value)`` points."""

    labels: tuple[tuple[str, str], ...]
    points: tuple[tuple[float, float], ...]

    @property
    def metric(self) -> dict[str, str]:
        return dict(self.labels)


@dataclass(frozen=True)
class BlockInfo:
    ulid: str
    min_time_ms: int
    max_time_ms: int
    num_samples: int
    num_series: int


class PrometheusError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rule_block_seconds(eval_interval: int, history_seconds: int) -> int:
    """Largest TSDB-compatible block range (2h * 3^k) one range query can fill.

    promtool writes one block per rule per block range and evaluates each with
    one range query, so bigger blocks mean far fewer blocks and queries; the
    limit is Prometheus's 11,000 points per series in a range query.
    """
    size = TWO_HOURS
    while size * 3 // eval_interval <= MAX_POINTS_PER_SERIES and size < history_seconds:
        size *= 3
    return size


def list_blocks(tsdb_dir: Path) -> list[BlockInfo]:
    blocks = []
    for meta in sorted(Path(tsdb_dir).glob("*/meta.json")):
        m = json.loads(meta.read_text())
        stats = m.get("stats", {})
        blocks.append(
            BlockInfo(m["ulid"], m["minTime"], m["maxTime"], stats.get("numSamples", 0), stats.get("numSeries", 0))
        )
    return blocks


def _move_blocks(staging: Path, tsdb_dir: Path) -> int:
    moved = 0
    for block in sorted(staging.iterdir()):
        if (block / "meta.json").is_file():
            block.rename(tsdb_dir / block.name)
            moved += 1
    shutil.rmtree(staging)
    return moved


_running: "weakref.WeakSet[LocalPrometheus]" = weakref.WeakSet()


@atexit.register
def _stop_all_at_exit() -> None:
    for prom in list(_running):
        prom.stop()


class LocalPrometheus:
    """A Prometheus process owning ``data_dir`` (config, TSDB, logs)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        rule_files: Sequence[Path] = (),
        evaluation_interval: int = 60,
        retention: str = "400d",
        version: str | None = None,
        prometheus_bin: str | None = None,
        promtool_bin: str | None = None,
        ready_timeout: float = 60.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.tsdb_dir = self.data_dir / "tsdb"
        self.rule_files = [Path(p).resolve() for p in rule_files]
        self.evaluation_interval = evaluation_interval
        self.retention = retention
        # Prometheus `version` ("2" or "3", default obsgen.tools.prometheus_version()), unless
        # the binaries are named.
        self.prometheus_bin = prometheus_bin or tools.prometheus(version)
        self.promtool_bin = promtool_bin or tools.promtool(version)
        self.ready_timeout = ready_timeout
        self.extra_args = tuple(extra_args)
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._staging_seq = 0
        self._lock = threading.Lock()
        self.tsdb_dir.mkdir(parents=True, exist_ok=True)

    # -- lifecycle ---------------------------------------------------------

    @property
    def url(self) -> str:
        if self.port is None or not self.running:
            raise PrometheusError("Prometheus is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def __enter__(self) -> "LocalPrometheus":
        if not self.running:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        if self.running:
            raise PrometheusError("already running")
        self._write_config()
        last_error: Exception | None = None
        for _ in range(3):  # the free port can be taken between probing and binding
            try:
                self._spawn(free_port())
                return
            except PrometheusError as e:
                last_error = e
                if "address already in use" not in str(e):
                    break
        raise last_error  # type: ignore[misc]

    def stop(self, timeout: float = 30.0) -> None:
        proc, self._proc = self._proc, None
        _running.discard(self)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def _write_config(self) -> None:
        config = {
            "global": {
                "evaluation_interval": f"{self.evaluation_interval}s",
                "scrape_interval": f"{self.evaluation_interval}s",
            },
            "rule_files": [str(p) for p in self.rule_files],
            "scrape_configs": [],
        }
        (self.data_dir / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))

    def _spawn(self, port: int) -> None:
        log_path = self.data_dir / "prometheus.log"
        log_offset = log_path.stat().st_size if log_path.exists() else 0
        args = [
            self.prometheus_bin,
            f"--config.file={self.data_dir / 'prometheus.yml'}",
            f"--storage.tsdb.path={self.tsdb_dir}",
            f"--storage.tsdb.retention.time={self.retention}",
            f"--web.listen-address=127.0.0.1:{port}",
            *self.extra_args,
        ]
        with open(log_path, "ab") as log:
            self._proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.port = port
        _running.add(self)
        try:
            self._wait_ready()
        except BaseException as e:
            self.stop(timeout=5)
            if isinstance(e, PrometheusError):
                tail = log_path.read_bytes()[log_offset:][-3000:].decode(errors="replace")
                raise PrometheusError(f"{e}\n--- prometheus.log ---\n{tail}") from None
            raise

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        ready_url = f"http://127.0.0.1:{self.port}/-/ready"
        while time.monotonic() < deadline:
            if self._proc is None or self._proc.poll() is not None:
                raise PrometheusError("prometheus exited during startup")
            try:
                if requests.get(ready_url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise PrometheusError(f"prometheus not ready after {self.ready_timeout}s")

    # -- backfill ----------------------------------------------------------

    def _staging_dir(self, kind: str) -> Path:
        with self._lock:
            self._staging_seq += 1
            path = self.data_dir / f"staging-{kind}-{self._staging_seq}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir()
        return path

    def _promtool(self, *args: str) -> None:
        cmd = [self.promtool_bin, *args]
        res = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        with self._lock, open(self.data_dir / "promtool.log", "a") as log:
            log.write(f"$ {' '.join(cmd)}\n{res.stdout}{res.stderr}")
        if res.returncode != 0:
            raise PrometheusError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")

    def import_openmetrics(
        self,
        files: Iterable[Path],
        *,
        jobs: int = 2,
        block_seconds: int = TWO_HOURS,
        delete_files: bool = False,
    ) -> int:
        """Turn OpenMetrics files into TSDB blocks; returns the number of blocks.

        ``files`` may be a lazy iterator: imports start while later files are
        still being written. ``block_seconds`` must cover each file's window
        (see ``obsgen.synth.write_openmetrics``). If the server runs, it is
        restarted to load the blocks.
        """
        staging = self._staging_dir("openmetrics")
        flags = ["tsdb", "create-blocks-from", "openmetrics", "-q", f"--max-block-duration={block_seconds}s"]

        def one(path: Path) -> None:
            self._promtool(*flags, str(path), str(staging))
            if delete_files:
                Path(path).unlink()

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(one, f) for f in files]
            for fut in futures:
                fut.result()
        return self._install_blocks(staging)

    def import_scenario(self, scenario: Scenario, *, window: int = BLOCK_SECONDS, jobs: int = 2) -> int:
        """Write and import a synthetic history, pipelined; the text files are deleted as they go."""
        text_dir = self._staging_dir("om-files")
        try:
            files = iter_write_openmetrics(scenario, text_dir, window)
            return self.import_openmetrics(files, jobs=jobs, block_seconds=window, delete_files=True)
        finally:
            shutil.rmtree(text_dir, ignore_errors=True)

    def _install_blocks(self, staging: Path) -> int:
        was_running = self.running
        if was_running:
            self.stop()
        moved = _move_blocks(staging, self.tsdb_dir)
        if was_running:
            self.start()
        return moved

    def backfill_rules(
        self,
        levels: Sequence[Sequence[Path] | Path],
        start: int,
        end: int,
        *,
        eval_interval: int | None = None,
        block_seconds: int | None = None,
        evaluate_live: bool = True,
    ) -> list[int]:
        """Backfill recording rules over ``[start, end]``, one level at a time.

        Level ``n`` may read series recorded by levels ``< n``. Returns the
        number of blocks written per level. With ``evaluate_live`` the rule
        files are then also evaluated by the server from now on.
        Evaluation timestamps follow the group's hash-based phase, like the
        live server's, because both get the same absolute file paths.
        """
        if not self.running:
            raise PrometheusError("rules backfill needs the server running (it queries it)")
        interval = eval_interval or self.evaluation_interval
        size = block_seconds or rule_block_seconds(interval, end - start)
        written = []
        all_files: list[Path] = []
        for level in levels:
            files = [Path(level).resolve()] if isinstance(level, (str, Path)) else [Path(p).resolve() for p in level]
            all_files.extend(files)
            staging = self._staging_dir("rules")
            self._promtool(
                "tsdb", "create-blocks-from", "rules", "-q",
                f"--url={self.url}",
                f"--start={start}",
                f"--end={end}",
                f"--eval-interval={interval}s",
                f"--max-block-duration={size}s",
                f"--output-dir={staging}",
                *map(str, files),
            )  # fmt: skip
            if evaluate_live and len(written) == len(levels) - 1:
                self.rule_files = list(dict.fromkeys([*self.rule_files, *all_files]))
            written.append(self._install_blocks(staging))
        return written

    # -- queries -----------------------------------------------------------

    def blocks(self) -> list[BlockInfo]:
        return list_blocks(self.tsdb_dir)

    def _api(self, path: str, params: dict) -> dict:
        resp = requests.get(f"{self.url}{path}", params=params, timeout=60)
        body = resp.json()
        if body.get("status") != "success":
            raise PrometheusError(f"{path} {params}: {body.get('errorType')}: {body.get('error')}")
        return body["data"]

    def query(self, expr: str, at: float) -> list[Sample]:
        """Instant query at ``at`` (Unix seconds): vector elements, or one unlabeled scalar."""
        data = self._api("/api/v1/query", {"query": expr, "time": at})
        if data["resultType"] == "scalar":
            return [Sample((), float(data["result"][1]))]
        if data["resultType"] != "vector":
            raise PrometheusError(f"{expr!r} returned a {data['resultType']}, use query_matrix")
        return [Sample(tuple(sorted(r["metric"].items())), float(r["value"][1])) for r in data["result"]]

    def query_matrix(self, expr: str, at: float) -> list[RangeSeries]:
        """Instant query of a range-vector expression (e.g. ``x[1h]``): raw samples."""
        data = self._api("/api/v1/query", {"query": expr, "time": at})
        if data["resultType"] != "matrix":
            raise PrometheusError(f"{expr!r} returned a {data['resultType']}, use query")
        return [
            RangeSeries(tuple(sorted(r["metric"].items())), tuple((float(t), float(v)) for t, v in r["values"]))
            for r in data["result"]
        ]


def prometheus_available(version: str | None = None) -> bool:
    version = tools.prometheus_version(version)
    return all(tools.find(t + version) for t in ("prometheus", "promtool")) and os.name == "posix"
