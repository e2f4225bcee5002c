"""The generator's soundness rules, each shown on a small hand-made bank."""

from __future__ import annotations

import pytest

from content.generator import Bank, CannotGenerate, FactData, KindData, TemplateData, generate
from content.schema import FieldSpec
from tests.content.oracle import judge

AGREEMENT = KindData(
    "agreement",
    (
        FieldSpec("name", "Name", "text", True, "acronym"),
        FieldSpec("full_name", "Full name", "text", False, "full_name"),
        FieldSpec("year", "Year", "year", True, "agreement.year"),
        FieldSpec("purpose", "Purpose", "text", False, "agreement.purpose"),
    ),
    # Near-miss expansions per acronym (what expansion questions offer). Some are spellings
    # or aliases of the right answer, which must never be offered as wrong.
    decoys={
        "full_name": tuple(
            {"value": value, "name": name}
            for name, values in {
                "ISA": [
                    "Industrial Security Agreement",
                    "Innovation Security Annex",
                    "Industrial Supply Annex",
                    "Innovation Supply Annex",
                ],
                "LEMOA": [
                    "Logistics Exercise Memorandum of Agreement",
                    "Logistics Exchange Memorandum of Arrangement",
                    "Logistics Exercise Memorandum of Arrangement",
                ],
                "DTTI": [
                    "Defence Technology and Trade Initiative",
                    "Digital Technology and Trade Initiative",
                    "Defence Training and Trade Initiative",
                    "Digital Training and Trade Initiative",
                ],
            }.items()
            for value in values
        )
    },
)
GROUPING = KindData(
    "grouping",
    (
        FieldSpec("name", "Name", "text", True, "acronym"),
        FieldSpec("full_name", "Full name", "text", False, "full_name"),
    ),
)


def fact(slug, kind="agreement", aliases=None, as_of_label="", excludes=(), **values):
    return FactData(
        slug,
        kind,
        "topic",
        values,
        aliases or {},
        frozenset(excludes),
        as_of_label,
        (f"Doc about {slug} — para 1",),
    )


def tpl(slug, style="mcq", stem="", answer="year", **kw):
    kw.setdefault("explanation", "{name} dates from {year}.")
    return TemplateData(slug, kw.pop("kind", "agreement"), style, stem, answer, **kw)


FACTS = [
    fact(
        "gsomia",
        name="GSOMIA",
        full_name="General Security of Military Information Agreement",
        year=2002,
    ),
    fact("lemoa", name="LEMOA", full_name="Logistics Exchange Memorandum of Agreement", year=2016),
    fact(
        "comcasa",
        name="COMCASA",
        full_name="Communications Compatibility and Security Agreement",
        year=2018,
    ),
    fact("beca", name="BECA", full_name="Basic Exchange and Cooperation Agreement", year=2020),
    fact(
        "isa",
        name="ISA",
        full_name="Industrial Security Annex",
        year=2019,
        aliases={"full_name": ["Industrial Security Agreement"]},
    ),
]
REVERSE = tpl("reverse", stem="Which agreement was signed in {year}?", answer="name")
EXPAND = tpl(
    "expand",
    stem="What does {name} stand for?",
    answer="full_name",
    distractors="curated",
    match="name",
)
YEAR = tpl("year", stem="In which year was {name} signed?", distractors="nearby")


def bank(*facts, templates=(REVERSE, EXPAND, YEAR)):
    return Bank([AGREEMENT, GROUPING], facts or FACTS, templates)


def test_it_builds_four_distinct_options_with_one_correct():
    b = bank()
    q = generate(b, REVERSE, b.facts["lemoa"], seed=3)
    assert len(q.options) == 4 and len(set(q.options)) == 4
    assert q.options[q.answer] == "LEMOA"
    assert q.stem == "Which agreement was signed in 2016?"
    assert judge(b, q) == []


def test_it_is_deterministic_for_a_seed_and_varies_across_seeds():
    b = bank()
    first = generate(b, REVERSE, b.facts["lemoa"], seed=7)
    assert generate(b, REVERSE, b.facts["lemoa"], seed=7) == first
    positions = {generate(b, REVERSE, b.facts["lemoa"], seed=s).answer for s in range(30)}
    assert len(positions) > 1


def test_it_skips_a_reverse_question_whose_answer_is_not_unique():
    b = bank(*FACTS, fact("sop", name="SOP framework", year=2019))
    with pytest.raises(CannotGenerate, match="not unique"):
        generate(b, REVERSE, b.facts["isa"], seed=0)


def test_it_never_offers_a_fact_that_shares_the_stem_value_as_a_distractor():
    # Two pacts in 2016 with the same name spelled differently describe the same claim.
    b = bank(*FACTS, fact("lemoa-2", name="L.E.M.O.A.", year=2016))
    q = generate(b, REVERSE, b.facts["lemoa"], seed=1)
    assert "L.E.M.O.A." not in q.options
    assert judge(b, q) == []


def test_it_skips_an_acronym_with_two_expansions_across_kinds():
    solar = fact("solar", kind="grouping", name="ISA", full_name="International Solar Alliance")
    b = bank(*FACTS, solar)
    with pytest.raises(CannotGenerate, match="also describes solar"):
        generate(b, EXPAND, b.facts["isa"], seed=0)
    # The other agreements still use "International Solar Alliance" as a wrong option? No:
    # it is a grouping's full name in the same domain, which is a fair distractor elsewhere.
    q = generate(b, EXPAND, b.facts["lemoa"], seed=0)
    assert judge(b, q) == []


def test_an_alias_of_the_answer_is_never_a_distractor():
    b = bank()
    for seed in range(40):
        q = generate(b, EXPAND, b.facts["isa"], seed=seed)
        assert "Industrial Security Agreement" not in q.options
        assert q.options[q.answer] == "Industrial Security Annex"


def test_spelling_variants_are_one_claim():
    b = bank(
        *FACTS,
        fact("x", name="DTTI", full_name="Defense Technology and Trade Initiative", year=2012),
        fact("y", name="DTTI2", full_name="Defence Technology and Trade Initiative", year=2013),
    )
    for seed in range(20):
        q = generate(b, EXPAND, b.facts["x"], seed=seed)
        assert "Defence Technology and Trade Initiative" not in q.options


def test_excluded_facts_never_lend_their_values():
    b = bank(
        *[
            f
            if f.slug != "lemoa"
            else fact(
                "lemoa",
                name="LEMOA",
                year=2016,
                excludes=["beca"],
                full_name="Logistics Exchange Memorandum of Agreement",
            )
            for f in FACTS
        ]
    )
    for seed in range(30):
        assert "BECA" not in generate(b, REVERSE, b.facts["lemoa"], seed=seed).options


def test_nearby_years_are_years_and_sorted():
    b = bank()
    q = generate(b, YEAR, b.facts["comcasa"], seed=2)
    assert all(o.isdigit() for o in q.options)
    assert q.options == sorted(q.options)
    assert q.options[q.answer] == "2018"


def test_it_skips_when_the_answer_would_appear_in_the_stem():
    leaky = tpl("leaky", stem="Which pact, {purpose}, was signed in {year}?", answer="name")
    b = bank(
        *FACTS,
        fact("nuke", name="123", purpose="signed as 123 in 2008", year=2008),
        templates=(leaky,),
    )
    with pytest.raises(CannotGenerate, match="appears in the stem"):
        generate(b, leaky, b.facts["nuke"], seed=0)


def test_it_skips_with_a_reason_when_there_are_too_few_distractors():
    only_two = bank(FACTS[0], FACTS[1])
    with pytest.raises(CannotGenerate, match="wrong value"):
        generate(only_two, REVERSE, only_two.facts["gsomia"], seed=0)


def test_a_dated_fact_says_as_of_in_stem_and_explanation():
    sosa = fact("sosa", name="SOSA", year=2021, as_of_label="the November 2023 dialogue")
    b = bank(*FACTS, sosa)
    q = generate(b, YEAR, b.facts["sosa"], seed=0)
    assert q.stem.startswith("As of the November 2023 dialogue, in which year")
    assert "as of the November 2023 dialogue" in q.explanation


STATEMENTS2 = tpl(
    "st2",
    style="statements",
    stem="Consider the following statements:",
    statement="{name} was signed in {year}.",
    items=2,
)
STATEMENTS3 = tpl(
    "st3", style="statements", stem="Consider:", statement="{name} was signed in {year}.", items=3
)
HOW_MANY = tpl(
    "hm", style="how_many", stem="Consider:", statement="{name} was signed in {year}.", items=3
)
PAIRS = tpl("pairs", style="pairs", stem="Consider the following pairs:", pair_left="name", items=4)


@pytest.mark.parametrize("template", [STATEMENTS2, STATEMENTS3, HOW_MANY, PAIRS])
def test_composite_answers_follow_from_the_truth_of_their_items(template):
    b = bank(templates=(template,))
    seen_answers = set()
    for seed in range(40):
        q = generate(b, template, b.facts["lemoa"], seed=seed)
        assert judge(b, q) == []
        seen_answers.add(q.options[q.answer])
        items = q.pairs or q.statements
        assert len(items) == template.items
        assert "lemoa" in q.facts
    assert len(seen_answers) >= 3, "truth patterns should vary with the seed"


def test_two_statement_options_are_the_upsc_set():
    b = bank(templates=(STATEMENTS2,))
    q = generate(b, STATEMENTS2, b.facts["beca"], seed=0)
    assert q.options == ["1 only", "2 only", "Both 1 and 2", "Neither 1 nor 2"]
    assert q.stem.endswith("Which of the statements given above is/are correct?")


def test_how_many_and_pairs_use_count_options():
    b = bank(templates=(HOW_MANY, PAIRS))
    assert generate(b, HOW_MANY, b.facts["beca"], 0).options == [
        "Only one",
        "Only two",
        "All three",
        "None",
    ]
    assert generate(b, PAIRS, b.facts["beca"], 0).options == [
        "Only one pair",
        "Only two pairs",
        "Only three pairs",
        "All four pairs",
    ]


def test_a_false_pair_is_false_under_every_alias():
    b = bank(
        templates=(
            tpl(
                "p",
                style="pairs",
                stem="Pairs:",
                pair_left="name",
                answer="full_name",
                explanation="{name} = {full_name}.",
                items=3,
            ),
        )
    )
    for seed in range(40):
        q = generate(b, b.templates["p"], b.facts["isa"], seed)
        for item, slug in zip(q.pairs, q.facts, strict=True):
            if slug == "isa" and not item["true"]:
                assert item["right"] not in {
                    "Industrial Security Annex",
                    "Industrial Security Agreement",
                }


OFFICIAL = KindData(
    "official",
    (
        FieldSpec("name", "Name", "person", True, "person"),
        FieldSpec("office", "Office", "text", True, "office"),
        FieldSpec("country", "Country", "country", True, "country"),
    ),
)
PEOPLE = [
    fact("pompeo", kind="official", name="Mike Pompeo", office="Secretary of State", country="US"),
    fact("esper", kind="official", name="Mark Esper", office="Secretary of Defense", country="US"),
    fact("lord", kind="official", name="Ellen Lord", office="Under Secretary", country="US"),
    fact("baum", kind="official", name="Scott Baum", office="Principal Director", country="US"),
    fact("swaraj", kind="official", name="Sushma Swaraj", office="EAM", country="India"),
    fact("singh", kind="official", name="Rajnath Singh", office="RM", country="India"),
]


def test_match_keeps_wrong_options_within_the_same_country():
    who = tpl(
        "who",
        stem="Who was the {office}?",
        answer="name",
        kind="official",
        explanation="{name}",
        match="country",
    )
    b = Bank([OFFICIAL], PEOPLE, [who])
    for seed in range(25):
        q = generate(b, who, b.facts["pompeo"], seed)
        assert set(q.options) <= {"Mike Pompeo", "Mark Esper", "Ellen Lord", "Scott Baum"}
        assert judge(b, q) == []
    with pytest.raises(CannotGenerate, match="wrong value"):
        generate(b, who, b.facts["swaraj"], 0)  # only one other Indian official


DATED = KindData(
    "grouping",
    (
        FieldSpec("name", "Name", "text", True, "acronym"),
        FieldSpec("full_name", "Full name", "text", False, "full_name"),
        FieldSpec("india_link", "India's link", "text", False, dated=True),
    ),
)


def test_as_of_is_shown_only_when_the_question_shows_a_value_that_can_change():
    groups = [
        fact(
            f"g{i}",
            kind="grouping",
            name=f"G{i}",
            full_name=f"Group {i}",
            india_link=f"is member number {i}",
            as_of_label="the 2023 dialogue",
        )
        for i in range(5)
    ]
    expand = tpl(
        "ex",
        stem="What does {name} stand for?",
        answer="full_name",
        kind="grouping",
        explanation="{name}: {full_name}.",
    )
    link = tpl(
        "ln",
        stem="Which grouping: India {india_link}?",
        answer="full_name",
        kind="grouping",
        explanation="{full_name}.",
    )
    b = Bank([DATED], groups, [expand, link])
    assert not generate(b, expand, b.facts["g1"], 0).stem.startswith("As of")
    q = generate(b, link, b.facts["g1"], 0)
    assert q.stem.startswith("As of the 2023 dialogue, which grouping")
    assert q.explanation.endswith("(This was the position as of the 2023 dialogue.)")


def test_a_rival_whose_answer_field_has_another_type_does_not_block_the_question():
    amount = KindData(
        "trade",
        (
            FieldSpec("indicator", "I", "text", True, "trade.indicator"),
            FieldSpec("value", "V", "amount", True, "trade.value", format="USD {} billion"),
        ),
    )
    growth = KindData(
        "growth",
        (
            FieldSpec("indicator", "I", "text", True, "growth.indicator"),
            FieldSpec("value", "V", "percent", True, "growth.value"),
        ),
    )
    facts = [
        fact(f"t{i}", kind="trade", indicator=f"trade line {i}", value=str(10 + i))
        for i in range(3)
    ]
    facts.append(fact("g0", kind="growth", indicator="trade line 0", value="7.5"))
    value = tpl(
        "v",
        stem="What was {indicator}?",
        answer="value",
        kind="trade",
        explanation="{indicator}: {value}.",
        distractors="nearby",
    )
    b = Bank([amount, growth], facts, [value])
    q = generate(b, value, b.facts["t0"], 0)
    assert q.options[q.answer] == "USD 10 billion"
    assert judge(b, q) == []
