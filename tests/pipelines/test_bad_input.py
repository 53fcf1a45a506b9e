"""Every broken log pipeline definition stops the build with exit 2 and one line naming
file:line and the object, and leaves generated/ as it was."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.foundation.estate_builder import REGIONS, snapshot, write_estate

# alpha: open; beta: cross_border RESTRICTED; gamma: isolated; delta: hosts no Elasticsearch;
# epsilon: transfers WITH_CONSENT.
TABLE = REGIONS.split("REGIONS = ")[0] + '''\
def logs(name, **over):
    urls = dict(loki_url=f"https://loki-{name}.example", elasticsearch_url=f"https://es-{name}.example")
    return region(name, **{**urls, **over})

REGIONS = (logs("alpha"), logs("beta", cross_border="RESTRICTED"), logs("gamma", isolated=True),
           logs("delta", elasticsearch_url=None), logs("epsilon", cross_border="WITH_CONSENT"))
'''

BASE = '''\
from obsgen.model.pipeline import LogAlert, LogCollector, LogIndex

APP = LogIndex(name="application_logs", stream="app-logs", pattern="app-logs-{region}-{date}", retention="30d",
               shards=3, replicas=1, pii_fields=("user_email", "ip_address"), label_keys=("level",))
ALPHA = LogCollector(region="alpha", replicas=1, buffer_size="100MB", flush_interval="10s")
'''

I = "from obsgen.model.pipeline import LogAlert, LogCollector, LogIndex, LogPipeline\n"


def index(**over) -> str:
    fields = dict(name="audit_logs", stream="audit-logs", pattern="audit-logs-{region}-{date}", retention="7y", shards=1, replicas=1)
    fields.update(over)
    return I + f"X = LogIndex({', '.join(f'{k}={v!r}' for k, v in fields.items())})\n"


def collector(**over) -> str:
    fields = dict(region="beta", replicas=1, buffer_size="100MB", flush_interval="10s", anonymize=("user_email", "ip_address"))
    fields.update(over)
    return I + f"X = LogCollector({', '.join(f'{k}={v!r}' for k, v in fields.items())})\n"


def alert(**over) -> str:
    fields = dict(name="Broken", title="Broken", expr='sum(count_over_time({stream="app-logs"}[5m])) > 1', severity="warning", summary="s")
    fields.update(over)
    return I + f"X = LogAlert({', '.join(f'{k}={v!r}' for k, v in fields.items())})\n"


def pipeline(**over) -> str:
    fields = dict(name="app_parse", stream="app-logs", grok=("^%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{GREEDYDATA:message}$",),
                  date_field="timestamp")
    fields.update(over)
    return I + f"X = LogPipeline({', '.join(f'{k}={v!r}' for k, v in fields.items())})\n"


WEB = ("from obsgen.model.pipeline import LogChart, LogDashboard, LogIndex\n"
       "W = LogIndex(name='web_logs', stream='web-logs', pattern='web-logs-{region}-{date}', retention='30d', shards=1, "
       "replicas=0, pii_fields=('user_email',), mappings={'@timestamp': 'date', 'service': 'keyword', 'message': 'text', "
       "'bytes': 'long', 'location': 'geo_point', 'user_email': 'keyword'})\n")


def board(name="ops", **chart) -> str:
    fields = dict(title="Errors", stream="web-logs", chart="line", over_time=True, by=("service",))
    fields.update(chart)
    return WEB + (f"X = LogDashboard(name={name!r}, title='Ops', "
                  f"charts=(LogChart({', '.join(f'{k}={v!r}' for k, v in fields.items())}),))\n")


# (sentence id, pipelines/bad.py, line, words expected in the message)
CASES = [
    ("a collector in an unknown region", collector(region="mars"), 2, ["log collector mars", "unknown region 'mars'"]),
    ("a malformed flush interval", collector(flush_interval="10 seconds"), 2, ["log collector beta", "flush_interval", "not a Prometheus duration"]),
    ("a malformed buffer size", collector(buffer_size="1 gig"), 2, ["log collector beta", "buffer_size"]),
    ("no replicas", collector(replicas=0), 2, ["log collector beta", "replicas"]),
    ("a salt given as a value", collector(salt_env="s3cr3t-salt"), 2, ["log collector beta", "salt_env must name an environment variable"]),
    ("a consent-only region's logs stored abroad in the clear", collector(region="epsilon", anonymize=(), elasticsearch_region="alpha"), 2,
     ["log collector epsilon", "is not anonymized", "WITH_CONSENT and its logs are stored in alpha"]),
    ("an isolated region's logs routed out of it", collector(region="gamma", anonymize=(), elasticsearch_region="alpha"), 2,
     ["log collector gamma", "region gamma is isolated", "routed to Elasticsearch in alpha"]),
    ("local-only logs routed out of their region", collector(region="delta", anonymize=(), local_storage=True, elasticsearch_region="alpha"), 2,
     ["log collector delta", "keeps local_storage", "routed to Elasticsearch in alpha"]),
    ("a PII field left in the clear where cross_border is RESTRICTED", collector(anonymize=("user_email",)), 2,
     ["log collector beta", "PII field 'ip_address' is not anonymized", "RESTRICTED"]),
    ("another region's logs routed into an isolated region", collector(region="delta", anonymize=(), elasticsearch_region="gamma"), 2,
     ["log collector delta", "region gamma is isolated: it stores no other region's logs"]),
    ("logs routed to a region that hosts no Elasticsearch", collector(region="gamma", anonymize=(), elasticsearch_region="delta"), 2,
     ["log collector gamma", "region delta hosts no Elasticsearch"]),
    ("two regions whose index patterns overlap in one Elasticsearch",
     I + "from rules.regions import logs\nR = logs('alpha-west')\nX = LogCollector(region='alpha-west', replicas=1, buffer_size='100MB', flush_interval='10s', elasticsearch_region='alpha')\n",
     4, ["log collector alpha-west", "would overlap region alpha's", "alpha-* matches alpha-west-*"]),
    ("a collector defined twice", collector(region="alpha"), 2, ["log collector alpha", "defined twice"]),
    ("audit logs kept shorter than the audit retention", index(audit=True, retention="2y"), 2,
     ["log index audit_logs", "retention 2y in region alpha is shorter than its audit retention 7y"]),
    ("an audit override still too short", index(audit=True, retention="7y", retention_overrides={"gamma": "3y"}), 2,
     ["log index audit_logs", "region gamma is shorter"]),
    ("a retention override for an unknown region", index(retention_overrides={"mars": "1y"}), 2, ["log index audit_logs", "unknown region 'mars'"]),
    ("a malformed retention", index(retention="2 years"), 2, ["log index audit_logs", "retention", "not a Prometheus duration"]),
    ("a pattern without the region", index(pattern="audit-logs-{date}"), 2, ["log index audit_logs", "pattern must be"]),
    ("a stream defined twice", index(stream="app-logs", pattern="app-logs-{region}-{date}"), 2, ["log index", "stream 'app-logs' defined twice"]),
    ("no shards", index(shards=0), 2, ["log index audit_logs", "shards"]),
    ("a PII field made a Loki label", index(pii_fields=("user_email",), label_keys=("user_email",)), 2, ["log index audit_logs", "personal data a Loki label"]),
    ("a log alert whose LogQL is unbalanced", alert(expr='sum(count_over_time({stream="x"}[5m]) > 1'), 2, ["log alert Broken", "not a LogQL metric query"]),
    ("a log alert without a stream selector", alert(expr="count_over_time(x[5m]) > 1"), 2, ["log alert Broken", "no stream selector"]),
    # obsgen.logs.logql: what bracket-counting cannot see (each row fails under the old check alone).
    ("a log alert on an unknown range aggregation", alert(expr='sum(frobnicate_over_time({stream="app-logs"}[5m])) > 1'), 2,
     ["log alert Broken", "not a LogQL metric query", "unknown function"]),
    ("a log alert whose range has no duration", alert(expr='sum(count_over_time({stream="app-logs"}[])) > 1'), 2,
     ["log alert Broken", "not a LogQL metric query", "is not a range duration such as 5m"]),
    ("a log alert whose range has no unit", alert(expr='sum(count_over_time({stream="app-logs"}[5])) > 1'), 2,
     ["log alert Broken", "not a LogQL metric query", "is not a range duration such as 5m"]),
    ("a log alert with a line filter before its selector", alert(expr='sum(count_over_time(|= "x" {stream="app-logs"}[5m])) > 1'), 2,
     ["log alert Broken", "not a LogQL metric query"]),
    ("a log alert with a reversed comparison", alert(expr='sum(count_over_time({stream="app-logs"}[5m])) => 1'), 2,
     ["log alert Broken", "not a LogQL metric query"]),
    ("a log alert with a dangling label filter", alert(expr='sum(count_over_time({stream="app-logs"} | json | consent= [5m])) > 0'), 2,
     ["log alert Broken", "not a LogQL metric query", "after consent ="]),
    ("a log alert with a regexp parser without a named capture", alert(expr='sum(count_over_time({stream="app-logs"} | regexp `(\\w+)` [5m])) > 0'), 2,
     ["log alert Broken", "not a LogQL metric query", "named capture"]),
    ("a log alert with a line filter regex RE2 refuses", alert(expr='sum(count_over_time({stream="app-logs"} |~ `a(?=b)` [5m])) > 0'), 2,
     ["log alert Broken", "not a LogQL metric query", "not RE2"]),
    ("a log alert summing values it never unwrapped", alert(expr='sum(sum_over_time({stream="app-logs"}[5m])) > 0'), 2,
     ["log alert Broken", "not a LogQL metric query", "without unwrap"]),
    ("a log alert that is a log query", alert(expr='{stream="app-logs"} |= "error"'), 2,
     ["log alert Broken", "not a LogQL metric query", "an alert needs a metric query"]),
    ("a log alert whose where field cannot name a Loki label", alert(expr="", stream="app-logs", where={"@timestamp": "x"}), 2,
     ["log alert Broken", "not a LogQL metric query", "'@'"]),
    ("a log alert with an unknown severity", alert(severity="sev1"), 2, ["log alert Broken", "unknown severity"]),
    ("a log alert for an unknown region", alert(regions=("mars",)), 2, ["log alert Broken", "unknown region 'mars'"]),
    ("a log alert with a malformed for", alert(for_="5 min"), 2, ["log alert Broken", "for_"]),
    ("a log alert on a stream no index defines", alert(expr='sum(count_over_time({stream="debug-logs"}[5m])) > 1'), 2,
     ["log alert Broken", "selects stream 'debug-logs', which no LogIndex defines"]),
    ("a log alert on a label its stream does not carry", alert(expr='sum(count_over_time({stream="app-logs", service="api"}[5m])) > 1'), 2,
     ["log alert Broken", "matches label 'service', which stream 'app-logs' does not carry"]),
    ("a log alert whose selector names no stream", alert(expr='sum(count_over_time({level="ERROR"}[5m])) > 1'), 2,
     ["log alert Broken", 'selects no stream with stream="..."']),
    ("a grok naming a pattern that does not exist", pipeline(grok=("%{TIMESTAMP_ISO8601:ts} %{LOGLVL:level}",)), 2,
     ["log pipeline app_parse", "does not compile", "unknown pattern %{LOGLVL}"]),
    ("a grok whose regex does not compile", pipeline(grok=("%{WORD:w} (unclosed",)), 2,
     ["log pipeline app_parse", "does not compile"]),
    ("a geoip on a field the grok does not capture", pipeline(geoip="client_ip"), 2,
     ["log pipeline app_parse", "geoip 'client_ip' is no field its grok captures"]),
    ("an unknown geoip property", pipeline(grok=("^%{IP:clientip} %{GREEDYDATA:rest}$",), date_field=None, geoip="clientip",
                                          geoip_properties=("country_iso_code", "street_name")), 2,
     ["log pipeline app_parse", "unknown geoip property 'street_name'"]),
    ("IP anonymization of a field the grok does not capture", pipeline(anonymize_ip=("clientip",)), 2,
     ["log pipeline app_parse", "anonymize_ip 'clientip' is no field"]),
    ("a date field the grok does not capture", pipeline(date_field="ts"), 2, ["log pipeline app_parse", "date_field 'ts'"]),
    ("a salt given literally instead of the variable that holds it", pipeline(hash_fields=("user_email",), salt_secret="pepper-9f2c1d"), 2,
     ["log pipeline app_parse", "salt_secret must name the environment variable", "a str of 13 characters"]),
    ("a pipeline for a stream no index defines", pipeline(stream="debug-logs"), 2,
     ["log pipeline app_parse", "stream 'debug-logs' is no LogIndex's stream"]),
    ("a pipeline that parses nothing", pipeline(grok=(), date_field=None), 2, ["log pipeline app_parse", "parses nothing"]),
    ("two pipelines for one stream", pipeline() + "Y = LogPipeline(name='again', stream='app-logs', json=True)\n", 3,
     ["log pipeline again", "stream 'app-logs' has two pipelines"]),
    ("a log alert on a stream no index defines (ElastAlert and Loki form)", alert(expr="", stream="debug-logs", where={"level": "ERROR"}), 2,
     ["log alert Broken", "stream 'debug-logs' is no LogIndex's stream"]),
    ("a log alert matching a field that is hashed before it is stored", alert(expr="", stream="app-logs", where={"user_email": "a@b.example"}), 2,
     ["log alert Broken", "'user_email' is personal data"]),
    ("a log alert with neither a stream nor LogQL", alert(expr=""), 2, ["log alert Broken", "give stream"]),
    ("a log alert with a malformed window", alert(expr="", stream="app-logs", count=5, window="five minutes"), 2, ["log alert Broken", "window"]),
    ("a log alert name with a space", alert(name="High Error Rate"), 2, ["log alert 'High Error Rate'", "letters, digits"]),
    ("a log chart on a stream no index defines", board(stream="debug-logs"), 3,
     ["log dashboard ops: chart 'Errors'", "stream 'debug-logs' is no LogIndex's stream"]),
    ("a log chart grouped by a field its stream does not map", board(by=("host",)), 3,
     ["log dashboard ops: chart 'Errors'", "by: field 'host' is not mapped in stream 'web-logs'"]),
    ("a log chart grouped by a map point", board(by=("location",)), 3, ["by: field 'location' is a geo_point"]),
    ("a log chart grouped by personal data", board(by=("user_email",)), 3, ["by: 'user_email' is personal data"]),
    ("a log chart summing a text field", board(metric="sum:message"), 3, ["metric 'sum:message': field 'message' is a text, not a number"]),
    ("a log chart metric that is no aggregation", board(metric="median"), 3, ["metric must be count or"]),
    ("a log chart filtering on a field its stream does not map", board(where='level : "ERROR"'), 3,
     ["where: field 'level' is not mapped in stream 'web-logs'", "matches nothing"]),
    ("a log chart filtering on personal data", board(where='user_email : "ada@example.org"'), 3,
     ["where: 'user_email' is personal data"]),
    ("a log chart of an unknown kind", board(chart="sankey"), 3, ["unknown chart 'sankey'"]),
    ("a heatmap without rows", board(chart="heatmap", by=()), 3, ["a heatmap needs over_time and one row field"]),
    ("a log dashboard name that cannot name a file", board(name="Ops Board"), 3, ["log dashboard 'Ops Board'", "lower-case"]),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_estate(tmp_path_factory.mktemp("estate"), extra={"pipelines/base.py": BASE}, replace={"rules/regions.py": TABLE})
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "generated" / "alpha" / "fluent-bit" / "fluent-bit.yaml").is_file()
    return root


@pytest.mark.parametrize("content,line,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_log_definition_is_refused_and_generated_is_untouched(built, tmp_path, content, line, words):
    root = tmp_path / "estate"
    shutil.copytree(built, root)
    before = snapshot(root / "generated")
    (root / "pipelines" / "bad.py").write_text(content)

    result = CliRunner().invoke(main, ["build", "--root", str(root)])

    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    # A duplicate is reported at one of its two places and names the other.
    assert message.startswith("error: pipelines/") and f"pipelines/bad.py:{line}" in message, message
    for word in words:
        assert word in message, message
    assert snapshot(root / "generated") == before
    assert "pepper-9f2c1d" not in result.output   # a literal salt is a secret: never echoed
