"""The compactor as `obsgen build` writes it, run once on a bucket a real sidecar filled: Thanos
0.42.4 `compact` from the generated unit (the seed's schedule makes it a one-shot: no --wait),
with the generated retention flags (raw 7d, 5m 30d, 1h 1y), on 127.0.0.1 and a FILESYSTEM bucket.

The bucket: us-east's Prometheus (replica a, from its generated unit) holds 2-hour blocks of three
counters, sampled every minute, over the 52 hours from a 2-day boundary A 4 to 6 days ago, and
one 2-hour block 5 days before A (9 to 11 days ago); its sidecar uploads them all. The compactor
leaves a block alone for 30 minutes after its upload (`--consistency-delay`, read from the
`upload_time` the sidecar writes into meta.json): a first run right after the upload must change
nothing; then each upload time is moved an hour back, as the nightly run finds them, and a second
run does the work.

What one run must do, by Thanos' rules (docs/components/compact.md: 2h blocks compact to 8h then
2d; a raw block of 40h or more gets a 5m copy, a 5m block of 10d or more a 1h copy; retention by
the block's end): the 24 blocks of [A, A+48h) become one raw 2-day block holding every sample,
with a 5-minute copy beside it; the two blocks after A+48h stay as the sidecar uploaded them (the
newest is never planned, and one block alone is not compacted); the old block is past the raw
retention of 7 days and is marked for deletion, as are the compacted sources; nothing reaches 1h.
Takes about 10 s."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from obsgen import names, tools
from obsgen.render.thanos import units
from tests.thanos.processes import free_port, wait_for
from tests.thanos.stack import GENERATED, Member, Stack, localize, unit_command

pytestmark = pytest.mark.tool("thanos", "prometheus", "promtool")

MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000          # milliseconds
SERIES = ({"service": "api", "code": "200"}, {"service": "api", "code": "500"}, {"service": "web", "code": "200"})
SPAN = 52 * HOUR                                           # from A
OLD_BEFORE = 5 * DAY                                       # the old block starts this long before A
RES_5M, RES_1H = 5 * MINUTE, HOUR


def _two_day_boundary(now_ms: int) -> int:
    return (now_ms - 4 * DAY) // (2 * DAY) * (2 * DAY)


def _openmetrics(path: Path, start: int, end: int) -> int:
    """Counters sampled every minute in [start, end): each rises by its index + 1 per minute.
    Returns the number of samples written."""
    lines = ["# TYPE http_requests counter"]
    count = 0
    for t in range(start, end, MINUTE):
        for i, labels in enumerate(SERIES):
            text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            lines.append(f"http_requests_total{{{text}}} {(t - start) // MINUTE * (i + 1)} {t / 1000:.3f}")
            count += 1
    path.write_text("\n".join(lines) + "\n# EOF\n")
    return count


def _age_uploads(bucket: Path, by: dt.timedelta) -> None:
    for path in bucket.glob("*/meta.json"):
        meta = json.loads(path.read_text())
        uploaded = dt.datetime.fromisoformat(meta["thanos"]["upload_time"].replace("Z", "+00:00"))
        meta["thanos"]["upload_time"] = (uploaded - by).isoformat().replace("+00:00", "Z")
        path.write_text(json.dumps(meta))


def _listing(thanos: str, objstore: Path, bucket: Path) -> tuple[dict[str, dict], set[str]]:
    """Every block `thanos tools bucket ls` lists, and those marked for deletion."""
    listed = subprocess.run([thanos, "tools", "bucket", "ls", "-o", "json", f"--objstore.config-file={objstore}"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    metas = _metas(listed.stdout)
    return metas, {u for u in metas if (bucket / u / "deletion-mark.json").exists()}


@pytest.fixture(scope="module")
def compacted(tmp_path_factory, estate, prometheus_version):
    work = tmp_path_factory.mktemp("thanos-compact")
    now = int(time.time() * 1000)
    a = _two_day_boundary(now)
    stack = Stack(work, estate, end=now // 1000)
    m = Member("us-east", "a", sidecar=estate.region("us-east").thanos_sidecars[0])
    stack.members = [m]
    stack.bucket.mkdir()
    tsdb = stack.tsdb(m)
    tsdb.mkdir(parents=True)
    written = {}
    for name, start, end in (("old", a - OLD_BEFORE, a - OLD_BEFORE + 2 * HOUR), ("recent", a, a + SPAN)):
        om = work / f"{name}.om"
        written[name] = _openmetrics(om, start, end)
        subprocess.run([tools.promtool(), "tsdb", "create-blocks-from", "openmetrics", "-q", "--max-block-duration=2h",
                        str(om), str(tsdb)], capture_output=True, check=True)
    shipped = {json.loads(p.read_text())["ulid"]: json.loads(p.read_text()) for p in tsdb.glob("*/meta.json")}
    try:
        stack._start_prometheus(m)
        stack.procs[f"prometheus-{m.name}"].wait_ready(f"{m.url}/-/ready", 60)
        stack._start_sidecar(m)
        stack.wait_sidecar(m)
        wait_for("the sidecar uploaded every block", lambda: stack._shipped(m), timeout=60)
    finally:
        stack.stop()
    cfg = work / "etc" / "global"
    stack._objstore(cfg)
    argv, _ = unit_command(GENERATED / names.GLOBAL_DIR / names.thanos_unit("compact"))
    argv = localize(argv, {
        units.THANOS_BINARY: tools.path("thanos"),
        f"{names.DEPLOY_DIR}/{names.GLOBAL_DIR}": str(cfg),
        f"{names.THANOS_DATA_DIR}/compact": str(work / "data" / "compact"),
        "0.0.0.0:10902": f"127.0.0.1:{free_port()}",
    }, "thanos-compact.service")
    objstore = cfg / names.THANOS_OBJSTORE_FILE
    fresh = subprocess.run(argv, capture_output=True, text=True, timeout=180)
    after_fresh = _listing(tools.path("thanos"), objstore, stack.bucket)
    _age_uploads(stack.bucket, dt.timedelta(hours=1))
    # The compactor caches each meta.json in its data directory (safe to delete between runs, its
    # docs say): a real bucket's metas never change, these were just aged.
    shutil.rmtree(work / "data" / "compact")
    t = time.monotonic()
    run = subprocess.run(argv, capture_output=True, text=True, timeout=180)
    took = round(time.monotonic() - t, 1)
    metas, marked = _listing(tools.path("thanos"), objstore, stack.bucket)
    print(f"\nthanos compact: {took} s, {len(metas)} blocks listed, {len(marked)} marked for deletion")
    return dict(a=a, argv=argv, fresh=fresh, after_fresh=after_fresh, run=run, shipped=shipped, metas=metas,
                marked=marked, written=written)


def _metas(text: str) -> dict[str, dict]:
    """`thanos tools bucket ls -o json` prints one meta.json per block, one after another."""
    decoder, out, i = json.JSONDecoder(), {}, 0
    text = text.strip()
    while i < len(text):
        meta, i = decoder.raw_decode(text, i)
        out[meta["ulid"]] = meta
        while i < len(text) and text[i].isspace():
            i += 1
    return out


def _resolution(meta) -> int:
    return meta["thanos"]["downsample"]["resolution"]


def test_the_generated_compactor_runs_once_and_exits_0(compacted):
    assert "--wait" not in compacted["argv"]              # the seed's schedule: a one-shot unit and timer
    for flag in ("--retention.resolution-raw=7d", "--retention.resolution-5m=30d", "--retention.resolution-1h=1y"):
        assert flag in compacted["argv"]
    for run in (compacted["fresh"], compacted["run"]):
        assert run.returncode == 0, run.stderr[-3000:]
    assert "retention policy of raw samples is enabled\" duration=168h0m0s" in compacted["run"].stderr


def test_blocks_uploaded_less_than_30_minutes_ago_are_left_alone(compacted):
    metas, marked = compacted["after_fresh"]
    assert set(metas) == set(compacted["shipped"]) and not marked


def test_the_sidecar_uploaded_every_block_labelled_with_region_and_replica(compacted):
    metas, shipped = compacted["metas"], compacted["shipped"]
    assert set(shipped) <= set(metas)                     # every uploaded block is still listed
    assert len(shipped) == 1 + SPAN // (2 * HOUR)
    for ulid in shipped:
        assert metas[ulid]["thanos"]["source"] == "sidecar"
    assert {json.dumps(m["thanos"]["labels"], sort_keys=True) for m in metas.values()} == {
        json.dumps({"region": "us-east", "replica": "a"}, sort_keys=True)}


def test_two_days_of_2h_blocks_become_one_raw_block_with_every_sample(compacted):
    a, metas, marked, shipped = compacted["a"], compacted["metas"], compacted["marked"], compacted["shipped"]
    first_two_days = {u for u, m in shipped.items() if a <= m["minTime"] < a + 2 * DAY}
    assert len(first_two_days) == 24
    live_raw = {u: m for u, m in metas.items() if u not in marked and _resolution(m) == 0}
    (merged,) = [m for u, m in live_raw.items() if u not in shipped]
    assert set(merged["compaction"]["sources"]) == first_two_days
    assert (merged["minTime"], merged["maxTime"]) == (a, a + 2 * DAY - MINUTE + 1)
    assert merged["stats"]["numSamples"] == len(SERIES) * 2 * DAY // MINUTE   # 8640: nothing lost or added
    assert merged["stats"]["numSeries"] == len(SERIES)
    assert merged["thanos"]["source"] == "compactor"
    assert first_two_days <= marked                       # the sources go, after the delete delay


def test_the_two_day_block_gets_a_5m_copy_and_nothing_reaches_1h(compacted):
    a, metas, marked = compacted["a"], compacted["metas"], compacted["marked"]
    by_res = {}
    for u, m in metas.items():
        if u not in marked:
            by_res.setdefault(_resolution(m), []).append(m)
    (five,) = by_res[RES_5M]
    assert (five["minTime"], five["maxTime"]) == (a, a + 2 * DAY - MINUTE + 1)
    assert five["stats"]["numSeries"] == len(SERIES)
    assert RES_1H not in by_res                           # a 5m block reaches 1h at 10 days' length


def test_the_block_older_than_the_raw_retention_is_marked_for_deletion_and_the_rest_stay(compacted):
    a, metas, marked, shipped = compacted["a"], compacted["metas"], compacted["marked"], compacted["shipped"]
    (old,) = [u for u, m in shipped.items() if m["minTime"] < a]
    assert old in marked
    assert compacted["written"]["old"] == len(SERIES) * 2 * HOUR // MINUTE
    after = {u for u, m in shipped.items() if m["minTime"] >= a + 2 * DAY}
    assert len(after) == 2 and not after & marked         # the last two 2h blocks: untouched
    made = {u for u in metas if u not in shipped and u not in marked}
    assert len(made) == 2                                 # the 2-day raw block and its 5m copy
    assert set(metas) - marked == after | made            # and nothing else stays
