"""A dashboard the payments team wrote with grafanalib before obsgen. obsgen renders and checks
it like its own (GrafanalibDashboard): the graph panel becomes a time series, and grafanalib's
legacy fields are not carried over."""
import grafanalib.core as G

from obsgen.model.dashboard import GrafanalibDashboard

_payments = G.Dashboard(
    title="Payments (team)",
    description="The payments team's own view of checkout.",
    tags=["payments"],
    panels=[
        G.RowPanel(title="Checkout", gridPos=G.GridPos(h=1, w=24, x=0, y=0)),
        G.Graph(
            title="Payments attempted and failed",
            targets=[
                G.Target(expr="sum(rate(payment_attempts_total[5m]))", legendFormat="attempted", refId="A"),
                G.Target(expr="sum(rate(payment_failed_total[5m]))", legendFormat="failed", refId="B"),
            ],
            yAxes=G.YAxes(G.YAxis(format=G.OPS_FORMAT)),
            gridPos=G.GridPos(h=8, w=16, x=0, y=1),
        ),
        G.Stat(
            title="Completed today",
            targets=[G.Target(expr="sum(increase(payment_completed_total[1d]))", refId="A")],
            format="short",
            gridPos=G.GridPos(h=8, w=8, x=16, y=1),
        ),
    ],
).auto_panel_ids()

PAYMENTS_TEAM = GrafanalibDashboard(name="payments-team", dashboard=_payments)
