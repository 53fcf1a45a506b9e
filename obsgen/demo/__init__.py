"""`obsgen demo`: the release gate against local Prometheus servers holding synthetic history
made from the estate's own SLO definitions."""
