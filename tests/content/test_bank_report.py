"""The editors' report — ``manage.py bank_report`` and the admin's bank report page — lists,
per template, its questions, its skips with why and what to do about them, and the test-wise
solver's score."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from content.generator.report import (
    ADD_FACTS,
    ADD_VALUE,
    AMBIGUOUS,
    OTHER,
    REWORD,
    build_report,
    reason_pattern,
    skip_class,
)
from content.generator.solver import pick
from tests.factories import UserFactory

REPORT_URL = "/admin/content/questiontemplate/report/"
TEMPLATES_URL = "/admin/content/questiontemplate/"


def test_the_report_lists_each_template_with_its_skips_and_the_solvers_score(shipped_bank, capsys):
    call_command("bank_report", seeds=[0])
    out = capsys.readouterr().out
    for slug in shipped_bank.templates:
        assert f"\n{slug} (" in out
    assert "event-where (mcq, event): " in out
    assert f"({ADD_VALUE}) fact … has no value for the answer field place" in out
    assert "solver 25%" in out
    assert "All templates:" in out and "(chance 25%)" in out
    assert "Skips (seed 0) by what to do: " in out


def test_export_questions_tags_each_skip_with_what_to_do(shipped_bank, capsys):
    call_command("export_questions", verbosity=2)
    skips = [line for line in capsys.readouterr().err.splitlines() if line.startswith("skipped ")]
    assert skips
    for line in skips:
        reason = line.split("): ", 1)[1]
        assert f" ({skip_class(reason)}): " in line


def test_skip_reasons_group_without_their_fact_slugs():
    assert reason_pattern("fact event-tiger-triumph-2019 has no value for place") == (
        "fact … has no value for place"
    )


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (
            "stem echo: the key shares 'agreement' with the stem; longest option: one option "
            "is much longer than the others",
            REWORD,
        ),
        ("longest option: one option is much longer than the others", REWORD),
        ("odd one out: one option differs in form from the other three", REWORD),
        ("convergence: one option shares the most words with the others", REWORD),
        ("acronym initials: only some options spell LEMOA", REWORD),
        ("the stem also describes agreement-diu-idex-moi, so its answer is not unique", REWORD),
        (
            "ambiguous subject: official-x-2016 shares the subject of official-x-2019 with "
            "another office",
            AMBIGUOUS,
        ),
        ("only 1 comparable (type) wrong value(s) for name of agreement-x; need 3", ADD_FACTS),
        ("only 0 wrong value(s) for full_name of agreement-x; need 3", ADD_FACTS),
        ("only 0 other usable fact(s) of kind event; need 2", ADD_FACTS),
        ("fact event-x has no value for the answer field place", ADD_VALUE),
        ("fact event-x has no value for {outcome}", ADD_VALUE),
        ("fact official-x has no tier, which wrong name options must share with it", ADD_VALUE),
        ("two options read the same", OTHER),
    ],
)
def test_each_skip_reason_is_classified_by_what_an_editor_can_do(reason, expected):
    assert skip_class(reason) == expected


def test_every_skip_in_the_shipped_bank_falls_in_one_of_the_three_classes(shipped_bank):
    report = build_report(shipped_bank, [0])
    unclassified = [
        (t.slug, group.reason)
        for t in report.templates
        for group in t.skips
        if group.skip_class == OTHER
    ]
    assert unclassified == []


def test_the_solver_score_in_the_report_is_the_solvers_own(shipped_bank):
    report = build_report(shipped_bank, [0], pick)
    without = build_report(shipped_bank, [0])
    assert report.questions == without.questions > 0
    assert 0 < report.score <= 0.30
    assert without.score == 0


# -- the admin page ---------------------------------------------------------------------------


def test_the_template_list_links_to_the_report(client, editor, shipped_bank):
    client.force_login(editor)
    html = client.get(TEMPLATES_URL).content.decode()
    assert f'href="{REPORT_URL}"' in html


def test_the_page_builds_the_report_only_when_asked(client, editor, shipped_bank):
    client.force_login(editor)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Build the report" in html and "never cached" in html
    assert 'id="bank-report"' not in html


def test_the_page_lists_each_templates_yield_skips_classes_and_solver_score(
    client, editor, shipped_bank, django_assert_num_queries
):
    client.force_login(editor)
    # Session, user, the editor's own and group permissions, the bank (6 queries), the
    # templates' admin links: the same however many templates and facts there are.
    with django_assert_num_queries(11):
        response = client.get(REPORT_URL, {"seeds": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert [t.slug for t in report.templates] == list(shipped_bank.templates)
    for template in report.templates:
        assert f">{template.slug}</a>" in html
    where = next(t for t in report.templates if t.slug == "event-where")
    assert where.questions[0] > 0 and where.skipped > 0
    assert f"<strong>{ADD_VALUE}</strong>" in html
    assert "fact … has no value for the answer field place" in html
    assert f"the test-wise solver scores {report.score:.0%}" in html


def test_a_cue_skip_shows_as_reword_on_the_page(client, editor, shipped_bank):
    """The shipped bank has no cue left; an editor's wording that echoes the key makes one."""
    from content.models import Fact
    from content.servable import bank_from_db

    malabar = Fact.objects.get(slug="event-malabar-2023-sydney")
    malabar.values["outcome"] = "brings the four Quad navies together off Australia's east coast"
    malabar.save()
    cue = next(
        (t.slug, group)
        for t in build_report(bank_from_db(), [0]).templates
        for group in t.skips
        if group.reason.startswith("stem echo")
    )
    assert cue[0] == "event-outcome" and "event-malabar-2023-sydney" in cue[1].facts
    assert cue[1].skip_class == REWORD
    client.force_login(editor)
    html = client.get(REPORT_URL, {"seeds": "0"}).content.decode()
    assert (
        f"<strong>{REWORD}</strong> — {len(cue[1].facts)}× {cue[1].reason}".replace("'", "&#x27;")
        in html
    )


@pytest.mark.parametrize("seeds", ["", "a", "0, 1, 2, 3", "-1", "²"])
def test_bad_seeds_get_a_clear_error_not_a_report(client, editor, db, seeds):
    client.force_login(editor)
    response = client.get(REPORT_URL, {"seeds": seeds})
    assert response.status_code == 400
    assert "seeds as whole numbers separated by commas" in response.content.decode()
    assert "report" not in response.context or response.context.get("report") is None


def test_the_page_is_for_staff_who_may_view_templates(client, db):
    assert client.get(REPORT_URL).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory(is_staff=False))
    assert client.get(REPORT_URL).status_code == 302
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(REPORT_URL).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_questiontemplate"))
    assert client.get(REPORT_URL).status_code == 200


def test_the_page_answers_get_only(client, editor, db):
    client.force_login(editor)
    assert client.post(REPORT_URL, {"seeds": "0"}).status_code == 405
