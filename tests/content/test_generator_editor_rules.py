"""The bank editors' rules for issue 9 (skips an editor cannot fix by rewording, invented
names never passed off as real), each shown on a small hand-made bank."""

from __future__ import annotations

import pytest

from content.generator import Bank, CannotGenerate, KindData, Question, cues, generate, generate_all
from content.generator.report import ADD_FACTS, AMBIGUOUS, REWORD, skip_class
from content.schema import FieldSpec, canon, decoy_class, decoy_value
from tests.content.oracle import judge
from tests.content.test_generator import FACTS, OFFICIAL, REVERSE, YEAR, bank, fact, tpl

# -- a rival the fact excludes is never an option ------------------------------------------------


def test_a_same_year_rival_the_fact_excludes_does_not_make_the_answer_non_unique():
    # Only the SOP framework excludes the ISA, not the other way round: neither way may the
    # SOP be offered, and with it never offered "Which agreement was signed in 2019?" has
    # one true option among the four.
    sop = fact("sop", name="SOPDT", year=2019, excludes=["isa"])
    b = bank(*FACTS, sop)
    years = {f.values["name"]: f.values["year"] for f in b.facts.values()}
    for seed in range(30):
        for slug in ("isa", "sop"):
            q = generate(b, REVERSE, b.facts[slug], seed)
            assert [o for o in q.options if years[o] == 2019] == [q.options[q.answer]]
            assert q.options[q.answer] == b.facts[slug].values["name"]
            assert judge(b, q) == []


def test_an_excluded_rivals_answer_is_still_never_offered_by_other_means():
    # "When was ISA signed?" describes two ISAs; excluding each other keeps the other's
    # name out of the options, but its year could come back as a nearby year.
    other_isa = fact("isa-2", name="ISA", year=2018, excludes=["isa"])
    b = bank(*FACTS, other_isa)
    for slug, other_year, other in (("isa", "2018", "isa-2"), ("isa-2", "2019", "isa")):
        for seed in range(30):
            try:
                q = generate(b, YEAR, b.facts[slug], seed)
            except CannotGenerate as exc:
                assert f"describes {other}, so its answer is not unique" in str(exc)
                continue
            assert other_year not in q.options
            assert judge(b, q) == []


# -- a subject two facts share ----------------------------------------------------------------

STAFF = [
    fact(slug, kind="official", name=name, office=office, country="US")
    for slug, name, office in [
        ("pompeo", "Mike Pompeo", "Secretary of State"),
        ("blinken-4", "Antony Blinken", "Secretary of State"),
        ("blinken-5", "Antony Blinken", "Secretary of State"),
        ("esper", "Mark Esper", "Secretary of Defense"),
        ("lord", "Ellen Lord", "Under Secretary of Defense"),
        ("baum", "Scott Baum", "Principal Director"),
        ("carter-2012", "Ashton Carter", "Deputy Secretary of Defense"),
        ("carter-2016", "Ashton Carter", "Secretary of Defense"),
        ("sullivan", "Jake Sullivan", "National Security Advisor"),
    ]
]
OFFICE_PAIRS = tpl(
    "office-pairs",
    kind="official",
    style="pairs",
    stem="Consider the following pairs (person — office held at the time):",
    answer="office",
    pair_left="name",
    items=3,
    explanation="{name} was the {office}.",
)


def test_a_person_at_two_occasions_in_the_same_office_is_one_unambiguous_item():
    b = Bank([OFFICIAL], STAFF, [OFFICE_PAIRS])
    seen_false = 0
    for seed in range(30):
        for slug in ("blinken-4", "blinken-5"):
            q = generate(b, OFFICE_PAIRS, b.facts[slug], seed)
            assert judge(b, q) == []
            lefts = [p["left"] for p in q.pairs]
            assert lefts.count("Antony Blinken") == 1
            for pair in q.pairs:
                if pair["left"] == "Antony Blinken" and not pair["true"]:
                    seen_false += 1
                    assert pair["right"] != "Secretary of State"
                if pair["left"] == "Ashton Carter":
                    raise AssertionError("Carter held two offices: never an item")
    assert seen_false


def test_a_person_who_held_two_offices_is_skipped_as_an_ambiguous_subject_not_a_cue():
    b = Bank([OFFICIAL], STAFF, [OFFICE_PAIRS])
    with pytest.raises(CannotGenerate) as caught:
        generate(b, OFFICE_PAIRS, b.facts["carter-2016"], 0)
    assert "carter-2012 shares the subject of carter-2016 with another office" in str(caught.value)
    assert skip_class(str(caught.value)) == AMBIGUOUS


# -- a cue of form that every set of the few comparable wrong values carries -----------------


def test_a_key_no_set_of_the_few_comparable_offices_can_match_in_form_needs_decoys_not_words():
    people = [
        fact(f"p{i}", kind="official", name=f"Person {i}", office=office, country="US")
        for i, office in enumerate(
            [
                "Secretary of State",
                "Secretary of Defense",
                "Secretary of Commerce",
                "Secretary of the Treasury",
                "Principal Director for Industrial Policy in the Office of the Under Secretary",
            ]
        )
    ]
    capacity = tpl(
        "capacity",
        kind="official",
        stem="In which capacity did {name} take part?",
        answer="office",
        explanation="{name} was the {office}.",
    )
    b = Bank([OFFICIAL], people, [capacity])
    with pytest.raises(CannotGenerate) as caught:
        generate(b, capacity, b.facts["p4"], 0)
    reason = str(caught.value)
    assert reason.startswith("only 4 wrong value(s) for office of p4, and every set of three")
    assert "odd one out" in reason
    assert skip_class(reason) == ADD_FACTS
    # A cue the stem's words cause stays a rewording matter.
    assert skip_class("stem echo: the key shares 'policy' with the stem") == REWORD


# -- curated near-misses stay in the template they were curated for ---------------------------

NEAR_MISSES = ["ASEAN Relations Forum", "ASEAN Regional Front", "ASEAN Relations Front"]
GROUPING = KindData(
    "grouping",
    (
        FieldSpec("name", "Name", "text", True, "grouping_name"),
        FieldSpec("full_name", "Full name", "text", False, "grouping_full_name"),
        FieldSpec("india_link", "India's link", "text", False, "grouping.link"),
    ),
    decoys={"full_name": tuple({"value": v, "name": "ARF"} for v in NEAR_MISSES)},
)
GROUPS = [
    fact(
        slug,
        kind="grouping",
        name=name,
        full_name=full,
        india_link=f"India {link} in this body",
    )
    for slug, name, full, link in [
        ("arf", "ARF", "ASEAN Regional Forum", "takes part in security talks"),
        ("sco", "SCO", "Shanghai Cooperation Organisation", "works with Iran"),
        ("wto", "WTO", "World Trade Organization", "joined at its founding"),
        ("imf", "IMF", "International Monetary Fund", "borrowed"),
    ]
]
LINK = tpl(
    "link",
    kind="grouping",
    stem="Which grouping does this describe: {india_link}?",
    answer="full_name",
    explanation="{full_name}.",
)
GROUP_EXPAND = tpl(
    "group-expand",
    kind="grouping",
    stem="Among multilateral groupings, what does {name} stand for?",
    answer="full_name",
    distractors="curated",
    match="name",
    explanation="{name} is the {full_name}.",
)


def test_an_invented_near_miss_is_offered_only_by_the_template_it_was_curated_for():
    b = Bank([GROUPING], GROUPS, [LINK, GROUP_EXPAND])
    for seed in range(20):
        for slug in ("sco", "wto", "imf"):
            q = generate(b, LINK, b.facts[slug], seed)
            assert not set(q.options) & set(NEAR_MISSES), q.options
            assert judge(b, q) == []
    q = generate(b, GROUP_EXPAND, b.facts["arf"], 0)
    assert set(q.options) == {"ASEAN Regional Forum", *NEAR_MISSES}


def test_no_shipped_question_offers_a_near_miss_outside_its_expansion_template(shipped_bank):
    near = {}
    for kind in shipped_bank.kinds.values():
        for field, entries in kind.decoys.items():
            peers = set(kind.spec(field).peers or ())
            for entry in entries:
                curated_for = set(decoy_class(entry)) - peers
                if curated_for:
                    near[canon(decoy_value(entry))] = curated_for
    assert near, "the shipped kinds list near-miss expansions"
    leaks = []
    for seed in (0, 1):
        for q in generate_all(shipped_bank, seed):
            if not isinstance(q, Question):
                continue
            match = shipped_bank.templates[q.template].match
            shown = [*q.options]
            shown += [p["right"] for p in q.pairs or ()]
            shown += [s["text"] for s in q.statements or ()]
            for text in shown:
                if canon(text) in near and match not in near[canon(text)]:
                    leaks.append((q.id, text))
    assert leaks == []


# -- cues: possessives and bare acronyms ----------------------------------------------------------


def test_a_possessive_is_its_word_not_a_stem_echo():
    assert cues.content_words("India's partners' share") == frozenset({"partner", "share"})
    # "India's" in the stem and in one option is a stop word, not an echo of "india'".
    assert cues.stem_echo(
        "Which of India's pacts came first?", "GSOMIA pact", ["BECA", "ISA", "LEMOA"]
    )
    assert (
        cues.stem_echo(
            "Which of India's pacts came first?", "India's GSOMIA", ["BECA", "ISA", "LEMOA"]
        )
        is None
    )


def test_the_length_of_bare_acronyms_is_no_cue():
    assert cues.odd_form(["COMCASA", "LEMOA", "ISA", "BECA"]) is None
    assert (
        cues.mcq_cues(
            "Which foundational agreement dates from 2019?", ["LEMOA", "COMCASA", "ISA", "BECA"], 2
        )
        == []
    )
    # A phrase far longer than the rest still stands out.
    assert cues.odd_form(
        ["Logistics Exchange Memorandum of Agreement", "Basic Pact", "Other Pact", "Third Pact"]
    )
