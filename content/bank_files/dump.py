"""Write the database's bank back to the YAML files (``db_to_files``), in a stable order."""

from __future__ import annotations

from pathlib import Path

import yaml

from content.models import (
    Conflict,
    Fact,
    FactKind,
    QuestionTemplate,
    Source,
    Topic,
)


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def _write(path: Path, items: list[dict], header: str = "") -> None:
    text = yaml.dump(items, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8")


HEADERS = {
    "kinds.yaml": """\
# Fact kinds: the schema every fact of the kind is validated against.
# Field types: text (phrase), person, place, country, org (names), year (integer),
# month ("YYYY-MM"), date ("YYYY-MM-DD"), number (integer), amount (decimal shown through
# `format`), percent (decimal, shown with %).
# domain: distractor pool shared across kinds. A wrong option for a field is drawn from the
# values of every field with the same domain (default: the kind's own field) plus the kind's
# curated `decoys` for that field, so years only compete with years, people with people.
# label: how a fact of this kind is named in the admin.
# Written by `manage.py dump_content`; edit here or in the admin.
""",
    "templates.yaml": """\
# Question templates. stem, statement and explanation are patterns with {field}
# placeholders naming fields of the template's kind. `answer` is the field asked for (mcq), or
# swapped for a wrong value to make a false statement or pair.
# Styles: mcq; statements (2 or 3 items); how_many (3 or 4); pairs (3 or 4, `pair_left` field).
# Distractors: other_facts (same field or domain elsewhere in the bank), nearby (neighbouring
# years, months, dates, amounts), curated (the kind's decoys).
# Written by `manage.py dump_content`; edit here or in the admin.
""",
    "sources.yaml": "# The documents facts cite (slug + locator). Written by `manage.py dump_content`.\n",
    "conflicts/register.yaml": """\
# The conflict register: where the source documents disagree or are wrong, what each claims,
# which claim we accept and why. An open conflict keeps its facts from being served.
# Written by `manage.py dump_content`.
""",
}


def _in_field_order(kind: FactKind, mapping: dict) -> dict:
    # PostgreSQL's jsonb does not keep key order; the schema's field order is stable.
    order = [spec.name for spec in kind.field_specs()]
    return {name: mapping[name] for name in order if name in mapping}


def _ordered_decoys(kind: FactKind) -> dict:
    """A kind's decoys in field order, each mapping entry as value first, then its class
    attributes in field order (PostgreSQL's jsonb keeps neither order)."""
    order = [spec.name for spec in kind.field_specs()]
    return {
        field: [
            {k: item[k] for k in ["value", *order] if k in item} if isinstance(item, dict) else item
            for item in items
        ]
        for field, items in _in_field_order(kind, kind.decoys).items()
    }


def _compact(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def db_to_files(directory: Path) -> list[Path]:
    """Write the database's bank to ``directory`` in the layout ``files_to_db`` reads."""
    directory = Path(directory)
    written = []

    def out(name: str, items: list[dict]) -> None:
        path = directory / name
        _write(path, items, HEADERS.get(name, ""))
        written.append(path)

    out(
        "sources.yaml",
        [
            _compact(
                {
                    "slug": s.slug,
                    "title": s.title,
                    "publisher": s.publisher,
                    "author": s.author,
                    "published_on": s.published_on,
                    "date_note": s.date_note,
                    "kind": s.kind,
                    "reference": s.reference,
                    "url": s.url,
                }
            )
            for s in Source.objects.order_by("slug")
        ],
    )
    out(
        "topics.yaml",
        [
            _compact({"slug": t.slug, "name": t.name, "description": t.description})
            for t in Topic.objects.order_by("order", "slug")
        ],
    )
    out(
        "kinds.yaml",
        [
            _compact(
                {
                    "slug": k.slug,
                    "name": k.name,
                    "description": k.description,
                    "label": k.label,
                    "fields": [spec.to_dict(k.slug) for spec in k.field_specs()],
                    "decoys": _ordered_decoys(k),
                }
            )
            for k in FactKind.objects.order_by("slug")
        ],
    )
    out(
        "templates.yaml",
        [
            _compact(
                {
                    "slug": t.slug,
                    "kind": t.kind.slug,
                    "style": t.style,
                    "stem": t.stem,
                    "statement": t.statement,
                    "answer": t.answer_field,
                    "pair_left": t.pair_left_field,
                    "items": t.items or None,
                    "distractors": t.distractors,
                    "match": t.match_field,
                    "difficulty": t.difficulty,
                    "explanation": t.explanation,
                }
            )
            | ({} if t.active else {"active": False})
            for t in QuestionTemplate.objects.select_related("kind").order_by("slug")
        ],
    )
    facts = (
        Fact.objects.select_related("kind", "topic")
        .prefetch_related("citations__source", "excludes")
        .order_by("kind__slug", "slug")
    )
    by_kind: dict[str, list[dict]] = {}
    for f in facts:
        by_kind.setdefault(f.kind.slug, []).append(
            _compact(
                {
                    "slug": f.slug,
                    "kind": f.kind.slug,
                    "topic": f.topic.slug,
                    "status": f.status,
                    "values": _in_field_order(f.kind, f.values),
                    "aliases": _in_field_order(f.kind, f.aliases),
                    "not_wrong": _in_field_order(f.kind, f.not_wrong),
                    "excludes": sorted(o.slug for o in f.excludes.all()),
                    "as_of": f.as_of,
                    "as_of_label": f.as_of_label,
                    "citations": [
                        _compact(
                            {
                                "source": c.source.slug,
                                "locator": c.locator,
                                "fields": sorted(c.fields or []),
                            }
                        )
                        for c in sorted(f.citations.all(), key=lambda c: (c.source.slug, c.locator))
                    ],
                    "context": f.context,
                    "notes": f.notes,
                }
            )
        )
    facts_dir = directory / "facts"
    for stale in facts_dir.glob("*.yaml") if facts_dir.exists() else []:
        if stale.stem not in by_kind:
            stale.unlink()
    for kind_slug, items in by_kind.items():
        out(f"facts/{kind_slug}.yaml", items)
    for stale in (directory / "conflicts").glob("*.yaml"):
        if stale.name != "register.yaml":
            stale.unlink()
    out(
        "conflicts/register.yaml",
        [
            _compact(
                {
                    "slug": c.slug,
                    "title": c.title,
                    "status": c.status,
                    "facts": sorted(f.slug for f in c.facts.all()),
                    "claims": [
                        _compact(
                            {
                                "source": cl.source.slug,
                                "locator": cl.locator,
                                "claim": cl.claim,
                                "field": cl.field,
                                "value": cl.value,
                            }
                        )
                        for cl in c.claims.all()
                    ],
                    "accepted": c.accepted,
                    "reason": c.reason,
                }
            )
            for c in Conflict.objects.prefetch_related("facts", "claims__source").order_by("slug")
        ],
    )
    return written
