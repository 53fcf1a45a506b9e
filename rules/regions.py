"""The region table: every per-region fact of the platform design (seed sections 1.1-1.3, 6.1, 6.2).

Renderers ask these attributes; none of them tests a region's name. Where the seed is silent
the value is marked `# assumed`.
"""
from obsgen.model import Channel, GlobalView, Region

# Seed 6.2 notification_channels. SLO burn-rate tiers: page -> PagerDuty, ticket -> #alerts-warnings.
# Warnings notify within business hours only (they page nobody; the alert stays active overnight).
PAGERDUTY = Channel("pagerduty", "platform-oncall", severities=("critical",), slo_tiers=("page",), secret_env="PAGERDUTY_INTEGRATION_KEY")
SLACK_CRITICAL = Channel("slack", "#alerts-critical", severities=("critical",), secret_env="SLACK_WEBHOOK_URL")
# Info alerts join the warnings' channel, in office hours too.
SLACK_WARNINGS = Channel("slack", "#alerts-warnings", severities=("warning", "info"), slo_tiers=("ticket",), business_hours_only=True, secret_env="SLACK_WEBHOOK_URL")
SLACK_BUSINESS = Channel("slack", "#business-metrics", severities=(), groups=("business",), secret_env="SLACK_WEBHOOK_URL")
EMAIL = Channel("email", "oncall@covergen.ai,engineering@covergen.ai", severities=("critical",), secret_env="SMTP_PASSWORD",
                options={"smarthost": "smtp.covergen.ai:587", "from": "alertmanager@covergen.ai", "auth_username": "alertmanager"})  # assumed
# Seed 6.4 GDPR Violation Detection: alert compliance_team. Alerts labelled team="compliance" go
# there and nowhere else (not to the generic pager).
COMPLIANCE = Channel("email", "compliance@covergen.ai", severities=(), teams=("compliance",), secret_env="SMTP_PASSWORD",  # assumed address
                     options={"smarthost": "smtp.covergen.ai:587", "from": "alertmanager@covergen.ai", "auth_username": "alertmanager"})  # assumed
# Seed 6.2 pagerduty escalation_policy P15MIN: a critical alert still firing and not silenced
# (acknowledged) 15 minutes after it began pages the on-call lead.
ESCALATION = Channel("pagerduty", "platform-oncall-lead", severities=(), escalate_after="15m",
                     secret_env="PAGERDUTY_ESCALATION_KEY")  # assumed: the lead's PagerDuty service


def deadmans_switch(url: str) -> Channel:
    """Receives only the always-firing Watchdog; the service behind the URL pages when the
    pings stop (the region's Prometheus, or its Alertmanager, is gone). URL assumed."""
    return Channel("webhook", url, severities=(), watchdog=True)


GLOBAL_CHANNELS = (PAGERDUTY, SLACK_CRITICAL, SLACK_WARNINGS, SLACK_BUSINESS, EMAIL, COMPLIANCE, ESCALATION)

REGIONS = (
    Region(
        name="us-east",
        provider="Google Cloud",
        cloud_region="us-east1",
        prometheus_url="https://prometheus-us-east.covergen.ai",
        grafana_url="https://grafana-us-east.covergen.ai",  # assumed
        # assumed: Prometheus runs as a replica pair here (a and b), each with its sidecar
        thanos_sidecars=("thanos-sidecar-us-east-a.covergen.ai:10901", "thanos-sidecar-us-east-b.covergen.ai:10901"),
        alertmanager_url="https://alertmanager-us-east.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        retention_size="1TB",  # seed 6.1 storage_size
        isolated=False,
        residency="OPTIONAL",
        cross_border="ALLOWED",
        regulations=("CCPA", "COPPA", "SOX"),
        audit_retention="7y",
        timezone="America/New_York",
        business_hours="09:00-17:00",
        loki_url="https://loki-us-east.covergen.ai",  # assumed: the seed names no Loki
        elasticsearch_url="https://elasticsearch-us-east.covergen.ai",  # assumed URL; seed 6.4 central_storage regions us_east, eu_west
        channels=(*GLOBAL_CHANNELS, deadmans_switch("https://deadmans-switch.covergen.ai/ping/us-east")),
    ),
    Region(
        name="eu-west",
        provider="Google Cloud",
        cloud_region="europe-west3",
        prometheus_url="https://prometheus-eu-west.covergen.ai",
        grafana_url="https://grafana-eu-west.covergen.ai",  # assumed
        thanos_sidecars=("thanos-sidecar-eu-west.covergen.ai:10901",),  # assumed
        alertmanager_url="https://alertmanager-eu-west.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        retention_size="500GB",  # seed 6.1 storage_size
        isolated=False,
        residency="MANDATORY",
        cross_border="RESTRICTED",
        regulations=("GDPR", "Digital Services Act", "ePrivacy Directive"),
        audit_retention="6y",
        timezone="Europe/Berlin",
        business_hours="09:00-17:00",
        loki_url="https://loki-eu-west.covergen.ai",  # assumed: the seed names no Loki
        elasticsearch_url="https://elasticsearch-eu-west.covergen.ai",  # assumed URL; seed 6.4 central_storage regions us_east, eu_west
        channels=(*GLOBAL_CHANNELS, deadmans_switch("https://deadmans-switch.covergen.ai/ping/eu-west")),
        anonymize_alerts=True,  # 6.2: gdpr_compliance: alert_data_anonymization
    ),
    Region(
        name="ap-southeast",
        provider="Google Cloud",
        cloud_region="asia-southeast1",
        prometheus_url="https://prometheus-ap-southeast.covergen.ai",
        grafana_url="https://grafana-ap-southeast.covergen.ai",  # assumed
        thanos_sidecars=("thanos-sidecar-ap-southeast.covergen.ai:10901",),  # assumed
        # The seed lists no regional Alertmanager here: ap-southeast uses the global one.
        alertmanager_url="https://alertmanager.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        retention_size="500GB",  # seed 6.1 storage_size
        isolated=False,
        residency="PREFERRED",
        cross_border="WITH_CONSENT",
        regulations=("PDPA (Singapore)", "Privacy Act (Australia)", "PIPEDA"),
        audit_retention="7y",
        timezone="Asia/Singapore",
        business_hours="09:00-17:00",
        loki_url="https://loki-ap-southeast.covergen.ai",  # assumed: the seed names no Loki
        # No Elasticsearch here: seed 6.4 runs the central cluster in us_east and eu_west only.
        channels=(*GLOBAL_CHANNELS, deadmans_switch("https://deadmans-switch.covergen.ai/ping/ap-southeast")),
    ),
    Region(
        name="cn-east",
        provider="Alibaba Cloud",
        cloud_region="cn-hangzhou",
        prometheus_url="https://prometheus-cn-east.covergen.com.cn",
        grafana_url="https://grafana-cn-east.covergen.com.cn",  # assumed
        alertmanager_url="https://alertmanager-cn-east.covergen.com.cn",
        scrape_interval="15s",  # assumed: the seed gives none for cn-east
        evaluation_interval="1m",  # assumed
        retention="15d",  # local regulation
        retention_size="200GB",  # seed 6.1 storage_size
        isolated=True,
        residency="MANDATORY",
        cross_border="PROHIBITED",
        regulations=("Cybersecurity Law", "Data Security Law", "PIPL"),
        audit_retention="3y",
        timezone="Asia/Shanghai",
        business_hours="09:00-18:00",
        loki_url="https://loki-cn-east.covergen.com.cn",  # assumed: the seed names no Loki
        elasticsearch_url="https://elasticsearch-cn-east.covergen.com.cn",  # assumed URL; local_storage (seed 6.4)
        channels=(
            # 6.2 regional_escalation cn_east: notification_channels dingtalk, wechat_work (in-country).
            # DingTalk takes every severity, so business alerts reach it without a group route.
            Channel("dingtalk", "covergen-cn-oncall", severities=("critical", "warning", "info"),
                    slo_tiers=("page", "ticket"), secret_env="DINGTALK_WEBHOOK_URL"),
            Channel("wechat_work", "covergen-cn-oncall", severities=("critical",), slo_tiers=("page",),
                    secret_env="WECHAT_WORK_WEBHOOK_URL"),
            # In-country counterparts of the compliance team, the on-call lead and the switch (assumed).
            Channel("dingtalk", "covergen-cn-compliance", severities=(), teams=("compliance",),
                    secret_env="DINGTALK_WEBHOOK_URL"),
            Channel("wechat_work", "covergen-cn-oncall-lead", severities=(), escalate_after="15m",
                    secret_env="WECHAT_WORK_WEBHOOK_URL"),
            deadmans_switch("https://deadmans-switch.covergen.com.cn/ping/cn-east"),
        ),
    ),
)

GLOBAL = GlobalView(
    query_url="https://thanos-query.covergen.ai",
    ruler_name="thanos-ruler-global",
    alertmanager_url="https://alertmanager.covergen.ai",
    object_storage="s3://covergen-metrics-long-term",
    retention_raw="7d",
    retention_5m="30d",
    retention_1h="1y",
    store_gateways=("thanos-store.covergen.ai:10901",),        # assumed address; seed: 2 replicas behind it
    rulers=("thanos-ruler-global.covergen.ai:10901",),         # assumed address
    evaluation_interval="1m",                                  # assumed
    compaction_schedule="*-*-* 02:00:00",                      # seed 6.1 thanos_compact schedule "0 2 * * *"
    # The global ruler's own alerts (region="global", and RegionDown of a feeding region):
    # the platform's channels, and a switch of its own.
    channels=(*GLOBAL_CHANNELS, deadmans_switch("https://deadmans-switch.covergen.ai/ping/global")),
)
