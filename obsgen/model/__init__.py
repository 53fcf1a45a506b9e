"""obsgen's domain model: frozen dataclasses, no rendering, no IO."""
from obsgen.model.estate import Estate, applies
from obsgen.model.region import Channel, GlobalView, Region
from obsgen.model.rules import SEVERITIES, Alert, AlertCase, GlobalRecording, Recording
from obsgen.model.slo import SLI, SLO, BurnWindow, EventRatio, LatencyThreshold, RawRatio

__all__ = [
    "Alert", "AlertCase", "BurnWindow", "Channel", "Estate", "EventRatio", "GlobalRecording",
    "GlobalView", "LatencyThreshold", "RawRatio", "Recording", "Region", "SEVERITIES", "SLI",
    "SLO", "applies",
]
