"""The official `elasticsearch` client behind the apply layer's small interface (get, post, send by
path; 404 as None; every failure one ApplyError with the secrets scrubbed). Each path is sent
through the client's typed API for it, so the request is the one the client documents."""
from __future__ import annotations

import re

import elastic_transport
import elasticsearch

from obsgen.apply.credentials import Credentials
from obsgen.apply.http import ApplyError

# A refused request is not retried; these are (Elasticsearch's own advice: overloaded or restarting).
RETRY_ON_STATUS = (429, 502, 503, 504)
MAX_RETRIES = 3

# path -> the typed call that reads, writes or simulates it: (pattern, {method: call(es, name, body)}).
_ROUTES = (
    (re.compile(r"^/$"), {"GET": lambda es, name, body: es.info()}),
    (re.compile(r"^/_ilm/policy/([^/]+)$"), {
        "GET": lambda es, name, body: es.ilm.get_lifecycle(name=name),
        "PUT": lambda es, name, body: es.ilm.put_lifecycle(name=name, body=body),
    }),
    (re.compile(r"^/_ingest/pipeline/_simulate$"), {
        "POST": lambda es, name, body: es.ingest.simulate(body=body),
    }),
    (re.compile(r"^/_ingest/pipeline/([^/]+)/_simulate$"), {
        "POST": lambda es, name, body: es.ingest.simulate(id=name, body=body),
    }),
    (re.compile(r"^/_ingest/pipeline/([^/]+)$"), {
        "GET": lambda es, name, body: es.ingest.get_pipeline(id=name),
        "PUT": lambda es, name, body: es.ingest.put_pipeline(id=name, body=body),
    }),
    (re.compile(r"^/_index_template/([^/]+)$"), {
        "GET": lambda es, name, body: es.indices.get_index_template(name=name),
        "PUT": lambda es, name, body: es.indices.put_index_template(name=name, body=body),
    }),
)


class ElasticsearchClient:
    def __init__(self, base_url: str, credentials: Credentials, timeout: float = 30.0):
        auth = {}
        if credentials.api_key:
            auth["api_key"] = credentials.api_key
        elif credentials.auth():
            auth["basic_auth"] = credentials.auth()
        self.credentials = credentials
        self.extra_secrets: list[str] = []   # values filled into bodies (a pipeline's salt)
        self.es = elasticsearch.Elasticsearch(
            base_url, request_timeout=timeout, max_retries=MAX_RETRIES, retry_on_status=RETRY_ON_STATUS,
            retry_on_timeout=True, **auth)

    def get(self, path: str) -> dict | None:
        """The JSON document at `path`, or None when there is none (404)."""
        try:
            return self._call("GET", path, None)
        except elasticsearch.NotFoundError:
            return None
        except (elasticsearch.ApiError, elastic_transport.TransportError) as exc:
            raise self._error("GET", path, exc) from None

    def post(self, path: str, body: dict) -> dict:
        return self._checked("POST", path, body)

    def send(self, method: str, path: str, body: dict) -> None:
        self._checked(method, path, body)

    def _checked(self, method: str, path: str, body):
        try:
            return self._call(method, path, body)
        except (elasticsearch.ApiError, elastic_transport.TransportError) as exc:
            raise self._error(method, path, exc) from None

    def _call(self, method: str, path: str, body):
        for pattern, calls in _ROUTES:
            match = pattern.match(path)
            if match and method in calls:
                name = match.group(1) if match.groups() else None
                return calls[method](self.es, name, body).body
        raise ValueError(f"no Elasticsearch API for {method} {path}")   # obsgen's own bug

    def _error(self, method: str, path: str, exc: Exception) -> ApplyError:
        if isinstance(exc, elasticsearch.UnsupportedProductError):
            return ApplyError(self.scrub(f"{method} {path}: the server does not answer as Elasticsearch does "
                                         "(no X-Elastic-Product header)"))
        if isinstance(exc, elasticsearch.ApiError):
            error = exc.body.get("error") if isinstance(exc.body, dict) else None
            reason = (error.get("reason") or error.get("type")) if isinstance(error, dict) else (error or exc.message)
            return ApplyError(self.scrub(f"{method} {path}: HTTP {exc.meta.status}: {reason}"))
        return ApplyError(self.scrub(f"{method} {path}: {type(exc).__name__}: {exc}"))

    def scrub(self, text: str) -> str:
        for secret in (*self.credentials.secrets, *self.extra_secrets):
            text = text.replace(secret, "***")
        return text
