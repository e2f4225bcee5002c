"""The generator's plain data: a fact kind, a fact and a template as the generator sees them,
and what it makes of them (a ``Question``, or a ``Skip`` with its reason).

``content.servable`` builds them from the database (through each model's ``to_data()``); the
property tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields

from content.schema import FieldSpec

STYLES = ("mcq", "statements", "how_many", "pairs")


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


def from_data(cls, data: dict, **overrides):
    """``cls`` (a data class above) from a mapping holding at least its required fields; keys
    it does not declare are ignored, so one mapping can feed several representations."""
    names = {f.name for f in dataclass_fields(cls)}
    return cls(**{k: v for k, v in {**data, **overrides}.items() if k in names})
