"""The shipped nginx configuration (quiz/deploy/), run for real in front of a small server:
requests are proxied with X-Forwarded-For/-Proto, bodies are buffered (the app sees nothing
of a request until its body is complete), and oversized bodies never reach the app.

Skipped where nginx is not installed, unless REQUIRE_NGINX=1 (set by .ci/run, which installs
Debian's nginx): there a missing nginx is a failure."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from quiz.deploy.nginx import Nginx, find_nginx, render_site


@pytest.fixture(scope="module")
def nginx_binary():
    binary = find_nginx()
    if binary is None:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail("nginx is missing; install Debian's nginx package")
        pytest.skip("nginx is not installed")
    return binary


class _Echo(BaseHTTPRequestHandler):
    """The app stand-in: answers with the headers and body size it received, and counts
    the requests that reached it."""

    seen: list[float] = []

    def _answer(self) -> None:
        _Echo.seen.append(time.monotonic())
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        payload = json.dumps({"headers": dict(self.headers), "body": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:  # quiet
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def proxied(nginx_binary):
    app = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = _free_port()
    try:
        with Nginx(port, f"127.0.0.1:{app.server_address[1]}", binary=nginx_binary) as nginx:
            yield f"http://127.0.0.1:{port}", nginx
    finally:
        app.shutdown()
        app.server_close()


def _get(url: str, **headers):
    import httpx

    return httpx.get(url, headers=headers, timeout=5)


def test_a_request_is_proxied_with_the_client_address_and_scheme(proxied):
    base, _ = proxied
    response = _get(f"{base}/healthz")
    assert response.status_code == 200
    seen = {k.lower(): v for k, v in response.json()["headers"].items()}
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["host"] == base.removeprefix("http://")


def test_a_forged_forwarded_for_is_kept_left_of_the_address_nginx_saw(proxied):
    """nginx appends; the app must trust only the right-most (proxy-added) entry."""
    base, _ = proxied
    response = _get(f"{base}/", **{"X-Forwarded-For": "203.0.113.9"})
    seen = {k.lower(): v for k, v in response.json()["headers"].items()}
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"


def test_nginx_stamps_when_it_read_the_request_over_any_client_stamp(proxied):
    """The app judges deadlines by X-Request-Start; a client's own value never gets through."""
    base, _ = proxied
    before = time.time()
    response = _get(f"{base}/", **{"X-Request-Start": "t=1000000000.000"})
    seen = {k.lower(): v for k, v in response.json()["headers"].items()}
    stamped = float(seen["x-request-start"].removeprefix("t="))
    assert before - 1 <= stamped <= time.time() + 1


def test_a_slow_body_reaches_the_app_only_once_complete(proxied):
    base, _ = proxied
    port = int(base.rsplit(":", 1)[1])
    before = len(_Echo.seen)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(
            b"POST /answer HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nabcde"
        )
        time.sleep(0.5)  # a slow client, mid-body: nginx holds it, the app sees nothing yet
        assert len(_Echo.seen) == before
        s.sendall(b"fghij")
        reply = s.recv(65536).decode()
    assert reply.startswith("HTTP/1.1 200")
    assert '"body": 10' in reply
    assert len(_Echo.seen) == before + 1


def test_an_oversized_body_is_refused_before_the_app(proxied):
    import httpx

    base, _ = proxied
    before = len(_Echo.seen)
    response = httpx.post(f"{base}/answer", content=b"x" * (3 * 1024 * 1024), timeout=10)
    assert response.status_code == 413
    assert len(_Echo.seen) == before


def test_the_site_configuration_says_what_it_must():
    site = render_site("80", "127.0.0.1:8000")
    assert "{{" not in site
    for line in (
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        'proxy_set_header X-Request-Start "t=${msec}";',
        "proxy_request_buffering on;",
        "client_body_timeout 10s;",
        "client_max_body_size 2m;",
        "server 127.0.0.1:8000;",
    ):
        assert line in site


def test_nginx_drops_an_idle_upstream_connection_before_gunicorn_does():
    """Else nginx may reuse a connection gunicorn is closing: a 502 for that request."""
    import re

    from quiz import gunicorn

    upstream = render_site("80", "127.0.0.1:8000").split("server {")[0]
    nginx_idle = int(re.search(r"keepalive_timeout (\d+)s;", upstream).group(1))
    assert nginx_idle < gunicorn.keepalive
