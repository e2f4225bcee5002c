"""Issue 9's rules: wrong options of the same class, no surviving cue, balanced keys,
values never offered as wrong, clearly wrong numbers, consistent series."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from content.generator import (
    Bank,
    CannotGenerate,
    FactData,
    KindData,
    Question,
    TemplateData,
    cues,
    generate,
    generate_all,
)
from content.schema import FieldSpec, SchemaError, parse_fields
from tests.content.oracle import judge

OFFICIAL = KindData(
    "official",
    (
        FieldSpec("name", "Name", "person", True, "person", peers=("country", "tier", "year")),
        FieldSpec("office", "Office", "text", True, "office", peers=("country", "tier")),
        FieldSpec("country", "Country", "country", True, "country"),
        FieldSpec("occasion", "Occasion", "text", True, "official.occasion"),
        FieldSpec("tier", "Tier", "text", False, "tier"),
        FieldSpec("year", "Year", "year", False, "official.year"),
    ),
    decoys={
        "name": (
            {"value": "Piyush Goyal", "country": "India", "tier": "minister", "year": "2014-2024"},
            {"value": "Amit Shah", "country": "India", "tier": "minister", "year": "2019-2024"},
            {
                "value": "Yashwant Sinha",
                "country": "India",
                "tier": "minister",
                "year": "2002-2004",
            },
            {"value": "Arun Jaitley", "country": "India", "tier": "minister", "year": "2014-2018"},
            {"value": "Nitin Gadkari", "country": "India", "tier": "minister", "year": "2014-2024"},
            {"value": "Ram Nath Kovind", "country": "India", "tier": "head", "year": "2017-2022"},
            "Plain Decoy",  # no class: never offered for a field with peers
        ),
    },
)


def official(slug, name, office, occasion, country="India", tier="minister", **extra):
    values = {"name": name, "office": office, "country": country, "occasion": occasion}
    if tier:
        values["tier"] = tier
    return FactData(slug, "official", "t", values | extra, sources=("Doc — p",))


OFFICIALS = [
    official("swaraj", "Sushma Swaraj", "External Affairs Minister", "at the 2018 meeting"),
    official("sitharaman", "Nirmala Sitharaman", "Defence Minister", "at the 2018 meeting"),
    official("jaishankar", "S. Jaishankar", "External Affairs Minister", "at the 2023 meeting"),
    official("rajnath", "Rajnath Singh", "Defence Minister", "at the 2023 meeting"),
    official("modi", "Narendra Modi", "Prime Minister", "at the 2021 summit", tier="head"),
    official(
        "mattis", "James Mattis", "Secretary of Defense", "at the 2018 meeting", "United States"
    ),
    official("jaju", "Sanjay Jaju", "Joint Secretary", "at the 2019 forum", tier="joint"),
]
WHO = TemplateData("who", "official", "mcq", "Who was the {office} {occasion}?", "name", "{name}.")


def test_a_person_competes_only_with_people_of_the_same_country_tier_and_era():
    b = Bank([OFFICIAL], OFFICIALS, [WHO])
    for seed in range(10):
        q = generate(b, WHO, b.facts["jaishankar"], seed)
        assert judge(b, q) == []
        # 2023, Indian minister: Rajnath Singh and the curated ministers of the time; not
        # Swaraj or Sitharaman (2018), Modi (another tier), Mattis (another country), a
        # minister of 2002-2004 or a decoy without a class.
        assert set(q.options) <= {
            "S. Jaishankar",
            "Rajnath Singh",
            "Piyush Goyal",
            "Amit Shah",
            "Nitin Gadkari",
        }


def test_a_fact_without_its_class_is_skipped_with_a_reason_an_editor_can_act_on():
    b = Bank([OFFICIAL], [*OFFICIALS, official("x", "X Y", "Adviser", "in 2023", tier="")], [WHO])
    with pytest.raises(CannotGenerate, match="has no tier"):
        generate(b, WHO, b.facts["x"], 0)


def test_the_era_is_read_from_the_occasion_when_the_fact_gives_no_year():
    b = Bank([OFFICIAL], OFFICIALS, [WHO])
    q = generate(b, WHO, b.facts["swaraj"], 0)
    # 2018: the 2023 ministers and Amit Shah (from 2019) are out of its era.
    assert "S. Jaishankar" not in q.options and "Amit Shah" not in q.options


def test_peers_must_name_other_fields_of_the_kind():
    with pytest.raises(SchemaError, match="peers"):
        parse_fields([{"name": "name", "peers": ["nope"]}], "k")


AGREEMENT = KindData(
    "agreement",
    (
        FieldSpec("name", "Name", "text", True, "agreement.name"),
        FieldSpec("year", "Year", "year", True, "agreement.year"),
        FieldSpec("verb", "Verb", "text", False, "agreement.verb", default="signed"),
    ),
)


def agreement(slug, name, year, **kw):
    return FactData(slug, "agreement", "t", {"name": name, "year": year}, sources=("D — p",), **kw)


AGREEMENTS = [
    agreement("gsomia", "GSOMIA", 2002),
    agreement("lemoa", "LEMOA", 2016),
    agreement("comcasa", "COMCASA", 2018, not_wrong={"year": (2019,)}),
    agreement("beca", "BECA", 2020),
    agreement("isa", "ISA", 2019),
]
YEAR = TemplateData(
    "year",
    "agreement",
    "mcq",
    "In which year was the {name} {verb}?",
    "year",
    "{name}: {year}.",
    distractors="nearby",
)
HOW_MANY = TemplateData(
    "how-many",
    "agreement",
    "how_many",
    "Consider the following statements.",
    "year",
    "{name}: {year}.",
    statement="The {name} was {verb} in {year}.",
    items=3,
    distractors="nearby",
)


def test_a_value_the_fact_lists_as_not_wrong_is_never_offered_as_wrong():
    b = Bank([AGREEMENT], AGREEMENTS, [YEAR, HOW_MANY])
    for seed in range(60):
        q = generate(b, YEAR, b.facts["comcasa"], seed)
        assert "2019" not in q.options
        for item in generate(b, HOW_MANY, b.facts["comcasa"], seed).statements:
            if "COMCASA" in item["text"]:
                assert "2019" not in item["text"]


def test_a_kind_default_fills_a_verb_the_fact_leaves_out():
    b = Bank([AGREEMENT], AGREEMENTS, [YEAR])
    assert generate(b, YEAR, b.facts["lemoa"], 0).stem == "In which year was the LEMOA signed?"


def test_numbers_are_an_even_run_and_the_keys_rank_is_dealt_round_the_four_places():
    facts = [agreement(f"a{i}", f"PACT{chr(65 + i)}", 1960 + 3 * i) for i in range(12)]
    b = Bank([AGREEMENT], facts, [YEAR])
    questions = [generate(b, YEAR, f, 7) for f in b.facts.values()]
    ranks = Counter(q.answer for q in questions)
    assert ranks == {0: 3, 1: 3, 2: 3, 3: 3}
    for q in questions:
        years = [int(o) for o in q.options]
        assert years == sorted(years)
        assert len({b - a for a, b in zip(years, years[1:], strict=False)}) == 1


AMOUNT = KindData(
    "figure",
    (
        FieldSpec("what", "What", "text", True, "figure.what"),
        FieldSpec("value", "Value", "amount", True, "figure.value", format="USD {} billion"),
        FieldSpec("day", "Day", "date", False, "figure.day"),
    ),
)


def test_a_wrong_amount_is_a_quarter_off_the_key_and_any_other_published_figure():
    fighter = FactData(
        "fighter",
        "figure",
        "t",
        {"what": "the fighter deal", "value": "15", "day": "2022-04-11"},
        sources=("D — p",),
        not_wrong={"value": ("18", "20"), "day": ("2022-04-12",)},
    )
    value = TemplateData(
        "value",
        "figure",
        "mcq",
        "What was {what} worth?",
        "value",
        "{value}.",
        distractors="nearby",
    )
    day = TemplateData(
        "day", "figure", "mcq", "When was {what} agreed?", "day", "{day}.", distractors="nearby"
    )
    b = Bank([AMOUNT], [fighter], [value, day])
    for seed in range(30):
        q = generate(b, value, fighter, seed)
        for option in q.options:
            amount = Decimal(option.split()[1])
            for published in (15, 18, 20):
                assert amount == 15 or abs(amount - published) >= Decimal("0.25") * published
        d = generate(b, day, fighter, seed)
        key = date(2022, 4, 11)
        for option in d.options:
            shown = date(*map(int, _iso(option).split("-")))
            assert shown == key or abs((shown - key).days) >= 2
            assert shown != date(2022, 4, 12)


def _iso(text: str) -> str:
    from datetime import datetime

    return datetime.strptime(text, "%d %B %Y").date().isoformat()


DIALOGUE = KindData(
    "dialogue",
    (
        FieldSpec("edition", "Edition", "text", True, "edition"),
        FieldSpec("year", "Year", "year", True, "dialogue.year", series="edition"),
    ),
)
SERIES = TemplateData(
    "series",
    "dialogue",
    "statements",
    "Consider the following statements.",
    "year",
    "{edition}: {year}.",
    statement="The {edition} dialogue was held in {year}.",
    items=3,
    distractors="nearby",
)


def test_items_of_an_ordered_series_keep_its_order_true_or_false():
    editions = [("first", 2018), ("second", 2019), ("third", 2020), ("fourth", 2022)]
    facts = [
        FactData(e, "dialogue", "t", {"edition": e, "year": y}, sources=("D — p",))
        for e, y in editions
    ]
    b = Bank([DIALOGUE], facts, [SERIES])
    order = {e: i for i, (e, _y) in enumerate(editions)}
    for seed in range(40):
        q = generate(b, SERIES, b.facts["first"], seed)
        shown = sorted(
            (order[item["text"].split()[1]], int(item["text"][-5:-1])) for item in q.statements
        )
        # Later editions, later years; a tie only between editions next to each other:
        # "the first in 2022" beside "the fourth in 2022" refutes itself too.
        for rank_a, year_a in shown:
            for rank_b, year_b in shown:
                if rank_a < rank_b:
                    assert year_a < year_b or (year_a == year_b and rank_b - rank_a == 1), q.stem


def test_the_cue_checks_name_what_gives_the_key_away():
    assert "stem echo" in cues.stem_echo(
        "Which agreement lends the navy CENTRIXS kits?",
        "CENTRIXS loan agreement",
        ["BECA", "LEMOA", "GSOMIA"],
    )
    assert "initials" in cues.initials(
        "What does LEMOA stand for?",
        ["Logistics Exchange Memorandum of Agreement", "Basic Exchange", "Other Thing", "X Y"],
    )
    assert (
        cues.initials(
            "What does ISA stand for?",
            [
                "Industrial Security Annex",
                "Innovation Security Annex",
                "Industrial Supply Annex",
                "Innovation Supply Annex",
            ],
        )
        is None
    )
    assert "convergence" in cues.convergence(
        [
            "North Atlantic Treaty Organization",
            "North Atlantic Trade Organization",
            "North American Treaty Organization",
            "North Atlantic Treaty Order",
        ]
    )
    assert "longest" in cues.odd_form(
        ["Alpha Beta", "Gamma Delta", "Epsilon Zeta", "Etaaaaaaaaaa Thetaaaaaa"]
    )


def test_a_question_whose_key_echoes_the_stem_is_refused_with_the_reason():
    kind = KindData(
        "a",
        (
            FieldSpec("name", "Name", "text", True, "a.name"),
            FieldSpec("purpose", "Purpose", "text", True, "a.purpose"),
        ),
    )
    facts = [
        FactData(
            "c",
            "a",
            "t",
            {"name": "CENTRIXS loan", "purpose": "lends CENTRIXS kits"},
            sources=("D — p",),
        ),
        *(
            FactData(
                n.lower(),
                "a",
                "t",
                {"name": n, "purpose": f"does {n.lower()} things"},
                sources=("D — p",),
            )
            for n in ("BECA", "LEMOA", "GSOMIA")
        ),
    ]
    t = TemplateData("p", "a", "mcq", "Which agreement {purpose}?", "name", "{name}.")
    with pytest.raises(CannotGenerate, match="stem echo"):
        generate(Bank([kind], facts, [t]), t, facts[0], 0)


# The shipped bank as a whole.


def test_across_the_shipped_bank_keys_and_numeric_ranks_are_balanced(shipped_bank):
    for seed in (0, 1, 2):
        questions = [q for q in generate_all(shipped_bank, seed) if isinstance(q, Question)]
        places = Counter(q.answer for q in questions)
        for place in range(4):
            assert 0.20 <= places[place] / len(questions) <= 0.30, places
        numeric = [
            q
            for q in questions
            if q.style == "mcq"
            and shipped_bank.kinds[shipped_bank.facts[q.facts[0]].kind]
            .spec(shipped_bank.templates[q.template].answer)
            .type
            in ("year", "month", "date", "amount", "percent", "number")
        ]
        extremes = sum(q.answer in (0, 3) for q in numeric) / len(numeric)
        assert 0.40 <= extremes <= 0.60
        for style in ("how_many", "pairs"):
            labels = Counter(q.options[q.answer] for q in questions if q.style == style)
            total = sum(labels.values())
            assert max(labels.values()) / total <= 0.35, labels
