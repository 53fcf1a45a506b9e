"""Dashboards as code: model -> grafana-foundation-sdk -> house rules -> JSON, per Grafana."""
