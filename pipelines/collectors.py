"""The regional log collectors of seed 6.4 (log_collectors.fluentd_regional), run as Fluent Bit."""
from obsgen.model.pipeline import LogCollector
from pipelines.indices import PII

COLLECTORS = (
    LogCollector(region="us-east", replicas=3, buffer_size="1GB", flush_interval="10s"),
    LogCollector(
        region="eu-west", replicas=2, buffer_size="500MB",
        flush_interval="10s",  # assumed: the seed gives us_east's only
        anonymize=PII,         # gdpr_compliance: log_anonymization, hash_with_salt
    ),
    LogCollector(
        region="ap-southeast", replicas=2, buffer_size="500MB",
        flush_interval="10s",  # assumed
        # assumed: the central cluster runs in us_east and eu_west only (6.4); ap-southeast's
        # residency is PREFERRED, so its logs are stored in us-east. Its transfers need consent
        # (1.3 WITH_CONSENT), which the pipeline cannot see: personal data leaves hashed.
        elasticsearch_region="us-east",
        anonymize=PII,
    ),
    LogCollector(
        region="cn-east", replicas=1, buffer_size="200MB",
        flush_interval="10s",  # assumed
        local_storage=True,    # data residency: cn_east log_routing local_only
    ),
)
