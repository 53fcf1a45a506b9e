"""obsgen's domain model: frozen dataclasses, no rendering, no IO."""
from obsgen.model.estate import Estate, applies
from obsgen.model.region import Channel, CrossBorder, GlobalView, Region, Residency, RuleFormat
from obsgen.model.rules import SEVERITIES, Alert, AlertCase, GlobalAlert, GlobalRecording, Recording
from obsgen.model.slo import SLI, SLO, BurnWindow, EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio  # noqa: F401 (BurnWindow: obsgen.policy)

__all__ = [
    "Alert", "AlertCase", "BurnWindow", "Channel", "CrossBorder", "Estate", "EventRatio", "GlobalAlert", "GlobalRecording",
    "GlobalView", "LatencyThreshold", "NativeLatencyThreshold", "RawRatio", "Recording", "Region", "Residency", "RuleFormat", "SEVERITIES", "SLI",
    "SLO", "applies",
]
