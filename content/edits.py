"""Telling an admin edit from a change in the files, for ``load_content``.

A loaded row stores ``loaded_hash``, the digest of its loadable state as the files gave it
(see ``content.bank_files``). These helpers build and compare such states, find who last edited
a row (its django-simple-history records not written by the loader), and describe a conflict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

# The history_change_reason of the loader's own saves, so its writes are not taken for edits.
LOADER = "load_content"


def plain(value):
    """A JSON-comparable form of a field value (related rows by slug, dates as ISO text)."""
    if isinstance(value, models.Model):
        return value.slug
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def digest(state: dict) -> str:
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _shown(value) -> str:
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def differences(file_state: dict, db_state: dict) -> list[tuple[str, object, object]]:
    """(name, file value, database value) of every difference, into JSON objects
    ("values.year_signed") so an editor sees the one value that changed."""
    out = []
    for key in sorted(set(file_state) | set(db_state)):
        want, have = file_state.get(key), db_state.get(key)
        if want == have:
            continue
        if isinstance(want, dict) and isinstance(have, dict):
            for sub in sorted(set(want) | set(have), key=str):
                if want.get(sub) != have.get(sub):
                    out.append((f"{key}.{sub}", want.get(sub), have.get(sub)))
        else:
            out.append((key, want, have))
    return out


@dataclass
class EditConflict:
    """A row edited since it was last loaded, whose files' version differs."""

    model: str
    slug: str
    where: str
    differences: list[tuple[str, object, object]]
    edited_by: str = ""
    edited_at: dt.datetime | None = None
    overwritten: bool = False

    def describe(self) -> str:
        if self.edited_at is None:
            who = "edited outside the admin (no history)"
        else:
            when = timezone.localtime(self.edited_at).strftime("%-d %b %Y, %H:%M %Z")
            who = f"edited by {self.edited_by or 'an unknown user'} on {when}"
        if self.overwritten:
            outcome = "overwrote it with the files' version (--force)"
        else:
            outcome = (
                "kept the database version (dump_content writes it to the files; "
                "load_content --force takes the files' version)"
            )
        lines = [
            f"conflict: {self.model} {self.slug} ({self.where}) was {who} "
            f"since it was last loaded; {outcome}:"
        ]
        lines += [
            f"    {name}: file {_shown(want)}, database {_shown(have)}"
            for name, want, have in self.differences
        ]
        return "\n".join(lines)


class LoadReport(Counter):
    """Counts of what ``files_to_db`` changed (a Counter, so "nothing changed" == {}), plus the
    edit conflicts it met and the rows it could not load because of them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.conflicts: list[EditConflict] = []
        self.notes: list[str] = []


def last_edit(obj):
    """The newest history record of ``obj`` that the loader did not write, made after the
    loader's last write (None if there is none). Ordered by id, not date: two saves can
    share a timestamp. Costs two queries."""
    history = obj.history.order_by("-history_id")
    last_load = (
        history.filter(history_change_reason=LOADER).values_list("history_id", flat=True).first()
    )
    edits = history.exclude(history_change_reason=LOADER)
    if last_load is not None:
        edits = edits.filter(history_id__gt=last_load)
    return edits.select_related("history_user").first()


def edited_since_load(obj, db_state: dict) -> bool:
    """Was ``obj`` (whose loadable state is now ``db_state``) changed since load_content
    last wrote it? By its hash; for a row without one, by its history."""
    if obj.loaded_hash:
        return obj.loaded_hash != digest(db_state)
    return last_edit(obj) is not None
