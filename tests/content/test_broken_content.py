"""Bad editor input is harmless: value formats are checked on save, and a broken row that
reached the database anyway is skipped and reported, never taking the quizzes down."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import schema
from content.models import Fact, FactKind, QuestionTemplate
from content.servable import bank_from_db
from quiz.models import Attempt, Quiz, ReviewCard
from tests.factories import FactKindFactory

pytestmark = pytest.mark.django_db

BAD_FORMATS = [
    "USD {} billion ({0})",  # mixes automatic and manual numbering: fails when rendered
    "{{}}{0:>999999999}",  # a gigabyte of padding per value
    "{:>999999999}",
    "{0.__class__} {}",  # attribute access
    "{0[0]}",  # indexing
    "{!r} billion",  # a conversion
    "{:x}",  # a format spec strings do not take
    "USD {} {} billion",
    "USD { } billion",
    "USD {{}} and {}",  # literal braces would read as a placeholder in a question
    "USD " + "x" * 80 + " {}",  # too long
]
GOOD_FORMATS = ["USD {} billion", "₹{} crore", "{} per cent of GDP", "{0} tonnes"]


def _field(fmt: str) -> dict:
    return {"name": "value", "label": "Value", "type": "amount", "format": fmt}


@pytest.mark.parametrize("fmt", BAD_FORMATS)
def test_a_dangerous_or_broken_value_format_is_refused(fmt):
    with pytest.raises(schema.SchemaError, match="format"):
        schema.FieldSpec.from_dict(_field(fmt))


@pytest.mark.parametrize("fmt", GOOD_FORMATS)
def test_plain_value_formats_are_accepted_and_render(fmt):
    spec = schema.FieldSpec.from_dict(_field(fmt))
    assert "12.5" in spec.display("12.50")


def _kind_post(kind: FactKind, fields: list[dict]) -> dict:
    return {
        "slug": kind.slug,
        "name": kind.name,
        "description": kind.description,
        "label": kind.label,
        "fields": json.dumps(fields),
        "decoys": json.dumps(kind.decoys),
    }


@pytest.mark.parametrize("fmt", ["USD {} billion ({0})", "{{}}{0:>999999999}"])
def test_the_kind_admin_refuses_a_bad_format_with_a_form_error(client, editor, fmt):
    kind = FactKindFactory(name="Trade figure", label="{name}")
    before = kind.fields
    client.force_login(editor)
    fields = [*before, _field(fmt)]
    response = client.post(
        reverse("admin:content_factkind_change", args=[kind.pk]), _kind_post(kind, fields)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html and "format" in html
    kind.refresh_from_db()
    assert kind.fields == before


# -- a broken row in the database --------------------------------------------------------------


def _break_rows() -> dict[str, str]:
    """Write broken content straight into the database, the way a bug, a shell session or an
    old release could, bypassing every form. Returns the broken slugs."""
    kind = FactKind.objects.get(slug="trade-figure")
    fields = [dict(f, format="USD {} billion ({0})") if f.get("format") else f for f in kind.fields]
    FactKind.objects.filter(pk=kind.pk).update(fields=fields)
    lemoa = Fact.objects.get(slug="agreement-lemoa")
    Fact.objects.filter(pk=lemoa.pk).update(values={**lemoa.values, "year_signed": "soon"})
    template = QuestionTemplate.objects.filter(kind__slug="agreement", style="mcq").first()
    QuestionTemplate.objects.filter(pk=template.pk).update(stem="When was {nope} signed?")
    return {"kind": kind.slug, "fact": lemoa.slug, "template": template.slug}


def test_a_broken_kind_fact_and_template_are_skipped_and_reported(shipped_bank):
    broken = _break_rows()
    bank = bank_from_db()
    assert broken["fact"] not in bank.facts
    assert broken["template"] not in bank.templates
    assert not bank.by_kind.get(broken["kind"])
    assert not [t for t in bank.templates.values() if t.kind == broken["kind"]]
    # Everything else is still served.
    assert len(bank.facts) > 90 and len(bank.templates) > 30
    reported = {(p.model, p.slug) for p in bank.problems}
    assert reported == {
        ("kind", broken["kind"]),
        ("fact", broken["fact"]),
        ("template", broken["template"]),
    }
    assert all(p.reason for p in bank.problems)


def test_every_quiz_still_starts_with_broken_rows_in_the_database(client, student, shipped_bank):
    broken = _break_rows()
    # Review due: one card for the broken fact, one for a healthy one.
    for slug in (broken["fact"], "agreement-comcasa"):
        ReviewCard.objects.create(user=student, fact_slug=slug, due=timezone.now())
    client.force_login(student)
    quizzes = Quiz.objects.filter(published=True, opens_at__isnull=True)
    assert quizzes.count() >= 4
    for quiz in quizzes:
        # The catalogue's Start button posts here.
        response = client.post(f"/quizzes/{quiz.slug}/start/")
        assert response.status_code == 302, quiz.slug
        attempt = Attempt.objects.filter(user=student, quiz=quiz).get()
        assert response["Location"] == attempt.get_absolute_url()
        assert client.get(response["Location"]).status_code == 200
        assert attempt.questions.exists()
        assert broken["fact"] not in {s for q in attempt.questions.all() for s in q.fact_slugs}


def test_the_fact_and_template_lists_show_the_skipped_rows(client, editor, shipped_bank):
    broken = _break_rows()
    client.force_login(editor)
    facts_page = client.get(reverse("admin:content_fact_changelist")).content.decode()
    assert "not served" in facts_page
    assert broken["fact"] in facts_page and broken["kind"] in facts_page
    assert "expected a whole number, got &#x27;soon&#x27;" in facts_page
    templates_page = client.get(
        reverse("admin:content_questiontemplate_changelist")
    ).content.decode()
    assert broken["template"] in templates_page
    assert "Unknown placeholder(s) {nope}" in templates_page


def test_load_content_prints_the_skipped_rows(capsys, shipped_bank):
    # A template the files do not know, saved without validation.
    QuestionTemplate.objects.create(
        slug="admin-only-broken",
        kind=FactKind.objects.get(slug="agreement"),
        stem="When was {nope} signed?",
        answer_field="year_signed",
        explanation="{name}.",
    )
    call_command("load_content")
    out = capsys.readouterr().out
    assert "template admin-only-broken skipped: Unknown placeholder(s) {nope}" in out


def test_load_content_keeps_broken_edits_as_conflicts_and_reports_them(capsys, shipped_bank):
    broken = _break_rows()
    call_command("load_content")  # exit status 0: `make run` still starts the server
    out = capsys.readouterr().out
    for model, slug in broken.items():
        assert f"{model} {slug} skipped:" in out
    assert "conflict: factkind trade-figure (kinds.yaml)" in out
    assert "conflict: fact agreement-lemoa (facts/agreement.yaml)" in out
    assert 'values.year_signed: file 2016, database "soon"' in out
    # The trade-figure facts cannot be checked against the kind the database keeps.
    assert "kind trade-figure keeps its admin edits" in out
    call_command("load_content", force=True)
    assert bank_from_db().problems == []


def test_the_change_pages_of_broken_rows_explain_instead_of_failing(client, editor, shipped_bank):
    broken = _break_rows()
    client.force_login(editor)
    template = QuestionTemplate.objects.get(slug=broken["template"])
    response = client.get(reverse("admin:content_questiontemplate_change", args=[template.pk]))
    assert response.status_code == 200
    assert "Unknown placeholder(s) {nope}" in response.content.decode()
    fact = Fact.objects.get(slug=broken["fact"])
    response = client.get(reverse("admin:content_fact_change", args=[fact.pk]))
    assert response.status_code == 200
    assert "expected a whole number" in response.content.decode()
    trade = Fact.objects.filter(kind__slug=broken["kind"]).first()
    response = client.get(reverse("admin:content_fact_change", args=[trade.pk]), follow=True)
    assert response.status_code == 200
    assert "format" in response.content.decode()


def test_a_malformed_stored_date_does_not_break_the_fact_list(client, editor):
    from tests.factories import FactFactory

    kind = FactKindFactory(
        label="{signed_on}",
        fields=[
            {"name": "name", "label": "Name", "type": "text", "required": True},
            {"name": "signed_on", "label": "Signed on", "type": "date"},
        ],
    )
    fact = FactFactory(kind=kind, slug="bad-date", values={"name": "X", "signed_on": "2019-13-45"})
    client.force_login(editor)
    response = client.get(reverse("admin:content_fact_changelist"))
    assert response.status_code == 200
    assert "bad-date" in response.content.decode()
    assert str(fact) == "bad-date"
