"""Explanations that teach, and the sources that back exactly what a question claims.

The generator builds a question; this module writes what a student reads after answering:

- the answer, stated plainly (the template's ``explanation`` pattern), unless the fact's
  ``context`` already states it;
- the fact in its context (``FactData.context``: which dialogue, what it does, why it matters);
- why the most tempting wrong option is wrong, told from the bank itself: the fact that
  holds that value ("Why not 2019? The ISA dates from 2019 …");
- where a resolved conflict records a well-known source giving another value for the keyed
  field, one sentence saying so ("Some reports give 2019; … give 2018.").

Sources are claim-level: a question cites the sources that support the field it keys, plus,
for any other field it shows that those do not cover, the sources that do. A keyed or shown
field no citation supports cannot be asked (``CannotGenerate``).

Pure functions over the generator's plain data. Two optional attributes of ``Bank`` come from
``content.servable.bank_from_db`` (random test banks have neither): ``disputes`` (fact slug
-> ``Dispute``s) and ``source_names`` (citation text -> a short name such as "ANI").
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from content.generator.data import CannotGenerate
from content.generator.wording import render
from content.schema import NEARBY_TYPES, FieldSpec, canon, placeholders


@dataclass(frozen=True)
class Dispute:
    """A source that gives ``value`` for ``field`` where the bank accepts something else."""

    field: str
    value: str
    source: str


# -- sources ----------------------------------------------------------------------------------


def _citations(fact) -> tuple[tuple[str, tuple[str, ...]], ...]:
    # Facts built without claim-level citations (random test banks) cite every source for
    # every field.
    return fact.citations or tuple((text, ()) for text in fact.sources)


def supporters(fact, field: str) -> list[str]:
    """Citation texts of ``fact`` that support the value of ``field``, in citation order."""
    return [text for text, fields in _citations(fact) if not fields or field in fields]


def sources_for(fact, key: str, shown) -> list[str]:
    """The citations a question about ``fact`` keyed on ``key`` and showing ``shown`` cites:
    those supporting the key, plus, for each shown field they leave uncovered, those that
    support it. Raises ``CannotGenerate`` for a key or shown field nothing supports."""

    chosen = supporters(fact, key)
    if not chosen:
        raise CannotGenerate(f"no cited source of {fact.slug} supports its {key}")
    covered = dict(_citations(fact))
    for name in shown:
        if name == key or name not in fact.values:
            continue
        if any(not covered[text] or name in covered[text] for text in chosen):
            continue
        extra = supporters(fact, name)
        if not extra:
            raise CannotGenerate(f"no cited source of {fact.slug} supports its {name}")
        chosen += [text for text in extra if text not in chosen]
    return chosen


def shown_fields(template) -> list[str]:
    """The fields a question of ``template`` states: the answer and whatever the stem, the
    statement, the left of a pair or the explanation pattern show."""
    names = [template.answer, template.pair_left]
    for pattern in (template.stem, template.statement, template.explanation):
        names += placeholders(pattern)
    return list(dict.fromkeys(n for n in names if n))


# -- the most tempting wrong option -----------------------------------------------------------


def _year(spec: FieldSpec, raw) -> int | None:
    if spec.type == "year":
        return int(raw)
    if spec.type in ("month", "date"):
        return int(str(raw)[:4])
    return None


def _number(raw) -> Decimal | None:
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _candidates(bank, spec: FieldSpec, raw, year):
    """The facts, in bank order, that ``_holders`` could yield for ``raw``: holders of its
    class in ``spec``'s domain and, for a year, facts with that year in a time field of
    another domain. A superset, from an index built once per bank (it never changes after
    it is built), instead of a scan of every fact's every field per wrong option."""
    index = getattr(bank, "_explain_index", None)
    if index is None:  # a bank-like object without the index: scan
        return bank.facts.values()
    if not index:
        order = {slug: i for i, slug in enumerate(bank.facts)}
        by_year: dict[int, set[str]] = {}
        for other in bank.facts.values():
            for other_spec in bank.kinds[other.kind].fields:
                if other_spec.name in other.values and other_spec.type in ("year", "month", "date"):
                    found = _year(other_spec, other.values[other_spec.name])
                    by_year.setdefault(found, set()).add(other.slug)
        index["order"] = order
        index["by_year"] = by_year
    slugs = set(bank._holders.get(spec.domain, {}).get(bank.root(spec, raw), ()))
    if spec.type == "year":
        slugs |= index["by_year"].get(year, set())
    order = index["order"]
    return [bank.facts[slug] for slug in sorted(slugs, key=order.__getitem__)]


def _holders(bank, fact, spec: FieldSpec, raw):
    """(other fact, its field) pairs that hold ``raw``: the same alias class in the same
    domain, or for a year the same year in any time field."""
    year = _year(spec, raw)
    for other in _candidates(bank, spec, raw, year):
        if other.slug == fact.slug:
            continue
        for other_spec in bank.kinds[other.kind].fields:
            if other_spec.name not in other.values:
                continue
            if other_spec.domain == spec.domain:
                if bank.is_true_of(other, other_spec, raw):
                    yield other, other_spec
            elif (
                spec.type == "year"
                and other_spec.type in ("year", "month", "date")
                and _year(other_spec, other.values[other_spec.name]) == year
            ):
                yield other, other_spec


def _story(bank, asked, other, field: str) -> str:
    """One sentence about ``other`` that states its ``field``: the explanation pattern of the
    template ``asked`` when it asks the same thing of the same kind, else that of the first
    direct question on that field of its kind (templates sorted by slug, so it is stable)."""

    kind = bank.kinds[other.kind]
    candidates = [asked] if asked.kind == other.kind and asked.answer == field else []
    candidates += [
        t
        for t in bank.templates.values()
        if t.kind == other.kind and t.style == "mcq" and t.answer == field
    ]
    for template in candidates:
        if all(p in other.values for p in placeholders(template.explanation)):
            return _sentence(render(template.explanation, other, kind))
    return ""


def tempting(bank, template, fact, spec: FieldSpec, wrong: list) -> tuple[object, str] | None:
    """(value, story) for the wrong option most likely to tempt: one the bank can explain
    (another fact holds it), preferring a fact of the same kind, then one sharing more of
    the fact's other values, then of the same topic, then the value nearest the key. None
    when no wrong option has a story."""
    correct = fact.values[spec.name]
    best = None
    for index, raw in enumerate(wrong):
        for other, other_spec in _holders(bank, fact, spec, raw):
            story = _story(bank, template, other, other_spec.name)
            if not story:
                continue
            distance = Decimal(0)
            if spec.type in NEARBY_TYPES:
                a, b = _number(str(raw)[:4]), _number(str(correct)[:4])
                if spec.type not in ("month", "date"):
                    a, b = _number(raw), _number(correct)
                if a is not None and b is not None:
                    distance = abs(a - b)
            # A value held at the same occasion, in the same dialogue or by the same
            # country is the likelier confusion (Swaraj's office, for Sitharaman's).
            shared = sum(
                1
                for name, value in fact.values.items()
                if name != spec.name and canon(other.values.get(name, "")) == canon(value)
            )
            rank = (
                other.kind != fact.kind,
                -shared,
                other.topic != fact.topic,
                distance,
                index,
                other.slug,
            )
            if best is None or rank < best[0]:
                best = (rank, raw, story)
    return (best[1], best[2]) if best else None


# -- disputes ---------------------------------------------------------------------------------


def _names(bank, texts: list[str]) -> list[str]:
    known = getattr(bank, "source_names", {}) or {}
    return list(dict.fromkeys(known.get(text, "") for text in texts if known.get(text)))


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def dispute_note(bank, fact, spec: FieldSpec, cited: list[str]) -> str:
    """One sentence when a well-known source gives another value for the keyed field."""
    disputes = (getattr(bank, "disputes", {}) or {}).get(fact.slug, ())
    correct = {canon(fact.values[spec.name])} | {canon(a) for a in fact.aliases.get(spec.name, ())}
    others: dict[str, list[str]] = {}
    for dispute in disputes:
        if dispute.field != spec.name or canon(dispute.value) in correct:
            continue
        shown = dispute.value
        with contextlib.suppress(ValueError, TypeError):
            shown = spec.display(spec.parse(dispute.value))
        others.setdefault(shown, [])
        if dispute.source not in others[shown]:
            others[shown].append(dispute.source)
    if not others:
        return ""
    claims = "; ".join(f"{value} ({_join(names)})" for value, names in others.items())
    backers = _names(bank, [text for text in cited if text in supporters(fact, spec.name)])
    key = spec.display(fact.values[spec.name])
    if backers:
        verb = "gives" if len(backers) == 1 else "give"
        return f"Some reports give {claims}; {_join(backers[:3])} {verb} {key}."
    return f"Some reports give {claims}; the sources cited here give {key}."


# -- the explanations -------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".?!":
        text += "."
    return text[:1].upper() + text[1:]


def _mentions(haystack: str, needle: str) -> bool:
    needle = needle.strip()
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


def _states_key(fact, spec: FieldSpec) -> bool:
    values = [fact.values[spec.name], *fact.aliases.get(spec.name, ())]
    return any(_mentions(fact.context, spec.display(v)) for v in values)


def explain_mcq(bank, template, fact, wrong: list, note: str = "") -> tuple[str, list[str]]:
    """(explanation, sources) of a direct question on ``template.answer`` of ``fact`` whose
    wrong options are ``wrong``; ``note`` is the "as of" note, if any."""

    kind = bank.kinds[fact.kind]
    spec = kind.spec(template.answer)
    cited = sources_for(fact, template.answer, shown_fields(template))
    parts = []
    if not (fact.context and _states_key(fact, spec)):
        parts.append(_sentence(render(template.explanation, fact, kind)))
    if fact.context:
        parts.append(_sentence(fact.context))
    lure = tempting(bank, template, fact, spec, wrong)
    if lure is not None:
        parts.append(f"Why not {spec.display(lure[0])}? {lure[1]}")
    disputed = dispute_note(bank, fact, spec, cited)
    if disputed:
        parts.append(disputed)
    # The "as of" note qualifies everything above, so it comes last.
    return " ".join(parts) + note, cited


def explain_item(
    bank, template, item, shown, is_true: bool, lead: str, note: str = ""
) -> tuple[str, list[str]]:
    """(note, sources) for one statement or pair: ``lead`` ("Statement 2 is incorrect: "),
    the template's pattern about ``item`` and, for a false item, what the value shown
    really belongs to."""

    kind = bank.kinds[item.kind]
    spec = kind.spec(template.answer)
    cited = sources_for(item, template.answer, shown_fields(template))
    text = lead + _sentence(render(template.explanation, item, kind))
    if not is_true:
        lure = tempting(bank, template, item, spec, [shown])
        if lure is not None:
            text += f" Why not {spec.display(lure[0])}? {lure[1]}"
    disputed = dispute_note(bank, item, spec, cited)
    if disputed:
        text += " " + disputed
    return text + note, cited
