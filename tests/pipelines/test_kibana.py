"""The log dashboards as Kibana saved objects (no Kibana runs here): every NDJSON line fits the
schemas Kibana's sources give its saved object types (tools/validators/kibana-saved-objects.schema.json),
JSON kept as text included; every reference resolves inside its file, as the import API needs; each
chart reads fields the region's generated index templates map, read back from those templates;
each cluster's data views name only the data streams it stores; the seed's twelve visualizations."""
from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest

from obsgen import names
from obsgen.logs import plan
from tests.pipelines.node import VALIDATORS

SCHEMA = json.loads((VALIDATORS / "kibana-saved-objects.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
INNER = {name: jsonschema.Draft202012Validator({"$ref": f"#/$defs/{name}", "$defs": SCHEMA["$defs"]})
         for name in ("panel", "options", "searchSource", "visState")}

SEED = {
    "operational": ["Error Rate by Service and Region", "Response Time Heatmap", "Top Error Messages",
                    "Geographic User Distribution"],
    "security": ["Failed Authentication Attempts", "Suspicious IP Activity", "API Rate Limit Violations",
                 "Data Access Patterns"],
    "business": ["User Journey Flow", "Feature Usage Statistics", "Conversion Funnel Analysis",
                 "Revenue Attribution by Region"],
}


def _files(tree) -> dict[str, list[dict]]:
    """{generated path: saved objects} of every Kibana import file."""
    out = {p: [json.loads(line) for line in raw.decode().splitlines()] for p, raw in tree.items() if "/kibana/" in p}
    assert out, "no Kibana file rendered: these tests would prove nothing"
    return out


def _errors(obj: dict) -> list[str]:
    """Schema errors of one saved object and of the JSON its attributes keep as text."""
    found = [e.message for e in VALIDATOR.iter_errors(obj)]
    attributes = obj["attributes"]
    inner = []
    if obj["type"] == "dashboard":
        inner += [("panel", p) for p in json.loads(attributes["panelsJSON"])]
        inner.append(("options", json.loads(attributes["optionsJSON"])))
    if obj["type"] == "visualization":
        inner.append(("visState", json.loads(attributes["visState"])))
    if "kibanaSavedObjectMeta" in attributes:
        inner.append(("searchSource", json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])))
    for name, doc in inner:
        found += [f"{name}: {e.message}" for e in INNER[name].iter_errors(doc)]
    return found


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_saved_object_fits_kibanas_schemas(tree):
    for path, objects in _files(tree).items():
        assert len(objects) >= 3, path
        for obj in objects:
            assert _errors(obj) == [], f"{path}: {obj['type']} {obj['id']}"


def test_every_reference_resolves_inside_its_import_file(tree):
    for path, objects in _files(tree).items():
        ids = {(o["type"], o["id"]) for o in objects}
        assert len(ids) == len(objects), f"{path}: two objects share a type and id"
        for obj in objects:
            refs = {r["name"]: r for r in obj["references"]}
            assert all((r["type"], r["id"]) in ids for r in refs.values()), f"{path}: {obj['id']} names an object the file lacks"
            if obj["type"] == "dashboard":
                panels = json.loads(obj["attributes"]["panelsJSON"])
                # Kibana's inject: a panel's references are those named "<panelIndex>:<panelRefName>"
                assert sorted(f"{p['panelIndex']}:{p['panelRefName']}" for p in panels) == sorted(refs), path
            if obj["type"] == "visualization":
                search = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
                assert refs[search["indexRefName"]]["type"] == "index-pattern", path


def test_panels_sit_on_the_48_column_grid_without_overlapping(tree):
    for path, objects in _files(tree).items():
        board = next(o for o in objects if o["type"] == "dashboard")
        cells = set()
        for panel in json.loads(board["attributes"]["panelsJSON"]):
            g = panel["gridData"]
            assert g["x"] + g["w"] <= 48 and g["i"] == panel["panelIndex"], path
            mine = {(x, y) for x in range(g["x"], g["x"] + g["w"]) for y in range(g["y"], g["y"] + g["h"])}
            assert not cells & mine, f"{path}: panel {panel['panelIndex']} overlaps another"
            cells |= mine


def test_each_storage_region_gets_the_seeds_three_dashboards_and_twelve_visualizations(tree, estate):
    files = _files(tree)
    hosting = {r.name for r in estate.regions if r.elasticsearch_url and plan.stored_in(estate, r)}
    assert {p.split("/")[0] for p in files} == hosting == {"us-east", "eu-west", "cn-east"}
    for region in hosting:
        for board, titles in SEED.items():
            objects = files[f"{region}/{names.kibana_file(board)}"]
            assert [o["attributes"]["title"] for o in objects if o["type"] == "visualization"] == titles
            dashboard = objects[0]
            assert dashboard["type"] == "dashboard" and dashboard["id"] == names.kibana_dashboard_id(region, board)
            assert dashboard["attributes"]["description"].startswith(f"({names.HEADER})")


def test_a_clusters_data_views_name_only_the_data_streams_it_stores(tree, estate):
    for path, objects in _files(tree).items():
        region = estate.region(path.split("/")[0])
        stored = [c.region for c in plan.stored_in(estate, region)]
        for view in (o for o in objects if o["type"] == "index-pattern"):
            stream = view["id"].removeprefix(f"obsgen-{region.name}-")
            assert view["attributes"]["title"].split(",") == [f"{stream}-{r}" for r in stored], path
            assert view["attributes"]["timeFieldName"] == "@timestamp"
    cn = [o for p, objs in _files(tree).items() if p.startswith("cn-east/") for o in objs if o["type"] == "index-pattern"]
    assert cn and all(o["attributes"]["title"].endswith("-cn-east") and "," not in o["attributes"]["title"] for o in cn)


def _template_fields(tree, region: str, stream: str, source: str) -> dict[str, dict]:
    """{field: mapping} of the generated index template, keyword twins as fields of their own."""
    raw = tree[f"{region}/{names.es_template_file(names.es_template_name(f'{stream}-{source}'))}"]
    out = {}
    for key, mapping in json.loads(raw)["template"]["mappings"]["properties"].items():
        out[key] = mapping
        for sub, sub_mapping in mapping.get("fields", {}).items():
            out[f"{key}.{sub}"] = sub_mapping
    return out


_KQL_FIELD = re.compile(r'"(?:[^"\\]|\\.)*"|([@A-Za-z_][A-Za-z0-9_.]*)\s*(?::|<=|>=|<|>)')


def test_every_chart_reads_fields_the_regions_index_templates_map_as_aggregatable(tree, estate):
    checked = 0
    for path, objects in _files(tree).items():
        region = path.split("/")[0]
        views = {o["id"]: o for o in objects if o["type"] == "index-pattern"}
        for vis in (o for o in objects if o["type"] == "visualization"):
            view = views[vis["references"][0]["id"]]
            for data_stream in view["attributes"]["title"].split(","):
                stream, source = next((i.stream, data_stream.removeprefix(f"{i.stream}-")) for i in plan.indices(estate)
                                      if data_stream.startswith(f"{i.stream}-"))
                mapped = _template_fields(tree, region, stream, source)
                state = json.loads(vis["attributes"]["visState"])
                for agg in state["aggs"]:
                    if "field" in agg["params"]:
                        field = agg["params"]["field"]
                        assert field in mapped, f"{path}: {state['title']}: {field} is not mapped"
                        assert mapped[field]["type"] not in ("text", "geo_point"), f"{path}: {field} cannot be aggregated"
                        checked += 1
                search = json.loads(vis["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
                queries = [search["query"]["query"]] + [f["input"]["query"] for a in state["aggs"] if a["type"] == "filters"
                                                       for f in a["params"]["filters"]]
                for query in queries:
                    for m in _KQL_FIELD.finditer(query):
                        assert m.group(1) is None or m.group(1) in mapped, f"{path}: {state['title']}: {m.group(1)}"
    assert checked >= 60


def _saved(tree, region="eu-west", board="operational") -> list[dict]:
    return copy.deepcopy(_files(tree)[f"{region}/{names.kibana_file(board)}"])


def _set_json(obj, key, change):
    doc = json.loads(obj["attributes"][key])
    change(doc)
    obj["attributes"][key] = json.dumps(doc)


# (sentence id, which object, how it is broken)
WRONG = [
    ("a misspelt dashboard attribute", 0, lambda o: o["attributes"].update(panelJSON="[]")),
    ("a dashboard without a title", 0, lambda o: o["attributes"].pop("title")),
    ("a refresh interval without pause", 0, lambda o: o["attributes"]["refreshInterval"].pop("pause")),
    ("a panel without its grid position", 0, lambda o: _set_json(o, "panelsJSON", lambda p: p[0].pop("gridData"))),
    ("a panel wider than the grid", 0, lambda o: _set_json(o, "panelsJSON", lambda p: p[0]["gridData"].update(w=49))),
    ("a reference without its type", 0, lambda o: o["references"][0].pop("type")),
    ("an unknown saved object type", 0, lambda o: o.update(type="dashbaord")),
    ("a migration version that is not a version", 0, lambda o: o.update(typeMigrationVersion="10.2")),
    ("a data view without its title", 1, lambda o: o["attributes"].pop("title")),
    ("a data view attribute Kibana does not know", 1, lambda o: o["attributes"].update(timeField="@timestamp")),
    ("a visualization attribute Kibana does not know", -1, lambda o: o["attributes"].update(visualState="{}")),
    ("an unknown aggregation", -1, lambda o: _set_json(o, "visState", lambda s: s["aggs"][0].update(type="uniq"))),
    ("a terms aggregation without a field", -1,
     lambda o: _set_json(o, "visState", lambda s: next(a for a in s["aggs"] if a["type"] == "terms")["params"].pop("field"))),
    ("an unknown visualization type", -1, lambda o: _set_json(o, "visState", lambda s: s.update(type="sankey"))),
    ("an XY chart with two x axes", 3, lambda o: _set_json(o, "visState", lambda s: s["aggs"][2].update(schema="segment"))),
    ("a heatmap with two metrics", 4, lambda o: _set_json(o, "visState", lambda s: s["aggs"].append(dict(s["aggs"][0], id="9")))),
    ("a table's role on an XY chart", 3, lambda o: _set_json(o, "visState", lambda s: s["aggs"][1].update(schema="bucket"))),
    ("a query language Kibana does not have", -1,
     lambda o: o["attributes"]["kibanaSavedObjectMeta"].update(searchSourceJSON=json.dumps({"query": {"query": "", "language": "sql"}}))),
]


@pytest.mark.parametrize("at,breaker", [pytest.param(a, b, id=i) for i, a, b in WRONG])
def test_the_schemas_refuse(tree, at, breaker):
    objects = _saved(tree)
    assert _errors(objects[at]) == []
    breaker(objects[at])
    assert _errors(objects[at])
