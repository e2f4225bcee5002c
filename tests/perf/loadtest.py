"""Load test of a live mock test (``python -m tests.perf loadtest``; ``make loadtest``): N students log in, are released together by a barrier to
start the same test in the same second, and answer every question with think time.

    make loadtest                                     # 200 students, 20 questions
    make loadtest LOADTEST_ARGS="--kill-worker-after 15"
    make loadtest LOADTEST_ARGS="--stop-db-after 15 --stop-db-for 5"

With --spawn-server it starts gunicorn (production settings, this DATABASE_URL) on
127.0.0.1 behind nginx with the shipped configuration (quiz/deploy/), the deployment we
recommend, and stops both at the end; --no-nginx measures bare gunicorn instead. Every loop
is bounded in count and time. Afterwards it checks the database: every acknowledged answer
recorded exactly once, every attempt scored, and every score equal to a recomputation from
the recorded answers.

    make loadtest LOADTEST_ARGS="--slow-clients 40"

is the slow-client demonstration instead: 40 connections each dribble a POST body one byte
a second while /healthz is timed, against bare gunicorn and then through nginx.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from quiz.models import Answer, Attempt, Quiz
from quiz.scoring import Tally, to_decimal
from quiz.starting import prepare_live_paper
from tests.perf.clients import Stats, Student, pct
from tests.perf.slow_clients import SlowClients


class Command(SlowClients, BaseCommand):
    help = "Load-test a live mock test against gunicorn on 127.0.0.1 and verify the database."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=200)
        parser.add_argument("--questions", type=int, default=20)
        # A 19-second drill: students take a few seconds to read and answer each question.
        parser.add_argument(
            "--think", type=float, nargs=2, default=(2.0, 8.0), metavar=("MIN", "MAX")
        )
        parser.add_argument("--url", default="http://127.0.0.1:8077")
        parser.add_argument(
            "--spawn-server",
            action="store_true",
            help="Start and stop gunicorn here, behind nginx (quiz/deploy/) unless --no-nginx.",
        )
        parser.add_argument(
            "--no-nginx",
            action="store_true",
            help="With --spawn-server: clients talk to gunicorn directly (not recommended).",
        )
        parser.add_argument(
            "--slow-clients",
            type=int,
            default=None,
            metavar="N",
            help="Instead of the load test: N slow-body clients, /healthz timed through bare "
            "gunicorn and through nginx.",
        )
        parser.add_argument("--probes", type=int, default=10, help="/healthz probes per phase")
        parser.add_argument(
            "--nodes",
            type=int,
            default=1,
            help="With --spawn-server: this many gunicorn instances (ports after --url's), "
            "standing in for app machines, behind nginx's round robin; with 2 or more the run "
            "also checks sessions, login lock-outs, start limits and the clock across nodes.",
        )
        parser.add_argument(
            "--progress-seconds", type=float, default=5, help="How often to print progress."
        )
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--max-seconds", type=float, default=400, help="Hard bound on the run.")
        parser.add_argument("--baseline-seconds", type=float, default=8)
        parser.add_argument("--kill-worker-after", type=float, default=None)
        parser.add_argument("--stop-db-after", type=float, default=None)
        parser.add_argument("--stop-db-for", type=float, default=5)
        parser.add_argument("--retries", type=int, default=8)
        parser.add_argument(
            "--redis-url",
            default="redis://127.0.0.1:6379/0",
            help="Cache and sessions for the spawned server ('' for none).",
        )

    def handle(self, *args, **o):
        if o["slow_clients"] is not None:
            return self.slow_clients(o)
        if not 1 <= o["students"] <= 2000 or not 1 <= o["questions"] <= 200:
            raise CommandError("--students must be 1–2000 and --questions 1–200.")
        if not re.match(r"^https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$", o["url"]):
            raise CommandError(
                "The load test only targets this machine (127.0.0.0/8, localhost, [::1])."
            )
        if not 1 <= o["nodes"] <= 4 or (o["nodes"] > 1 and o["no_nginx"]):
            raise CommandError("--nodes must be 1–4, and more than one needs nginx in front.")
        self.servers: list[subprocess.Popen] = []
        self.secret_key = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
        self.started = time.perf_counter()
        proxy = None
        try:
            if o["spawn_server"]:
                port = int(o["url"].rsplit(":", 1)[1])
                if o["no_nginx"]:
                    self.servers.append(self.spawn(o, port))
                else:
                    ports = [port + 1 + i for i in range(o["nodes"])]
                    self.servers += [self.spawn(o, p) for p in ports]
                    proxy = self.spawn_nginx(port, [f"127.0.0.1:{p}" for p in ports])
                self.stdout.write(
                    f"serving {o['url']}: "
                    + (
                        "bare gunicorn"
                        if proxy is None
                        else f"nginx in front of {o['nodes']} gunicorn node(s), round robin"
                    )
                    + f"; database {connection.vendor}"
                )
            server = self.servers[0] if self.servers else None
            users, password = self.make_students(o["students"])
            # Opening later than check-in: the students check in first (``run``), then it opens.
            quiz = self.make_test(o["questions"], opens_in=timedelta(minutes=10))
            self.stdout.write(
                f"{len(users)} students, live test '{quiz.slug}' with {o['questions']} questions"
            )
            stats, students, phases = asyncio.run(self.run(o, users, password, quiz, server))
            cross_node = self.across_nodes(o, password) if o["nodes"] > 1 else []
        finally:
            if proxy is not None:
                proxy.stop()
            for server in self.servers:
                self.stop(server)
        self.report(o, stats, students, phases)
        problems = self.verify(quiz, students) + cross_node
        if problems:
            for p in problems[:20]:
                self.stderr.write(f"  {p}")
            raise CommandError(f"verification failed: {len(problems)} problem(s)")
        self.stdout.write(
            self.style.SUCCESS(
                "verified: every acknowledged answer recorded once; every attempt scored correctly"
            )
        )

    # -- set-up -------------------------------------------------------------------------------

    @staticmethod
    def stop(server: subprocess.Popen) -> None:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()

    def spawn_nginx(self, port: int, upstreams: list[str]):
        from quiz.deploy.nginx import Nginx, find_nginx

        if find_nginx() is None:
            raise CommandError(
                "nginx is not installed (apt-get install nginx); or pass --no-nginx to load "
                "bare gunicorn, which is not the deployment we recommend."
            )
        return Nginx(port, upstreams).__enter__()

    def cpu(self) -> dict[str, float | dict[int, float]]:
        """CPU seconds used so far: by the app servers (masters and workers), by each
        service on this machine, by this load generator, and by the whole machine."""
        from tests.perf.cpu import machine_busy_seconds, services_cpu_seconds, tree_cpu_seconds

        return {
            "app": sum(tree_cpu_seconds(server.pid) for server in self.servers),
            **services_cpu_seconds(),
            "load generator": time.process_time(),
            "machine": machine_busy_seconds(),
        }

    def cpu_per_request(self, before: dict, requests: int) -> dict[str, float]:
        """Milliseconds of CPU per request since ``before``, by consumer."""
        from tests.perf.cpu import cpu_delta

        after = self.cpu()
        if not requests:
            return {}
        return {k: cpu_delta(before[k], after[k]) * 1000 / requests for k in after}

    async def progress(self, stats: Stats, students, every: float) -> None:
        """A line every ``every`` seconds: the phase, requests so far, answers, errors."""
        while True:
            await asyncio.sleep(every)
            done = sum(len(v) for v in stats.latency.values())
            self.stdout.write(
                f"  [{time.perf_counter() - self.started:5.0f} s] {self.phase}: {done} requests, "
                f"{sum(len(s.acked) for s in students)} answers acknowledged, "
                f"{sum(stats.retries.values())} retries, {sum(stats.errors.values())} errors"
            )
            self.stdout.flush()

    def spawn(self, o, port: int) -> subprocess.Popen:
        # One pid file per port: two load tests on one machine must not signal each other.
        self.pidfile = f"/tmp/loadtest-gunicorn-{port}.pid"
        env = {
            **os.environ,
            "DEBUG": "false",
            "LOCAL_HTTP": "true",
            # One key for every node: each must read the others' session and CSRF cookies.
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CONN_MAX_AGE": "60",
            "BIND": f"127.0.0.1:{port}",
            "WEB_WORKERS": str(o["workers"]),
            "WEB_THREADS": str(o["threads"]),
        }
        if o["nodes"] > 1:  # which node served which request, for the cross-node check
            env["ACCESS_LOG"] = f"/tmp/loadtest-gunicorn-{port}.access.log"
            Path(env["ACCESS_LOG"]).unlink(missing_ok=True)
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        if o["redis_url"]:
            env["REDIS_URL"] = o["redis_url"]
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                "quiz/gunicorn.py",
                "--pid",
                self.pidfile,
                "quiz.wsgi",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        import httpx

        for _ in range(60):
            if server.poll() is not None:  # e.g. another load test holds the port
                raise CommandError(f"gunicorn exited with {server.returncode} (port {port} busy?)")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        server.kill()
        raise CommandError("gunicorn did not come up")

    def make_students(self, n: int, password: str | None = None):
        password = password or "load-" + secrets.token_urlsafe(12)
        hashed = make_password(password)
        User = get_user_model()
        run = secrets.token_hex(3)
        users = User.objects.bulk_create(
            User(username=f"load-{run}-{i:04d}", password=hashed) for i in range(n)
        )
        return [u.username for u in users], password

    def make_test(self, questions: int, opens_in: timedelta = timedelta(0)) -> Quiz:
        now = timezone.now()
        quiz = Quiz.objects.create(
            slug=f"live-load-{secrets.token_hex(3)}",
            title="Load-test national mock",
            question_count=questions,
            timing=Quiz.Timing.DRILL,
            seconds_per_question=19,
            mode=Quiz.Mode.EXAM,
            published=True,
            opens_at=now + opens_in,
            closes_at=now + timedelta(hours=2),
        )
        prepare_live_paper(quiz)
        return quiz

    def open_test(self, quiz: Quiz) -> None:
        """The opening: bring the test's opening time to now (the students are checked in)."""
        Quiz.objects.filter(pk=quiz.pk).update(opens_at=timezone.now())

    # -- the run --------------------------------------------------------------------------------

    async def run(self, o, usernames, password, quiz, server):
        stats = Stats()
        students = [Student(u, password, o["url"], stats, o["retries"]) for u in usernames]
        phases = {}
        self.phase = "logging in"
        ticker = asyncio.create_task(self.progress(stats, students, o["progress_seconds"]))
        try:
            gate = asyncio.Semaphore(16)  # logins hash passwords: do not queue 200 at once

            async def gated(call, *args):
                async with gate:
                    return await call(*args)

            t = time.perf_counter()
            ok = await asyncio.gather(*(gated(s.login) for s in students))
            phases["login_s"] = time.perf_counter() - t
            if not all(ok):
                raise CommandError(f"{ok.count(False)} students could not log in")
            # Check-in before the opening (as the NTA lets candidates in early): each
            # student's sitting is made now, arriving over the check-in window, not at once.
            self.phase = "checking in before the test opens"
            t = time.perf_counter()
            sittings = await asyncio.gather(
                *(gated(s.check_in, quiz.slug, "check_in") for s in students)
            )
            phases["check_in_s"] = time.perf_counter() - t
            if not all(sittings):
                raise CommandError(f"{sittings.count(None)} students could not check in")
            await asyncio.to_thread(self.open_test, quiz)

            barrier = asyncio.Barrier(len(students))
            deadline = time.perf_counter() + o["max_seconds"]

            # The herd: from the instant everyone begins (the opening) until the last student
            # has the first question, the machine's CPU is read, and a few probes time the
            # bare "hello" view, so a begin is weighed against an empty request in the queue.
            waiting, herd_over = [len(students)], asyncio.Event()

            async def sit(s, url):
                await barrier.wait()  # everyone begins in the same instant
                begun = await s.open_sitting(url)
                waiting[0] -= 1
                if not waiting[0]:
                    herd_over.set()
                if begun is not None:
                    await s.answer_all(*begun, tuple(o["think"]), deadline)

            async def probe(p):
                while not herd_over.is_set():
                    await p.request("hello_herd", "GET", "/hello")

            async def herd_cpu(before):
                await herd_over.wait()
                phases["start_cpu"] = self.cpu_per_request(before, len(students))
                # The first students answer before the last has a question: those answers'
                # CPU, and the probes', is taken off the starts' (``report_cpu``).
                phases["herd_answers"] = sum(len(s.acked) for s in students)
                phases["herd_probes"] = len(stats.latency["hello_herd"])

            probes = [Student("probe", "", o["url"], stats, o["retries"]) for _ in range(4)]
            watchers = [asyncio.create_task(herd_cpu(self.cpu()))]
            watchers += [asyncio.create_task(probe(p)) for p in probes]

            faults = []
            if o["kill_worker_after"] is not None:
                faults.append(asyncio.create_task(self.kill_worker(o["kill_worker_after"], phases)))
            if o["stop_db_after"] is not None:
                faults.append(
                    asyncio.create_task(self.stop_db(o["stop_db_after"], o["stop_db_for"], phases))
                )
            self.phase = "exam (all begin at the opening, then answer with think time)"
            t = time.perf_counter()
            await asyncio.gather(*(sit(s, url) for s, url in zip(students, sittings, strict=True)))
            phases["exam_s"] = time.perf_counter() - t
            herd_over.set()  # even if some student never got a first question
            await asyncio.gather(*watchers)
            await asyncio.gather(*(p.close() for p in probes))
            for f in faults:
                await f

            # Baseline and capacity, same server, same concurrency, back to back; the app
            # servers' CPU is read around each, so CPU per request is measured too.
            self.phase = "capacity: bare 'hello' view, 64 clients"
            until = time.perf_counter() + o["baseline_seconds"]
            cpu, t = self.cpu(), time.perf_counter()
            hello = sum(
                await asyncio.gather(*(s.hammer("hello", "/hello", until) for s in students[:64]))
            )
            phases["hello_rps"] = hello / (time.perf_counter() - t)
            phases["hello_cpu"] = self.cpu_per_request(cpu, hello)
            capacity_quiz = await asyncio.to_thread(self.make_test, 60)
            # Started (and the first question loaded) before the clock runs: the capacity
            # figure is answers alone, not starts.
            self.phase = "capacity: 64 clients start a 60-question test"
            clients = students[:64]
            begun = await asyncio.gather(
                *(s.begin(capacity_quiz.slug, label="_capacity") for s in clients)
            )
            self.phase = "capacity: answers without think time, 64 clients"
            before = sum(len(s.acked) for s in clients)
            until = time.perf_counter() + o["baseline_seconds"]
            cpu, t = self.cpu(), time.perf_counter()
            await asyncio.gather(
                *(
                    s.answer_all(*b, (0, 0), until, label="_capacity", results=False)
                    for s, b in zip(clients, begun, strict=True)
                    if b is not None
                )
            )
            answered = sum(len(s.acked) for s in clients) - before
            phases["answer_rps"] = answered / (time.perf_counter() - t)
            phases["answer_cpu"] = self.cpu_per_request(cpu, answered)
        finally:
            ticker.cancel()
            await asyncio.gather(*(s.close() for s in students))
        return stats, students, phases

    async def kill_worker(self, after: float, phases: dict) -> None:
        await asyncio.sleep(after)
        master = int(Path(self.pidfile).read_text())
        children = subprocess.run(
            ["pgrep", "-P", str(master)], capture_output=True, text=True
        ).stdout.split()
        if children:
            os.kill(int(children[0]), signal.SIGKILL)
            phases["killed_worker"] = int(children[0])

    async def stop_db(self, after: float, down: float, phases: dict) -> None:
        await asyncio.sleep(after)
        cluster = sorted(os.listdir("/etc/postgresql"))[0]
        ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main"]
        await asyncio.to_thread(subprocess.run, [*ctl, "stop", "-m", "fast"], check=False)
        phases["db_stopped_s"] = down
        await asyncio.sleep(down)
        await asyncio.to_thread(subprocess.run, [*ctl, "start"], check=False)

    # -- across app nodes ------------------------------------------------------------------------

    def across_nodes(self, o, password: str) -> list[str]:
        """With two or more nodes behind nginx's round robin, what must hold whichever node
        serves a request: a sitting's requests served by several nodes (shared sessions),
        a login lock-out counted over all nodes, the start limit counted over all nodes.
        Returns the problems found; prints what it saw."""
        import httpx

        problems: list[str] = []
        self.phase = "checks across nodes"
        logs = [
            Path(f"/tmp/loadtest-gunicorn-{int(o['url'].rsplit(':', 1)[1]) + 1 + i}.access.log")
            for i in range(o["nodes"])
        ]
        nodes_per_sitting: dict[str, set[int]] = defaultdict(set)
        served = []
        for node, log in enumerate(logs):
            text = log.read_text() if log.exists() else ""
            served.append(text.count("\n"))
            for attempt in re.findall(r'"POST /attempts/(\d+)/answer/ [^"]*" 200 ', text):
                nodes_per_sitting[attempt].add(node)
        spread = sum(len(n) > 1 for n in nodes_per_sitting.values())
        self.stdout.write(
            f"across {o['nodes']} nodes: requests served per node {served}; "
            f"{spread} of {len(nodes_per_sitting)} sittings had answers saved by more than "
            "one node (one session, read by every node)"
        )
        if not spread:
            problems.append("no sitting was served by more than one node")

        def client() -> httpx.Client:
            return httpx.Client(base_url=o["url"], timeout=15, follow_redirects=False)

        def login(http: httpx.Client, username: str, secret: str) -> httpx.Response:
            http.get("/accounts/login/")
            return http.post(
                "/accounts/login/",
                data={
                    "username": username,
                    "password": secret,
                    "csrfmiddlewaretoken": http.cookies.get("csrftoken", ""),
                },
                headers={"Referer": o["url"]},
            )

        # Login lock-out: AXES_FAILURE_LIMIT wrong passwords spread over the nodes lock the
        # account everywhere, so even the right password is then refused.
        (victim,), _ = self.make_students(1, password)
        limit = settings.AXES_FAILURE_LIMIT
        with client() as http:
            codes = [login(http, victim, "wrong-password").status_code for _ in range(limit)]
            final = login(http, victim, password)
        locked = final.status_code == 429
        self.stdout.write(
            f"login lock-out across nodes: {limit} wrong passwords gave {codes}; the right "
            f"one then gave {final.status_code}" + (" (locked out)" if locked else "")
        )
        if not locked:
            problems.append(f"lock-out not shared by the nodes: {final.status_code}")

        # Start limit: START_RATE_LIMIT new attempts are allowed, the next is refused,
        # whichever nodes served them.
        (student,), _ = self.make_students(1, password)
        quizzes = [
            Quiz.objects.create(
                slug=f"load-limit-{secrets.token_hex(3)}-{i}",
                title="Load-test start limit",
                question_count=2,
                published=True,
            )
            for i in range(settings.START_RATE_LIMIT + 1)
        ]
        with client() as http:
            if login(http, student, password).status_code != 302:
                problems.append("the start-limit student could not log in")
                return problems
            headers = {"X-CSRFToken": http.cookies.get("csrftoken", ""), "Referer": o["url"]}
            codes = [
                http.post(f"/quizzes/{q.slug}/start/", headers=headers).status_code for q in quizzes
            ]
        self.stdout.write(f"start limit across nodes: {len(quizzes)} starts gave {codes}")
        if codes[:-1] != [302] * (len(quizzes) - 1) or codes[-1] != 429:
            problems.append(f"start limit not held across nodes: {codes}")
        return problems

    # -- report and verification -----------------------------------------------------------------

    def report(self, o, stats: Stats, students, phases) -> None:
        self.stdout.write(
            f"logins took {phases['login_s']:.1f} s; check-in {phases['check_in_s']:.1f} s; "
            f"the exam phase {phases['exam_s']:.1f} s"
            + (f"; killed worker {phases['killed_worker']}" if "killed_worker" in phases else "")
            + (
                f"; PostgreSQL stopped for {phases['db_stopped_s']} s"
                if "db_stopped_s" in phases
                else ""
            )
        )
        self.stdout.write(
            f"{'endpoint':<12}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}  statuses / retries / errors"
        )
        for name, values in sorted(stats.latency.items()):
            codes = ",".join(f"{k}:{v}" for k, v in sorted(stats.status[name].items()))
            self.stdout.write(
                f"{name:<12}{len(values):>7}{pct(values, 0.5):>9.1f}{pct(values, 0.95):>9.1f}{pct(values, 0.99):>9.1f}"
                f"{max(values):>9.1f}  {codes} / {stats.retries[name]} / {stats.errors[name]}"
            )
        answers = stats.latency.get("answer", [])
        exam_answers = sum(len(s.acked) for s in students)
        self.stdout.write(
            f"answers acknowledged: {exam_answers}; throughput during the exam "
            f"{len(answers) / phases['exam_s']:.1f}/s (think time bound)"
        )
        ratio = phases["answer_rps"] / phases["hello_rps"] if phases["hello_rps"] else float("nan")
        self.stdout.write(
            f"capacity, 64 clients without think time: answers {phases['answer_rps']:.0f}/s, "
            f"bare 'hello' view {phases['hello_rps']:.0f}/s, ratio {ratio:.2f}"
        )
        self.report_cpu(phases, students)
        total_errors = sum(stats.errors.values())
        self.stdout.write(f"errors (requests that kept failing after retries): {total_errors}")

    def report_cpu(self, phases, students) -> None:
        """Where each request's CPU went, on the whole machine (app servers, the services,
        this load generator), per answer, per hello and per start of the herd."""
        start, answer, hello = (phases.get(k + "_cpu") for k in ("start", "answer", "hello"))
        answers = phases.get("herd_answers", 0)
        if start and answer and hello:  # less the answers and probes inside the herd's window
            n, probes = len(students), phases["herd_probes"]
            start = {k: v - (answers * answer[k] + probes * hello[k]) / n for k, v in start.items()}
            phases["start_cpu"] = start
        names = {"answer": "answer", "hello": "hello", "start": "begin+q1"}
        rows = [(label, phases.get(k + "_cpu")) for k, label in names.items()]
        rows = [(name, cpu) for name, cpu in rows if cpu]
        if not self.servers or not rows:
            return
        columns = list(rows[0][1])
        self.stdout.write("CPU per request, ms: " + " / ".join(columns))
        for name, cpu in rows:
            self.stdout.write(f"  {name:<8} " + " / ".join(f"{cpu[c]:.2f}" for c in columns))
        if start:
            self.stdout.write(
                f"  (begin+q1: a checked-in sitting's page at the opening, which begins it and "
                f"serves its first question, over the herd: from the instant all began until "
                f"the last had a question, less the {answers} answers and the probes "
                "meanwhile, at the capacity phase's cost each)"
            )
        answer, hello = phases.get("answer_cpu"), phases.get("hello_cpu")
        if answer and hello and hello["app"]:
            self.stdout.write(
                f"app server CPU per request: answer {answer['app']:.1f} ms, "
                f"hello {hello['app']:.2f} ms (answer = {answer['app'] / hello['app']:.1f} hellos)"
            )

    def verify(self, quiz: Quiz, students) -> list[str]:
        connection.close()  # the database may have restarted during the run
        problems: list[str] = []
        acked = {(a, n): tok for s in students for (a, n, tok) in s.acked}
        attempts = {
            a.pk: a
            for a in Attempt.objects.filter(
                quiz__slug__startswith="live-load-", pk__in={a for a, _ in acked}
            )
        }
        rows = Answer.objects.filter(attempt_id__in=attempts).values_list(
            "attempt_id", "question__position", "chosen_token", "outcome"
        )
        seen: dict[tuple[int, int], int] = defaultdict(int)
        recorded = {}
        for attempt_id, position, token, outcome in rows:
            seen[(attempt_id, position)] += 1
            recorded[(attempt_id, position)] = (token, outcome)
        for key, token in acked.items():
            if key not in recorded:
                problems.append(f"acknowledged answer lost: attempt {key[0]} question {key[1]}")
            elif recorded[key][0] != token:
                problems.append(
                    f"attempt {key[0]} question {key[1]}: recorded {recorded[key][0]!r}, sent {token!r}"
                )
        problems += [
            f"attempt {k[0]} question {k[1]} recorded {n} times" for k, n in seen.items() if n != 1
        ]
        # The clock: whichever node judged it, no answer was recorded after its question's
        # deadline (plus the network grace), judged by when the request reached nginx.
        from quiz.clock import NETWORK_GRACE

        late = (
            Answer.objects.filter(attempt_id__in=attempts, question__deadline__isnull=False)
            .exclude(chosen_token="")
            .filter(answered_at__gt=F("question__deadline") + NETWORK_GRACE)
            .count()
        )
        if late:
            problems.append(f"{late} answers recorded after their question's deadline")
        sat = Attempt.objects.filter(quiz=quiz)
        if sat.count() != len(students):
            problems.append(f"{sat.count()} sittings for {len(students)} students")
        for attempt in sat:
            if attempt.status != Attempt.Status.FINISHED or attempt.score is None:
                problems.append(f"attempt {attempt.pk} not scored")
                continue
            tally = Tally.of(attempt.answers.values_list("outcome", flat=True))
            if tally.total != attempt.questions.count():
                problems.append(
                    f"attempt {attempt.pk}: {tally.total} answers for {attempt.questions.count()} questions"
                )
            if to_decimal(tally.score(attempt.marking())) != attempt.score:
                problems.append(
                    f"attempt {attempt.pk}: score {attempt.score} but answers give {tally.score(attempt.marking())}"
                )
        self.stdout.write(
            f"verified {len(acked)} acknowledged answers over {sat.count()} sittings "
            f"(median score {statistics.median([float(a.score or 0) for a in sat]) if sat else 0:.2f})"
        )
        return problems
