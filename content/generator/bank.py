"""``Bank``: the servable facts, their kinds and the templates, indexed for the generator.

Two spellings are the same claim when some fact lists them as aliases (an alias class per
distractor domain); ``pool`` gives the candidates for a wrong value, ``rivals`` the other
facts a stem could be describing. The bank never changes once built, so its lookups are
memoised on it.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from content.generator.data import (
    FactData,
    KindData,
    TemplateData,
)
from content.schema import (
    FieldSpec,
    canon,
    decoy_class,
    decoy_value,
)


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
        # Rows the loader had to leave out (``content.servable.Problem``), for the admin to list.
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
        # content.generator.explain's index of who holds which value (filled on first use).
        self._explain_index: dict = {}
        self._others_memo: dict[tuple[str, str], list[FactData]] = {}
        self._eligible_memo: dict[tuple[str, str], str | None] = {}
        self._false_memo: dict[tuple, bool] = {}
        self._excluded_memo: dict[str, set[str]] = {}
        # The latest year any time value mentions (caps "nearby" years).
        self.latest_year = max(
            (
                year_of(spec, fact.values[spec.name])
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

    def answer_spec(self, fact: FactData, name: str) -> FieldSpec | None:
        """``fact``'s field ``name`` if it has a value for it, else None."""
        if name not in fact.values:
            return None
        return next((s for s in self.kinds[fact.kind].fields if s.name == name), None)

    def excluded(self, fact: FactData, other: FactData) -> bool:
        """Does either fact list the other in ``excludes`` (so neither lends the other a
        wrong option)?"""
        return other.slug in fact.excludes or fact.slug in other.excludes

    def excluded_by(self, fact: FactData) -> set[str]:
        """Slugs of the facts ``fact`` excludes or that exclude it."""
        found = self._excluded_memo.get(fact.slug)
        if found is None or self.facts.get(fact.slug) is not fact:
            found = set(fact.excludes) | {
                other.slug for other in self.facts.values() if fact.slug in other.excludes
            }
            if self.facts.get(fact.slug) is fact:
                self._excluded_memo[fact.slug] = found
        return set(found)

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
            if not decoy_allowed(spec, entry, match):
                continue
            decoy = decoy_value(entry)
            found.setdefault(self.root(spec, decoy), spec.parse(decoy))
        return sorted(found.items())


def near_miss(spec: FieldSpec, entry) -> bool:
    """Is a curated decoy an invented near-miss of one fact's value (an expansion listed for
    one acronym: it names a field that is not one of ``spec``'s peer classes)?"""
    return bool(set(decoy_class(entry)) - set(spec.peers or ()))


def decoy_allowed(spec: FieldSpec, entry, match: tuple[str, FactData] | None) -> bool:
    """May a template with ``match`` draw this curated decoy? A near-miss ("ASEAN Relations
    Forum") is invented: only a template matching the field it was curated for may offer it,
    never one that would present it as a real grouping or pact."""
    if match is not None:
        return decoy_matches(entry, *match)
    return not near_miss(spec, entry)


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


def year_of(spec: FieldSpec, value) -> int:
    if spec.type == "year":
        return int(value)
    if spec.type in ("month", "date"):
        return int(str(value)[:4])
    return -(10**9)
