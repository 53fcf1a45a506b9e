"""One small SDK builder per current panel type, each setting every option its schema requires."""
from __future__ import annotations

from grafana_foundation_sdk.builders import common as cb
from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.builders import gauge, stat, statetimeline, table, timeseries
from grafana_foundation_sdk.models import common as cm
from grafana_foundation_sdk.models import dashboard as dm

from obsgen.model.dashboard import Panel, Threshold

BASE = Threshold(None, "green")


def _legend():
    return cb.VizLegendOptions().display_mode(cm.LegendDisplayMode.LIST).placement(
        cm.LegendPlacement.BOTTOM).show_legend(True).calcs([])


def _tooltip():
    return cb.VizTooltipOptions().mode(cm.TooltipDisplayMode.MULTI).sort(cm.SortOrder.NONE)


def _last_value():
    return cb.ReduceDataOptions().calcs(["lastNotNull"]).values(False)


def _timeseries(panel: Panel):
    style = cm.GraphThresholdsStyleMode.LINE if panel.draw_thresholds else cm.GraphThresholdsStyleMode.OFF
    return (timeseries.Panel().legend(_legend()).tooltip(_tooltip())
            .line_width(1).fill_opacity(10).show_points(cm.VisibilityMode.NEVER)
            .thresholds_style(cb.GraphThresholdsStyleConfig().mode(style)))


def _stat(panel: Panel):
    return (stat.Panel().reduce_options(_last_value()).graph_mode(cm.BigValueGraphMode.AREA)
            .color_mode(cm.BigValueColorMode.VALUE).text_mode(cm.BigValueTextMode.AUTO))


def _gauge(panel: Panel):
    return gauge.Panel().reduce_options(_last_value()).show_threshold_markers(True).show_threshold_labels(False)


def _table(panel: Panel):
    return table.Panel().frame_index(0).show_header(True).align(cm.FieldTextAlignment.AUTO)


def _state_timeline(panel: Panel):
    return (statetimeline.Panel().legend(_legend()).tooltip(_tooltip()).show_value(cm.VisibilityMode.AUTO)
            .row_height(0.9).merge_values(True).fill_opacity(70).line_width(0))


BUILDERS = {
    "timeseries": _timeseries,
    "stat": _stat,
    "gauge": _gauge,
    "table": _table,
    "state-timeline": _state_timeline,
}


def thresholds(panel: Panel):
    steps = panel.thresholds or ()
    if not steps or steps[0].value is not None:
        steps = (BASE, *steps)
    return db.ThresholdsConfig().mode(dm.ThresholdsMode.ABSOLUTE).steps(
        [dm.Threshold(value=s.value, color=s.color) for s in steps])


def builder(panel: Panel):
    """The SDK panel builder for `panel`, its options and field defaults set; no queries, no place."""
    b = BUILDERS[panel.type](panel).title(panel.title).unit(panel.unit).thresholds(thresholds(panel))
    if panel.description:
        b = b.description(panel.description)
    if panel.min is not None:
        b = b.min(panel.min)
    if panel.max is not None:
        b = b.max(panel.max)
    if panel.links:
        b = b.links([link(x) for x in panel.links])
    return b


def link(x):
    return (db.DashboardLink(x.title).type(dm.DashboardLinkType.LINK).url(x.url).icon("doc").tooltip("")
            .tags([]).as_dropdown(False).target_blank(True).include_vars(False).keep_time(False))
