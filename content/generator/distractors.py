"""Rules for wrong options that only knowledge can beat: pure helpers the generator uses.

- A wrong value must be *clearly* wrong: an amount, percentage or count differs from the key
  (and from every ``not_wrong`` value of the fact) by at least ``TOLERANCE``; a date by more
  than a day; a year or month is never one the fact lists as ``not_wrong``.
- Numeric options are an evenly spaced run (consecutive years, months a fixed step apart,
  amounts a fixed ratio apart) with the key at a chosen rank, so neither the spacing nor a
  middle position gives the key away, and ranks are balanced across the bank.
- Classes (``FieldSpec.peers``): a wrong value comes from a holder of the same class —
  same country, office tier and era for a person — see ``class_matches``.
- Series (``FieldSpec.series``): values shown together for an ordered series keep its order.
"""

from __future__ import annotations

import contextlib
import random
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from content.generator.bank import Bank, decoy_allowed, year_of
from content.generator.data import CannotGenerate, FactData, KindData, TemplateData
from content.schema import (
    NEARBY_TYPES,
    TEXT_TYPES,
    TIME_TYPES,
    FieldSpec,
    canon,
    decoy_class,
    decoy_value,
    year_range,
)

# A wrong amount, percentage or count differs from the key by at least this share.
TOLERANCE = Decimal("0.25")
# Smallest gap, in days, between a wrong date and the key (or a not_wrong date).
MIN_DAYS = 2

_ORDINALS = {
    word: number
    for number, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
        ],
        1,
    )
} | {"inaugural": 1}


def ordinal(value) -> int | None:
    """ "third", "3rd", "3" -> 3; None if ``value`` is not an ordinal."""
    text = str(value).strip().lower()
    if text in _ORDINALS:
        return _ORDINALS[text]
    match = re.fullmatch(r"(\d+)(st|nd|rd|th)?", text)
    return int(match.group(1)) if match else None


def year_in_text(*texts) -> int | None:
    """The first plausible year mentioned in ``texts`` (an official's "occasion")."""
    for text in texts:
        match = re.search(r"\b(19\d\d|20\d\d)\b", str(text))
        if match:
            return int(match.group(1))
    return None


def class_matches(spec: FieldSpec, mine, theirs, era: int) -> bool:
    """Does a holder's class value ``theirs`` match the asked fact's ``mine``?
    Years (or year ranges, for decoys) match within ``era`` years; text by its canon."""
    if mine is None or theirs is None:
        return False
    if spec.type == "year":
        span = year_range(theirs)
        if span is None:
            return False
        if span[0] != span[1]:
            # A decoy's range is when the person held office: no slack around it.
            era = 0
        return span[0] - era <= int(mine) <= span[1] + era
    return canon(mine) == canon(theirs)


def _number(spec: FieldSpec, raw) -> Decimal:
    return Decimal(str(raw))


def clearly_wrong(spec: FieldSpec, candidate, key, not_wrong=()) -> bool:
    """Is ``candidate`` far enough from the key and from every not-wrong value?"""
    for other in (key, *not_wrong):
        if spec.type in ("amount", "percent", "number"):
            a, b = _number(spec, candidate), _number(spec, other)
            if abs(a - b) < TOLERANCE * abs(b):
                return False
        elif spec.type == "date":
            gap = abs(date.fromisoformat(str(candidate)) - date.fromisoformat(str(other)))
            if gap < timedelta(days=MIN_DAYS):
                return False
        elif canon(candidate) == canon(other):
            return False
    return True


def decimals(spec: FieldSpec, raw) -> int:
    shown = spec.display(raw)
    match = re.search(r"\.(\d+)", shown)
    return len(match.group(1)) if match else 0


def runs(spec: FieldSpec, key, rank: int, step_choices) -> list[list]:
    """Evenly spaced runs of four values with ``key`` at index ``rank``, one per step."""
    out = []
    for step in step_choices:
        values = []
        for i in range(4):
            offset = i - rank
            values.append(_shifted(spec, key, step, offset))
        if all(v is not None for v in values):
            out.append(values)
    return out


def step_choices(spec: FieldSpec) -> list:
    """The spacings a run may use, preferred first (the generator shuffles equals)."""
    if spec.type == "year":
        return [1, 2]
    if spec.type == "month":
        return [1, 2, 3, 12]
    if spec.type == "date":
        return [2, 3, 7]
    if spec.type == "number":
        return ["0.3", "0.4", "0.5"]
    return ["1.35", "1.4", "1.5", "1.6", "1.75"]


def _shifted(spec: FieldSpec, key, step, offset: int):
    t = spec.type
    if t == "year":
        return int(key) + step * offset
    if t == "month":
        year, month = map(int, str(key).split("-"))
        index = year * 12 + month - 1 + step * offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if t == "date":
        return (date.fromisoformat(str(key)) + timedelta(days=step * offset)).isoformat()
    if t == "number":
        value = int(key)
        gap = max(1, int((Decimal(value) * Decimal(step)).to_integral_value(ROUND_HALF_UP)))
        shifted = value + gap * offset
        return shifted if shifted > 0 else None
    value = Decimal(str(key))
    exponent = value.as_tuple().exponent
    quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)
    shifted = (value * Decimal(step) ** offset).quantize(quantum, rounding=ROUND_HALF_UP)
    if shifted <= 0:
        return None
    return str(shifted)


def rank_order(target: int) -> list[int]:
    """Ranks to try, the target first, then the nearest ones."""
    return sorted(range(4), key=lambda r: (abs(r - target), r))


def in_series_order(points: list[tuple[int, object]], spec: FieldSpec) -> bool:
    """Do (ordinal, shown value) points keep the series' order: a later edition, a later
    value? Two editions may share a value only if they are next to each other: "the first
    in 2022" beside "the fourth in 2022" refutes itself as surely as an earlier year would."""
    keyed = [(rank, _sortable(spec, value)) for rank, value in points]
    return all(
        a_value < b_value or (a_value == b_value and b_rank - a_rank <= 1)
        for a_rank, a_value in keyed
        for b_rank, b_value in keyed
        if a_rank < b_rank
    )


def _sortable(spec: FieldSpec, value):
    if spec.type in ("year", "number", "amount", "percent"):
        return Decimal(str(value))
    return str(value)


# -- classes --------------------------------------------------------------------------------


def class_value(bank: Bank, fact: FactData, name: str, asked: FieldSpec):
    """``fact``'s value for the class field ``name``: its own, else derived — a year from
    the first year its text mentions, anything else from another fact of the kind that
    holds the same ``asked`` value and gives one. None when there is none."""
    if name in fact.values:
        return fact.values[name]
    kind = bank.kinds[fact.kind]
    try:
        spec = kind.spec(name)
    except KeyError:
        return None
    if spec.type == "year":
        return year_in_text(
            *(
                fact.values[s.name]
                for s in kind.fields
                if s.name in fact.values and s.type in TEXT_TYPES | TIME_TYPES
            )
        )
    if asked.name in fact.values:
        root = bank.root(asked, fact.values[asked.name])
        for slug in sorted(bank._holders[asked.domain].get(root, ())):
            other = bank.facts[slug]
            if other.kind == fact.kind and name in other.values:
                return other.values[name]
    return None


def peer_tests(bank: Bank, kind: KindData, spec: FieldSpec, fact: FactData):
    """(holder test, decoy test) for wrong values of ``spec`` that must share the
    field's ``peers`` with ``fact``; None when the field declares no peers."""
    if not spec.peers:
        return None
    mine = {}
    for name in spec.peers:
        value = class_value(bank, fact, name, spec)
        if value is None:
            raise CannotGenerate(
                f"fact {fact.slug} has no {name}, which wrong {spec.name} options must share "
                f"with it; add {name} to the fact"
            )
        mine[name] = value

    def holder_ok(holder: FactData) -> bool:
        if holder.kind != fact.kind:
            return False
        return all(
            class_matches(kind.spec(n), v, class_value(bank, holder, n, spec), spec.era)
            for n, v in mine.items()
        )

    def decoy_ok(entry) -> bool:
        attrs = decoy_class(entry)
        return all(
            n in attrs and class_matches(kind.spec(n), v, attrs[n], spec.era)
            for n, v in mine.items()
        )

    return holder_ok, decoy_ok


def _nearby(spec: FieldSpec, raw, latest_year: int) -> list:
    """Plausible wrong values next to ``raw``. Times never run past the year after the
    latest one the bank mentions: a "2029" option for a past event is a giveaway."""
    return [c for c in _neighbours(spec, raw) if year_of(spec, c) <= latest_year + 1]


def _neighbours(spec: FieldSpec, raw) -> list:
    t = spec.type
    if t in ("year", "number"):
        value = int(raw)
        steps = [1, 2, 3, 4, 5, 6] if t == "year" else [1, 2, 3, 5, 10]
        return [value + s for s in steps] + [
            value - s for s in steps if t != "year" or value - s >= 1900
        ]
    if t == "month":
        year, month = map(int, str(raw).split("-"))
        out = []
        for delta in (1, 2, 3, 4, 6, -1, -2, -3, -4, -6, 12, -12):
            index = year * 12 + (month - 1) + delta
            out.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
        return out
    if t == "date":
        d = date.fromisoformat(str(raw))
        out = [d + timedelta(days=n) for n in (1, 2, 3, 5, 7, -1, -2, -3, -5, -7)]
        for years in (1, -1):
            with contextlib.suppress(ValueError):
                out.append(d.replace(year=d.year + years))
        return [x.isoformat() for x in out]
    if t in ("amount", "percent"):
        value = Decimal(str(raw))
        exponent = value.as_tuple().exponent
        quantum = Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)
        out = []
        for factor in ("0.4", "0.5", "0.6", "0.75", "0.85", "1.1", "1.3", "1.5", "1.75", "2"):
            candidate = (value * Decimal(factor)).quantize(quantum, rounding=ROUND_HALF_UP)
            if candidate > 0:
                out.append(str(candidate))
        return out
    return []


def wrong_values(
    bank: Bank,
    template: TemplateData,
    fact: FactData,
    spec: FieldSpec,
    rng: random.Random,
    count: int,
    taken: set[str] | None = None,
    keep=None,
    draws: list | None = None,
) -> list:
    """``count`` raw values that are false for ``fact`` and pairwise different claims: of
    the field's class (``peers``), never a ``not_wrong`` value, clearly wrong (numbers and
    dates), and accepted by ``keep`` (a series' order) when given."""
    kind = bank.kinds[fact.kind]
    taken = set(taken or ())
    key = fact.values[spec.name]
    not_wrong = fact.not_wrong.get(spec.name, ())
    true_roots = bank.truths(fact, spec) | {bank.root(spec, v) for v in not_wrong}
    blocked = bank.excluded_by(fact) | {fact.slug}
    match = (template.match, fact) if template.match and template.match in fact.values else None
    peers = peer_tests(bank, kind, spec, fact)

    def usable(candidates: list[tuple[str, object]]) -> list[tuple[str, object]]:
        seen = set()
        out = []
        for root, raw in candidates:
            if root in true_roots or root in taken or root in seen:
                continue
            if spec.type in NEARBY_TYPES and not clearly_wrong(spec, raw, key, not_wrong):
                continue
            if keep is not None and not keep(raw):
                continue
            seen.add(root)
            out.append((root, raw))
        return out

    def pool() -> list[tuple[str, object]]:
        # A pure function of (spec, kind, fact, match field): ``blocked`` and ``peers``
        # derive from the fact alone. Memoised, as the deal asks it again and again.
        if bank.facts.get(fact.slug) is not fact or bank.kinds.get(kind.slug) is not kind:
            return bank.pool(spec, kind, blocked, match, peers)
        memo_key = (spec, kind.slug, fact.slug, match[0] if match else None)
        found = bank._pool_memo.get(memo_key)
        if found is None:
            found = bank._pool_memo[memo_key] = bank.pool(spec, kind, blocked, match, peers)
        return found

    def nearby() -> list[tuple[str, object]]:
        return usable([(bank.root(spec, c), c) for c in _nearby(spec, key, bank.latest_year)])

    if template.distractors == "nearby" and spec.type in NEARBY_TYPES:
        primary = nearby()
        fallback = usable(pool())
    elif template.distractors == "curated":
        primary = usable(
            [
                (bank.root(spec, decoy_value(d)), spec.parse(decoy_value(d)))
                for d in kind.decoys.get(spec.name, ())
                if (peers is None or peers[1](d)) and decoy_allowed(spec, d, match)
            ]
        )
        fallback = []
    else:
        primary = usable(pool())
        fallback = nearby() if spec.type in NEARBY_TYPES else []
    if draws is not None:
        # Every candidate, primary ones first, for the caller to combine.
        roots = {r for r, _ in primary}
        draws.extend([*primary, *(c for c in fallback if c[0] not in roots)])
    chosen = rng.sample(primary, min(count, len(primary)))
    if len(chosen) < count:
        roots = {r for r, _ in chosen}
        rest = [c for c in fallback if c[0] not in roots]
        chosen += rng.sample(rest, min(count - len(chosen), len(rest)))
    if len(chosen) < count:
        comparable = f" comparable ({', '.join(spec.peers)})" if spec.peers else ""
        raise CannotGenerate(
            f"only {len(chosen)}{comparable} wrong value(s) for {spec.name} of {fact.slug}; "
            f"need {count}"
        )
    return [raw for _root, raw in chosen]


def numeric_options(
    bank: Bank, fact: FactData, spec: FieldSpec, rng: random.Random, target: int
) -> tuple[list, int]:
    """Four values of a number, year, month or date in ascending order, evenly spaced, with
    the key at rank ``target`` when the bank allows (else the nearest rank that works):
    every wrong one clearly wrong, none ``not_wrong``, none in the future of the bank."""
    key = fact.values[spec.name]
    not_wrong = fact.not_wrong.get(spec.name, ())
    true_roots = bank.truths(fact, spec) | {bank.root(spec, v) for v in not_wrong}
    steps = step_choices(spec)
    if spec.type != "year":
        rng.shuffle(steps)

    def fits(value) -> bool:
        if bank.root(spec, value) in true_roots or not clearly_wrong(spec, value, key, not_wrong):
            return False
        if spec.type in ("year", "month", "date"):
            year = year_of(spec, value)
            return 1900 <= year <= bank.latest_year + 1
        return spec.type == "number" or decimals(spec, value) == decimals(spec, key)

    for rank in rank_order(target):
        for run in runs(spec, key, rank, steps):
            if all(fits(v) for i, v in enumerate(run) if i != rank):
                return run, rank
    raise CannotGenerate(f"no evenly spaced run of clearly wrong values around {fact.slug}'s key")


# -- the styles -----------------------------------------------------------------------------
