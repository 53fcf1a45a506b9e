"""The global tier for real: Thanos 0.42.4 and Prometheus 3 on 127.0.0.1, every component started
from its generated unit (tests/thanos/stack.py says what is rewritten: paths, ports, the bucket).

us-east runs as a replica pair (replica a and b, each with its sidecar), eu-west alone, cn-east
(isolated) without a sidecar; a FILESYSTEM bucket the sidecars upload to, the store gateway over
it, Query with the generated store list, the ruler with the generated global rules. The regions
hold 27 hours of synthetic history and the SLO engine's recorded series over it, ending when the
stack starts, so that the ruler (which evaluates at the wall clock) reads their last samples.

What it proves: Query reads the feeding regions and never cn-east; dedup merges the pair, so a
sum counts it once; the store gateway serves the uploaded blocks; the ruler evaluates the global
rules over us-east and eu-west only and sends its alerts without its replica label; `obsgen gate
--thanos` reads every figure through Query (dedup, partial_response=false) equal to the ground
truth of the synthetic counters, and exits 3 (cannot evaluate) when a sidecar is down; `thanos
tools rules-check` accepts every generated ruler file."""
from __future__ import annotations

import json
import mmap
import subprocess
import time

import pytest
import requests
import yaml
from click.testing import CliRunner

from obsgen import duration, tools
from obsgen.slo import recording
from obsgen.cli import main
from tests.gate.truth import grid_end, window_counts
from tests.thanos import live_estate
from tests.thanos.conftest import ROOT
from tests.thanos.processes import wait_for
from tests.thanos.stack import RULER_REPLICA, Stack

pytestmark = pytest.mark.tool("thanos", "prometheus", "promtool")

FEEDING = live_estate.FEEDING
TOLERANCE = 1e-4                                   # 0.01 percentage points, as a fraction
API = '{service="api",slo="availability"}'
PERIOD_REQUESTS = f"slo:sli_requests:increase{live_estate.PERIOD}{API}"
# The windows the regions record (the alert windows and the period), hence the global rules too.
WINDOWS = tuple(st.window for st in recording.steps(live_estate.SLOS[0], live_estate.REGIONS[0])[1:])


@pytest.fixture(scope="module")
def stack(tmp_path_factory, estate, prometheus_version):
    """The whole stack, once for the module; stopped whatever happens."""
    running = Stack(tmp_path_factory.mktemp("thanos-live"), estate, end=int(time.time()) // 60 * 60)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        print(f"\nlive Thanos stack: {running.timings}")


@pytest.fixture(scope="module")
def recorded_end(stack) -> int:
    """The last raw sample the regions' last recordings saw (one evaluation phase for all)."""
    stamps = {float(r["value"][1]) for r in stack.query("timestamp(slo:sli_requests:increase1m)", stack.end)}
    assert len(stamps) == 1, stamps
    return grid_end(stamps.pop(), stack.end)


def _truth(stack, slo, region: str, window: str, end: int) -> tuple[int, int]:
    return window_counts(stack.scenarios, slo, region, end, window)


def _by_region(result: list[dict]) -> dict[str, float]:
    out = {}
    for r in result:
        assert r["metric"]["region"] not in out, f"two series for {r['metric']}"
        out[r["metric"]["region"]] = float(r["value"][1])
    return out


# -- Query: what it reads -------------------------------------------------------------------


def test_query_reads_the_feeding_regions_sidecars_store_and_ruler_never_cn_east(stack):
    # Every sidecar address of the generated store list is one sidecar here: us-east's pair, eu-west's one.
    assert sorted(m.sidecar for m in stack.sidecars) == sorted(
        a for r in stack.estate.global_regions if r.name in FEEDING for a in r.thanos_sidecars)
    assert sorted(e["address"] for e in stack.endpoints) == sorted(
        [m.grpc for m in stack.sidecars] + [stack.grpc("store"), stack.grpc("rule")])
    stores = stack.query_stores()
    assert {k: len(v) for k, v in stores.items()} == {"sidecar": 3, "store": 1, "rule": 1}
    sidecars = sorted(tuple(sorted(ls.items())) for s in stores["sidecar"] for ls in s["labelSets"])
    assert sidecars == [(("region", "eu-west"), ("replica", "a")), (("region", "us-east"), ("replica", "a")),
                        (("region", "us-east"), ("replica", "b"))]
    everything = json.dumps(stores)
    assert live_estate.ISOLATED not in everything
    regions = {r["metric"]["region"] for r in stack.query('count by (region) ({__name__=~"slo:.+|http_requests_total"})',
                                                          stack.end)}
    assert regions == set(FEEDING)
    # cn-east holds the same counters, and no one ever read them remotely.
    cn = stack.member(live_estate.ISOLATED)
    own = requests.get(f"{cn.url}/api/v1/query", params={"query": "count(http_requests_total)",
                                                         "time": stack.end}, timeout=10).json()
    assert float(own["data"]["result"][0]["value"][1]) > 0

    def remote_reads(url):
        text = requests.get(f"{url}/metrics", timeout=10).text
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("prometheus_http_requests_total{") and 'handler="/api/v1/read"' in line)

    assert remote_reads(stack.member("us-east-a").url) > 0
    assert remote_reads(cn.url) == 0


def test_dedup_merges_the_replica_pair_and_a_sum_counts_it_once(stack, recorded_end):
    expr = PERIOD_REQUESTS
    raw = stack.query(expr, stack.end, dedup=False)
    assert sorted((r["metric"]["region"], r["metric"].get("replica")) for r in raw) == [
        ("eu-west", "a"), ("us-east", "a"), ("us-east", "b")]
    merged = stack.query(expr, stack.end)
    assert all("replica" not in r["metric"] for r in merged)
    slo = next(s for s in live_estate.SLOS if s.id == "api-availability")
    truth = {region: _truth(stack, slo, region, slo.period, recorded_end)[1] for region in FEEDING}
    assert _by_region(merged) == truth
    total = float(stack.query(f"sum({expr})", stack.end)[0]["value"][1])
    assert total == sum(truth.values())
    doubled = float(stack.query(f"sum({expr})", stack.end, dedup=False)[0]["value"][1])
    assert doubled == total + truth["us-east"]          # what a sum without dedup would say


def test_the_store_gateway_serves_the_blocks_the_sidecars_uploaded(stack):
    metas = [json.loads(p.read_text()) for p in stack.bucket.glob("*/meta.json")]
    local = {m.name: len(list(stack.tsdb(m).glob("*/meta.json"))) for m in stack.sidecars}
    uploaded = {}
    for meta in metas:
        labels = meta["thanos"]["labels"]
        uploaded[f"{labels['region']}-{labels['replica']}"] = uploaded.get(f"{labels['region']}-{labels['replica']}", 0) + 1
        assert meta["thanos"]["source"] == "sidecar"
    assert uploaded == local and all(local.values())
    expr = PERIOD_REQUESTS
    everywhere = _by_region(stack.query(expr, stack.end))
    from_bucket = _by_region(stack.query(expr, stack.end, store=stack.grpc("store")))
    assert from_bucket == everywhere
    from_ruler_only = stack.query(expr, stack.end, store=stack.grpc("rule"))
    assert from_ruler_only == []                        # storeMatch[] does select the store


# -- the ruler -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ruler_evaluated(stack) -> float:
    """The instant of the ruler's first evaluation of the global rules with every region up: its
    group runs every interval at a phase of its own, so within one interval of the stack.

    At a new ruler's first evaluation with data, the rules that read back what the same evaluation
    recorded (ratios, burn rates) come out empty: Query skips a store whose TSDB was empty at its
    last look (thanos pkg/store/tsdb.go TimeRange; it looks every 5 s). They follow one interval
    later, which this test does not wait for; their PromQL is proven by promtool
    (tests/slo/test_global.py)."""
    interval = duration.seconds(stack.estate.global_view.evaluation_interval)
    found = wait_for(f"the ruler recorded global:{PERIOD_REQUESTS}",
                     lambda: stack.query(f"timestamp(global:{PERIOD_REQUESTS})", time.time()),
                     timeout=max(stack.ready_at + interval + 20 - time.time(), 5), interval=1)
    return float(found[0]["value"][1])


def test_the_ruler_records_global_series_over_us_east_and_eu_west_only(stack, ruler_evaluated):
    at = ruler_evaluated
    (merged,) = stack.query(f"global:{PERIOD_REQUESTS}", at)
    assert merged["metric"]["region"] == "global" and "replica" not in merged["metric"]
    raw = stack.query(f"global:{PERIOD_REQUESTS}", at, dedup=False)
    assert [r["metric"]["replica"] for r in raw] == [RULER_REPLICA]
    checked = 0
    for slo in live_estate.SLOS:
        own = f'{{service="{slo.service}",slo="{slo.name}"}}'
        stamps = {r["metric"]["region"]: float(r["value"][1])
                  for r in stack.query(f"timestamp(slo:sli_requests:increase{slo.period}{own})", at)}
        assert set(stamps) == set(FEEDING)
        for window in WINDOWS:
            errors = stack.query(f"global:slo:sli_errors:increase{window}{own}", at)
            total = stack.query(f"global:slo:sli_requests:increase{window}{own}", at)
            assert len(errors) == len(total) == 1, (slo.id, window)
            parts = {r: _truth(stack, slo, r, window, grid_end(stamps[r], stack.end)) for r in FEEDING}
            want = (sum(p[0] for p in parts.values()), sum(p[1] for p in parts.values()))
            assert (float(errors[0]["value"][1]), float(total[0]["value"][1])) == want, (slo.id, window)
            cn = _truth(stack, slo, live_estate.ISOLATED, window, grid_end(stamps["us-east"], stack.end))
            assert cn[1] > 0                              # cn-east had traffic, and none of it is in the sum
            checked += 1
    assert checked == len(live_estate.SLOS) * len(WINDOWS)


def test_region_down_is_judged_outside_the_regions_and_the_watchdog_reaches_alertmanager(stack):
    meta = yaml.safe_load((ROOT / "generated" / "global" / "thanos" / "rules-partial-response-warn" / "meta.yml")
                          .read_text())["groups"][0]["rules"]
    down = {r["labels"]["region"]: r["expr"] for r in meta if r["alert"] == "RegionDown"}
    assert set(down) == {"us-east", "eu-west", "ap-southeast"}
    # Each RegionDown expression through Query: the regions running here are seen, ap-southeast
    # (which runs no Prometheus here) is not.
    now = time.time()
    assert {region: bool(stack.query(expr, now)) for region, expr in down.items()} == {
        "us-east": False, "eu-west": False, "ap-southeast": True}

    def ruler_alerts():
        data = requests.get(f"{stack.http('rule')}/api/v1/alerts", timeout=10).json()["data"]
        return {(a["labels"]["alertname"], a["labels"]["region"])
                for a in data.get("alerts", data.get("Alerts")) or ()}   # Thanos 0.42's ruler spells it "Alerts"

    interval = duration.seconds(stack.estate.global_view.evaluation_interval)
    wait_for("the ruler holds Watchdog and ap-southeast's RegionDown",
             lambda: {("Watchdog", "global"), ("RegionDown", "ap-southeast")} <= ruler_alerts(), timeout=interval + 20)
    sent = wait_for("the ruler sent the Watchdog", lambda: [
        a for a in stack.sink.alerts if a["labels"]["alertname"] == "Watchdog"], timeout=30)
    assert all("replica" not in a["labels"] for a in sent)   # --alert.label-drop: a ruler pair's alerts are one
    assert sent[0]["labels"]["region"] == "global"


# -- the gate through Query ------------------------------------------------------------------


@pytest.fixture(scope="module")
def gate_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("live-root")
    (root / "rules").mkdir()
    (root / "rules" / "estate.py").write_text(live_estate.MODULE)
    return root


def gate(stack, root, *args) -> tuple[int, dict]:
    """`obsgen gate --thanos` as the README shows it, at the end of the history."""
    result = CliRunner().invoke(main, [
        "gate", "--root", str(root), "--thanos", "--endpoint", f"thanos={stack.http('query')}",
        "--retries", "0", "--timeout", "10", "--at", str(stack.end), "--json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


@pytest.fixture(scope="module")
def through_query(stack, gate_root) -> tuple[int, dict]:
    """The gate over the regions that feed the global view, every sidecar running."""
    return gate(stack, gate_root, "--region", "us-east", "--region", "eu-west")


def test_the_gate_reads_every_figure_through_query_equal_to_the_truth(stack, through_query, recorded_end):
    status, doc = through_query
    by = {(r["slo_id"], r["region"]): r for r in doc["results"]}
    assert set(by) == {(s.id, r) for s in live_estate.SLOS for r in (*FEEDING, "global")}
    # us-east passes, eu-west's ticket-level burns warn: the release may go on.
    assert status == 0 and doc["decision"] == "warn", doc["reason"]
    assert {r["region"]: r["endpoint"] for r in doc["results"] if r["region"] != "global"} == {
        "us-east": "thanos", "eu-west": "thanos"}
    log = doc["requests"]["log"]
    assert log and all(e["endpoint"] == "thanos" and e["url"].startswith(stack.http("query")) for e in log)
    assert all(e["outcome"] == "ok" for e in log)
    slos = {s.id: s for s in live_estate.SLOS}

    def truth(slo, region, window, source):
        """What the figure covers: up to the recordings' last evaluation, or to the instant."""
        regions = FEEDING if region == "global" else (region,)
        end = recorded_end if source == "recorded" else stack.end
        parts = [_truth(stack, slo, x, window, end) for x in regions]
        return sum(p[0] for p in parts), sum(p[1] for p in parts)

    compared = 0
    for (slo_id, region), r in by.items():
        slo = slos[slo_id]
        assert r["period_source"] == "recorded", (slo_id, region)
        errors, total = truth(slo, region, slo.period, r["period_source"])
        assert (r["errors"], r["requests"]) == (errors, total), (slo_id, region)
        budget = slo.error_budget_in(region if region != "global" else FEEDING[0])
        assert abs(r["budget_remaining"] - (1 - errors / total / budget)) < TOLERANCE
        assert [b["window"] for b in r["burn_rates"]] == [w for w in WINDOWS if w in slo.alert_windows]
        for b in r["burn_rates"]:
            e, t = truth(slo, region, b["window"], b["source"])
            assert abs(b["error_ratio"] - e / t) < TOLERANCE, (slo_id, region, b["window"])
            compared += 1
    assert compared == len(by) * len(live_estate.ALERTING) * 2


def test_a_stopped_sidecar_makes_the_gate_say_cannot_evaluate(stack, gate_root, through_query):
    args = ("--region", "us-east", "--region", "eu-west")
    assert through_query[0] == 0                       # with every sidecar running, the same gate passes
    eu = stack.member("eu-west-a")
    stack.stop_sidecar(eu)
    try:
        status, doc = gate(stack, gate_root, *args)
        assert status == 3 and doc["decision"] == "cannot-evaluate", doc["reason"]
        blind = {r["region"] for r in doc["results"] if r["decision"] == "cannot-evaluate"}
        assert "eu-west" in blind and "global" in blind
    finally:
        stack.restart_sidecar(eu)


# -- the binary and the generated rule files -------------------------------------------------


def test_thanos_is_built_with_the_labels_its_releases_use():
    """Thanos converts Prometheus label sets to its protobuf labels without copying, which holds
    only for Prometheus' slice labels: its releases build with `-tags netgo,slicelabels`
    (.promu.yml). Built without, the store gateway dies of SIGSEGV at its first bucket sync."""
    marker = b"\nbuild\t-tags="                     # the build settings Go embeds in the binary
    with open(tools.path("thanos"), "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as image:
        start = image.find(marker)
        tags = image[start + len(marker):image.find(b"\n", start + 1)].decode().split(",") if start >= 0 else []
    assert "slicelabels" in tags, f"{tools.path('thanos')} built with tags {tags}: build it with -tags netgo,slicelabels"



def test_thanos_rules_check_accepts_every_generated_ruler_file():
    files = sorted((ROOT / "generated" / "global" / "thanos").glob("rules*/*.yml"))
    assert len(files) >= 4
    for path in files:
        proc = subprocess.run([tools.path("thanos"), "tools", "rules-check", f"--rules={path}"],
                              capture_output=True, text=True)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 0 and "result=SUCCESS" in out, f"{path.name}: {out}"
        rules = sum(len(g["rules"]) for g in yaml.safe_load(path.read_text())["groups"])
        assert f"rulesfound={rules}" in out, f"{path.name}: {out}"
