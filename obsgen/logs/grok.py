"""Grok expressions compiled by pygrok with the standard pattern set (Logstash's legacy patterns,
the set Elasticsearch's grok processor uses with ecs_compatibility "disabled"): what a pipeline's
grok captures, or why it does not compile."""
from __future__ import annotations

import functools


class GrokError(ValueError):
    pass


@functools.lru_cache(maxsize=None)
def compile(expr: str):
    from pygrok import Grok

    try:
        return Grok(expr)
    except KeyError as exc:
        raise GrokError(f"unknown pattern %{{{exc.args[0]}}}") from None
    except Exception as exc:   # regex.error and friends: the expression itself is broken
        raise GrokError(f"{type(exc).__name__}: {exc}") from None


def fields(expr: str) -> frozenset[str]:
    return frozenset(compile(expr).regex_obj.groupindex)
