"""Upsert one row from the files without overwriting an admin edit silently (see
``content.bank_files``): a row whose content still hashes to ``loaded_hash`` takes the
files' version; one edited since the last load is kept and reported, unless ``force``."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from content.bank_files.read import BankFileError
from content.edits import (
    LOADER,
    EditConflict,
    LoadReport,
    differences,
    digest,
    edited_since_load,
    last_edit,
    plain,
)
from content.models import (
    Conflict,
    Fact,
)


class Upserter:
    def __init__(self, force: bool = False) -> None:
        self.force = force
        self.stats = LoadReport()
        # (model name, slug) of rows kept because they were edited since the last load.
        self.kept: set[tuple[str, str]] = set()

    def is_kept(self, model, slug: str) -> bool:
        return (model._meta.model_name, slug) in self.kept

    def upsert(self, model, slug: str, fields: dict, where: str, file_extra=None, db_extra=None):
        """Create or update row ``slug`` from the files' ``fields``; return (row, kept).

        ``file_extra`` is the files' version of related content (a fact's citations…) and
        ``db_extra(row)`` the database's, so editing those counts as an edit too. ``kept``
        is True when the row was edited since the last load and left as it is: the caller
        must then leave its related rows alone as well."""
        label = model._meta.model_name
        file_state = _state({name: plain(value) for name, value in fields.items()})
        file_state.update(file_extra or {})
        wanted_hash = digest(file_state)
        obj = model.objects.filter(slug=slug).first()
        if obj is None:
            obj = model(slug=slug, loaded_hash=wanted_hash, **fields)
            self._validate(obj, slug)
            self._save(obj)
            self.stats[f"{label} created"] += 1
            return obj, False
        db_state = _state({name: plain(getattr(obj, name)) for name in fields})
        db_state.update(db_extra(obj) if db_extra else {})
        if db_state == file_state:
            if obj.loaded_hash != wanted_hash:
                # The files caught up with the database (dump_content): the new baseline.
                model.objects.filter(pk=obj.pk).update(loaded_hash=wanted_hash)
            return obj, False
        edited = edited_since_load(obj, db_state)
        if edited:
            record = last_edit(obj)
            user = record.history_user if record is not None else None
            self.stats.conflicts.append(
                EditConflict(
                    model=label,
                    slug=slug,
                    where=where,
                    differences=differences(file_state, db_state),
                    edited_by=user.get_username() if user is not None else "",
                    edited_at=record.history_date if record is not None else None,
                    overwritten=self.force,
                )
            )
            if not self.force:
                self.kept.add((label, slug))
                return obj, True
        changed = [name for name, value in fields.items() if _differs(getattr(obj, name), value)]
        if changed:
            for name in changed:
                setattr(obj, name, fields[name])
            obj.loaded_hash = wanted_hash
            self._validate(obj, slug)
            self._save(obj)
            self.stats[f"{label} updated"] += 1
        else:  # only related rows differ; the caller syncs them
            model.objects.filter(pk=obj.pk).update(loaded_hash=wanted_hash)
        return obj, False

    @staticmethod
    def _save(obj) -> None:
        obj._change_reason = LOADER
        obj.save()

    @staticmethod
    def _validate(obj, slug: str) -> None:
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise BankFileError(f"{obj._meta.model_name} {slug}: {_flatten(exc)}") from None


# Keys added after rows were first loaded: left out of a row's state while empty, so the
# hashes stored before they existed still match and an upgrade reports no false edits.
_LATER_KEYS = ("context", "url", "not_wrong")


def _state(state: dict) -> dict:
    return {k: v for k, v in state.items() if not (k in _LATER_KEYS and v in ("", {}))}


def citation_state(slug: str, locator: str, fields) -> list:
    # Likewise a citation's supported fields (claim-level citations came later).
    return [slug, locator, sorted(fields)] if fields else [slug, locator]


def claim_state(source, locator: str, claim: str, field: str = "", value: str = "") -> list:
    # Likewise the field and value a claim gives (structured claims came later).
    return [source, locator, claim, field, value] if field or value else [source, locator, claim]


def _differs(current, wanted) -> bool:
    if hasattr(current, "pk") and hasattr(wanted, "pk"):
        return current.pk != wanted.pk
    return current != wanted


def _flatten(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


def fact_extras(fact: Fact) -> dict:
    return {
        "citations": sorted(
            citation_state(c.source.slug, c.locator, c.fields)
            for c in fact.citations.select_related("source")
        ),
        "excludes": sorted(fact.excludes.values_list("slug", flat=True)),
    }


def conflict_extras(conflict: Conflict) -> dict:
    return {
        "facts": sorted(conflict.facts.values_list("slug", flat=True)),
        "claims": [
            claim_state(c.source.slug, c.locator, c.claim, c.field, c.value)
            for c in conflict.claims.select_related("source").order_by("id")
        ],
    }
