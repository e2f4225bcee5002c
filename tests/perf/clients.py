"""The load test's simulated students: an httpx client each, with retries and timings."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections import defaultdict

TOKEN_RE = re.compile(r'name="choice" value="([^"]+)"')
POSITION_RE = re.compile(r'name="question" value="(\d+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RETRYABLE = {502, 503, 504}


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.retries: dict[str, int] = defaultdict(int)
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, name: str, seconds: float, status: int) -> None:
        self.latency[name].append(seconds * 1000)
        self.status[name][status] += 1


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


class Student:
    def __init__(self, username: str, password: str, base: str, stats: Stats, retries: int):
        import httpx

        self.username = username
        self.password = password
        self.stats = stats
        self.retries = retries
        self.client = httpx.AsyncClient(base_url=base, timeout=15.0, follow_redirects=False)
        self.csrf = ""
        self.acked: list[tuple[int, int, str]] = []  # (attempt, position, token)
        self.attempt_id: int | None = None

    async def request(self, name: str, method: str, url: str, **kwargs):
        """One request, retried on connection failures and 502/503/504 (safe: every write
        here is idempotent). Returns the response, or None when it kept failing."""
        import httpx

        for attempt in range(self.retries + 1):
            start = time.perf_counter()
            try:
                response = await self.client.request(method, url, **kwargs)
            except httpx.TransportError:
                self.stats.retries[name] += 1
                await asyncio.sleep(min(2.0, 0.2 * 2**attempt))
                continue
            self.stats.add(name, time.perf_counter() - start, response.status_code)
            if response.status_code in RETRYABLE and attempt < self.retries:
                self.stats.retries[name] += 1
                await asyncio.sleep(min(2.0, 0.2 * 2**attempt))
                continue
            return response
        self.stats.errors[name] += 1
        return None

    async def login(self) -> bool:
        page = await self.request("login_page", "GET", "/accounts/login/")
        if page is None or page.status_code != 200:
            return False
        self.csrf = self.client.cookies.get("csrftoken", "")
        response = await self.request(
            "login",
            "POST",
            "/accounts/login/",
            data={
                "username": self.username,
                "password": self.password,
                "csrfmiddlewaretoken": self.csrf,
            },
            headers={"Referer": str(self.client.base_url)},
        )
        ok = response is not None and response.status_code == 302
        self.csrf = self.client.cookies.get("csrftoken", self.csrf)
        return ok

    def _headers(self, htmx: bool = False) -> dict:
        headers = {"X-CSRFToken": self.csrf, "Referer": str(self.client.base_url)}
        if htmx:
            headers["HX-Request"] = "true"
        return headers

    async def check_in(self, slug: str, name: str = "start") -> str | None:
        """Press Start (before a live test opens, "Check in"): the attempt's URL."""
        response = await self.request(
            name, "POST", f"/quizzes/{slug}/start/", headers=self._headers()
        )
        if response is None or response.status_code != 302:
            self.stats.errors[name] += response is not None
            return None
        attempt_url = response.headers["location"]
        self.attempt_id = int(re.search(r"/attempts/(\d+)/", attempt_url).group(1))
        return attempt_url

    async def begin(self, slug: str, label: str = "") -> tuple[str, str] | None:
        """Press Start and load the first question: (the attempt's URL, its page)."""
        attempt_url = await self.check_in(slug, "start" + label)
        if attempt_url is None:
            return None
        page = await self.request("question" + label, "GET", attempt_url)
        return attempt_url, page.text if page is not None else ""

    async def open_sitting(self, attempt_url: str) -> tuple[str, str] | None:
        """At the opening, a checked-in student opens the sitting's page, which begins it and
        serves the first question: the opening herd's one request each."""
        page = await self.request("begin", "GET", attempt_url)
        if page is None or page.status_code != 200:
            self.stats.errors["begin"] += page is not None
            return None
        return attempt_url, page.text

    async def answer_all(
        self,
        attempt_url: str,
        html: str,
        think: tuple[float, float],
        deadline: float,
        label: str = "",
        results: bool = True,
    ) -> None:
        """Answer question after question (with think time) until the attempt ends or
        ``deadline`` passes, then open the results (unless ``results`` is False)."""
        while time.perf_counter() < deadline:
            position, tokens = POSITION_RE.search(html), TOKEN_RE.findall(html)
            if not position or not tokens:
                # Not a question (an error page, or a retried request already moved on):
                # ask the server where we are.
                page = await self.request(
                    "question" + label, "GET", attempt_url, headers=self._headers(htmx=True)
                )
                if page is None:
                    return
                if page.status_code in (204, 302) or "HX-Redirect" in page.headers:
                    break
                html = page.text
                continue
            if think[1] > 0:
                await asyncio.sleep(random.uniform(*think))
            token = random.choice(tokens)
            n = int(position.group(1))
            response = await self.request(
                "answer" + label,
                "POST",
                f"/attempts/{self.attempt_id}/answer/",
                data={"question": n, "choice": token},
                headers=self._headers(htmx=True),
            )
            if response is None:
                return
            if response.status_code in (200, 204):
                self.acked.append((self.attempt_id, n, token))
            if response.status_code == 204 or "HX-Redirect" in response.headers:
                break
            html = response.text
        if results:
            await self.request("results" + label, "GET", f"/attempts/{self.attempt_id}/results/")

    async def hammer(self, name: str, url: str, until: float) -> int:
        done = 0
        while time.perf_counter() < until:
            response = await self.request(name, "GET", url)
            done += response is not None and response.status_code == 200
        return done

    async def close(self) -> None:
        await self.client.aclose()
