"""A generated question as plain data, and back: the one mapping between the generator's
``Question`` and what we store (a live test's paper in ``Quiz.live_paper``; an attempt's
``AttemptQuestion`` rows go through it too, see ``AttemptQuestion.freeze``/``thaw``).

The keys are those of the ``export_questions`` record plus ``template``, as papers stored
before this module existed have them, so those thaw unchanged."""

from __future__ import annotations

from content.generator import Question


def to_dict(question: Question) -> dict:
    data = {
        "id": question.id,
        "template": question.template,
        "kind": question.style,
        "stem": question.stem,
        "options": list(question.options),
        "answer": question.answer,
        "explanation": question.explanation,
        "sources": list(question.sources),
        "topic": question.topic,
        "facts": list(question.facts),
    }
    # A statements or pairs question's items, each with its truth (a thawed attempt
    # question has none: the stem already shows them).
    for items in ("statements", "pairs"):
        if getattr(question, items) is not None:
            data[items] = [dict(item) for item in getattr(question, items)]
    return data


def from_dict(data: dict) -> Question:
    return Question(
        id=data["id"],
        template=data["template"],
        style=data["kind"],
        stem=data["stem"],
        options=list(data["options"]),
        answer=data["answer"],
        explanation=data["explanation"],
        sources=list(data["sources"]),
        topic=data["topic"],
        facts=list(data["facts"]),
        statements=data.get("statements"),
        pairs=data.get("pairs"),
    )
