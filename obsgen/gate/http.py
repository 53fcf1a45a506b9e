"""A small Prometheus HTTP API client, one per endpoint, as SREs need it behind real auth.

Credentials are read when a request is made (from an environment variable or a file named in
the endpoint's config), set on that endpoint's own session only, never logged, never put in
an error message, and never follow a redirect to anywhere: a 3xx is an error.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests

from obsgen.gate.result import RequestLog

log = logging.getLogger("obsgen.gate.http")

# Outcomes (RequestLog.outcome, QueryError.outcome).
OK = "ok"
TIMEOUT = "timeout"
UNREACHABLE = "unreachable"
BAD_RESPONSE = "bad response"
PARTIAL = "partial response"
REJECTED = "query rejected"
REDIRECT = "redirect refused"
UNAUTHORIZED = "unauthorized"

_RETRY_STATUSES = {429, 500, 502, 503, 504}
# Prometheus 2.46-2.51 returned info-level annotations ("may or may not be false positives")
# among the warnings; from 2.52 they come apart as `infos`. Only real warnings are partial.
_INFO = "PromQL info:"


@dataclass(frozen=True)
class Endpoint:
    """Where one Prometheus-compatible API lives and how to reach it. Holds no secret itself:
    only the names of the variables or files that do."""

    name: str                                   # a region's name, or "thanos"
    url: str                                    # base URL, e.g. https://prometheus-eu.example:9090
    region: str | None = None                   # the region it serves; None for a global view
    thanos: bool = False                        # send dedup=true and partial_response=false
    region_label: bool = False                  # raw series carry the region label (Mimir, shared Prometheus)
    bearer_token_env: str | None = None
    bearer_token_file: str | None = None
    basic_auth_user: str | None = None
    basic_auth_password_env: str | None = None
    basic_auth_password_file: str | None = None
    ca_bundle: str | None = None                # PEM file of the CAs to trust
    client_cert: str | None = None              # PEM certificate (with the key, or see client_key)
    client_key: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)   # e.g. {"X-Scope-OrgID": "team-a"}
    timeout: float = 10.0                       # seconds, per attempt
    retries: int = 2                            # further attempts after a timeout, refusal, 429 or 5xx
    backoff: float = 0.5                        # seconds before the first retry, doubled after each
    post_above: int = 1500                      # encoded query length above which POST is used
    proxy: str | None = None                    # HTTP(S) proxy URL; the environment's proxies are not used

    @property
    def display_url(self) -> str:
        return display_url(self.url)


def display_url(url: str) -> str:
    """The URL without user info, query or fragment: safe to print."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class QueryError(Exception):
    """A request that gave no usable answer. The message is one line and holds no credential."""

    def __init__(self, endpoint: str, outcome: str, message: str):
        super().__init__(f"{endpoint}: {outcome}: {message}")
        self.endpoint = endpoint
        self.outcome = outcome
        self.message = message


@dataclass(frozen=True)
class Sample:
    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True)
class Series:
    labels: Mapping[str, str]
    points: tuple[tuple[float, float], ...]


class Client:
    """Instant and range queries against one endpoint. `env`, `sleep` and `clock` are passed in
    so tests pin them; `on_request` receives a RequestLog per attempt."""

    def __init__(self, endpoint: Endpoint, *, env: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 on_request: Callable[[RequestLog], None] | None = None):
        self.endpoint = endpoint
        self._env = os.environ if env is None else env
        self._sleep = sleep
        self._clock = clock
        self._on_request = on_request or (lambda entry: None)
        self._session: requests.Session | None = None
        self._opening = threading.Lock()

    # --- public -----------------------------------------------------------------------------
    def query(self, expr: str, at: float) -> list[Sample]:
        data = self._call("/api/v1/query", {"query": expr, "time": _fmt(at)}, expr, at)
        if data.get("resultType") == "scalar":
            return [Sample({}, _value(data.get("result")))]
        if data.get("resultType") != "vector" or not isinstance(data.get("result"), list):
            raise QueryError(self.endpoint.name, BAD_RESPONSE, f"expected a vector, got {data.get('resultType')!r}")
        try:
            return [Sample(dict(s["metric"]), _value(s["value"])) for s in data["result"]]
        except (KeyError, TypeError, ValueError):
            raise QueryError(self.endpoint.name, BAD_RESPONSE, "malformed vector sample") from None

    def query_range(self, expr: str, start: float, end: float, step: float) -> list[Series]:
        params = {"query": expr, "start": _fmt(start), "end": _fmt(end), "step": _fmt(step)}
        return self._matrix(self._call("/api/v1/query_range", params, expr, end))

    def query_samples(self, expr: str, at: float) -> list[Series]:
        """The raw samples a range-vector expression (e.g. `x[1h]`) selects at `at`."""
        return self._matrix(self._call("/api/v1/query", {"query": expr, "time": _fmt(at)}, expr, at))

    def _matrix(self, data: dict) -> list[Series]:
        if data.get("resultType") != "matrix" or not isinstance(data.get("result"), list):
            raise QueryError(self.endpoint.name, BAD_RESPONSE, f"expected a matrix, got {data.get('resultType')!r}")
        try:
            return [Series(dict(s["metric"]), tuple((float(t), _value((t, v))) for t, v in s["values"]))
                    for s in data["result"]]
        except (KeyError, TypeError, ValueError):
            raise QueryError(self.endpoint.name, BAD_RESPONSE, "malformed matrix") from None

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # --- one call, with bounded retries ------------------------------------------------------
    def _call(self, path: str, params: dict, expr: str, at: float | None) -> dict:
        ep = self.endpoint
        if ep.thanos:
            params = {**params, "dedup": "true", "partial_response": "false"}
        url = ep.url.rstrip("/") + path
        body = urlencode(params)
        method = "POST" if len(body) > ep.post_above else "GET"
        attempts = max(0, ep.retries) + 1
        delay = ep.backoff
        for attempt in range(1, attempts + 1):
            started = self._clock()
            status, outcome, error, payload = self._attempt(method, url, params)
            entry = RequestLog(
                endpoint=ep.name, url=display_url(url), method=method, query=expr, at=at,
                status=status, outcome=outcome, duration_seconds=self._clock() - started,
                attempt=attempt, series=_length(payload),
                warnings=tuple(str(w) for w in (payload or {}).get("warnings", ()) or ()),
            )
            self._on_request(entry)
            log.debug("%s %s %s attempt %d: %s in %.3fs", ep.name, method, entry.url, attempt,
                      outcome, entry.duration_seconds)
            if outcome == OK:
                return payload["data"]
            retry = outcome in (TIMEOUT, UNREACHABLE) or (status in _RETRY_STATUSES)
            if not retry or attempt == attempts:
                tries = f" after {attempt} attempts" if attempt > 1 else ""
                raise QueryError(ep.name, outcome, f"{error}{tries}")
            self._sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")

    def _attempt(self, method: str, url: str, params: dict):
        """(status, outcome, one-line error, parsed JSON or None) of one HTTP exchange."""
        ep = self.endpoint
        try:
            session = self._open()
            kwargs = {"params": params} if method == "GET" else {"data": params}
            response = session.request(method, url, timeout=ep.timeout, allow_redirects=False, **kwargs)
        except requests.Timeout:
            return None, TIMEOUT, f"no answer within {ep.timeout:g}s", None
        except requests.exceptions.SSLError as exc:
            return None, UNREACHABLE, f"TLS error: {type(exc).__name__}", None
        except requests.ConnectionError:
            return None, UNREACHABLE, f"cannot connect to {ep.display_url}", None
        except requests.RequestException as exc:
            return None, UNREACHABLE, f"request failed: {type(exc).__name__}", None
        except SecretError as exc:
            return None, UNAUTHORIZED, str(exc), None
        status = response.status_code
        if 300 <= status < 400:
            return status, REDIRECT, f"HTTP {status}: redirects are not followed (credentials stay with their endpoint)", None
        if status in (401, 403):
            return status, UNAUTHORIZED, f"HTTP {status}: the endpoint refused the credentials", None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            if status >= 400:
                return status, f"http {status}", f"HTTP {status}", None
            return status, BAD_RESPONSE, f"HTTP {status} with a body that is not Prometheus API JSON", None
        if status >= 400 or payload.get("status") != "success":
            message = _one_line(str(payload.get("error", "")))[:300] or "no error message"
            if status in (400, 422):
                return status, REJECTED, f"HTTP {status}: {message}", payload
            return status, f"http {status}", f"HTTP {status}: {message}", payload
        if not isinstance(payload.get("data"), dict):
            return status, BAD_RESPONSE, "response has no data", payload
        warnings = [w for w in payload.get("warnings") or () if not str(w).startswith(_INFO)]
        if warnings:
            first = _one_line(str(warnings[0]))[:200]
            return status, PARTIAL, f"the answer may be incomplete: {first}", payload
        return status, OK, "", payload

    def _open(self) -> requests.Session:
        with self._opening:    # raw-counter queries of one endpoint may run two at a time
            return self._session or self._new_session()

    def _new_session(self) -> requests.Session:
        if self._session is None:
            ep = self.endpoint
            session = requests.Session()
            session.trust_env = False          # no ~/.netrc credentials, no proxies from the environment
            session.headers.update({"User-Agent": "obsgen-gate", **dict(ep.headers)})
            token = _secret(self._env, ep.bearer_token_env, ep.bearer_token_file, ep.name, "bearer token")
            if token:
                session.headers["Authorization"] = f"Bearer {token}"
            if ep.basic_auth_user:
                password = _secret(self._env, ep.basic_auth_password_env, ep.basic_auth_password_file,
                                   ep.name, "basic auth password") or ""
                session.auth = (ep.basic_auth_user, password)
            if ep.ca_bundle:
                session.verify = ep.ca_bundle
            if ep.proxy:
                session.proxies = {"http": ep.proxy, "https": ep.proxy}
            if ep.client_cert:
                session.cert = (ep.client_cert, ep.client_key) if ep.client_key else ep.client_cert
            self._session = session
        return self._session


class SecretError(Exception):
    pass


def _secret(env: Mapping[str, str], var: str | None, path: str | None, endpoint: str, what: str) -> str | None:
    if var:
        value = env.get(var)
        if not value:
            raise SecretError(f"the {what} for {endpoint} is read from ${var}, which is not set")
        return value.strip()
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError as exc:
            raise SecretError(f"the {what} for {endpoint} cannot be read from {path}: {exc.strerror}") from None
    return None


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _value(pair) -> float:
    return float(pair[1])   # "NaN", "+Inf" parse as floats


def _length(payload) -> int | None:
    try:
        return len(payload["data"]["result"])
    except (KeyError, TypeError):
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
