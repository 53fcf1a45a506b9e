"""The region table: every per-region fact of the platform design (seed sections 1.1-1.3, 6.1, 6.2).

Renderers ask these attributes; none of them tests a region's name. Where the seed is silent
the value is marked `# assumed`.
"""
from obsgen.model import Channel, GlobalView, Region

# Seed 6.2 notification_channels. SLO burn-rate tiers: page -> PagerDuty, ticket -> #alerts-warnings.
# Warnings notify within business hours only (they page nobody; the alert stays active overnight).
PAGERDUTY = Channel("pagerduty", "platform-oncall", severities=("critical",), slo_tiers=("page",), secret_env="PAGERDUTY_INTEGRATION_KEY")
SLACK_CRITICAL = Channel("slack", "#alerts-critical", severities=("critical",), secret_env="SLACK_WEBHOOK_URL")
SLACK_WARNINGS = Channel("slack", "#alerts-warnings", severities=("warning",), slo_tiers=("ticket",), business_hours_only=True, secret_env="SLACK_WEBHOOK_URL")
SLACK_BUSINESS = Channel("slack", "#business-metrics", severities=(), groups=("business",), secret_env="SLACK_WEBHOOK_URL")
EMAIL = Channel("email", "oncall@covergen.ai,engineering@covergen.ai", severities=("critical",), secret_env="SMTP_PASSWORD",
                options={"smarthost": "smtp.covergen.ai:587", "from": "alertmanager@covergen.ai", "auth_username": "alertmanager"})  # assumed
GLOBAL_CHANNELS = (PAGERDUTY, SLACK_CRITICAL, SLACK_WARNINGS, SLACK_BUSINESS, EMAIL)

REGIONS = (
    Region(
        name="us-east",
        provider="Google Cloud",
        cloud_region="us-east1",
        prometheus_url="https://prometheus-us-east.covergen.ai",
        grafana_url="https://grafana-us-east.covergen.ai",  # assumed
        thanos_sidecar="thanos-sidecar-us-east.covergen.ai:10901",  # assumed
        alertmanager_url="https://alertmanager-us-east.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        isolated=False,
        residency="OPTIONAL",
        cross_border="ALLOWED",
        regulations=("CCPA", "COPPA", "SOX"),
        audit_retention="7y",
        timezone="America/New_York",
        business_hours="09:00-17:00",
        loki_url="https://loki-us-east.covergen.ai",  # assumed: the seed names no Loki
        elasticsearch_url="https://elasticsearch-us-east.covergen.ai",  # assumed URL; seed 6.4 central_storage regions us_east, eu_west
        channels=GLOBAL_CHANNELS,
    ),
    Region(
        name="eu-west",
        provider="Google Cloud",
        cloud_region="europe-west3",
        prometheus_url="https://prometheus-eu-west.covergen.ai",
        grafana_url="https://grafana-eu-west.covergen.ai",  # assumed
        thanos_sidecar="thanos-sidecar-eu-west.covergen.ai:10901",  # assumed
        alertmanager_url="https://alertmanager-eu-west.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        isolated=False,
        residency="MANDATORY",
        cross_border="RESTRICTED",
        regulations=("GDPR", "Digital Services Act", "ePrivacy Directive"),
        audit_retention="6y",
        timezone="Europe/Berlin",
        business_hours="09:00-17:00",
        loki_url="https://loki-eu-west.covergen.ai",  # assumed: the seed names no Loki
        elasticsearch_url="https://elasticsearch-eu-west.covergen.ai",  # assumed URL; seed 6.4 central_storage regions us_east, eu_west
        channels=GLOBAL_CHANNELS,
        anonymize_alerts=True,  # 6.2: gdpr_compliance: alert_data_anonymization
    ),
    Region(
        name="ap-southeast",
        provider="Google Cloud",
        cloud_region="asia-southeast1",
        prometheus_url="https://prometheus-ap-southeast.covergen.ai",
        grafana_url="https://grafana-ap-southeast.covergen.ai",  # assumed
        thanos_sidecar="thanos-sidecar-ap-southeast.covergen.ai:10901",  # assumed
        # The seed lists no regional Alertmanager here: ap-southeast uses the global one.
        alertmanager_url="https://alertmanager.covergen.ai",
        scrape_interval="15s",
        evaluation_interval="1m",  # assumed
        retention="30d",
        isolated=False,
        residency="PREFERRED",
        cross_border="WITH_CONSENT",
        regulations=("PDPA (Singapore)", "Privacy Act (Australia)", "PIPEDA"),
        audit_retention="7y",
        timezone="Asia/Singapore",
        business_hours="09:00-17:00",
        loki_url="https://loki-ap-southeast.covergen.ai",  # assumed: the seed names no Loki
        # No Elasticsearch here: seed 6.4 runs the central cluster in us_east and eu_west only.
        channels=GLOBAL_CHANNELS,
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
            Channel("dingtalk", "covergen-cn-oncall", severities=("critical", "warning"),
                    slo_tiers=("page", "ticket"), secret_env="DINGTALK_WEBHOOK_URL"),
            Channel("wechat_work", "covergen-cn-oncall", severities=("critical",), slo_tiers=("page",),
                    secret_env="WECHAT_WORK_WEBHOOK_URL"),
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
)
