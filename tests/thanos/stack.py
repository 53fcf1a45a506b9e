"""The global tier as `obsgen build` writes it, run on 127.0.0.1: regional Prometheus servers and
Thanos sidecars, a FILESYSTEM bucket, the store gateway, Query and the ruler.

Every command line is read from a generated systemd unit (ExecStart, Environment) and rewritten
for this machine only: the binary's path, /etc/obsgen and /var/lib directories to temporary ones,
0.0.0.0 ports to free 127.0.0.1 ports, systemd's %H to a replica name; `localize` fails if
anything else would change. The files the flags name are the generated ones with addresses made
local (the bucket a FILESYSTEM directory, https endpoints plain http on 127.0.0.1); the global
rule files are used as they are.

History: the live estate's synthetic counters and the SLO engine's recording rules over them are
backfilled once into one scratch Prometheus (tests/gate/promfixture.py), then split per region
with promtool (dump-openmetrics of that region's series, create-blocks-from openmetrics into
2-hour blocks), so that each regional Prometheus holds only its region, in level-1 blocks its
sidecar uploads to the bucket as it would Prometheus' own."""
from __future__ import annotations

import json
import random
import shlex
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
import yaml

from obsgen import names, tools
from obsgen.render.prometheus_config import NODES_SD, SELF_TARGET, SERVICES_SD
from obsgen.render.thanos import units
from obsgen.localprom import LocalPrometheus
from obsgen.synth import write_openmetrics
from tests.gate.promfixture import backfill_rules, recording_rules
from tests.post_sink import serve_posts
from tests.thanos import live_estate
from tests.thanos.conftest import ROOT
from tests.thanos.processes import Process, free_port, wait_for

GENERATED = ROOT / "generated"
RULER_REPLICA = "ruler-0"
# What a localized command line may no longer hold: the deploy's paths, wildcard listeners, specifiers.
DEPLOY_ONLY = (names.DEPLOY_DIR, "/var/lib/", "0.0.0.0", "%H", units.THANOS_BINARY, units.PROMETHEUS_BINARY)
READY_TIMEOUT = 60
# The recorded series the gate and the global rules read: event counts per window, evaluations.
COUNTS = ("sli_errors", "sli_requests", "sli_evaluations")


def unit_command(path: Path) -> tuple[list[str], dict[str, str]]:
    """The ExecStart words and Environment of a generated unit, split as systemd splits them."""
    text = path.read_text().replace("\\\n", " ")
    argv, env = None, {}
    for line in text.splitlines():
        if line.startswith("Environment="):
            for word in shlex.split(line[len("Environment="):]):
                key, value = word.split("=", 1)
                env[key] = value
        elif line.startswith("ExecStart="):
            argv = shlex.split(line[len("ExecStart="):])
    assert argv, f"{path}: no ExecStart"
    return argv, env


def localize(words: list[str], swaps: dict[str, str], where: str) -> list[str]:
    """`words` with each deploy path, port or specifier in `swaps` replaced; every swap must apply
    and nothing of the deploy may remain."""
    used, out = set(), []
    for word in words:
        for old, new in swaps.items():
            if old in word:
                word = word.replace(old, new)
                used.add(old)
        out.append(word)
    assert used == set(swaps), f"{where}: {sorted(set(swaps) - used)} not in the generated command line"
    left = [w for w in out if any(d in w for d in DEPLOY_ONLY)]
    assert not left, f"{where}: still deploy-specific after localizing: {left}"
    return out


def _new_ulid(old: str) -> str:
    """Another block id with the same time part (ULID: 10 time characters, 16 random)."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return old[:10] + "".join(random.choice(alphabet) for _ in range(16))


def copy_blocks(src: Path, dst: Path) -> None:
    """The blocks of `src` under new ids, as a replica's own TSDB holds its own blocks."""
    dst.mkdir(parents=True, exist_ok=True)
    for meta_path in sorted(src.glob("*/meta.json")):
        meta = json.loads(meta_path.read_text())
        ulid = _new_ulid(meta["ulid"])
        shutil.copytree(meta_path.parent, dst / ulid)
        meta["ulid"] = ulid
        meta["compaction"]["sources"] = [ulid]
        (dst / ulid / "meta.json").write_text(json.dumps(meta))


def block_ids(tsdb: Path) -> set[str]:
    return {p.parent.name for p in tsdb.glob("*/meta.json")}


class AlertSink:
    """Records what the ruler posts to its Alertmanager (`/api/v2/alerts`)."""

    def __init__(self):
        self.alerts: list[dict] = []
        self.server = serve_posts(self._record)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"

    def _record(self, path: str, raw: bytes) -> None:
        if path.endswith("/api/v2/alerts"):
            self.alerts.extend(json.loads(raw or b"[]"))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Member:
    """One regional Prometheus (one replica of a region), and its sidecar if the region feeds."""

    region: str
    replica: str | None             # None: an isolated region, no replica label, no sidecar
    sidecar: str | None = None      # the generated store list's address this member's sidecar stands for
    prometheus_port: int = field(default_factory=free_port)
    grpc_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)

    @property
    def name(self) -> str:
        return f"{self.region}-{self.replica}" if self.replica else self.region

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def grpc(self) -> str:
        return f"127.0.0.1:{self.grpc_port}"


def members(estate) -> list[Member]:
    """One Prometheus per sidecar the estate lists for each region run here (us-east's replica
    pair: a and b), and the isolated region's, which has none."""
    out = [Member(r.name, replica, sidecar=address)
           for r in estate.global_regions if r.name in live_estate.FEEDING
           for replica, address in zip("abcdefgh", r.thanos_sidecars)]
    return out + [Member(live_estate.ISOLATED, None)]


class Stack:
    def __init__(self, workdir: Path, estate, end: int):
        self.work = workdir
        self.estate = estate                  # the example estate: what generated/ was built from
        self.end = end
        self.scenarios = live_estate.scenarios(end)
        self.members = members(estate)
        self.bucket = workdir / "bucket"
        self.procs: dict[str, Process] = {}
        self.timings: dict[str, float] = {}
        self.sink: AlertSink | None = None
        self.ports = {c: (free_port(), free_port()) for c in ("store", "query", "rule")}
        self.ruler_started = self.ready_at = 0.0

    # -- addresses ---------------------------------------------------------

    def grpc(self, component: str) -> str:
        return f"127.0.0.1:{self.ports[component][0]}"

    def http(self, component: str) -> str:
        return f"http://127.0.0.1:{self.ports[component][1]}"

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    @property
    def sidecars(self) -> list[Member]:
        return [m for m in self.members if m.replica]

    # -- lifecycle ---------------------------------------------------------

    def _timed(self, what: str, since: float) -> None:
        self.timings[what] = round(time.monotonic() - since, 1)

    def start(self) -> None:
        t = time.monotonic()
        # Query and the ruler first: the ruler evaluates on a clock of its own (every interval, at
        # a phase of its own), so its next evaluation is due soon after the regions are up; and
        # its TSDB already holds samples (Watchdog) that Query knows of, so the global rules that
        # read its own series back (ratios, burn rates) have them at that evaluation.
        self.bucket.mkdir()
        self.sink = AlertSink()
        self._global_config()
        for component in ("query", "rule"):
            self._start_global(component)
        self.ruler_started = time.time()
        self._history()
        self._timed("history (backfill and split)", t)
        t = time.monotonic()
        for m in self.members:
            self._start_prometheus(m)
        for m in self.members:
            self.procs[f"prometheus-{m.name}"].wait_ready(f"{m.url}/-/ready", READY_TIMEOUT)
        for m in self.sidecars:
            self._start_sidecar(m)
        for m in self.sidecars:
            self.wait_sidecar(m)
        for m in self.sidecars:   # the store gateway syncs the bucket at start (then every 15m)
            wait_for(f"sidecar {m.name} uploaded its blocks", lambda m=m: self._shipped(m), timeout=READY_TIMEOUT)
        self._start_global("store")
        for component in ("store", "query", "rule"):
            self.procs[component].wait_ready(f"{self.http(component)}/-/ready", READY_TIMEOUT)
        self.wait_stores()
        self.ready_at = time.time()
        self._timed("regions, sidecars, store gateway", t)

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            self.procs[name].stop()
        if self.sink:
            self.sink.close()

    # -- history -----------------------------------------------------------

    def _history(self) -> None:
        """Each feeding region's counters and the SLO engine's counts over them (what the gate and
        the global rules read), backfilled together, then split per region; cn-east's counters
        alone (the gate reads it from them)."""
        scratch = self.work / "backfill"
        feeding = [r for r in live_estate.REGIONS if r.feeds_global]
        prom = LocalPrometheus(scratch / "prom", evaluation_interval=live_estate.STEP)
        files = []
        for r in feeding:
            files += write_openmetrics(self.scenarios[r.name], scratch / f"om-{r.name}")
        prom.import_openmetrics(files)
        prom.start()
        try:
            rules = [rule for rule in recording_rules(live_estate.estate(), feeding, shared=True)
                     if rule["record"].split(":")[1] in COUNTS]
            backfill_rules(prom, rules, self.end - live_estate.HISTORY, self.end, scratch / "levels", group="live")
        finally:
            prom.stop()
        promtool = tools.promtool()

        def split(region: str) -> None:
            dump = scratch / f"{region}.om"
            with dump.open("w") as out:
                subprocess.run([promtool, "tsdb", "dump-openmetrics", f'--match={{region="{region}"}}',
                                str(prom.tsdb_dir)], stdout=out, stderr=subprocess.PIPE, check=True)
            first = next(m for m in self.members if m.region == region)
            subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "-q",
                            "--max-block-duration=2h", str(dump), str(self.tsdb(first))],
                           capture_output=True, check=True)
            for other in self.members:
                if other.region == region and other is not first:
                    copy_blocks(self.tsdb(first), self.tsdb(other))

        def isolated(region: str) -> None:
            (m,) = [m for m in self.members if m.region == region]
            LocalPrometheus(self.tsdb(m).parent).import_openmetrics(
                write_openmetrics(self.scenarios[region], scratch / f"om-{region}"), jobs=1)

        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [pool.submit(split, r.name) for r in feeding]
            jobs += [pool.submit(isolated, r.name) for r in live_estate.REGIONS if not r.feeds_global]
            for job in jobs:
                job.result()
        shutil.rmtree(scratch)

    def tsdb(self, m: Member) -> Path:
        return self.work / "data" / m.name / "tsdb"     # LocalPrometheus' layout under the member's dir

    # -- regions -----------------------------------------------------------

    def _region(self, name: str):
        return self.estate.region(name)

    def _config_dir(self, m: Member) -> Path:
        return self.work / "etc" / m.name

    def _start_prometheus(self, m: Member) -> None:
        cfg = self._config_dir(m)
        (cfg / "prometheus").mkdir(parents=True)
        sd = self.work / "file_sd" / m.name
        for sub in (SERVICES_SD, NODES_SD):
            (sd / sub).mkdir(parents=True)
        text = (GENERATED / m.region / "prometheus" / "prometheus.yml").read_text()
        am = urlsplit(self._region(m.region).alertmanager_url)
        am_target = f"{am.hostname}:{am.port or (443 if am.scheme == 'https' else 80)}"
        for old, new in ((names.PROMETHEUS_FILE_SD_DIR, str(sd)), (SELF_TARGET, f"127.0.0.1:{m.prometheus_port}"),
                         (am_target, f"127.0.0.1:{free_port()}")):
            assert old in text, f"{m.region}/prometheus.yml: {old} not found"
            text = text.replace(old, new)
        # rule_files (rules/*.yml beside the file) match nothing here: the regional rules' output
        # over the history is backfilled, and their live evaluation is proven elsewhere.
        (cfg / "prometheus" / "prometheus.yml").write_text(text)
        self.tsdb(m).mkdir(parents=True, exist_ok=True)
        argv, env = unit_command(GENERATED / m.region / names.PROMETHEUS_UNIT_FILE)
        argv = localize(argv, {
            units.PROMETHEUS_BINARY: tools.prometheus(),
            f"{names.DEPLOY_DIR}/{m.region}": str(cfg),
            names.PROMETHEUS_DATA_DIR: str(self.tsdb(m)),
            "0.0.0.0:9090": f"127.0.0.1:{m.prometheus_port}",
        }, f"{m.region} prometheus.service")
        env = {k: (m.replica if v == "%H" else v) for k, v in env.items()}
        assert (names.REPLICA_ENV in env) == bool(m.replica), env
        self.procs[f"prometheus-{m.name}"] = Process(f"prometheus-{m.name}", argv, self.work,
                                                     env={**env, "PATH": "/usr/bin:/bin"})

    def _objstore(self, cfg: Path) -> None:
        (cfg / "thanos").mkdir(parents=True, exist_ok=True)
        (cfg / names.THANOS_OBJSTORE_FILE).write_text(yaml.safe_dump(
            {"type": "FILESYSTEM", "config": {"directory": str(self.bucket)}}))

    def _start_sidecar(self, m: Member, attempt: int = 0) -> None:
        cfg = self._config_dir(m)
        self._objstore(cfg)
        argv, _ = unit_command(GENERATED / m.region / names.thanos_unit("sidecar"))
        argv = localize(argv, {
            units.THANOS_BINARY: tools.path("thanos"),
            f"{names.DEPLOY_DIR}/{m.region}": str(cfg),
            "127.0.0.1:9090": f"127.0.0.1:{m.prometheus_port}",
            names.PROMETHEUS_DATA_DIR: str(self.tsdb(m)),
            "0.0.0.0:10901": m.grpc,
            "0.0.0.0:10902": f"127.0.0.1:{m.http_port}",
        }, f"{m.region} thanos-sidecar.service")
        name = f"sidecar-{m.name}" + (f"-{attempt}" if attempt else "")
        self.procs[f"sidecar-{m.name}"] = Process(name, argv, self.work)

    def wait_sidecar(self, m: Member) -> None:
        self.procs[f"sidecar-{m.name}"].wait_ready(f"http://127.0.0.1:{m.http_port}/-/ready", READY_TIMEOUT)

    def stop_sidecar(self, m: Member) -> None:
        """Stop it and wait until Query's health check has failed on it (every 5 s): what follows
        then sees Query's answer for an endpoint it knows is down, not a connection just lost."""
        self.procs[f"sidecar-{m.name}"].stop()
        wait_for(f"Query notices sidecar {m.name} is down", lambda: [
            s for group in self.query_stores().values() for s in group
            if s["name"] == m.grpc and s.get("lastError")], timeout=30)

    def restart_sidecar(self, m: Member) -> None:
        self._start_sidecar(m, attempt=int(time.time()))
        self.wait_sidecar(m)
        self.wait_stores()

    def _shipped(self, m: Member) -> bool:
        shipper = self.tsdb(m) / "thanos.shipper.json"
        if not shipper.exists():
            return False
        uploaded = set(json.loads(shipper.read_text()).get("uploaded") or [])
        return block_ids(self.tsdb(m)) <= uploaded

    # -- the global view ---------------------------------------------------

    def _global_config(self) -> None:
        """The generated global files with the endpoints made local (all ports are chosen up front)."""
        cfg = self.work / "etc" / "global"
        src = GENERATED / names.GLOBAL_DIR
        shutil.copytree(src / Path(names.thanos_rules_file("x")).parent, cfg / Path(names.thanos_rules_file("x")).parent)
        shutil.copytree(src / names.THANOS_RULES_WARN_DIR, cfg / names.THANOS_RULES_WARN_DIR)
        self._objstore(cfg)
        # Each generated sidecar address is one sidecar here; a region not run here (ap-southeast) none.
        local: dict[str, list[str]] = {}
        for region in self.estate.global_regions:
            for address in region.thanos_sidecars:
                local[address] = [m.grpc for m in self.sidecars if m.sidecar == address]
        for address in self.estate.global_view.store_gateways:
            local[address] = [self.grpc("store")]
        for address in self.estate.global_view.rulers:
            local[address] = [self.grpc("rule")]
        stores = yaml.safe_load((src / names.THANOS_QUERY_STORES_FILE).read_text())
        endpoints = []
        for entry in stores["endpoints"]:
            assert entry["address"] in local, f"query-stores.yml: {entry['address']} is none of the estate's"
            endpoints += [{**entry, "address": a} for a in local[entry["address"]]]
        self.endpoints = endpoints
        (cfg / names.THANOS_QUERY_STORES_FILE).write_text(yaml.safe_dump({"endpoints": endpoints}))
        query = yaml.safe_load((src / names.THANOS_RULE_QUERY_FILE).read_text())
        local_query = self.http("query").removeprefix("http://")
        (cfg / names.THANOS_RULE_QUERY_FILE).write_text(yaml.safe_dump(
            [{**q, "scheme": "http", "static_configs": [local_query]} for q in query]))
        ams = yaml.safe_load((src / names.THANOS_RULE_ALERTMANAGERS_FILE).read_text())
        (cfg / names.THANOS_RULE_ALERTMANAGERS_FILE).write_text(yaml.safe_dump({"alertmanagers": [
            {**am, "scheme": "http", "static_configs": [self.sink.address]} for am in ams["alertmanagers"]]}))
        self.global_dir = cfg

    def _start_global(self, component: str) -> None:
        argv, _ = unit_command(GENERATED / names.GLOBAL_DIR / names.thanos_unit(component))
        grpc, http = self.ports[component]
        swaps = {
            units.THANOS_BINARY: tools.path("thanos"),
            f"{names.DEPLOY_DIR}/{names.GLOBAL_DIR}": str(self.global_dir),
            "0.0.0.0:10901": f"127.0.0.1:{grpc}",
            "0.0.0.0:10902": f"127.0.0.1:{http}",
        }
        if component in ("store", "rule"):
            swaps[f"{names.THANOS_DATA_DIR}/{component}"] = str(self.work / "data" / component)
        if component == "rule":
            swaps["%H"] = RULER_REPLICA
        self.procs[component] = Process(component, localize(argv, swaps, f"thanos-{component}.service"), self.work)

    def query_stores(self) -> dict[str, list[dict]]:
        return requests.get(f"{self.http('query')}/api/v1/stores", timeout=5).json()["data"]

    def wait_stores(self, timeout: float = READY_TIMEOUT) -> dict:
        """Until Query holds every endpoint of its store list, each answering."""
        want = {e["address"] for e in self.endpoints}

        def healthy():
            stores = self.query_stores()
            up = {s["name"] for group in stores.values() for s in group if not s.get("lastError")}
            return stores if want <= up else None

        return wait_for("Query sees every endpoint healthy", healthy, timeout=timeout)

    # -- reading -----------------------------------------------------------

    def query(self, expr: str, at: float, *, dedup: bool = True, store: str | None = None) -> list[dict]:
        """An instant query through Thanos Query, partial answers refused; `store`: only that
        StoreAPI (`storeMatch[]` on its address)."""
        params = {"query": expr, "time": at, "dedup": str(dedup).lower(), "partial_response": "false"}
        if store:
            params["storeMatch[]"] = f'{{__address__="{store}"}}'
        body = requests.get(f"{self.http('query')}/api/v1/query", params=params, timeout=30).json()
        assert body["status"] == "success", body
        return body["data"]["result"]
