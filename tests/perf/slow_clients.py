"""The slow-client demonstration: N connections dribble a POST body one byte a second while
/healthz is timed, against bare gunicorn and then through nginx (``--slow-clients N``)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time

from django.core.management.base import CommandError

from tests.perf.clients import pct


class SlowClients:
    """Mixed into the load test's command (it provides ``spawn``, ``spawn_nginx``, ``stop``)."""

    def slow_clients(self, o) -> None:
        """Open N connections that each send a POST's headers and then its body one byte a
        second, and time /healthz meanwhile: first against bare gunicorn, then through nginx
        (the same gunicorn). Prints one table row per phase."""
        from quiz.deploy.nginx import find_nginx

        if find_nginx() is None:
            raise CommandError("nginx is not installed (apt-get install nginx)")
        port = int(o["url"].rsplit(":", 1)[1])
        server = self.spawn(o, port + 1)
        proxy = None
        try:
            proxy = self.spawn_nginx(port, port + 1)
            self.stdout.write(
                f"gunicorn: {o['workers']} workers x {o['threads']} threads = "
                f"{o['workers'] * o['threads']} request threads; {o['slow_clients']} slow "
                f"clients, {o['probes']} /healthz probes per phase (5 s timeout each)"
            )
            self.stdout.write(
                f"{'target':<22}{'slow clients':>13}{'probes ok':>11}{'timed out':>11}"
                f"{'p50 ms':>9}{'max ms':>9}"
            )
            for label, target, slow in [
                ("bare gunicorn", port + 1, 0),
                ("bare gunicorn", port + 1, o["slow_clients"]),
                ("nginx -> gunicorn", port, 0),
                ("nginx -> gunicorn", port, o["slow_clients"]),
            ]:
                ok, times, lost = asyncio.run(self.probe_under_slow_clients(target, slow, o))
                self.stdout.write(
                    f"{label:<22}{slow:>13}{ok:>11}{lost:>11}"
                    f"{pct(times, 0.5):>9.1f}{max(times, default=float('nan')):>9.1f}"
                )
                # Let gunicorn drain the abandoned connections before the next phase.
                time.sleep(3)
        finally:
            if proxy is not None:
                proxy.stop()
            self.stop(server)

    async def probe_under_slow_clients(self, port: int, slow: int, o):
        import httpx

        stop = asyncio.Event()

        async def dribble(i: int):
            # Arriving over two seconds, as real clients do (all at once, one gunicorn worker
            # accepts the whole burst and the others stay free).
            await asyncio.sleep(i * 2.0 / max(slow, 1))
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(
                    b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/x-www-form-urlencoded\r\n"
                    # A well-formed CSRF cookie, so Django reads the body to find the
                    # token (without one it refuses the request before reading anything).
                    b"Cookie: csrftoken=" + secrets.token_hex(16).encode() + b"\r\n"
                    b"Content-Length: 100000\r\n\r\nusername="
                )
                await writer.drain()
                while not stop.is_set():
                    writer.write(b"a")
                    await writer.drain()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=1.0)
                writer.close()
            except OSError:
                pass

        tasks = [asyncio.create_task(dribble(i)) for i in range(slow)]
        await asyncio.sleep(3 if slow else 0)  # every slow client is mid-body now
        times, lost = [], 0
        async with httpx.AsyncClient(timeout=5.0) as client:
            for _ in range(o["probes"]):
                start = time.perf_counter()
                try:
                    response = await client.get(f"http://127.0.0.1:{port}/healthz")
                    if response.status_code == 200:
                        times.append((time.perf_counter() - start) * 1000)
                    else:
                        lost += 1
                except httpx.TransportError:
                    lost += 1
                await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*tasks)
        return len(times), times, lost
