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


def _compact(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {})}


def _template(data: dict) -> dict:
    # No items is written as no key; ``active`` only when a template is switched off.
    active = data.pop("active")
    return _compact({**data, "items": data["items"] or None}) | (
        {} if active else {"active": False}
    )


def db_to_files(directory: Path) -> list[Path]:
    """Write the database's bank to ``directory`` in the layout ``files_to_db`` reads."""
    directory = Path(directory)
    written = []

    def out(name: str, items: list[dict]) -> None:
        path = directory / name
        _write(path, items, HEADERS.get(name, ""))
        written.append(path)

    out("sources.yaml", [_compact(s.to_data()) for s in Source.objects.order_by("slug")])
    out("topics.yaml", [_compact(t.to_data()) for t in Topic.objects.order_by("order", "slug")])
    out("kinds.yaml", [_compact(k.to_data()) for k in FactKind.objects.order_by("slug")])
    out(
        "templates.yaml",
        [
            _template(t.to_data())
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
        data = f.to_data()
        data["citations"] = [_compact(c) for c in data["citations"]]
        by_kind.setdefault(f.kind.slug, []).append(_compact(data))
    facts_dir = directory / "facts"
    for stale in facts_dir.glob("*.yaml") if facts_dir.exists() else []:
        if stale.stem not in by_kind:
            stale.unlink()
    for kind_slug, items in by_kind.items():
        out(f"facts/{kind_slug}.yaml", items)
    for stale in (directory / "conflicts").glob("*.yaml"):
        if stale.name != "register.yaml":
            stale.unlink()
    conflicts = Conflict.objects.prefetch_related("facts", "claims__source").order_by("slug")
    register = []
    for c in conflicts:
        data = c.to_data()
        data["claims"] = [_compact(claim) for claim in data["claims"]]
        register.append(_compact(data))
    out("conflicts/register.yaml", register)
    return written
