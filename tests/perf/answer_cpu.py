"""CPU per answer, in process: a steadier figure than the load test's on a shared machine.

    DATABASE_URL=postgres://… python -m tests.perf.answer_cpu --questions 60 --repeat 3

Production settings (DEBUG off), a live test of N questions from the bank, one student
answering every question over htmx through Django's test client; prints the process CPU
(and wall time) per answer. The client's own work is included, so compare runs of this
tool with each other, not with the load test's server-side figure."""

from __future__ import annotations

import argparse
import os
import secrets
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    o = parser.parse_args()
    os.environ.update(
        DEBUG="false",
        LOCAL_HTTP="true",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quiz.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from tests.perf.loadtest import Command

    maker = Command()
    (username,), _ = maker.make_students(1)
    user = get_user_model().objects.get(username=username)
    for _ in range(o.repeat):
        quiz = maker.make_test(o.questions)
        client = Client()
        client.force_login(user)
        url = client.post(f"/quizzes/{quiz.slug}/start/")["Location"]
        client.get(url)  # serves question 1
        attempt = int(url.strip("/").split("/")[-1])
        from quiz.models import AttemptQuestion

        questions = list(AttemptQuestion.objects.filter(attempt_id=attempt).order_by("position"))
        cpu, wall = time.process_time(), time.perf_counter()
        for q in questions[:-1]:  # the last one finishes the attempt: a different path
            response = client.post(
                f"/attempts/{attempt}/answer/",
                {"question": q.position, "choice": q.correct_token},
                HTTP_HX_REQUEST="true",
            )
            assert response.status_code == 200, response.status_code
        n = len(questions) - 1
        print(
            f"{connection.vendor}, {o.questions}-question live paper: "
            f"{(time.process_time() - cpu) / n * 1000:.2f} ms CPU per answer, "
            f"{(time.perf_counter() - wall) / n * 1000:.1f} ms wall"
        )


if __name__ == "__main__":
    main()
