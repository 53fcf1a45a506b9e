"""A throwaway Prometheus process on 127.0.0.1 owning one data directory (config, TSDB, logs)."""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import weakref
from pathlib import Path
from typing import Iterable, Sequence

import requests
import yaml

from obsgen import tools
from obsgen.gate.http import Client, Sample, Series
from obsgen.localprom import blocks, query
from obsgen.synth import BLOCK_SECONDS, Scenario


class PrometheusError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prometheus_available(version: str | None = None) -> bool:
    version = tools.prometheus_version(version)
    return all(tools.find(t + version) for t in ("prometheus", "promtool")) and os.name == "posix"


_running: "weakref.WeakSet[LocalPrometheus]" = weakref.WeakSet()


@atexit.register
def _stop_all_at_exit() -> None:
    for prom in list(_running):
        prom.stop()


class LocalPrometheus:
    """A Prometheus process owning ``data_dir``. Blocks imported while it runs are loaded by a
    restart; queries go through the gate's HTTP client (``client()``)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        rule_files: Sequence[Path] = (),
        evaluation_interval: int = 60,
        retention: str = "400d",
        version: str | None = None,
        ready_timeout: float = 60.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.tsdb_dir = self.data_dir / "tsdb"
        self.rule_files = [Path(p).resolve() for p in rule_files]
        self.evaluation_interval = evaluation_interval
        self.retention = retention
        # Prometheus `version` ("2" or "3"), default obsgen.tools.prometheus_version().
        self.prometheus_bin = tools.prometheus(version)
        self.promtool_bin = tools.promtool(version)
        self.ready_timeout = ready_timeout
        self.extra_args = tuple(extra_args)
        self.port: int | None = None
        self._proc: subprocess.Popen | None = None
        self._staging_seq = 0
        self._lock = threading.Lock()
        self._client: Client | None = None
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
        if self._client is not None:
            self._client.close()
            self._client = None
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

    # -- blocks ------------------------------------------------------------

    def staging_dir(self, kind: str) -> Path:
        """A fresh, empty directory inside the data directory (unique across threads)."""
        with self._lock:
            self._staging_seq += 1
            path = self.data_dir / f"staging-{kind}-{self._staging_seq}"
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir()
        return path

    def promtool(self, *args: str) -> None:
        """Run this version's promtool, logged to promtool.log; PrometheusError if it fails."""
        cmd = [self.promtool_bin, *args]
        res = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        with self._lock, open(self.data_dir / "promtool.log", "a") as log:
            log.write(f"$ {' '.join(cmd)}\n{res.stdout}{res.stderr}")
        if res.returncode != 0:
            raise PrometheusError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")

    def install_blocks(self, staging: Path) -> int:
        """Move the blocks written to `staging` into the TSDB (restarting a running server)."""
        was_running = self.running
        if was_running:
            self.stop()
        moved = blocks.move_blocks(staging, self.tsdb_dir)
        if was_running:
            self.start()
        return moved

    def import_openmetrics(self, files: Iterable[Path], *, jobs: int = 2, block_seconds: int = blocks.TWO_HOURS,
                           delete_files: bool = False) -> int:
        return blocks.import_openmetrics(self, files, jobs=jobs, block_seconds=block_seconds,
                                         delete_files=delete_files)

    def import_scenario(self, scenario: Scenario, *, window: int = BLOCK_SECONDS, jobs: int = 2) -> int:
        return blocks.import_scenario(self, scenario, window=window, jobs=jobs)

    # -- queries -----------------------------------------------------------

    def client(self) -> Client:
        """The gate's HTTP client on this server (one per run of the process)."""
        if self._client is None:
            self._client = query.client(self.url)
        return self._client

    def query(self, expr: str, at: float) -> list[Sample]:
        """Instant query at ``at`` (Unix seconds): vector elements, or one unlabeled scalar."""
        return self.client().query(expr, at)

    def query_matrix(self, expr: str, at: float) -> list[Series]:
        """Instant query of a range-vector expression (e.g. ``x[1h]``): raw samples."""
        return self.client().query_samples(expr, at)
