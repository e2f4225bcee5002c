"""Property-based tests of the question generator over random banks.

The banks are deliberately crowded: few names, few years and few cities, shared values,
aliases that collide with other facts' values, acronyms with two expansions across kinds.
Every question the generator returns must satisfy the independent oracle."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.generator import Bank, CannotGenerate, FactData, KindData, TemplateData, generate
from content.schema import FieldSpec
from tests.content.oracle import judge

NAMES = ["ISA", "LEMOA", "BECA", "COMCASA", "GSOMIA", "DTTI", "Isa", "L.E.M.O.A."]
FULL = [
    "Industrial Security Annex",
    "International Solar Alliance",
    "Logistics Pact",
    "Geo-spatial Pact",
    "Defence Pact",
    "Defense Pact",
]
CITIES = ["New Delhi", "Washington", "Tokyo", "new delhi", "Honolulu"]

AGREEMENT = KindData(
    slug="agreement",
    fields=(
        FieldSpec("name", "Name", "text", True, "acronym"),
        FieldSpec("full_name", "Full name", "text", False, "full_name"),
        FieldSpec("year", "Year", "year", True, "agreement.year"),
        FieldSpec("city", "City", "place", False, "city"),
    ),
    decoys={"city": ("Mumbai", "Washington")},
)
GROUPING = KindData(
    slug="grouping",
    fields=(
        FieldSpec("name", "Name", "text", True, "acronym"),
        FieldSpec("full_name", "Full name", "text", False, "full_name"),
        FieldSpec("founded", "Founded", "month", True, "grouping.founded"),
    ),
)

TEMPLATES = [
    TemplateData(
        "t-year",
        "agreement",
        "mcq",
        "When was {name} signed?",
        "year",
        "{name}: {year}.",
        distractors="nearby",
    ),
    TemplateData(
        "t-year-pool",
        "agreement",
        "mcq",
        "When was {name} signed?",
        "year",
        "{name}: {year}.",
        distractors="other_facts",
    ),
    TemplateData(
        "t-reverse", "agreement", "mcq", "Which pact dates from {year}?", "name", "{name}: {year}."
    ),
    TemplateData(
        "t-expand",
        "agreement",
        "mcq",
        "What does {name} stand for?",
        "full_name",
        "{name} = {full_name}.",
    ),
    TemplateData(
        "t-city",
        "agreement",
        "mcq",
        "Where was {name} signed in {year}?",
        "city",
        "{name} was signed in {city}.",
        distractors="other_facts",
    ),
    TemplateData(
        "t-st2",
        "agreement",
        "statements",
        "Consider:",
        "year",
        "{name} dates from {year}.",
        statement="{name} was signed in {year}.",
        items=2,
        distractors="nearby",
    ),
    TemplateData(
        "t-st3",
        "agreement",
        "statements",
        "Consider:",
        "year",
        "{name} dates from {year}.",
        statement="{name} was signed in {year}.",
        items=3,
    ),
    TemplateData(
        "t-hm3",
        "agreement",
        "how_many",
        "Consider:",
        "city",
        "{name}: {city}.",
        statement="{name} was signed in {city}.",
        items=3,
    ),
    TemplateData(
        "t-hm4",
        "agreement",
        "how_many",
        "Consider:",
        "year",
        "{name}: {year}.",
        statement="{name} was signed in {year}.",
        items=4,
        distractors="nearby",
    ),
    TemplateData(
        "t-pairs3",
        "agreement",
        "pairs",
        "Pairs:",
        "year",
        "{name}: {year}.",
        pair_left="name",
        items=3,
    ),
    TemplateData(
        "t-pairs4",
        "agreement",
        "pairs",
        "Pairs:",
        "full_name",
        "{name}: {full_name}.",
        pair_left="name",
        items=4,
    ),
    TemplateData(
        "g-when",
        "grouping",
        "mcq",
        "When was {full_name} founded?",
        "founded",
        "{full_name}: {founded}.",
        distractors="nearby",
    ),
    TemplateData(
        "g-expand",
        "grouping",
        "mcq",
        "What does {name} stand for?",
        "full_name",
        "{name} = {full_name}.",
    ),
]


@st.composite
def agreement_facts(draw, index):
    values = {"name": draw(st.sampled_from(NAMES)), "year": draw(st.integers(2000, 2006))}
    if draw(st.booleans()):
        values["full_name"] = draw(st.sampled_from(FULL))
    if draw(st.booleans()):
        values["city"] = draw(st.sampled_from(CITIES))
    aliases = {}
    if draw(st.integers(0, 3)) == 0:
        aliases["name"] = (draw(st.sampled_from(NAMES)),)
    if "full_name" in values and draw(st.integers(0, 3)) == 0:
        aliases["full_name"] = (draw(st.sampled_from(FULL)),)
    return FactData(
        slug=f"a{index}",
        kind="agreement",
        topic=draw(st.sampled_from(["t1", "t2"])),
        values=values,
        aliases=aliases,
        as_of_label=draw(st.sampled_from(["", "", "the 2023 dialogue"])),
        sources=("Doc — para 1",),
    )


@st.composite
def grouping_facts(draw, index):
    month = draw(st.integers(1, 12))
    values = {
        "name": draw(st.sampled_from(NAMES)),
        "founded": f"{draw(st.integers(2000, 2003))}-{month:02d}",
    }
    if draw(st.booleans()):
        values["full_name"] = draw(st.sampled_from(FULL))
    return FactData(f"g{index}", "grouping", "t3", values, sources=("Doc — para 2",))


@st.composite
def banks(draw):
    n_agreements = draw(st.integers(1, 10))
    n_groupings = draw(st.integers(0, 4))
    facts = [draw(agreement_facts(i)) for i in range(n_agreements)]
    facts += [draw(grouping_facts(i)) for i in range(n_groupings)]
    # Excludes are symmetric in the database; mirror that here.
    if len(facts) > 2 and draw(st.booleans()):
        a, b = facts[0], facts[1]
        facts[0] = FactData(**{**a.__dict__, "excludes": frozenset({b.slug})})
        facts[1] = FactData(**{**b.__dict__, "excludes": frozenset({a.slug})})
    return Bank([AGREEMENT, GROUPING], facts, TEMPLATES)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank=banks(), seed=st.integers(0, 10_000))
def test_every_generated_question_is_sound(bank, seed):
    for template in bank.templates.values():
        for fact in bank.by_kind.get(template.kind, []):
            try:
                question = generate(bank, template, fact, seed)
            except CannotGenerate as exc:
                assert str(exc), "a skip must say why"
                continue
            assert judge(bank, question) == [], question
            # Deterministic for a seed.
            assert generate(bank, template, fact, seed) == question


@settings(max_examples=40, deadline=None)
@given(bank=banks())
def test_crowded_banks_still_yield_questions_when_facts_are_distinct(bank):
    # Guard against a generator that is "sound" only because it skips everything: add four
    # facts with unique names, years and cities and they must produce a reverse question.
    extra = [
        FactData(
            f"u{i}",
            "agreement",
            "t1",
            # Names shaped like the bank's other names (capitals, no digits), so no
            # item-writing cue gives the key away and the question may be built.
            {"name": f"UNIQUE{'ABCD'[i]}", "year": 1950 + 7 * i, "city": f"Town{i}"},
            sources=("Doc",),
        )
        for i in range(4)
    ]
    bigger = Bank([AGREEMENT, GROUPING], [*bank.facts.values(), *extra], TEMPLATES)
    question = generate(bigger, bigger.templates["t-reverse"], bigger.facts["u0"], 1)
    assert judge(bigger, question) == []
    assert question.options[question.answer] == "UNIQUEA"
