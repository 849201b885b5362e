"""What a load run's clients speak and record: plain HTTP over loopback (as behind the
production TLS proxy), a signed-in browser session, and timed samples with their figures."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .harness import percentile

PASSWORD = "load test password 4 bench"
# Behind the TLS-terminating proxy the production settings expect.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def request(method: str, port: int, path: str, **kwargs: Any) -> tuple[int, bytes]:
    status, payload, _ = request_with_cookies(method, port, path, **kwargs)
    return status, payload


def request_with_cookies(
    method: str,
    port: int,
    path: str,
    *,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, bytes, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {**PROXY_HEADERS, **(headers or {})}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        payload = response.read()
        return response.status, payload, response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


class Session:
    """A signed-in browser: cookies and the CSRF token, as a real form post sends them."""

    def __init__(self, port: int, email: str = "", owns: str = "") -> None:
        self.port = port
        self.email = email
        self.owns = owns  # the org_id of the organisation whose profile this person may edit
        self.cookies: dict[str, str] = {}

    def _remember(self, cookies: list[str]) -> None:
        for cookie in cookies:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def call(
        self, method: str, path: str, body: dict[str, str] | None = None, timeout: float = 10
    ) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            origin = "https://127.0.0.1"  # the Host the proxy headers name
            headers.update(Origin=origin, Referer=origin + path)
            body = {**(body or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        status, payload, cookies = request_with_cookies(
            method, self.port, path, body=body, headers=headers, timeout=timeout
        )
        self._remember(cookies)
        return status, payload

    def sign_in(self, email: str = "") -> None:
        email = email or self.email
        self.call("GET", "/account/sign-in/")
        status, _ = self.call("POST", "/account/sign-in/", {"email": email, "password": PASSWORD})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"could not sign in as {email} (status {status})")


@dataclass
class Sample:
    kind: str
    status: int  # 0: no response (connection refused, timeout)
    ms: float
    at: float  # seconds since the start
    error: str = ""


class Recorder:
    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.start = time.perf_counter()

    def timed(
        self, kind: str, call: Callable[[], tuple[int, bytes]], ok: tuple[int, ...] = (200,)
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        try:
            status, payload = call()
            error = "" if status in ok else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as exc:
            status, payload, error = 0, b"", f"{type(exc).__name__}: {exc}"
        ended = time.perf_counter()
        with self.lock:
            self.samples.append(
                Sample(kind, status, (ended - began) * 1000, began - self.start, error)
            )
        return status, payload


def figures(samples: list[Sample], seconds: float) -> dict[str, Any]:
    ms = [s.ms for s in samples]
    errors = [s for s in samples if s.error]
    by_kind: dict[str, Any] = {}
    for kind in sorted({s.kind for s in samples}):
        times = [s.ms for s in samples if s.kind == kind]
        by_kind[kind] = {
            "n": len(times),
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "errors": sum(1 for s in samples if s.kind == kind and s.error),
        }
    return {
        "requests": len(samples),
        "requests_per_second": len(samples) / seconds,
        "p50_ms": percentile(ms, 0.5) if ms else 0.0,
        "p95_ms": percentile(ms, 0.95) if ms else 0.0,
        "p99_ms": percentile(ms, 0.99) if ms else 0.0,
        "max_ms": max(ms, default=0.0),
        "errors": len(errors),
        "error_kinds": dict(Counter(s.error for s in errors).most_common(5)),
        "by_kind": by_kind,
    }
