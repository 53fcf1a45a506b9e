"""cn-east never enters the global tier: no Thanos file, global rule or store list names its
endpoints (or, in the Thanos files, its name); and the check catches one slipped into any of them."""
from __future__ import annotations

import copy

import pytest

from obsgen import names
from obsgen.render.thanos import isolation
from obsgen.render.thanos.isolation import IsolationError


def _global(documents):
    return isolation.global_documents(documents)


def test_the_built_global_tier_holds_nothing_of_an_isolated_region(estate, documents):
    assert [r.name for r in estate.regions if not r.feeds_global] == ["cn-east"]
    files = _global(documents)
    assert f"{names.GLOBAL_DIR}/{names.THANOS_QUERY_STORES_FILE}" in files
    assert f"us-east/{names.THANOS_OBJSTORE_FILE}" in files
    assert not [p for p in documents if p.startswith("cn-east/thanos/")], "cn-east runs no sidecar"
    assert isolation.violations(estate, files) == []


def test_query_reads_the_feeding_sidecars_the_store_gateway_and_the_ruler_only(estate, documents):
    stores = documents[f"{names.GLOBAL_DIR}/{names.THANOS_QUERY_STORES_FILE}"]
    assert all(e["strict"] for e in stores["endpoints"])
    targets = [e["address"] for e in stores["endpoints"]]
    assert targets == sorted(a for r in estate.global_regions for a in r.thanos_sidecars) + [
        *estate.global_view.store_gateways, *estate.global_view.rulers]
    # us-east's replica pair: both sidecars, each its own endpoint (dedup merges them in Query).
    assert [a for a in targets if "us-east" in a] == ["thanos-sidecar-us-east-a.covergen.ai:10901",
                                                      "thanos-sidecar-us-east-b.covergen.ai:10901"]


def _cn_east(estate):
    return estate.region("cn-east")


def _slip(doc, value):
    """The document with `value` added where a config would carry an endpoint."""
    doc = copy.deepcopy(doc)
    if isinstance(doc, bytes):
        return doc.replace(b"ExecStart=", f"ExecStart=/bin/env EXTRA={value} ".encode(), 1) if b"ExecStart=" in doc \
            else doc + f"\n# {value}\n".encode()
    if isinstance(doc, list):
        return [*doc, {"static_configs": [value]}]
    return {**doc, "slipped_in": value}


def _endpoints(estate):
    cn = _cn_east(estate)
    return {
        "Prometheus URL": cn.prometheus_url,
        "Alertmanager URL": cn.alertmanager_url,
        "a sidecar address on its host": f"{cn.prometheus_url.split('//')[1]}:10901",
    }


@pytest.mark.parametrize("what", ["Prometheus URL", "Alertmanager URL", "a sidecar address on its host"])
def test_a_cn_east_endpoint_slipped_into_any_global_file_is_caught(estate, documents, what):
    value = _endpoints(estate)[what]
    files = _global(documents)
    assert len(files) > 20
    for path, doc in files.items():  # each file alone (the rest is clean: the test above)
        found = isolation.violations(estate, {path: _slip(doc, value)})
        assert found and all(f.startswith(f"{path}:") for f in found), path


def test_cn_east_named_in_a_thanos_selector_is_caught_but_the_alertmanager_may_name_it_to_drop_it(estate, documents):
    files = _global(documents)
    rules = f"{names.GLOBAL_DIR}/thanos/rules/aggregation.yml"
    text = copy.deepcopy(files[rules])
    text["groups"][0]["rules"][0]["expr"] = 'sum(region:http_request_rate5m{region=~"us-east|cn-east"})'
    assert isolation.violations(estate, {rules: text}) == [f"{rules}: region name cn-east of isolated region cn-east"]
    am = f"{names.GLOBAL_DIR}/{names.alertmanager_file()}"
    assert "cn-east" in str(files[am]) and isolation.violations(estate, {am: files[am]}) == []


def test_the_renderer_refuses_to_write_a_global_tier_that_names_an_isolated_endpoint(estate):
    import dataclasses

    from obsgen.render import thanos

    cn = _cn_east(estate)
    leaky = dataclasses.replace(estate.global_view, store_gateways=(*estate.global_view.store_gateways,
                                                                   f"{cn.prometheus_url.split('//')[1]}:10905"))
    with pytest.raises(IsolationError, match="cn-east"):
        thanos.render_global(dataclasses.replace(estate, global_view=leaky))


@pytest.mark.parametrize("replica", [0, 1])
def test_a_cn_east_host_as_any_one_sidecar_of_a_replica_pair_is_caught(estate, replica):
    """Each sidecar of a pair counts, not only the first. (The estate's validation refuses the same
    at file:line: tests/foundation/test_bad_input_safety.py, "another region's second sidecar".)"""
    import dataclasses

    from obsgen.render import thanos

    us = estate.region("us-east")
    assert len(us.thanos_sidecars) == 2
    sidecars = list(us.thanos_sidecars)
    sidecars[replica] = f"{_cn_east(estate).prometheus_url.split('//')[1]}:10901"
    leaky = dataclasses.replace(estate, regions=tuple(
        dataclasses.replace(r, thanos_sidecars=tuple(sidecars)) if r.name == "us-east" else r for r in estate.regions))
    with pytest.raises(IsolationError, match="endpoint prometheus-cn-east.covergen.com.cn of isolated region cn-east"):
        thanos.render_global(leaky)
