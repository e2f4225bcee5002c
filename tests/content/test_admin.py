"""Editors author content in the admin: typed fact forms, template validation, previews."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content.models import Fact, QuestionTemplate
from tests.factories import (
    FactFactory,
    FactKindFactory,
    QuestionTemplateFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kind():
    return FactKindFactory(name="Agreement")


@pytest.fixture
def bank(kind):
    facts = [
        FactFactory(kind=kind, slug=f"pact-{y}", values={"name": f"P{y}", "year_signed": y})
        for y in (2002, 2016, 2018, 2020)
    ]
    template = QuestionTemplateFactory(kind=kind, slug="pact-year")
    return facts, template


def _fact_post(kind, topic, source, **values):
    data = {
        "slug": "new-pact",
        "kind": kind.pk,
        "topic": topic.pk,
        "status": "published",
        "as_of": "",
        "as_of_label": "",
        "notes": "",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "citations-0-source": source.pk,
        "citations-0-locator": "Second paragraph",
    }
    data.update({f"value__{k}": v for k, v in values.items()})
    return data


def test_adding_a_fact_starts_by_choosing_its_kind(client, editor, kind):
    client.force_login(editor)
    response = client.get(reverse("admin:content_fact_add"))
    assert response.status_code == 200
    assert f'href="?kind={kind.pk}"' in response.content.decode()


def test_the_fact_form_has_one_typed_input_per_schema_field(client, editor, kind):
    client.force_login(editor)
    html = client.get(reverse("admin:content_fact_add") + f"?kind={kind.pk}").content.decode()
    assert 'name="value__name"' in html
    assert 'type="number" name="value__year_signed"' in html
    assert 'name="values"' not in html  # no raw JSON box


def test_a_fact_with_a_non_numeric_year_is_refused_with_a_form_error(client, editor, kind):
    client.force_login(editor)
    data = _fact_post(kind, TopicFactory(), SourceFactory(), name="NEW", year_signed="twenty")
    response = client.post(reverse("admin:content_fact_add") + f"?kind={kind.pk}", data)
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()
    assert not Fact.objects.filter(slug="new-pact").exists()


def test_a_required_schema_field_left_empty_is_refused(client, editor, kind):
    client.force_login(editor)
    data = _fact_post(kind, TopicFactory(), SourceFactory(), name="", year_signed="2016")
    response = client.post(reverse("admin:content_fact_add") + f"?kind={kind.pk}", data)
    assert "This field is required." in response.content.decode()
    assert not Fact.objects.filter(slug="new-pact").exists()


def test_a_valid_fact_is_saved_with_typed_values_and_aliases(client, editor, kind):
    client.force_login(editor)
    data = _fact_post(kind, TopicFactory(), SourceFactory(), name="ISA", year_signed="2019")
    data["alias__full_name"] = "Industrial Security Agreement\n\n  Industrial Security Annex  "
    data["value__full_name"] = "Industrial Security Annex"
    response = client.post(reverse("admin:content_fact_add") + f"?kind={kind.pk}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fact = Fact.objects.get(slug="new-pact")
    assert fact.values == {
        "name": "ISA",
        "full_name": "Industrial Security Annex",
        "year_signed": 2019,
    }
    assert fact.aliases == {
        "full_name": ["Industrial Security Agreement", "Industrial Security Annex"]
    }
    assert fact.citations.count() == 1


def test_a_published_fact_needs_a_citation(client, editor, kind):
    client.force_login(editor)
    data = _fact_post(kind, TopicFactory(), SourceFactory(), name="X", year_signed="2019")
    data["citations-0-source"] = ""
    data["citations-0-locator"] = ""
    response = client.post(reverse("admin:content_fact_add") + f"?kind={kind.pk}", data)
    assert "A published fact must cite at least one source." in response.content.decode()
    assert not Fact.objects.exists()


def _template_post(kind, **overrides):
    data = {
        "slug": "t-new",
        "kind": kind.pk,
        "style": "mcq",
        "active": "on",
        "difficulty": "2",
        "stem": "In which year was {name} signed?",
        "answer_field": "year_signed",
        "distractors": "nearby",
        "match_field": "",
        "explanation": "{name}: {year_signed}.",
        "items": "0",
        "statement": "",
        "pair_left_field": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stem": "When was {acronym} signed?"}, "Unknown placeholder(s) {acronym}"),
        ({"answer_field": ""}, "This field is required."),
        ({"answer_field": "signed_on"}, "&#x27;signed_on&#x27; is not a field of Agreement"),
        ({"stem": "{name} in {year_signed}?"}, "The stem must not show the answer field"),
        ({"answer_field": "name", "stem": "Which in {year_signed}?"}, "Nearby values need a year"),
        ({"style": "pairs", "items": "3"}, "Pairs need the field shown on the left."),
        ({"match_field": "country"}, "&#x27;country&#x27; is not a field"),
        (
            {"match_field": "year_signed"},
            "Matching on the answer field would leave no wrong values.",
        ),
        (
            {"style": "statements", "items": "5", "statement": "{name}: {year_signed}"},
            "This style takes 2 or 3 items.",
        ),
    ],
)
def test_an_invalid_template_is_refused_with_a_clear_form_error(
    client, editor, kind, overrides, message
):
    client.force_login(editor)
    response = client.post(
        reverse("admin:content_questiontemplate_add"), _template_post(kind, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QuestionTemplate.objects.filter(slug="t-new").exists()


def test_a_valid_template_is_saved(client, editor, kind):
    client.force_login(editor)
    response = client.post(reverse("admin:content_questiontemplate_add"), _template_post(kind))
    assert response.status_code == 302
    assert QuestionTemplate.objects.filter(slug="t-new").exists()


def test_the_template_page_previews_three_questions_with_the_answer_marked(client, editor, bank):
    _facts, template = bank
    client.force_login(editor)
    html = client.get(
        reverse("admin:content_questiontemplate_change", args=[template.pk])
    ).content.decode()
    assert "Question preview" in html
    assert "4 of 4 generate a sound question." in html
    assert html.count("✔ correct") == 3
    assert "In which year was P2016 signed?" in html or "In which year was P2002 signed?" in html


def test_the_template_page_says_why_a_fact_cannot_generate(client, editor, kind, bank):
    FactFactory(
        kind=kind,
        slug="pact-undated",
        status="published",
        values={"name": "P?", "year_signed": 2016},
    )
    reverse_template = QuestionTemplateFactory(
        kind=kind,
        slug="by-year",
        stem="Which pact was signed in {year_signed}?",
        answer_field="name",
        distractors="other_facts",
    )
    client.force_login(editor)
    html = client.get(
        reverse("admin:content_questiontemplate_change", args=[reverse_template.pk])
    ).content.decode()
    assert "its answer is not unique" in html


def test_the_fact_page_previews_its_questions(client, editor, bank):
    facts, _template = bank
    client.force_login(editor)
    html = client.get(reverse("admin:content_fact_change", args=[facts[1].pk])).content.decode()
    assert "In which year was P2016 signed?" in html
    assert "✔ correct" in html


def test_the_live_preview_renders_unsaved_changes_without_saving(client, editor, bank, kind):
    _facts, template = bank
    client.force_login(editor)
    url = reverse("admin:content_questiontemplate_preview", args=[template.pk])
    data = _template_post(kind, slug=template.slug, stem="Name the year {name} was concluded.")
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview of unsaved changes" in html
    assert (
        "Name the year P2016 was concluded." in html or "Name the year P2002 was concluded." in html
    )
    template.refresh_from_db()
    assert template.stem == "In which year was {name} signed?"


def test_the_live_preview_shows_form_errors(client, editor, bank, kind):
    _facts, template = bank
    client.force_login(editor)
    url = reverse("admin:content_questiontemplate_preview", args=[template.pk])
    response = client.post(url, _template_post(kind, slug=template.slug, stem="{nope}?"))
    assert "Unknown placeholder(s) {nope}" in response.content.decode()


def test_the_fact_live_preview_uses_the_unsaved_values(client, editor, bank, kind):
    facts, _template = bank
    client.force_login(editor)
    url = reverse("admin:content_fact_preview", args=[facts[1].pk])
    data = _fact_post(kind, facts[1].topic, SourceFactory(), name="RENAMED", year_signed="2016")
    data.update({"slug": facts[1].slug, "citations-TOTAL_FORMS": "0"})
    html = client.post(url, data).content.decode()
    assert "In which year was RENAMED signed?" in html
    facts[1].refresh_from_db()
    assert facts[1].values["name"] == "P2016"


def test_the_preview_endpoints_refuse_get(client, editor, bank):
    _facts, template = bank
    client.force_login(editor)
    response = client.get(reverse("admin:content_questiontemplate_preview", args=[template.pk]))
    assert response.status_code == 405


def test_fact_list_filters_and_search(client, editor, bank):
    FactFactory()  # a second kind, so the kind filter has a choice to offer
    client.force_login(editor)
    url = reverse("admin:content_fact_changelist")
    html = client.get(url).content.decode()
    for facet in ("By status", "By kind", "By topic"):
        assert facet in html
    found = client.get(url, {"q": "P2018"}).content.decode()
    assert "pact-2018" in found and "pact-2016" not in found


def test_content_editors_can_edit_content_but_not_users(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:content_fact_changelist")).status_code == 200
    assert client.get(reverse("admin:content_questiontemplate_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_students_cannot_reach_the_content_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:content_fact_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editors_author_quizzes_with_style_checkboxes(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:quiz_quiz_add")).content.decode()
    assert 'type="checkbox" name="styles" value="pairs"' in html
    response = client.post(
        reverse("admin:quiz_quiz_add"),
        {
            "title": "Pairs only",
            "slug": "pairs-only",
            "description": "",
            "published": "on",
            "order": "5",
            "question_count": "10",
            "styles": ["pairs", "how_many"],
            "timing": "paper",
            "seconds_per_question": "19",
            "paper_minutes": "",
            "mode": "exam",
            "marks_correct": "2",
            "penalty_numerator": "1",
            "penalty_denominator": "3",
        },
    )
    assert "A paper needs a time limit in minutes." in response.content.decode()


def test_editors_can_see_but_not_edit_attempts(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:quiz_attempt_changelist")).status_code == 200
    assert client.get(reverse("admin:quiz_attempt_add")).status_code == 403


def test_the_live_preview_lists_errors_even_for_a_field_named_items(client, editor, bank, kind):
    # Regression: a form field called "items" shadowed dict.items in the error template (500).
    _facts, template = bank
    client.force_login(editor)
    url = reverse("admin:content_questiontemplate_preview", args=[template.pk])
    response = client.post(url, _template_post(kind, slug=template.slug, style="pairs", items="9"))
    assert response.status_code == 200
    assert "This style takes 3 or 4 items." in response.content.decode()


def _rendered_preview_url(html: str, page_url: str) -> str:
    """The URL the "Preview unsaved changes" button posts to, resolved as a browser would
    resolve it against the page's own URL."""
    import re
    from urllib.parse import urljoin

    match = re.search(r'hx-post="([^"]+)"', html)
    assert match, "the page has no preview button"
    return urljoin(page_url, match.group(1))


def test_the_template_page_posts_its_preview_to_a_url_that_works(client, editor, bank, kind):
    _facts, template = bank
    client.force_login(editor)
    page_url = reverse("admin:content_questiontemplate_change", args=[template.pk])
    url = _rendered_preview_url(client.get(page_url).content.decode(), page_url)
    data = _template_post(kind, slug=template.slug, stem="Name the year {name} was concluded.")
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Preview of unsaved changes" in response.content.decode()
    assert "was concluded." in response.content.decode()


def test_the_fact_page_posts_its_preview_to_a_url_that_works(client, editor, bank, kind):
    facts, _template = bank
    client.force_login(editor)
    page_url = reverse("admin:content_fact_change", args=[facts[1].pk])
    url = _rendered_preview_url(client.get(page_url).content.decode(), page_url)
    data = _fact_post(kind, facts[1].topic, SourceFactory(), name="RENAMED", year_signed="2016")
    data.update({"slug": facts[1].slug, "citations-TOTAL_FORMS": "0"})
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "In which year was RENAMED signed?" in response.content.decode()


@pytest.mark.parametrize("model", ["fact", "questiontemplate"])
@pytest.mark.parametrize("object_id", ["1/change", "abc", "²", "1.0", "-1"])
def test_a_non_numeric_id_in_a_preview_url_is_a_404(client, editor, bank, model, object_id):
    client.force_login(editor)
    response = client.post(f"/admin/content/{model}/{object_id}/preview/", {"slug": "x"})
    assert response.status_code == 404


def test_the_change_pages_load_the_preview_error_handler(client, editor, bank):
    facts, template = bank
    client.force_login(editor)
    for url in (
        reverse("admin:content_fact_change", args=[facts[0].pk]),
        reverse("admin:content_questiontemplate_change", args=[template.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'src="/static/js/admin-preview.js"' in html
        assert 'id="question-preview-error"' in html
        assert "<script>" not in html.split("</head>")[1]
        assert ' style="' not in html[html.index("question-preview-module") :]


@pytest.mark.parametrize("junk", ["²", "٣", "1" * 30, "\x00"])
def test_a_junk_kind_in_the_add_url_asks_for_a_kind_again(client, editor, kind, junk):
    client.force_login(editor)
    response = client.get("/admin/content/fact/add/", {"kind": junk})
    assert response.status_code in (200, 302)
