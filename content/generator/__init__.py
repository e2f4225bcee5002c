"""Turn (template, fact, seed) into a sound exam question, or say why it cannot.

Pure functions over plain data (``Bank``, ``KindData``, ``FactData``, ``TemplateData``) so the
property tests can throw random banks at it without a database. ``content.servable``
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
  a wrong amount, count or date is clearly wrong (``distractors``);
- the correct answer does not appear in the stem; no placeholder is left unfilled;
- no item-writing cue survives (stem echo, acronym initials, odd form, much the longest —
  ``cues``); the key's position, and a number's rank, are balanced per template;
- statements/how-many/pairs answers follow from the truth of their items, their answers are
  spread over the labels, and items of an ordered series keep its order.

The package, in reading order: ``data`` (the plain data), ``bank`` (the indexed bank),
``wording`` (patterns and option labels), ``distractors`` (wrong values), ``cues``
(item-writing flaws), ``explain`` (explanations and sources), ``styles`` (mcq and the
composite styles), ``audit`` (checks of a finished question), ``questions`` (the entry points).
"""

from content.generator.audit import audit
from content.generator.bank import Bank
from content.generator.data import (
    STYLES,
    CannotGenerate,
    FactData,
    KindData,
    Question,
    Skip,
    TemplateData,
    from_data,
)
from content.generator.questions import generate, generate_all
from content.generator.wording import render, subset_label

__all__ = [
    "STYLES",
    "Bank",
    "CannotGenerate",
    "FactData",
    "KindData",
    "Question",
    "Skip",
    "TemplateData",
    "audit",
    "from_data",
    "generate",
    "generate_all",
    "render",
    "subset_label",
]
