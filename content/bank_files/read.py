"""Read the YAML bank files (``content/bank/``) into plain mappings, checking their shape."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError


class BankFileError(Exception):
    """The bank files are malformed; the message names the file and entry."""


def _read(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise BankFileError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BankFileError(f"{path}: expected a list of mappings")
    for item in data:
        if not item.get("slug"):
            raise BankFileError(f"{path}: an entry has no slug: {item!r}"[:300])
    return data


def read_files(directory: Path) -> dict[str, list[dict]]:
    directory = Path(directory)
    bank = {
        "sources": _read(directory / "sources.yaml"),
        "topics": _read(directory / "topics.yaml"),
        "kinds": _read(directory / "kinds.yaml"),
        "templates": _read(directory / "templates.yaml"),
        "facts": [],
        "conflicts": [],
    }
    for path in sorted((directory / "facts").glob("*.yaml")):
        bank["facts"] += [dict(item, _file=f"facts/{path.name}") for item in _read(path)]
    for path in sorted((directory / "conflicts").glob("*.yaml")):
        bank["conflicts"] += [dict(item, _file=f"conflicts/{path.name}") for item in _read(path)]
    for section, items in bank.items():
        counts = Counter(item["slug"] for item in items)
        duplicated = sorted(slug for slug, n in counts.items() if n > 1)
        if duplicated:
            raise BankFileError(f"{section}: duplicate slug(s) {', '.join(duplicated)}")
    return bank


def model_fields(model, item: dict, owner: str) -> dict:
    """``model``'s plain fields from a file entry (its one data mapping,
    ``DataMapped.fields_from_data``); a value of the wrong type names the entry."""
    try:
        return model.fields_from_data(item)
    except ValidationError as exc:
        raise BankFileError(f"{owner}: {' '.join(exc.messages)}") from None
    except (TypeError, ValueError) as exc:
        raise BankFileError(f"{owner}: {exc}") from None


def excludes_closure(items: list[dict]) -> dict[str, set[str]]:
    """``excludes`` is symmetrical: a fact excludes what it lists and whatever lists it."""
    closure: dict[str, set[str]] = {item["slug"]: set() for item in items}
    for item in items:
        for other in item.get("excludes") or []:
            closure[item["slug"]].add(other)
            closure.setdefault(other, set()).add(item["slug"])
    return closure


def normalise_values(values: dict) -> dict:
    # YAML parses an unquoted 2019-12-18 as a date; the schema stores ISO strings.
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
