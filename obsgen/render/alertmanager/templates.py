"""Notification text, as Go templates written inline in each receiver.

Every template is explicit: Alertmanager's defaults print all labels and annotations (the
`__subject` of Slack fallbacks, PagerDuty descriptions and email subjects lists the common
labels; PagerDuty details and email bodies list every alert's labels), which a region without
user data must not send. Such a region's text names only the allow-listed labels."""
from __future__ import annotations

from obsgen import names
from obsgen.policy import alertmanager as policy

_STATUS = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}]'


def title() -> str:
    """Group labels only: they are alertname, region, service (and slo), never user data."""
    return (
        f"{_STATUS} {{{{ .GroupLabels.{names.ALERTNAME} }}}} in {{{{ .GroupLabels.{names.REGION} }}}}"
        f"{{{{ with .GroupLabels.{names.SERVICE} }}}} ({{{{ . }}}}){{{{ end }}}}"
        f"{{{{ with .GroupLabels.{names.SLO} }}}} slo {{{{ . }}}}{{{{ end }}}}"
    )


def text(without_user_data: bool) -> str:
    return _allowed_text() if without_user_data else _full_text()


def _allowed_text() -> str:
    fields = "".join(f"{{{{ with .Labels.{k} }}}} {k}={{{{ . }}}}{{{{ end }}}}" for k in policy.NO_USER_DATA_LABELS)
    notes = "".join(f"{{{{ with .Annotations.{k} }}}} {k}={{{{ . }}}}{{{{ end }}}}" for k in policy.NO_USER_DATA_ANNOTATIONS)
    return f"{{{{ range .Alerts }}}}-{fields}{notes}\n{{{{ end }}}}"


def _full_text() -> str:
    return (
        "{{ range .Alerts }}- {{ .Annotations.summary }}\n"
        "  {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}\n"
        "{{ with .Annotations.runbook_url }}  runbook: {{ . }}\n{{ end }}{{ end }}"
    )


def pagerduty_details(without_user_data: bool) -> dict:
    """Replaces every default detail key (Alertmanager merges its defaults into missing keys)."""
    return {
        "firing": "{{ with .Alerts.Firing }}" + _body(without_user_data) + "{{ end }}",
        "resolved": "{{ with .Alerts.Resolved }}" + _body(without_user_data) + "{{ end }}",
        "num_firing": "{{ .Alerts.Firing | len }}",
        "num_resolved": "{{ .Alerts.Resolved | len }}",
    }


def _body(without_user_data: bool) -> str:
    # Inside `with .Alerts.X`, the dot is an alert list: the same loop over `.`.
    return text(without_user_data).replace("range .Alerts", "range .", 1)
