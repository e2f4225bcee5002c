"""Explanations that teach, citing only the sources behind what the question claims."""

from __future__ import annotations

import dataclasses

import pytest

from content.generator import Bank, CannotGenerate, FactData, KindData, TemplateData, generate
from content.generator.explain import Dispute, sources_for, tempting
from content.schema import FieldSpec
from tests.content.oracle import judge

DIALOGUE = KindData(
    "dialogue",
    (
        FieldSpec("edition", "Edition", "text", True, "edition"),
        FieldSpec("year", "Year", "year", True, "dialogue.year"),
        FieldSpec("city", "City", "place", False, "city"),
    ),
    # Decoy cities shaped like the real ones ("New Delhi", "Washington DC"): two words each,
    # so no option stands out by form (the generator refuses an odd one out).
    {"city": ("New York", "San Francisco", "Los Angeles")},
)
AGREEMENT = KindData(
    "agreement",
    (
        FieldSpec("name", "Name", "text", True, "agreement.name"),
        FieldSpec("year_signed", "Year", "year", True, "agreement.year_signed"),
    ),
)

STATEMENT = "Joint statement — para 1"
EXAM_GUIDE = "Exam guide — opening"
NEWS = "News report — lede"


def dialogue(slug, edition, year, city, citations=None, context=""):
    citations = citations or ((f"Report on {slug}", ()),)
    return FactData(
        slug,
        "dialogue",
        "dialogues",
        {"edition": edition, "year": year, "city": city},
        sources=tuple(text for text, _ in citations),
        citations=citations,
        context=context,
    )


def agreement(slug, name, year, topic="foundational"):
    return FactData(
        slug,
        "agreement",
        topic,
        {"name": name, "year_signed": year},
        sources=(f"Report on {slug}",),
    )


FIRST = dialogue(
    "first",
    "first",
    2018,
    "New Delhi",
    citations=(
        (STATEMENT, ()),
        (EXAM_GUIDE, ("edition", "city")),  # it dates the first dialogue to 2019
        (NEWS, ("city",)),
    ),
    context="The inaugural 2+2 met in New Delhi on 6 September 2018, where COMCASA was signed.",
)
OTHERS = [
    dialogue("second", "second", 2019, "Washington DC"),
    dialogue("third", "third", 2020, "New Delhi"),
    dialogue("fourth", "fourth", 2022, "Washington DC"),
]
YEAR = TemplateData(
    "dialogue-year",
    "dialogue",
    "mcq",
    "In which year was the {edition} dialogue held?",
    "year",
    "The {edition} dialogue took place in {year}.",
    distractors="nearby",
)
CITY = TemplateData(
    "dialogue-city",
    "dialogue",
    "mcq",
    "Where was the {edition} dialogue, held in {year}, hosted?",
    "city",
    "The {edition} dialogue met in {city}.",
)
STATEMENTS = TemplateData(
    "dialogue-statements",
    "dialogue",
    "statements",
    "Consider the following statements.",
    "year",
    "The {edition} dialogue took place in {year}.",
    statement="The {edition} dialogue was held in {year}.",
    items=2,
    distractors="nearby",
)


def bank(facts=(FIRST, *OTHERS), templates=(YEAR, CITY, STATEMENTS)):
    return Bank([DIALOGUE, AGREEMENT], facts, templates)


def test_a_question_keyed_on_a_year_cites_only_the_sources_that_support_the_year():
    b = bank()
    q = generate(b, YEAR, b.facts["first"], seed=0)
    assert q.sources == [STATEMENT]
    assert judge(b, q) == []


def test_a_question_keyed_on_a_city_cites_every_source_that_supports_the_city():
    b = bank()
    q = generate(b, CITY, b.facts["first"], seed=0)
    # The stem also shows the year, which the joint statement (already cited) supports.
    assert q.sources == [STATEMENT, EXAM_GUIDE, NEWS]


def test_a_shown_field_the_key_sources_leave_uncovered_adds_its_own_sources():
    fact = dataclasses.replace(
        FIRST, citations=((NEWS, ("city",)), (STATEMENT, ("year",)), (EXAM_GUIDE, ("edition",)))
    )
    assert sources_for(fact, "city", ["edition", "year"]) == [NEWS, EXAM_GUIDE, STATEMENT]


def test_a_field_no_citation_supports_is_never_asked():
    lonely = dataclasses.replace(FIRST, citations=((NEWS, ("city",)),), sources=(NEWS,))
    b = bank((lonely, *OTHERS))
    with pytest.raises(CannotGenerate, match="no cited source of first supports its year"):
        generate(b, YEAR, b.facts["first"], seed=0)


def test_statements_cite_each_items_sources_for_the_year_only():
    b = bank()
    q = generate(b, STATEMENTS, b.facts["first"], seed=1)
    assert EXAM_GUIDE not in q.sources
    assert STATEMENT in q.sources


def _with_option(b, template, fact, option):
    for seed in range(50):
        q = generate(b, template, b.facts[fact], seed=seed)
        if option in q.options:
            return q
    pytest.fail(f"no seed offered {option}")


def test_the_explanation_teaches_the_context_and_names_the_most_tempting_wrong_option():
    b = bank()
    q = _with_option(b, YEAR, "first", "2019")
    # The context states the year, so it is not said twice.
    assert q.explanation.startswith(FIRST.context)
    # 2019, the nearest year another dialogue holds, is the option to explain.
    assert "Why not 2019? The second dialogue took place in 2019." in q.explanation
    assert judge(b, q) == []


def test_without_a_context_the_explanation_states_the_answer_first():
    plain = dataclasses.replace(FIRST, context="")
    b = bank((plain, *OTHERS))
    q = generate(b, YEAR, b.facts["first"], seed=0)
    assert q.explanation.startswith("The first dialogue took place in 2018.")


YEAR_SIGNED = TemplateData(
    "agreement-year",
    "agreement",
    "mcq",
    "In which year was the {name} signed?",
    "year_signed",
    "The {name} was signed in {year_signed}.",
    distractors="nearby",
)


def test_the_most_tempting_option_is_a_fact_of_the_same_kind_before_another_kind():
    b = Bank(
        [DIALOGUE, AGREEMENT],
        [FIRST, *OTHERS, agreement("lemoa", "LEMOA", 2016)],
        [YEAR, YEAR_SIGNED],
    )
    spec = DIALOGUE.spec("year")
    # LEMOA's 2016 is nearer 2018 than the fourth dialogue's 2022, but a dialogue year is
    # the likelier confusion in a question about dialogues.
    value, story = tempting(b, YEAR, b.facts["first"], spec, [2016, 2022, 2012])
    assert (value, story) == (2022, "The fourth dialogue took place in 2022.")
    # Among the same kind, the nearest year wins.
    assert tempting(b, YEAR, b.facts["first"], spec, [2022, 2019])[0] == 2019


def test_a_year_decoy_held_only_by_another_kind_says_what_happened_that_year():
    b = Bank([DIALOGUE, AGREEMENT], [FIRST, agreement("lemoa", "LEMOA", 2016)], [YEAR, YEAR_SIGNED])
    spec = DIALOGUE.spec("year")
    assert tempting(b, YEAR, b.facts["first"], spec, [2016, 2012]) == (
        2016,
        "The LEMOA was signed in 2016.",
    )
    # A value nothing in the bank holds has no story to tell.
    assert tempting(b, YEAR, b.facts["first"], spec, [2012]) is None


def test_a_false_statement_says_what_the_value_shown_belongs_to():
    b = bank()
    for seed in range(30):
        q = generate(b, STATEMENTS, b.facts["first"], seed=seed)
        false = [i for i, item in enumerate(q.statements, 1) if not item["true"]]
        if any("2019" in q.statements[i - 1]["text"] for i in false):
            assert "Why not 2019? The second dialogue took place in 2019." in q.explanation
            return
    pytest.fail("no seed put 2019 in a false statement")


def test_a_recorded_dispute_about_the_keyed_value_is_told_in_one_sentence():
    b = bank()
    b.disputes = {"first": (Dispute("year", "2019", "Government Exam Guru"),)}
    b.source_names = {STATEMENT: "the joint statement", NEWS: "NetIndian"}
    q = generate(b, YEAR, b.facts["first"], seed=0)
    assert "Some reports give 2019 (Government Exam Guru); the joint statement gives 2018." in (
        q.explanation
    )
    # ... but not when the question keys another field.
    q = generate(b, CITY, b.facts["first"], seed=0)
    assert "Some reports" not in q.explanation


def test_a_dispute_naming_an_accepted_alias_is_not_a_disagreement():
    fact = dataclasses.replace(FIRST, aliases={"city": ("Delhi",)})
    b = bank((fact, *OTHERS))
    b.disputes = {"first": (Dispute("city", "Delhi", "Somebody"),)}
    q = generate(b, CITY, b.facts["first"], seed=0)
    assert "Some reports" not in q.explanation


OFFICIAL = KindData(
    "official",
    (
        FieldSpec("name", "Name", "person", True, "person"),
        FieldSpec("office", "Office", "text", True, "office"),
        FieldSpec("occasion", "Occasion", "text", True, "official.occasion"),
    ),
)
OFFICE = TemplateData(
    "official-office",
    "official",
    "mcq",
    "In which capacity did {name} take part {occasion}?",
    "office",
    "{name} was the {office} {occasion}.",
)


def official(slug, name, office, occasion):
    return FactData(
        slug,
        "official",
        "people",
        {"name": name, "office": office, "occasion": occasion},
        sources=(f"Report on {slug}",),
    )


def test_an_office_held_at_the_same_occasion_is_the_most_tempting():
    first = "at the first dialogue"
    b = Bank(
        [OFFICIAL],
        [
            official("sitharaman", "Nirmala Sitharaman", "Defence Minister", first),
            official("chinoy", "Sujan Chinoy", "Director General of IDSA", "in 2019"),
            official("swaraj", "Sushma Swaraj", "External Affairs Minister", first),
        ],
        [OFFICE],
    )
    spec = OFFICIAL.spec("office")
    lure = tempting(
        b,
        OFFICE,
        b.facts["sitharaman"],
        spec,
        ["Director General of IDSA", "External Affairs Minister"],
    )
    assert lure == (
        "External Affairs Minister",
        "Sushma Swaraj was the External Affairs Minister at the first dialogue.",
    )
