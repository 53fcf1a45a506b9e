"""systemd units that run a component with its rendered flags: what a config file cannot hold
(Prometheus' retention, Thanos' whole configuration) is deployed as written here."""
from __future__ import annotations

from obsgen import names

THANOS_BINARY = "/usr/local/bin/thanos"          # assumed install path
PROMETHEUS_BINARY = "/usr/local/bin/prometheus"  # assumed install path (Prometheus 3)


def _word(arg: str) -> str:
    """One ExecStart word: systemd strips double quotes inside a bare word, so a word holding
    them (--label=replica="...") is single-quoted; `$` would be expanded, and is refused."""
    if "$" in arg or "'" in arg or "\\" in arg:
        raise ValueError(f"cannot put {arg!r} on an ExecStart line")
    return f"'{arg}'" if '"' in arg or " " in arg else arg


def unit(description: str, argv: list[str], *, binary: str, oneshot: bool = False,
         environment: dict[str, str] | None = None) -> bytes:
    lines = [f"# {names.HEADER}", "[Unit]", f"Description={description}",
             "Wants=network-online.target", "After=network-online.target", "", "[Service]"]
    if oneshot:
        lines.append("Type=oneshot")
    for key, value in sorted((environment or {}).items()):
        lines.append(f"Environment={_word(f'{key}={value}')}")
    lines.append("ExecStart=" + " \\\n    ".join([binary, *map(_word, argv)]))
    if not oneshot:
        lines += ["Restart=on-failure", "RestartSec=5s"]
    lines += ["", "[Install]", "WantedBy=multi-user.target", ""]
    return "\n".join(lines).encode()


def timer(description: str, on_calendar: str) -> bytes:
    lines = [f"# {names.HEADER}", "[Unit]", f"Description={description}", "", "[Timer]",
             f"OnCalendar={on_calendar}", "Persistent=true", "", "[Install]", "WantedBy=timers.target", ""]
    return "\n".join(lines).encode()
