"""Turn (template, fact, seed) into a sound exam question, or say why it cannot.

Pure functions over plain data (``Bank``, ``KindData``, ``FactData``, ``TemplateData``) so the
property tests can throw random banks at it without a database. ``content.bank_loader``
builds a ``Bank`` from the database in a fixed number of queries.

Soundness rules enforced here (a question that breaks one is never returned):
- exactly four options, pairwise different claims (canonical form and aliases),
  exactly one of them correct;
- no distractor is true of the fact under any alias, nor of any other fact the stem
  could be describing; a stem that does not pin down one fact is skipped;
- distractors come from the same domain as the answer (years compete with years,
  people with people) and, where the kind declares ``peers``, from holders of the same class
  (country, office tier, era; place category; agreement type); numbers are an evenly spaced
  run around the key; a value the fact lists as ``not_wrong`` is never offered as wrong, and
  a wrong amount, count or date is clearly wrong (``content.distractors``);
- the correct answer does not appear in the stem; no placeholder is left unfilled;
- no item-writing cue survives (stem echo, acronym initials, odd form, much the longest —
  ``content.cues``); the key's position, and a number's rank, are balanced per template;
- statements/how-many/pairs answers follow from the truth of their items, their answers are
  spread over the labels, and items of an ordered series keep its order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from content import cues, explain
from content.distractors import (
    class_matches,
    clearly_wrong,
    decimals,
    in_series_order,
    ordinal,
    rank_order,
    runs,
    step_choices,
    subsets_for_slot,
    year_in_text,
)
from content.schema import (
    NEARBY_TYPES,
    PLACEHOLDER_RE,
    TEXT_TYPES,
    TIME_TYPES,
    FieldSpec,
    canon,
    decoy_class,
    decoy_value,
    placeholders,
)

STYLES = ("mcq", "statements", "how_many", "pairs")
COUNT_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


class CannotGenerate(Exception):
    """This (template, fact) pair cannot yield a sound question; the message says why."""


@dataclass(frozen=True)
class KindData:
    slug: str
    fields: tuple[FieldSpec, ...]
    decoys: dict = field(default_factory=dict)

    def spec(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


@dataclass(frozen=True)
class FactData:
    slug: str
    kind: str
    topic: str
    values: dict
    aliases: dict = field(default_factory=dict)
    excludes: frozenset = frozenset()
    as_of_label: str = ""
    sources: tuple[str, ...] = ()
    # Claim-level citations: (citation text, the fields it supports; empty = all fields).
    citations: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Two or three sentences that teach the fact in its context (explanations show them).
    context: str = ""
    # Per field, values that are not the key but must never be offered as wrong.
    not_wrong: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateData:
    slug: str
    kind: str
    style: str
    stem: str
    answer: str
    explanation: str
    statement: str = ""
    pair_left: str = ""
    items: int = 0
    distractors: str = "other_facts"
    difficulty: int = 2
    # Draw wrong values only from facts that share this field's value with the fact asked
    # about (e.g. "country": US officials compete with US officials).
    match: str = ""


@dataclass
class Question:
    id: str
    template: str
    style: str
    stem: str
    options: list[str]
    answer: int
    explanation: str
    sources: list[str]
    topic: str
    facts: list[str]
    difficulty: int = 2
    statements: list[dict] | None = None
    pairs: list[dict] | None = None

    def as_export(self) -> dict:
        """The JSON Lines record of ``export_questions`` (keys fixed by the spec)."""
        out = {
            "id": self.id,
            "kind": self.style,
            "stem": self.stem,
            "options": list(self.options),
            "answer": self.answer,
            "explanation": self.explanation,
            "sources": list(self.sources),
            "topic": self.topic,
            "facts": list(self.facts),
        }
        if self.style in ("statements", "how_many"):
            out["statements"] = [dict(item) for item in self.statements]
        if self.style == "pairs":
            out["pairs"] = [dict(item) for item in self.pairs]
        return out


@dataclass(frozen=True)
class Skip:
    template: str
    fact: str
    reason: str


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Bank:
    """The servable facts, their kinds and the templates, with the indexes the generator needs."""

    def __init__(
        self,
        kinds: Iterable[KindData],
        facts: Iterable[FactData],
        templates: Iterable[TemplateData] = (),
        problems: Iterable = (),
    ) -> None:
        # Rows the loader had to leave out (``content.bank.Problem``), for the admin to list.
        self.problems = list(problems)
        self.kinds = {k.slug: k for k in kinds}
        self.facts = {
            f.slug: _with_defaults(f, self.kinds.get(f.kind))
            for f in sorted(facts, key=lambda f: f.slug)
        }
        # (template, seed) -> (eligible slugs in dealing order, their positions, the deal's
        # start, which have been tried and yield a question).
        self._slots: dict[tuple[str, int], tuple] = {}
        self._dealing: set[tuple[str, int]] = set()
        self.templates = {t.slug: t for t in sorted(templates, key=lambda t: t.slug)}
        self.by_kind: dict[str, list[FactData]] = defaultdict(list)
        for fact in self.facts.values():
            self.by_kind[fact.kind].append(fact)
        # Alias classes per domain: two spellings are the same claim if some fact lists
        # them as the same value.
        self._classes: dict[str, _UnionFind] = defaultdict(_UnionFind)
        # domain -> {class root: (display, raw, spec)} of every value seen in that domain.
        self._pool: dict[str, dict[str, tuple[str, object, FieldSpec]]] = defaultdict(dict)
        # domain -> class root -> slugs of facts holding it (to honour `excludes`).
        self._holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._rivals: dict[tuple, list[FactData]] = {}
        # Memos of pure lookups (the bank never changes after it is built).
        self._root_memo: dict[tuple[str, str], str] = {}
        self._truths_memo: dict[tuple[str, FieldSpec], frozenset[str]] = {}
        self._pool_memo: dict[tuple, list[tuple[str, object]]] = {}
        # content.explain's index of who holds which value (filled on first use).
        self._explain_index: dict = {}
        self._others_memo: dict[tuple[str, str], list[FactData]] = {}
        self._eligible_memo: dict[tuple[str, str], str | None] = {}
        self._false_memo: dict[tuple, bool] = {}
        # The latest year any time value mentions (caps "nearby" years).
        self.latest_year = max(
            (
                _year_of(spec, fact.values[spec.name])
                for fact in self.facts.values()
                for spec in self.kinds[fact.kind].fields
                if spec.name in fact.values and spec.type in ("year", "month", "date")
            ),
            default=2100,
        )
        # domain -> canonical display text -> class root, to map a shown option back.
        self._display_roots: dict[str, dict[str, str]] = defaultdict(dict)
        domain_types: dict[str, str] = {}
        for fact in self.facts.values():
            kind = self.kinds[fact.kind]
            for spec in kind.fields:
                if spec.name not in fact.values:
                    continue
                if domain_types.setdefault(spec.domain, spec.type) != spec.type:
                    raise ValueError(f"domain {spec.domain!r} mixes types")
                uf = self._classes[spec.domain]
                key = canon(fact.values[spec.name])
                for alias in fact.aliases.get(spec.name, ()):
                    uf.union(key, canon(alias))
        for fact in self.facts.values():
            kind = self.kinds[fact.kind]
            for spec in kind.fields:
                if spec.name in fact.values:
                    raw = fact.values[spec.name]
                    root = self.root(spec, raw)
                    self._pool[spec.domain].setdefault(root, (spec.display(raw), raw, spec))
                    self._holders[spec.domain][root].add(fact.slug)
                    for shown in [raw, *fact.aliases.get(spec.name, ())]:
                        self._display_roots[spec.domain][canon(spec.display(shown))] = root

    # -- equivalence ----------------------------------------------------------------------

    def root(self, spec: FieldSpec, raw) -> str:
        # Memoised for text values (the classes never change once the bank is built);
        # other types are not, since equal numbers (1, 1.0) can canonicalise differently.
        if type(raw) is str:
            key = (spec.domain, raw)
            found = self._root_memo.get(key)
            if found is None:
                found = self._root_memo[key] = self._classes[spec.domain].find(canon(raw))
            return found
        return self._classes[spec.domain].find(canon(raw))

    def truths(self, fact: FactData, spec: FieldSpec) -> frozenset[str]:
        """Class roots of every value that is true of ``fact`` for ``spec``.

        Memoised for the bank's own facts (the bank never changes after it is built)."""
        if self.facts.get(fact.slug) is not fact:
            return self._truths(fact, spec)
        key = (fact.slug, spec)
        found = self._truths_memo.get(key)
        if found is None:
            found = self._truths_memo[key] = self._truths(fact, spec)
        return found

    def _truths(self, fact: FactData, spec: FieldSpec) -> frozenset[str]:
        if spec.name not in fact.values:
            return frozenset()
        found = {self.root(spec, fact.values[spec.name])}
        found.update(self.root(spec, a) for a in fact.aliases.get(spec.name, ()))
        return frozenset(found)

    def is_true_of(self, fact: FactData, spec: FieldSpec, raw) -> bool:
        return self.root(spec, raw) in self.truths(fact, spec)

    def describes(self, fact: FactData, fields: Iterable[str], like: FactData) -> bool:
        """Does ``fact`` match ``like`` on every one of ``fields`` (by name, any kind)?"""
        like_kind = self.kinds[like.kind]
        kind = self.kinds[fact.kind]
        for name in fields:
            if name not in fact.values or name not in like.values:
                return False
            try:
                spec = kind.spec(name)
            except KeyError:
                return False
            like_spec = like_kind.spec(name)
            if spec.type != like_spec.type:
                return False
            if spec.domain == like_spec.domain:
                if not self.truths(fact, spec) & self.truths(like, like_spec):
                    return False
            else:
                mine = {canon(fact.values[name])} | {canon(a) for a in fact.aliases.get(name, ())}
                theirs = {canon(like.values[name])} | {canon(a) for a in like.aliases.get(name, ())}
                if not mine & theirs:
                    return False
        return True

    def rivals(self, fact: FactData, fields: list[str]) -> list[FactData]:
        """Other facts, of any kind, that a text naming ``fields`` of ``fact`` also describes.

        Memoised: the bank never changes after it is built."""
        key = (fact.slug, tuple(fields))
        if key not in self._rivals:
            self._rivals[key] = self._find_rivals(fact, fields)
        return self._rivals[key]

    def _find_rivals(self, fact: FactData, fields: list[str]) -> list[FactData]:
        if not fields:
            return [f for f in self.facts.values() if f.slug != fact.slug and f.kind == fact.kind]
        return [
            other
            for other in self.facts.values()
            if other.slug != fact.slug and self.describes(other, fields, fact)
        ]

    # -- balance --------------------------------------------------------------------------

    def slot(self, template: TemplateData, fact: FactData, seed: int) -> int | None:
        """Where this question puts its key (0–3): the template's facts in a seeded order,
        dealt round the four positions, so every position (a number's rank, a how-many
        count) gets a quarter of the template's questions. None for a fact the template
        cannot use."""
        key = (template.slug, seed)
        if key in self._dealing:
            return 0  # a provisional place while the deal below tries each fact
        if key not in self._slots:
            needed = {template.answer, *placeholders(template.stem)}
            needed |= set(placeholders(template.statement))
            if template.pair_left:
                needed.add(template.pair_left)
            eligible = [
                f.slug for f in self.by_kind.get(template.kind, []) if needed <= set(f.values)
            ]
            eligible.sort(
                key=lambda slug: hashlib.sha256(f"{seed}:{template.slug}:{slug}".encode()).digest()
            )
            # Start each template's deal at its own position, so the odd facts of small
            # templates do not all land on A.
            start = hashlib.sha256(f"{seed}:{template.slug}".encode()).digest()[0] % 4
            self._slots[key] = (eligible, {s: i for i, s in enumerate(eligible)}, start, {})
        eligible, position, start, viable = self._slots[key]
        # Deal only to the facts that yield a question, so skips do not unbalance it: the
        # viable facts in the seeded order, then the rest. Tried lazily (the slowest part of
        # a paper): a viable fact's place needs only the facts before it.
        if fact.slug not in position:
            return None

        def yields(slug: str) -> bool:
            if slug not in viable:
                self._dealing.add(key)
                try:
                    viable[slug] = _yields(self, template, slug, seed)
                finally:
                    self._dealing.discard(key)
            return viable[slug]

        here = position[fact.slug]
        if yields(fact.slug):
            index = sum(yields(slug) for slug in eligible[:here])
        else:
            flags = [yields(slug) for slug in eligible]
            index = sum(flags) + sum(not f for f in flags[:here])
        return (start + index) % 4

    # -- classes ----------------------------------------------------------------------------

    def class_value(self, fact: FactData, name: str, asked: FieldSpec):
        """``fact``'s value for the class field ``name``: its own, else derived — a year from
        the first year its text mentions, anything else from another fact of the kind that
        holds the same ``asked`` value and gives one. None when there is none."""
        if name in fact.values:
            return fact.values[name]
        kind = self.kinds[fact.kind]
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
            root = self.root(asked, fact.values[asked.name])
            for slug in sorted(self._holders[asked.domain].get(root, ())):
                other = self.facts[slug]
                if other.kind == fact.kind and name in other.values:
                    return other.values[name]
        return None

    def peer_tests(self, kind: KindData, spec: FieldSpec, fact: FactData):
        """(holder test, decoy test) for wrong values of ``spec`` that must share the
        field's ``peers`` with ``fact``; None when the field declares no peers."""
        if not spec.peers:
            return None
        mine = {}
        for name in spec.peers:
            value = self.class_value(fact, name, spec)
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
                class_matches(kind.spec(n), v, self.class_value(holder, n, spec), spec.era)
                for n, v in mine.items()
            )

        def decoy_ok(entry) -> bool:
            attrs = decoy_class(entry)
            return all(
                n in attrs and class_matches(kind.spec(n), v, attrs[n], spec.era)
                for n, v in mine.items()
            )

        return holder_ok, decoy_ok

    # -- pools ----------------------------------------------------------------------------

    def pool(
        self,
        spec: FieldSpec,
        kind: KindData,
        exclude_facts: set[str],
        match: tuple[str, FactData] | None = None,
        peers=None,
    ) -> list[tuple[str, object]]:
        """(root, raw) candidates for a wrong value of ``spec``, sorted for determinism.

        With ``match`` = (field, fact), only values held by facts of the same kind that share
        that field's value with ``fact`` (and the kind's decoys) are candidates. With
        ``peers`` (from ``peer_tests``), only holders and decoys of the fact's class."""
        found: dict[str, object] = {}
        for root, (_display, raw, _spec) in self._pool[spec.domain].items():
            holders = self._holders[spec.domain][root] - exclude_facts
            if match is not None:
                field, like = match
                holders = {
                    slug
                    for slug in holders
                    if self.facts[slug].kind == like.kind
                    and self.describes(self.facts[slug], [field], like)
                }
            if peers is not None:
                holders = {slug for slug in holders if peers[0](self.facts[slug])}
            if not holders:
                continue
            found[root] = raw
        for entry in kind.decoys.get(spec.name, ()):
            if peers is not None and not peers[1](entry):
                continue
            if match is not None and not decoy_matches(entry, *match):
                continue
            decoy = decoy_value(entry)
            found.setdefault(self.root(spec, decoy), spec.parse(decoy))
        return sorted(found.items())


def _yields(bank: Bank, template: TemplateData, slug: str, seed: int) -> bool:
    try:
        generate(bank, template, bank.facts[slug], seed)
    except CannotGenerate:
        return False
    return True


def decoy_matches(entry, field: str, like: FactData) -> bool:
    """Is a curated decoy meant for facts with ``like``'s value of ``field`` (a near-miss
    expansion listed for one acronym)?"""
    attrs = decoy_class(entry)
    if field not in attrs:
        return False
    mine = {canon(like.values.get(field, ""))} | {canon(a) for a in like.aliases.get(field, ())}
    return canon(attrs[field]) in mine


def _with_defaults(fact: FactData, kind: KindData | None) -> FactData:
    """``fact`` with the kind's ``default`` for every field it leaves empty."""
    if kind is None:
        return fact
    missing = {s.name: s.default for s in kind.fields if s.default and s.name not in fact.values}
    if not missing:
        return fact
    return dataclasses.replace(fact, values={**fact.values, **missing})


# -- rendering ------------------------------------------------------------------------------


def render(pattern: str, fact: FactData, kind: KindData, override: dict | None = None) -> str:
    override = override or {}

    def sub(match: re.Match) -> str:
        name = match.group(1)
        if name in override:
            return kind.spec(name).display(override[name])
        if name not in fact.values:
            raise CannotGenerate(f"fact {fact.slug} has no value for {{{name}}}")
        return kind.spec(name).display(fact.values[name])

    text = PLACEHOLDER_RE.sub(sub, pattern)
    # A value ending in an abbreviation ("Washington, D.C.") before the pattern's own full
    # stop would read "D.C.."; keep one stop (an ellipsis is left alone).
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    return text[:1].upper() + text[1:]


def as_of_label(bank: Bank, template: TemplateData, fact: FactData) -> str:
    """The fact's "as of" label if this question shows a value that can change: any field
    marked ``dated`` (or any field at all, when the kind marks none)."""
    if not fact.as_of_label:
        return ""
    dated = {s.name for s in bank.kinds[fact.kind].fields if s.dated}
    if not dated:
        return fact.as_of_label
    shown = set(placeholders(template.stem)) | set(placeholders(template.statement))
    shown |= {template.answer, template.pair_left}
    return fact.as_of_label if shown & dated else ""


def _as_of_prefix(label: str, text: str) -> str:
    if not label:
        return text
    first, _, rest = text.partition(" ")
    # Lower-case an ordinary opening word ("Which", "Among"), never a name or acronym.
    if first in _OPENERS:
        text = first.lower() + " " + rest
    return f"As of {label}, {text}"


_OPENERS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "Which",
        "Who",
        "What",
        "Where",
        "When",
        "Whom",
        "How",
        "By",
        "On",
        "Among",
        "Regarding",
        "According",
        "Consider",
        "Under",
        "During",
        "From",
        "For",
        "Name",
    ]
)


def _as_of_note(label: str) -> str:
    return f" (This was the position as of {label}.)" if label else ""


def _mentions(haystack: str, needle: str) -> bool:
    needle = needle.strip()
    if not needle:
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack, re.IGNORECASE) is not None


# -- wrong values ---------------------------------------------------------------------------


def _nearby(spec: FieldSpec, raw, latest_year: int) -> list:
    """Plausible wrong values next to ``raw``. Times never run past the year after the
    latest one the bank mentions: a "2029" option for a past event is a giveaway."""
    return [c for c in _neighbours(spec, raw) if _year_of(spec, c) <= latest_year + 1]


def _year_of(spec: FieldSpec, value) -> int:
    if spec.type == "year":
        return int(value)
    if spec.type in ("month", "date"):
        return int(str(value)[:4])
    return -(10**9)


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
    blocked = set(fact.excludes) | {fact.slug}
    match = (template.match, fact) if template.match and template.match in fact.values else None
    peers = bank.peer_tests(kind, spec, fact)

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
                if (peers is None or peers[1](d)) and (match is None or decoy_matches(d, *match))
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
            year = _year_of(spec, value)
            return 1900 <= year <= bank.latest_year + 1
        return spec.type == "number" or decimals(spec, value) == decimals(spec, key)

    for rank in rank_order(target):
        for run in runs(spec, key, rank, steps):
            if all(fits(v) for i, v in enumerate(run) if i != rank):
                return run, rank
    raise CannotGenerate(f"no evenly spaced run of clearly wrong values around {fact.slug}'s key")


# -- the styles -----------------------------------------------------------------------------


def _mcq(
    bank: Bank, template: TemplateData, fact: FactData, rng: random.Random, slot: int | None
) -> Question:
    kind = bank.kinds[fact.kind]
    spec = kind.spec(template.answer)
    if template.answer not in fact.values:
        raise CannotGenerate(
            f"fact {fact.slug} has no value for the answer field {template.answer}"
        )
    stem_fields = placeholders(template.stem)
    stem = _as_of_prefix(as_of_label(bank, template, fact), render(template.stem, fact, kind))
    for rival in bank.rivals(fact, stem_fields):
        rival_kind = bank.kinds[rival.kind]
        rival_spec = next((s for s in rival_kind.fields if s.name == template.answer), None)
        if rival_spec is not None and rival_spec.type != spec.type:
            # The stem asks for a different sort of thing of the rival (a growth rate, not
            # an amount), so the rival cannot supply a competing answer.
            continue
        same = template.answer in rival.values and any(
            s.name == template.answer
            and s.domain == spec.domain
            and bank.truths(rival, s) & bank.truths(fact, spec)
            for s in rival_kind.fields
        )
        if not same:
            raise CannotGenerate(
                f"the stem also describes {rival.slug}, so its answer is not unique"
            )
    correct = fact.values[template.answer]
    for shown in [correct, *fact.aliases.get(template.answer, ())]:
        if _mentions(stem, spec.display(shown)):
            raise CannotGenerate("the correct answer appears in the stem")
    target = slot if slot is not None else rng.randrange(4)
    if spec.type in NEARBY_TYPES:
        # Ascending, as exams print numbers; the key's rank is the balanced slot.
        raws, answer = numeric_options(bank, fact, spec, rng, target)
        options = [spec.display(r) for r in raws]
        found = cues.mcq_cues(stem, options, answer, numeric=True)
    else:
        # Other sets of wrong options may lose a cue the first one had: try them in a
        # seeded order (the primary candidates' sets first) until one carries none.
        candidates: list = []
        wrong = wrong_values(bank, template, fact, spec, rng, 3, draws=candidates)
        sets = [wrong, *_other_sets(candidates, rng)]
        answer = target
        for wrong in sets:
            wrong = list(wrong)
            rng.shuffle(wrong)
            raws = [*wrong[:target], correct, *wrong[target:]]
            options = [spec.display(r) for r in raws]
            found = cues.mcq_cues(stem, options, answer)
            if not found:
                break
    if found:
        raise CannotGenerate("; ".join(found))
    wrong = [raw for position, raw in enumerate(raws) if position != answer]
    explanation, sources = explain.explain_mcq(
        bank, template, fact, wrong, _as_of_note(as_of_label(bank, template, fact))
    )
    return Question(
        id=f"{template.slug}:{fact.slug}",
        template=template.slug,
        style="mcq",
        stem=stem,
        options=options,
        answer=answer,
        explanation=explanation,
        sources=sources,
        topic=fact.topic,
        facts=[fact.slug],
        difficulty=template.difficulty,
    )


def _other_sets(candidates: list, rng: random.Random, limit: int = 60) -> list[list]:
    """Up to ``limit`` further sets of three wrong values, in a seeded order."""
    pool = [raw for _root, raw in candidates]
    if len(pool) > 12:
        pool = pool[:6] + rng.sample(pool[6:], 6)
    combos = list(itertools.combinations(pool, 3))
    rng.shuffle(combos)
    return [list(c) for c in combos[:limit]]


def _item_subject_fields(template: TemplateData) -> list[str]:
    if template.style == "pairs":
        return [template.pair_left]
    return [p for p in placeholders(template.statement) if p != template.answer]


def _eligible(bank: Bank, template: TemplateData, fact: FactData) -> str | None:
    """Why ``fact`` cannot be an item of ``template`` (None if it can)."""
    needed = set(_item_subject_fields(template)) | {template.answer}
    if template.style != "pairs":
        needed |= set(placeholders(template.statement))
    needed |= set(placeholders(template.explanation))
    missing = sorted(n for n in needed if n not in fact.values)
    if missing:
        return f"fact {fact.slug} has no value for {', '.join(missing)}"
    if bank.rivals(fact, _item_subject_fields(template)):
        return f"the item's subject does not single out {fact.slug}"
    return None


def _others(
    bank: Bank, template: TemplateData, fact: FactData, kind: KindData, subject_fields
) -> list[FactData]:
    """The facts that may join ``fact`` as items of ``template``. A pure function of the
    bank, the template and the fact: memoised per bank for the bank's own template and
    fact, as the deal asks it of every fact of the kind."""
    own = bank.templates.get(template.slug) is template and bank.facts.get(fact.slug) is fact
    key = (template.slug, fact.slug)
    if own and key in bank._others_memo:
        return bank._others_memo[key]
    anchor_subject = {bank.root(kind.spec(f), fact.values[f]) for f in subject_fields}
    others = []
    for other in bank.by_kind[fact.kind]:
        if other.slug == fact.slug or other.slug in fact.excludes or fact.slug in other.excludes:
            continue
        if _eligible_memo(bank, template, other) is None:
            subject = {bank.root(kind.spec(f), other.values[f]) for f in subject_fields}
            if subject != anchor_subject:
                others.append(other)
    if own:
        bank._others_memo[key] = others
    return others


def _eligible_memo(bank: Bank, template: TemplateData, fact: FactData) -> str | None:
    if bank.templates.get(template.slug) is not template or bank.facts.get(fact.slug) is not fact:
        return _eligible(bank, template, fact)
    key = (template.slug, fact.slug)
    if key not in bank._eligible_memo:
        bank._eligible_memo[key] = _eligible(bank, template, fact)
    return bank._eligible_memo[key]


def _can_be_false(bank: Bank, template: TemplateData, item: FactData, spec: FieldSpec) -> bool:
    """Has ``item`` a wrong value of ``spec`` for ``template``? (Memoised like ``_others``.)"""
    own = bank.templates.get(template.slug) is template and bank.facts.get(item.slug) is item
    key = (template.slug, item.slug, spec)
    if own and key in bank._false_memo:
        return bank._false_memo[key]
    try:
        wrong_values(bank, template, item, spec, random.Random(0), 1)
        found = True
    except CannotGenerate:
        found = False
    if own:
        bank._false_memo[key] = found
    return found


def _composite(
    bank: Bank, template: TemplateData, fact: FactData, rng: random.Random, slot: int | None
) -> Question:
    kind = bank.kinds[fact.kind]
    spec = kind.spec(template.answer)
    n = template.items
    reason = _eligible_memo(bank, template, fact)
    if reason:
        raise CannotGenerate(reason)
    subject_fields = _item_subject_fields(template)
    others = _others(bank, template, fact, kind, subject_fields)
    if len(others) < n - 1:
        raise CannotGenerate(
            f"only {len(others)} other usable fact(s) of kind {fact.kind}; need {n - 1}"
        )
    picked = rng.sample(others, n - 1)
    # No two items may share a subject, or two statements could speak of the same thing.
    subjects = [tuple(canon(o.values[f]) for f in subject_fields) for o in [fact, *picked]]
    if len(set(subjects)) != n:
        raise CannotGenerate("two items would name the same subject")
    items = [fact, *picked]
    rng.shuffle(items)

    # The answer's place among the options is the balanced slot: a subset of statements
    # placed there, or a count of true items ("Only two") whose label sits there.
    target = slot if slot is not None else rng.randrange(4)
    subsets = None
    if template.style == "statements":
        correct_subset, subsets = subsets_for_slot(n, target, rng)
        truth = [i + 1 in correct_subset for i in range(n)]
    else:
        true_count = _COUNT_ORDER[n][target]
        true_at = set(rng.sample(range(n), true_count))
        truth = [i in true_at for i in range(n)]

    # A false item needs a wrong value of its class; give the false places to items that
    # have one, so the balanced answer does not depend on which facts were drawn.
    can_be_false = []
    for item in items:
        if _can_be_false(bank, template, item, spec):
            can_be_false.append(item)
    false_places = [i for i, t in enumerate(truth) if not t]
    if len(can_be_false) < len(false_places):
        raise CannotGenerate(
            f"only {len(can_be_false)} of the items can be made false; need {len(false_places)}"
        )
    false_items = rng.sample(can_be_false, len(false_places))
    rest = [item for item in items if item not in false_items]
    items = [false_items.pop() if not t else rest.pop() for t in truth]

    # Items of an ordered series (the first, second… dialogue) keep its order, true or
    # false: "the fifth was held in 2017" beside "the first in 2018" refutes itself.
    series = []
    if spec.series:
        ranks = [ordinal(item.values.get(spec.series, "")) for item in items]
        if all(r is not None for r in ranks):
            series = ranks
    shown: list = [
        item.values[template.answer] if t else None for item, t in zip(items, truth, strict=True)
    ]
    truths_shown = list(shown)
    # A series leaves some wrong values no room (the third given the fourth's slot):
    # fill the false items again, in another order, before giving up.
    for attempt in range(6 if series else 1):
        shown = list(truths_shown)
        used_wrong: set[str] = set()
        order = [i for i, t in enumerate(truth) if not t]
        if attempt:
            rng.shuffle(order)
        try:
            for index in order:
                keep = None
                if series:

                    def keep(raw, index=index, shown=shown):
                        points = [(series[i], v) for i, v in enumerate(shown) if v is not None]
                        return in_series_order([*points, (series[index], raw)], spec)

                raw = wrong_values(
                    bank, template, items[index], spec, rng, 1, taken=used_wrong, keep=keep
                )[0]
                used_wrong.add(bank.root(spec, raw))
                shown[index] = raw
            break
        except CannotGenerate:
            if attempt == (5 if series else 0):
                raise
    # Re-derive every item's truth from the bank rather than trusting the plan above.
    truth = [bank.is_true_of(item, spec, raw) for item, raw in zip(items, shown, strict=True)]

    lines = []
    records = []
    for number, (item, raw, is_true) in enumerate(zip(items, shown, truth, strict=True), 1):
        if template.style == "pairs":
            left = kind.spec(template.pair_left).display(item.values[template.pair_left])
            right = spec.display(raw)
            lines.append(f"{number}. {left} — {right}")
            records.append({"left": left, "right": right, "true": is_true})
        else:
            text = _as_of_prefix(
                as_of_label(bank, template, item),
                render(template.statement, item, kind, {template.answer: raw}),
            )
            lines.append(f"{number}. {text}")
            records.append({"text": text, "true": is_true})

    intro = render(template.stem, fact, kind) if placeholders(template.stem) else template.stem
    if template.style == "statements":
        question = "Which of the statements given above is/are correct?"
        options, answer = _statement_options(n, truth, subsets)
    elif template.style == "how_many":
        question = "How many of the above statements are correct?"
        options, answer = _count_options(n, sum(truth), "")
    else:
        question = "How many of the pairs given above are correctly matched?"
        options, answer = _count_options(n, sum(truth), "pair")
    stem = "\n".join([intro, *lines, question])

    noun = "Pair" if template.style == "pairs" else "Statement"
    notes = []
    sources: list[str] = []
    for number, (item, raw, is_true) in enumerate(zip(items, shown, truth, strict=True), 1):
        verdict = "correct" if is_true else "incorrect"
        if template.style == "pairs":
            verdict = "correctly matched" if is_true else "not correctly matched"
        note, cited = explain.explain_item(
            bank,
            template,
            item,
            raw,
            is_true,
            f"{noun} {number} is {verdict}: ",
            _as_of_note(as_of_label(bank, template, item)),
        )
        notes.append(note)
        sources += [source for source in cited if source not in sources]
    return Question(
        id=f"{template.slug}:{fact.slug}",
        template=template.slug,
        style=template.style,
        stem=stem,
        options=options,
        answer=answer,
        explanation=" ".join(notes),
        sources=sources,
        topic=fact.topic,
        facts=[item.slug for item in items],
        difficulty=template.difficulty,
        statements=records if template.style != "pairs" else None,
        pairs=records if template.style == "pairs" else None,
    )


def subset_label(members: tuple[int, ...], n: int) -> str:
    """UPSC wording for a set of statement numbers (1-based)."""
    if n == 2:
        return {(): "Neither 1 nor 2", (1,): "1 only", (2,): "2 only", (1, 2): "Both 1 and 2"}[
            members
        ]
    if len(members) == n:
        return ", ".join(map(str, members[:-1])) + f" and {members[-1]}"
    if len(members) == 1:
        return f"{members[0]} only"
    return ", ".join(map(str, members[:-1])) + f" and {members[-1]} only"


def _statement_options(
    n: int, truth: list[bool], subsets: list[tuple[int, ...]]
) -> tuple[list[str], int]:
    correct = tuple(i + 1 for i, t in enumerate(truth) if t)
    if correct not in subsets:
        raise CannotGenerate("the items' truth is not among the options")
    return [subset_label(s, n) for s in subsets], subsets.index(correct)


def _count_options(n: int, count: int, noun: str) -> tuple[list[str], int]:
    if noun:
        labels = {k: f"Only {COUNT_WORDS[k]} {noun}" + ("s" if k > 1 else "") for k in range(1, n)}
        labels[n] = f"All {COUNT_WORDS[n]} {noun}s"
        labels[0] = f"None of the {noun}s"
    else:
        labels = {k: f"Only {COUNT_WORDS[k]}" for k in range(1, n)}
        labels[n] = f"All {COUNT_WORDS[n]}"
        labels[0] = "None"
    order = _COUNT_ORDER[n]
    return [labels[k] for k in order], order.index(count)


# How-many and pairs options, in display order, by number of items.
_COUNT_ORDER = {3: [1, 2, 3, 0], 4: [1, 2, 3, 4]}


# -- entry points ---------------------------------------------------------------------------


def generate(bank: Bank, template: TemplateData, fact: FactData, seed: int = 0) -> Question:
    """Build the question for (template, fact) under ``seed``, or raise CannotGenerate."""
    if template.kind != fact.kind:
        raise CannotGenerate(
            f"template {template.slug} is for kind {template.kind}, not {fact.kind}"
        )
    if fact.slug not in bank.facts:
        raise CannotGenerate(f"fact {fact.slug} is not servable")
    rng = random.Random(f"{seed}:{template.slug}:{fact.slug}")
    slot = bank.slot(template, fact, seed)
    if template.style == "mcq":
        question = _mcq(bank, template, fact, rng, slot)
    elif template.style in ("statements", "how_many", "pairs"):
        question = _composite(bank, template, fact, rng, slot)
    else:
        raise CannotGenerate(f"unknown style {template.style!r}")
    problems = audit(bank, question)
    if problems:
        raise CannotGenerate("; ".join(problems))
    return question


def generate_all(bank: Bank, seed: int = 0) -> Iterator[Question | Skip]:
    """Every (template, fact) pair of the bank: the question, or a Skip with its reason."""
    for template in bank.templates.values():
        for fact in bank.by_kind.get(template.kind, []):
            try:
                yield generate(bank, template, fact, seed)
            except CannotGenerate as exc:
                yield Skip(template.slug, fact.slug, str(exc))


def audit(bank: Bank, q: Question) -> list[str]:
    """Independent checks of a finished question; an empty list means it is sound."""
    problems = []
    if len(q.options) != 4:
        problems.append(f"{len(q.options)} options instead of 4")
    if not 0 <= q.answer < len(q.options):
        problems.append("answer index out of range")
    if len({canon(o) for o in q.options}) != len(q.options):
        problems.append("two options read the same")
    for text in [q.stem, q.explanation, *q.options]:
        if PLACEHOLDER_RE.search(text):
            problems.append(f"unfilled placeholder in {text!r}")
    if not q.sources:
        problems.append("no source cited")
    template = bank.templates.get(q.template)
    if q.style == "mcq" and template is not None:
        fact = bank.facts[q.facts[0]]
        spec = bank.kinds[fact.kind].spec(template.answer)
        roots = [_option_root(bank, spec, o) for o in q.options]
        if len(set(roots)) != len(roots):
            problems.append("two options are aliases of the same claim")
        true_roots = bank.truths(fact, spec)
        correct = [i for i, r in enumerate(roots) if r in true_roots]
        if correct != [q.answer]:
            problems.append(f"options true of the fact: {correct}, marked answer {q.answer}")
        if _mentions(q.stem, q.options[q.answer]):
            problems.append("the correct answer appears in the stem")
        never = {bank.root(spec, v) for v in fact.not_wrong.get(template.answer, ())}
        offered = [q.options[i] for i, r in enumerate(roots) if r in never and i != q.answer]
        if offered:
            problems.append(f"offers a value the fact lists as not wrong: {offered}")
        numeric = spec.type in NEARBY_TYPES
        problems.extend(cues.mcq_cues(q.stem, q.options, q.answer, numeric=numeric))
    elif q.style in ("statements", "how_many", "pairs"):
        items = q.pairs if q.style == "pairs" else q.statements
        truth = tuple(i + 1 for i, item in enumerate(items) if item["true"])
        n = len(items)
        if q.style == "statements":
            expected = subset_label(truth, n)
        else:
            expected = _count_options(n, len(truth), "pair" if q.style == "pairs" else "")[0][
                ([1, 2, 3, 0] if n == 3 else [1, 2, 3, 4]).index(len(truth))
            ]
        if q.options[q.answer] != expected:
            problems.append(f"marked answer {q.options[q.answer]!r} but the items say {expected!r}")
        if sum(o == expected for o in q.options) != 1:
            problems.append("the correct combination is not offered exactly once")
        texts = [canon(item.get("text") or item["left"]) for item in items]
        if len(set(texts)) != n:
            problems.append("two items say the same thing")
    return problems


def _option_root(bank: Bank, spec: FieldSpec, shown: str) -> str:
    """Map a displayed option back to its alias class: through every display of a value or
    alias seen in the domain, else through its own text."""
    known = bank._display_roots[spec.domain].get(canon(shown))
    return known if known is not None else bank._classes[spec.domain].find(canon(shown))
