"""OpenMetrics files: structure, and what the real promtool imports from them."""

import json
import re
import subprocess
from collections import defaultdict

import pytest

from obsgen import tools
from obsgen.synth import (
    BLOCK_SECONDS,
    HOUR,
    Gap,
    Latency,
    Scenario,
    all_series,
    render_window,
    stream,
    stream_samples,
    window_starts,
    write_openmetrics,
)

END = 1_700_006_400 + 1_800  # not on a 2h boundary: first and last windows are partial



def scenario() -> Scenario:
    return Scenario(
        end=END,
        duration=5 * HOUR,
        step=60,
        streams=(
            stream(
                "http_requests_total",
                {"svc": "api", "path": '/a"b\\c'},
                rate=3.3,
                error_ratio=0.02,
                latency=Latency("http_request_duration_seconds", (0.05, 0.25, 1), (0.4, 0.9, 0.99)),
                resets=(END - 2 * HOUR,),
                gaps=(Gap(END - 3 * HOUR, 900),),
            ),
            stream("jobs_total", {"svc": "worker"}, rate=0.7, starts_at=END - HOUR),
        ),
    )


def test_windows_are_aligned_to_the_tsdb_block_grid():
    sc = scenario()
    starts = list(window_starts(sc))
    assert all(w % BLOCK_SECONDS == 0 for w in starts)
    assert starts[0] <= sc.start < starts[0] + BLOCK_SECONDS
    assert starts[-1] <= sc.end < starts[-1] + BLOCK_SECONDS
    with pytest.raises(ValueError):
        list(window_starts(sc, 4 * HOUR))


def test_rendered_text_follows_openmetrics_rules():
    sc = scenario()
    for w in window_starts(sc):
        text = "".join(render_window(sc, w))
        assert text.endswith("# EOF\n") and text.count("# EOF") == 1
        seen_families, current, last_ts = [], None, {}
        for line in text.splitlines()[:-1]:
            if line.startswith("# TYPE "):
                _, _, family, kind = line.split()
                assert family not in seen_families, "families must not be interleaved"
                seen_families.append(family)
                current = (family, kind)
                continue
            name_labels, _value, ts = line.rsplit(" ", 2)
            name = name_labels.split("{")[0]
            family, kind = current
            suffixes = ("_total",) if kind == "counter" else ("_bucket", "_count", "_sum")
            assert name.startswith(family) and name[len(family):] in suffixes
            assert w <= int(ts) < w + BLOCK_SECONDS
            assert last_ts.get(name_labels, -1) < int(ts), "timestamps must increase within a series"
            last_ts[name_labels] = int(ts)


def test_rendering_is_deterministic():
    sc = scenario()
    w = list(window_starts(sc))[1]
    assert "".join(render_window(sc, w)) == "".join(render_window(scenario(), w))


def parse_dump(text: str) -> dict[tuple, list[tuple[int, float]]]:
    out = defaultdict(list)
    for line in text.splitlines():
        labels_text, value, ts = line.rsplit(" ", 2)
        pairs = re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', labels_text)
        labels = dict((k, json.loads(f'"{v}"')) for k, v in pairs)
        name = labels.pop("__name__")
        out[(name, tuple(sorted(labels.items())))].append((int(ts), float(value)))
    return out


def _as_stored(labels):
    """Prometheus 3 stores a classic histogram's whole bucket bound le="1" as "1.0"."""
    if tools.prometheus_version() != "3":
        return labels
    return [(k, f"{float(v):.1f}" if k == "le" and v.replace(".", "", 1).isdigit() and float(v).is_integer() else v)
            for k, v in labels]


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
def test_promtool_imports_exactly_the_synthetic_samples(tmp_path):
    promtool = tools.promtool()
    sc = scenario()
    files = write_openmetrics(sc, tmp_path / "om")
    assert len(files) == len(window_starts(sc))
    blocks = tmp_path / "blocks"
    for f in files:
        subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", str(f), str(blocks)], check=True)
    assert len(list(blocks.glob("*/meta.json"))) == len(files)  # one block per 2h file
    (blocks / "wal").mkdir()
    dump = subprocess.run([promtool, "tsdb", "dump", str(blocks)], check=True, capture_output=True, text=True).stdout
    imported = parse_dump(dump)

    expected = {}
    for st in sc.streams:
        samples = stream_samples(sc, st, sc.timestamps())
        for ser in all_series(st):
            key = (ser.name, tuple(sorted(_as_stored(ser.labels))))
            expected[key] = [(t * 1000, v / ser.unit) for t, v in zip(samples.ts, samples.values[ser])]
    assert imported.keys() == expected.keys()
    for key, points in expected.items():
        assert imported[key] == points, key
