"""Every student page passes axe-core (no serious or critical violations) in light and dark
mode, on a 390×844 phone; every control is a 44 px touch target; the keyboard reaches the
study tools with a visible focus ring; nothing scrolls sideways on the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from quiz.models import Attempt, Bookmark, ErrorReport, Quiz
from tests.browser.axe import audit
from tests.browser.conftest import log_in
from tests.factories import QuizFactory, TopicFactory, UserFactory, make_questions

pytestmark = pytest.mark.django_db(transaction=True)

# Controls that must be at least 44 px tall (WCAG 2.5.5); inline links in running text are
# exempt, as WCAG exempts them.
TARGETS = (
    "header a, header button, button, .button, summary, label.check, .filters a, .pager a, "
    ".field input, .field textarea"
)


def _world() -> dict[str, str]:
    """A student with something on every page; returns the pages' paths by name."""
    now = timezone.now()
    TopicFactory(slug="dialogues", name="Dialogues")
    student = UserFactory(username="meera")
    UserFactory(username="newcomer")
    QuizFactory(slug="mock", title="Mock paper", question_count=3, description="A mock.")

    def start(slug, begin=True, **fields):
        quiz = QuizFactory(slug=slug, question_count=3, **fields)
        attempt = Attempt.start(student, quiz, now, make_questions(3), seed=5)
        if begin and not attempt.is_drill:
            attempt.begin(now)  # the student read the instructions and pressed "ready"
        return attempt

    done = start("done", timing="paper", paper_minutes=10)
    q1, q2, q3 = done.questions.order_by("position")
    done.answer(Attempt.Intent.SAVE, 1, q1.correct_token, now)
    done.answer(Attempt.Intent.SAVE, 2, next(t for t in q2.tokens() if t != q2.correct_token), now)
    done.finish(now)
    Bookmark.toggle(student, q1, now)
    report, _ = ErrorReport.file(student, q2, "The year is wrong.", "", now)
    ErrorReport.objects.filter(pk=report.pk).update(
        status="resolved", reply="Corrected, thank you.", closed_at=now
    )
    ErrorReport.file(student, q3, "Two options look right.", "", now)

    practice = start("practice", mode="practice")
    first = practice.current_question(now)
    practice.answer(Attempt.Intent.SAVE, 1, first.tokens()[0], now)
    drill = start("drill", seconds_per_question=600)
    paper = start("paper", timing="paper", paper_minutes=60)
    unread = start("instructions", begin=False, timing="paper", paper_minutes=60)

    live = Quiz.objects.create(
        slug="live",
        title="Live mock",
        question_count=3,
        timing="paper",
        paper_minutes=30,
        published=True,
        opens_at=now - dt.timedelta(minutes=5),
        closes_at=now + dt.timedelta(hours=2),
    )
    live.freeze_paper(make_questions(3))
    sitting = Attempt.start(student, live, now, make_questions(3), seed=1, is_live=True)
    sitting.finish(now)
    soon = Quiz.objects.create(
        slug="live-soon",
        title="Live drill",
        question_count=3,
        published=True,
        opens_at=now + dt.timedelta(minutes=20),
        closes_at=now + dt.timedelta(hours=2),
    )
    soon.freeze_paper(make_questions(3))
    lobby = Attempt.start(student, soon, now, make_questions(3), seed=1, is_live=True)
    return {
        "home": "/",
        "catalogue": "/quizzes/",
        "build": "/quizzes/build/",
        "bookmarks": "/bookmarks/",
        "dashboard": "/dashboard/",
        "profile": "/accounts/profile/",
        "password change": "/accounts/password_change/",
        "results": f"/attempts/{done.pk}/results/",
        "review": f"/attempts/{done.pk}/review/",
        "review, bookmarked": f"/attempts/{done.pk}/review/?show=bookmarked",
        "report form": f"/attempts/{done.pk}/questions/1/report/",
        "drill question": f"/attempts/{drill.pk}/",
        "practice feedback": f"/attempts/{practice.pk}/?feedback=1",
        "paper question": f"/attempts/{paper.pk}/",
        "paper instructions": f"/attempts/{unread.pk}/",
        "submit summary": f"/attempts/{paper.pk}/summary/",
        "live sitting received": f"/attempts/{sitting.pk}/results/",
        "live test lobby (checked in)": f"/attempts/{lobby.pk}/",
        "rank list (pending)": "/quizzes/live/ranks/",
    }


EMPTY_PAGES = {"dashboard (empty)": "/dashboard/", "bookmarks (empty)": "/bookmarks/"}
ANONYMOUS_PAGES = {
    "home (anonymous)": "/",
    "log in": "/accounts/login/",
    "sign up": "/accounts/signup/",
    "password reset": "/accounts/password_reset/",
}


def _check(page, base: str, pages: dict[str, str], problems: list[str]) -> None:
    for name, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state("load")
        problems += [f"{name}: {v}" for v in audit(page, base)]
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => e.offsetParent !== null && e.type !== "hidden")
                .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
                .filter(([, h]) => h < 43.5)""",
            TARGETS,
        )
        problems += [f"{name}: touch target {h:.0f} px: {html}" for html, h in small]
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > page.viewport_size["width"]:
            problems.append(f"{name}: scrolls sideways ({width} px wide)")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_student_page_passes_axe_on_a_phone(live_server, browser, scheme):
    pages = _world()
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.emulate_media(color_scheme=scheme)
    assert page.evaluate(f"() => matchMedia('(prefers-color-scheme: {scheme})').matches")
    base = live_server.url
    problems: list[str] = []
    try:
        _check(page, base, ANONYMOUS_PAGES, problems)
        log_in(page, base, "meera")
        _check(page, base, pages, problems)
        page.context.clear_cookies()
        log_in(page, base, "newcomer")
        _check(page, base, EMPTY_PAGES, problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_dark_mode_really_changes_the_colours(live_server, browser):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(live_server.url + "/")
        colours[scheme] = page.evaluate(
            "() => [getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )
        context.close()
    assert colours["light"] == ["rgb(255, 255, 255)", "rgb(27, 31, 36)"]
    assert colours["dark"] == ["rgb(13, 17, 23)", "rgb(230, 237, 243)"]


def test_the_keyboard_reaches_the_study_tools_with_a_visible_focus_ring(live_server, page):
    pages = _world()
    base = live_server.url
    log_in(page, base, "meera")
    page.goto(base + pages["review"])
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                return [e.tagName, (e.innerText || "").trim().slice(0, 40), s.outlineStyle,
                        parseFloat(s.outlineWidth)]; }"""
        )
        seen.append(focused)
        if focused[1].startswith("Report an error"):
            break
    names = [text for _, text, _, _ in seen]
    assert any(n.startswith("Skip to content") for n in names)
    assert any(n.startswith("☆ Bookmark") or n.startswith("★ Bookmark") for n in names)
    assert names[-1].startswith("Report an error"), names
    # Every stop shows a focus ring at least 3 px wide.
    assert all(style != "none" and width >= 3 for _, _, style, width in seen), seen
    # Space on the summary opens the report form; Enter on the star presses it.
    page.keyboard.press("Space")
    assert page.locator("#report-1 details").get_attribute("open") is not None


def test_the_log_out_button_is_a_44_px_target(live_server, page):
    UserFactory(username="meera")
    log_in(page, live_server.url, "meera")
    box = page.get_by_role("button", name="Log out").bounding_box()
    assert box["height"] >= 44


def test_the_audit_fails_on_a_real_violation(live_server, browser):
    """The audit can fail: an unnamed button and dim text on the dark background are caught."""
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert audit(page, live_server.url) == []
    page.evaluate(
        """() => { const main = document.querySelector("main");
            main.append(document.createElement("button"));
            const p = document.createElement("p"); p.textContent = "Dim words";
            p.style.color = "#555"; main.append(p); }"""
    )
    found = " ".join(audit(page, live_server.url))
    context.close()
    assert "button-name (critical)" in found
    assert "color-contrast (serious)" in found
