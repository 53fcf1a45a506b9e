"""Escaping for text that may hold label values from Prometheus (any Unicode, any markup)."""
from __future__ import annotations

import html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_AND_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# CommonMark's ASCII punctuation that can start or end markup (backslash-escapable).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def _shown(match: re.Match) -> str:
    return match.group(0).encode("unicode_escape").decode("ascii")


def control(text: str, newlines: bool = True) -> str:
    """Control characters shown as escapes (\\x1b, \\n), never emitted: an ESC would recolour a
    terminal, a newline would forge a table row, and XML 1.0 cannot hold most of them."""
    return (_CONTROL_AND_NEWLINE if newlines else _CONTROL).sub(_shown, text)


def html_text(text: object) -> str:
    """For HTML element content and quoted attribute values."""
    return html.escape(control(str(text)), quote=True)


def markdown(text: object) -> str:
    """For GitHub-flavoured Markdown, one line (a CI step summary renders raw HTML too): Markdown
    punctuation is backslash-escaped first, then <, >, &, quotes become entities (escaping in
    the other order would break the entities' own '#' and ';')."""
    return html.escape(_MARKDOWN.sub(r"\\\1", control(str(text))), quote=True)
