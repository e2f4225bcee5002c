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

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from content.schema import FieldSpec, canon, year_range

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
    """Do (ordinal, shown value) points keep the series' order (later edition, later or
    equal value)?"""
    ordered = sorted(points, key=lambda p: p[0])
    keys = [_sortable(spec, value) for _, value in ordered]
    return all(a <= b for a, b in zip(keys, keys[1:], strict=False))


def _sortable(spec: FieldSpec, value):
    if spec.type in ("year", "number", "amount", "percent"):
        return Decimal(str(value))
    return str(value)


def subsets_for_slot(n: int, slot: int, rng) -> tuple[tuple[int, ...], list[tuple[int, ...]]]:
    """For a "which statements are correct" question over ``n`` items: the correct subset
    and four options (in display order) with the correct one at index ``slot``.

    With three statements the options are a balanced set — each statement in exactly two
    of the four options, two single statements and two pairs — so counting how often a
    statement appears among the options ("convergence") tells nothing, and the key is any
    of the four with equal chance."""
    if n == 2:
        options = [(1,), (2,), (1, 2), ()]
        return options[slot], options
    left_out = rng.randrange(1, 4)  # the statement in no single-statement option
    others = [i for i in (1, 2, 3) if i != left_out]
    options = [(others[0],), (others[1],), *sorted(tuple(sorted((o, left_out))) for o in others)]
    options.sort(key=lambda s: (len(s), s))
    return options[slot], options
