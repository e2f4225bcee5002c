"""A candidate who knows nothing about India–US relations must not beat chance by much."""

from __future__ import annotations

from collections import defaultdict

import pytest

from content.generator import Question, generate_all
from content.generator.solver import pick, score

# Chance is 25 %; the issue allows 30 % (whole bank and every template of 10+ questions).
CEILING = 0.30


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_test_wise_solver_scores_at_most_30_percent_overall_and_per_template(
    shipped_bank, seed
):
    records = [
        q.as_export() | {"template": q.template}
        for q in generate_all(shipped_bank, seed=seed)
        if isinstance(q, Question)
    ]
    assert score(records) <= CEILING
    by_template = defaultdict(list)
    for record in records:
        by_template[record["template"]].append(record)
    too_easy = {
        slug: f"{score(items):.0%} of {len(items)}"
        for slug, items in by_template.items()
        if len(items) >= 10 and score(items) > CEILING
    }
    assert too_easy == {}


# The solver itself: each cue it is meant to use, on items written with that flaw.


def mcq(stem, options, answer=0):
    return {"kind": "mcq", "stem": stem, "options": options, "answer": answer}


def test_it_picks_the_only_option_whose_initials_spell_the_acronym():
    record = mcq(
        "What does LEMOA stand for?",
        [
            "Communications Compatibility and Security Agreement",
            "General Security of Military Information Agreement",
            "Logistics Exchange Memorandum of Agreement",
            "Basic Exchange and Cooperation Agreement",
        ],
    )
    assert pick(record) == 2


def test_it_picks_the_only_option_ending_in_the_acronyms_number():
    record = mcq(
        "What does STA-1 stand for?",
        ["Security of Supply Arrangement", "Strategic Trade Authorization-1", "iCET", "DTTI"],
    )
    assert pick(record) == 1


def test_it_picks_the_option_that_echoes_the_stem():
    record = mcq(
        "Which agreement lends the Indian Navy CENTRIXS kits?",
        ["BECA", "LEMOA", "GSOMIA", "CENTRIXS loan agreement"],
    )
    assert pick(record) == 3


def test_it_picks_a_middle_value_among_numbers():
    assert pick(mcq("In which year was the LEMOA signed?", ["2014", "2016", "2017", "2019"])) in (
        1,
        2,
    )


def test_it_picks_the_option_the_others_converge_on():
    record = mcq(
        "What does NATO stand for?",
        [
            "North Atlantic Trade Organization",
            "North American Treaty Organization",
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Order",
        ],
    )
    assert pick(record) == 2


@pytest.mark.parametrize(
    "items",
    [
        # An earlier edition in a later year.
        ("The fifth 2+2 dialogue was held in 2017.", "The first 2+2 dialogue was held in 2018."),
        # Two editions far apart in the same year.
        ("The first 2+2 dialogue was held in 2022.", "The fourth 2+2 dialogue was held in 2022."),
    ],
)
def test_it_rules_out_both_when_an_ordered_series_contradicts_itself(items):
    record = {
        "kind": "statements",
        "stem": f"Consider the following statements.\n1. {items[0]}\n2. {items[1]}\n"
        "Which of the statements given above is/are correct?",
        "options": ["1 only", "2 only", "Both 1 and 2", "Neither 1 nor 2"],
    }
    assert pick(record) != 2


def test_without_a_cue_it_guesses_its_favourite_letter():
    assert pick(mcq("Who?", ["Alpha Beta", "Gamma Delta", "Epsilo Zeta", "Etaaa Theta"])) == 2
