"""The seed's aggregation rules (section 6.3): regional rates, and the global view over them.

The seed's regional error rate divided a by-region sum by a by-region sum; kept as written.
The global rules run in the Thanos ruler; obsgen narrows their selectors to the regions that
feed the global view, so cn-east never enters them.
"""
from obsgen.model import GlobalRecording, Recording

REGIONAL = (
    Recording(
        name="region:http_request_rate5m",
        expr="sum(rate(http_requests_total[5m])) by (region)",
        group="regional-aggregation",
    ),
    Recording(
        name="region:error_rate5m",
        expr=(
            'sum(rate(http_requests_total{status=~"5.."}[5m])) by (region)\n'
            "  / sum(rate(http_requests_total[5m])) by (region)"
        ),
        group="regional-aggregation",
    ),
)

GLOBAL = (
    GlobalRecording(
        name="global:total_request_rate5m",
        expr="sum(region:http_request_rate5m)",
        group="aggregation",
    ),
    GlobalRecording(
        name="global:weighted_error_rate5m",
        expr="sum(region:error_rate5m * region:http_request_rate5m) / sum(region:http_request_rate5m)",
        group="aggregation",
    ),
)
