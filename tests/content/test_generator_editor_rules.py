"""The bank editors' rules for issue 9 (skips an editor cannot fix by rewording, invented
names never passed off as real), each shown on a small hand-made bank."""

from __future__ import annotations

from content.generator import Bank, KindData, Question, generate, generate_all
from content.schema import FieldSpec, canon, decoy_class, decoy_value
from tests.content.oracle import judge
from tests.content.test_generator import fact, tpl

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
