"""A small JSON-over-HTTP client for appliers: requests, credentials attached, secrets scrubbed
from anything it raises."""
from __future__ import annotations

import requests

from obsgen.apply.credentials import Credentials


class ApplyError(RuntimeError):
    pass


class Client:
    def __init__(self, base_url: str, credentials: Credentials, timeout: float = 30.0, session=None,
                 auth_scheme: str = "ApiKey"):
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.update({"Content-Type": "application/json", **credentials.headers(auth_scheme)})
        self.session.auth = credentials.auth()
        self.extra_secrets: list[str] = []   # values filled into bodies (a pipeline's salt)

    def get(self, path: str) -> dict | None:
        """The JSON document at `path`, or None when there is none (404)."""
        response = self._request("GET", path)
        if response.status_code == 404:
            return None
        self._raise_for(response, "GET", path)
        return response.json()

    def post(self, path: str, body: dict) -> dict:
        """POST a JSON body and return the JSON answer (e.g. _ingest/pipeline/_simulate)."""
        response = self._request("POST", path, json=body)
        self._raise_for(response, "POST", path)
        return response.json()

    def send(self, method: str, path: str, body: dict) -> None:
        response = self._request(method, path, json=body)
        self._raise_for(response, method, path)

    def _request(self, method: str, path: str, **kwargs):
        try:
            return self.session.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise ApplyError(self.scrub(f"{method} {path}: {type(exc).__name__}: {exc}")) from None

    def _raise_for(self, response, method: str, path: str) -> None:
        if response.status_code < 300:
            return
        try:
            doc = response.json()
            error = doc.get("error", {})
            reason = (error.get("reason") or error.get("type")) if isinstance(error, dict) else str(error)
            reason = reason or doc.get("message")   # Grafana's shape
        except ValueError:
            reason = response.text[:200]
        raise ApplyError(self.scrub(f"{method} {path}: HTTP {response.status_code}: {reason}"))

    def scrub(self, text: str) -> str:
        for secret in (*self.credentials.secrets, *self.extra_secrets):
            text = text.replace(secret, "***")
        return text
