"""Synthetic traffic with exact ground truth (pure; IO only in ``write_openmetrics``)."""

from obsgen.synth.model import (
    DAY,
    HOUR,
    Diurnal,
    ErrorCounter,
    Gap,
    Incident,
    Latency,
    OutcomeLabel,
    Scenario,
    Stream,
    stream,
)
from obsgen.synth.openmetrics import BLOCK_SECONDS, iter_write_openmetrics, render_window, window_starts, write_openmetrics
from obsgen.synth.series import Series, all_series, bucket_series, format_le, histogram_count_series, request_and_error_series, stream_samples
from obsgen.synth.truth import Counts, LatencyCounts, counts, increase, increases, latency_counts, sample_value, select, served

__all__ = [
    "BLOCK_SECONDS",
    "DAY",
    "HOUR",
    "Counts",
    "Diurnal",
    "ErrorCounter",
    "Gap",
    "Incident",
    "Latency",
    "LatencyCounts",
    "OutcomeLabel",
    "Scenario",
    "Series",
    "Stream",
    "all_series",
    "bucket_series",
    "counts",
    "format_le",
    "histogram_count_series",
    "increase",
    "increases",
    "iter_write_openmetrics",
    "latency_counts",
    "render_window",
    "request_and_error_series",
    "sample_value",
    "select",
    "served",
    "stream",
    "stream_samples",
    "window_starts",
    "write_openmetrics",
]
