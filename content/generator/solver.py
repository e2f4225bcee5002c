"""A test-wise candidate who knows nothing about India–US relations.

It reads only what a candidate sees — the stem and the four options — and picks an option
with the item-writing cues that test-taking guides teach and item-writing guides (the NBME's
"Constructing Written Test Questions", Haladyna's rules) tell writers to avoid:

- acronym initials: the option whose initials (and any "-1" suffix) spell the acronym asked;
- stem echo ("clang"): the option sharing the most content words with the stem;
- middle values: among ordered numbers, dates or months, a value in the middle, nearest
  the mean (writers build wrong numbers around the right one);
- convergence: the option sharing the most words (or statement numbers) with the others;
- odd one out by form (length class, word count, decimals, capitals, type) and the
  longest, most qualified option;
- absurd or mismatched options eliminated: a sea or a country for a meeting venue, a person
  for an office, a value of another type;
- grammatical agreement with the stem ("an" before a vowel, a plural stem);
- specific determiners ("always", "never", "only") mark a false option; "all of the above";
- in statement sets, items that contradict each other (an earlier edition in a later year)
  rule out "both"/"all"; a pair whose two sides echo each other is taken as matched;
- position priors: when nothing else decides, the favourite letter (C, then B, D, A).

``pick(record)`` takes an ``export_questions`` record (or anything with ``stem``,
``options`` and ``kind``) and returns the chosen index. It never looks at the answer.
"""

from __future__ import annotations

import re
from statistics import mean

_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_ORDINALS = {
    w: i
    for i, w in enumerate(
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
        ],
        1,
    )
}
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "how",
        "did",
        "does",
        "do",
        "following",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "their",
        "about",
        "among",
        "under",
        "between",
        "into",
        "during",
        "than",
        "then",
        "also",
        "any",
        "all",
        "each",
        "other",
        "such",
        "not",
        "one",
        "following",
        "given",
        "above",
        "statements",
        "statement",
        "correct",
        "consider",
        "pairs",
        "pair",
        "matched",
        "correctly",
        "many",
        "only",
    ]
)
_DETERMINERS = frozenset({"always", "never", "only", "all", "none", "every", "solely"})
_PLACE_ODD = re.compile(r"\b(sea|ocean|gulf|strait|bay)\b", re.I)
_OFFICE_WORDS = re.compile(
    r"\b(minister|secretary|president|director|fellow|authority|officer|chief|general)\b", re.I
)
# Favourite letters of guessers: C, then B, D, A.
POSITION_PRIOR = (2, 1, 3, 0)


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text.lower()):
        w = w.strip("'-")
        if len(w) > 2 and w not in _STOP:
            out.append(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def _number(option: str) -> float | None:
    """An option read as a point on a line (a number, year, month or date), else None."""
    text = option.replace(",", "").strip()
    m = re.fullmatch(r"(?:USD\s*)?\$?(-?\d+(?:\.\d+)?)\s*(?:%|billion|bn|million)?", text, re.I)
    if m:
        return float(m.group(1))
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if m and m.group(2).lower() in _MONTHS:
        return int(m.group(3)) * 400 + _MONTHS[m.group(2).lower()] * 32 + int(m.group(1))
    m = re.fullmatch(r"([A-Za-z]+)\s+(\d{4})", text)
    if m and m.group(1).lower() in _MONTHS:
        return int(m.group(2)) * 400 + _MONTHS[m.group(1).lower()] * 32
    return None


def _acronyms(stem: str) -> list[str]:
    found = re.findall(r"\b([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*(?:-[A-Z0-9]+)?)\b", stem)
    return [a for a in found if sum(c.isupper() for c in a) >= 2 and a not in {"US", "UN", "USA"}]


def _initials(option: str) -> str:
    tokens = re.findall(r"[A-Za-z]+|\d+", option.replace("-", " "))
    out = ""
    for t in tokens:
        if t.isdigit():
            out += t
        elif t.lower() not in {"of", "and", "for", "the", "on", "in", "to"}:
            out += t[0].lower()
    return out


def _spells(acronym: str, option: str) -> bool:
    letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
    initials = _initials(option)
    loose = re.sub(r"[^a-z0-9]", "", "".join(w[0] for w in re.findall(r"\w+", option.lower())))
    return bool(letters) and (
        initials == letters or loose == letters or initials.startswith(letters)
    )


def _form(option: str) -> tuple:
    words = option.split()
    decimals = len(option.split(".")[1]) if re.search(r"\d\.\d", option) else 0
    return (
        min(len(words), 6) // 2,
        any(c.isdigit() for c in option),
        decimals,
        option.isupper(),
        "," in option,
        "(" in option,
    )


def _statement_numbers(option: str) -> set[int]:
    if option.lower().startswith("neither"):
        return set()
    return {int(d) for d in re.findall(r"\d", option)}


def _mcq_scores(stem: str, options: list[str]) -> list[float]:
    n = len(options)
    score = [0.0] * n

    # Acronym initials.
    for acronym in _acronyms(stem):
        spell = [_spells(acronym, o) for o in options]
        if 0 < sum(spell) < n:
            for i, ok in enumerate(spell):
                score[i] += 4.0 / sum(spell) if ok else 0
        digits = re.findall(r"\d+", acronym)
        if digits:
            has = [digits[-1] in re.findall(r"\d+", o) for o in options]
            if 0 < sum(has) < n:
                for i, ok in enumerate(has):
                    score[i] += 3.0 if ok else 0

    # Stem echo: shared content words with the stem.
    stem_words = set(_words(stem))
    echo = [len(set(_words(o)) & stem_words) for o in options]
    if max(echo) > 0 and echo.count(max(echo)) == 1:
        score[echo.index(max(echo))] += 3.0
    # A word of the option inside the stem's acronym-free text, case-sensitive (names).
    caps = [
        {w for w in re.findall(r"\b[A-Z][A-Za-z0-9-]{2,}\b", o) if w in stem and w not in _STOP}
        for o in options
    ]
    hits = [len(c) for c in caps]
    if max(hits) > 0 and hits.count(max(hits)) == 1:
        score[hits.index(max(hits))] += 1.5

    # Numbers, dates, months: a middle value, the one nearest the mean.
    values = [_number(o) for o in options]
    if all(v is not None for v in values):
        ordered = sorted(values)
        middle = {ordered[1], ordered[2]}
        centre = mean(values)
        best = min((v for v in values if v in middle), key=lambda v: abs(v - centre))
        for i, v in enumerate(values):
            if v == best:
                score[i] += 2.0
            elif v in middle:
                score[i] += 1.0
        # Spacing: writers often build wrong values at equal steps around the key.
        gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
        if gaps and len({round(g, 6) for g in gaps}) > 1:
            # The value adjoining the smallest gap is often the anchor.
            k = gaps.index(min(gaps))
            for i, v in enumerate(values):
                if v in (ordered[k], ordered[k + 1]):
                    score[i] += 0.5
        return score

    # Convergence: words shared with the other options, when one option clearly leads.
    sets = [set(_words(o)) for o in options]
    conv = [sum(len(sets[i] & sets[j]) for j in range(n) if j != i) for i in range(n)]
    ranked = sorted(conv)
    if ranked[-1] > 0 and ranked[-1] - ranked[-2] >= 2:
        score[conv.index(ranked[-1])] += 2.0

    # Odd one out by form.
    forms = [_form(o) for o in options]
    for i, f in enumerate(forms):
        if forms.count(f) == 1 and all(forms.count(g) == n - 1 for g in forms if g != f):
            score[i] += 1.5

    # Longest, most qualified option.
    lengths = [len(o) for o in options]
    longest = max(lengths)
    if lengths.count(longest) == 1 and longest >= 1.3 * sorted(lengths)[-2]:
        score[lengths.index(longest)] += 1.5

    # Absurd or mismatched options.
    low = stem.lower()
    for i, o in enumerate(options):
        at_sea = any(w in low for w in ("sea", "naval", "replenish"))
        if low.startswith(("where", "in which city")) and _PLACE_ODD.search(o) and not at_sea:
            score[i] -= 3.0
        if low.startswith("who") and _OFFICE_WORDS.search(o):
            score[i] -= 3.0
        if "capacity" in low and not _OFFICE_WORDS.search(o):
            score[i] -= 2.0
        if any(w in _DETERMINERS for w in re.findall(r"[a-z]+", o.lower())):
            score[i] -= 0.5

    # Grammatical agreement with the stem.
    if re.search(r"\ban\s*$", stem.strip().rstrip("?:._ ")):
        for i, o in enumerate(options):
            if o[:1].lower() not in "aeiou":
                score[i] -= 2.0
    return score


def _items(stem: str) -> list[str]:
    return [line[3:] for line in stem.splitlines() if re.match(r"\d\. ", line)]


def _item_truth(stem: str) -> list[float]:
    """A guess, per numbered item, of how likely it is true (0.5 when nothing shows)."""
    items = _items(stem)
    guess = [0.5] * len(items)
    # Ordered series: "the fifth ... 2017" next to "the first ... 2018" cannot both be right,
    # nor "the first ... 2022" next to "the fourth ... 2022".
    series = []
    for i, text in enumerate(items):
        words = re.findall(r"[a-z0-9+]+", text.lower())
        at = next((k for k, w in enumerate(words) if w in _ORDINALS), None)
        year = re.findall(r"\b(19\d\d|20\d\d)\b", text)
        if at is not None and year:
            # The series is named by the words after the ordinal ("2+2 dialogue").
            name = tuple(w for w in words[at + 1 : at + 4] if not w.isdigit() or w == "2")
            series.append((_ORDINALS[words[at]], int(year[-1]), i, name))
    for a in series:
        for b in series:
            tie = a[1] == b[1] and b[0] - a[0] > 1  # not next to each other
            if a[3] == b[3] and a[0] < b[0] and (a[1] > b[1] or tie):
                guess[a[2]] = min(guess[a[2]], 0.3)
                guess[b[2]] = min(guess[b[2]], 0.3)
    for i, text in enumerate(items):
        if " — " in text:
            left, right = text.split(" — ", 1)
            if set(_words(left)) & set(_words(right)):
                guess[i] = 0.8
        if any(w in _DETERMINERS for w in re.findall(r"[a-z]+", text.lower())):
            guess[i] = min(guess[i], 0.4)
    return guess


def _composite_scores(record: dict) -> list[float]:
    options = record["options"]
    kind = record.get("kind")
    guess = _item_truth(record["stem"])
    n = len(guess)
    score = [0.0] * len(options)
    if kind == "statements":
        sets = [_statement_numbers(o) for o in options]
        # Elimination by the options: a statement in most options is probably true, one in
        # at most one option probably false (a favourite of UPSC coaching).
        for k in range(1, n + 1):
            seen = sum(k in members for members in sets)
            if seen >= 3:
                guess[k - 1] = max(guess[k - 1], 0.65)
            elif seen <= 1 and n > 2:
                guess[k - 1] = min(guess[k - 1], 0.35)
        for i, members in enumerate(sets):
            # Likelihood of the option under the per-item guesses.
            like = 1.0
            for k in range(1, n + 1):
                p = guess[k - 1]
                like *= p if k in members else 1 - p
            score[i] += round(4 * like, 6)
        return score
    # how_many / pairs: expected count of true items, nearest label wins; "all" is a cue.
    expected = sum(guess)
    counts = []
    for o in options:
        low = o.lower()
        if low.startswith("none"):
            counts.append(0)
        elif low.startswith("all"):
            counts.append(n)
        else:
            word = re.findall(r"only (\w+)", low)
            counts.append(
                {"one": 1, "two": 2, "three": 3, "four": 4}.get(word[0], 0) if word else 0
            )
    for i, c in enumerate(counts):
        score[i] -= abs(c - expected)
    return score


def pick(record: dict) -> int:
    """The index a knowledge-free, test-wise candidate would choose."""
    options = record["options"]
    if record.get("kind", "mcq") == "mcq":
        score = _mcq_scores(record["stem"], options)
    else:
        score = _composite_scores(record)
    best = max(score)
    tied = [i for i, s in enumerate(score) if s >= best - 1e-9]
    return next(i for i in POSITION_PRIOR if i in tied)


def score(records) -> float:
    """Share of ``records`` (export dicts) the solver gets right."""
    records = list(records)
    if not records:
        return 0.0
    return sum(pick(r) == r["answer"] for r in records) / len(records)
