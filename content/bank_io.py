"""Read the YAML content bank into the database and write it back.

``load_bank`` upserts by slug inside one transaction and touches only rows whose content
differs, so loading the same files twice changes nothing. ``dump_bank`` writes the files
``load_bank`` reads, in a stable order, so admin edits can be reviewed as git diffs.

Admin edits are never overwritten silently. Each loaded row stores ``loaded_hash``, the hash
of its loadable content (its fields, plus a fact's citations and excludes and a conflict's
facts and claims) as the files gave it. When the files and the database disagree, a row whose
content still hashes to ``loaded_hash`` was not touched since the last load: the files
changed, and they win. Otherwise the row was edited since: it is kept and reported as an
``EditConflict`` (file value, database value, who and when from its history) unless
``force``. A row without ``loaded_hash`` (created in the admin, or loaded before hashes
existed) counts as edited when its history holds a change the loader did not make.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from content import schema
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
    Citation,
    Conflict,
    ConflictClaim,
    Fact,
    FactKind,
    QuestionTemplate,
    Source,
    Topic,
)


class BankError(Exception):
    """The bank files are malformed; the message names the file and entry."""


def _read(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise BankError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BankError(f"{path}: expected a list of mappings")
    for item in data:
        if not item.get("slug"):
            raise BankError(f"{path}: an entry has no slug: {item!r}"[:300])
    return data


def read_bank(directory: Path) -> dict[str, list[dict]]:
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
            raise BankError(f"{section}: duplicate slug(s) {', '.join(duplicated)}")
    return bank


class _Upserter:
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
            raise BankError(f"{obj._meta.model_name} {slug}: {_flatten(exc)}") from None


# Keys added after rows were first loaded: left out of a row's state while empty, so the
# hashes stored before they existed still match and an upgrade reports no false edits.
_LATER_KEYS = ("context", "url", "not_wrong")


def _state(state: dict) -> dict:
    return {k: v for k, v in state.items() if not (k in _LATER_KEYS and v in ("", {}))}


def _citation_state(slug: str, locator: str, fields) -> list:
    # Likewise a citation's supported fields (claim-level citations came later).
    return [slug, locator, sorted(fields)] if fields else [slug, locator]


def _claim_state(source, locator: str, claim: str, field: str = "", value: str = "") -> list:
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


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BankError(f"not a date: {value!r}") from None


def _excludes_closure(items: list[dict]) -> dict[str, set[str]]:
    """``excludes`` is symmetrical: a fact excludes what it lists and whatever lists it."""
    closure: dict[str, set[str]] = {item["slug"]: set() for item in items}
    for item in items:
        for other in item.get("excludes") or []:
            closure[item["slug"]].add(other)
            closure.setdefault(other, set()).add(item["slug"])
    return closure


def _fact_extras(fact: Fact) -> dict:
    return {
        "citations": sorted(
            _citation_state(c.source.slug, c.locator, c.fields)
            for c in fact.citations.select_related("source")
        ),
        "excludes": sorted(fact.excludes.values_list("slug", flat=True)),
    }


def _conflict_extras(conflict: Conflict) -> dict:
    return {
        "facts": sorted(conflict.facts.values_list("slug", flat=True)),
        "claims": [
            _claim_state(c.source.slug, c.locator, c.claim, c.field, c.value)
            for c in conflict.claims.select_related("source").order_by("id")
        ],
    }


@transaction.atomic
def load_bank(directory: Path, force: bool = False) -> LoadReport:
    """Upsert every entry of the bank at ``directory``; return counts of what changed and
    the rows kept because they were edited since the last load (overwritten if ``force``)."""
    bank = read_bank(directory)
    up = _Upserter(force)
    sources = {}
    for item in bank["sources"]:
        sources[item["slug"]], _kept = up.upsert(
            Source,
            item["slug"],
            {
                "title": item.get("title", ""),
                "publisher": item.get("publisher") or "",
                "author": item.get("author") or "",
                "published_on": _date(item.get("published_on")),
                "date_note": item.get("date_note") or "",
                "kind": item.get("kind") or Source.Kind.NEWS,
                "reference": item.get("reference") or "",
                "url": item.get("url") or "",
            },
            "sources.yaml",
        )
    topics = {}
    for index, item in enumerate(bank["topics"]):
        topics[item["slug"]], _kept = up.upsert(
            Topic,
            item["slug"],
            {
                "name": item.get("name", ""),
                "description": item.get("description") or "",
                "order": index,
            },
            "topics.yaml",
        )
    kinds = {}
    for item in bank["kinds"]:
        kinds[item["slug"]], _kept = up.upsert(
            FactKind,
            item["slug"],
            {
                "name": item.get("name", ""),
                "description": item.get("description") or "",
                "label": item.get("label", ""),
                "fields": item.get("fields") or [],
                "decoys": item.get("decoys") or {},
            },
            "kinds.yaml",
        )

    def lookup(table: dict, slug, what: str, owner: str):
        if slug not in table:
            raise BankError(f"{owner}: unknown {what} '{slug}'")
        return table[slug]

    def left_out(owner: str, kind: FactKind, exc: BankError) -> None:
        up.stats.notes.append(
            f"{owner} not loaded: kind {kind.slug} keeps its admin edits, "
            f"which the files' version does not fit ({exc})"
        )

    closure = _excludes_closure(bank["facts"])
    facts: dict[str, Fact] = {}
    # Facts left as they are: edited since the last load, or not loadable under a kind that
    # keeps admin edits. Their citations and excludes are left alone too.
    frozen: set[str] = set()
    for item in bank["facts"]:
        owner = f"fact {item['slug']} ({item['_file']})"
        kind = lookup(kinds, item.get("kind"), "kind", owner)
        try:
            fact, kept = _load_fact(up, item, owner, kind, topics, sources, closure, lookup)
        except BankError as exc:
            if not up.is_kept(FactKind, kind.slug):
                raise
            left_out(owner, kind, exc)
            frozen.add(item["slug"])
            existing = Fact.objects.filter(slug=item["slug"]).first()
            if existing is not None:
                facts[item["slug"]] = existing
            continue
        if kept:
            frozen.add(item["slug"])
        facts[item["slug"]] = fact

    def fact_ref(slug, owner: str) -> Fact | None:
        if slug in frozen and slug not in facts:
            return None  # not loaded (see the notes); nothing to link
        return lookup(facts, slug, "fact", owner)

    frozen_pks = {facts[slug].pk for slug in frozen if slug in facts}
    for item in bank["facts"]:
        if item["slug"] in frozen:
            continue
        owner = f"fact {item['slug']}"
        wanted_ids = {
            ref.pk
            for s in item.get("excludes") or []
            if (ref := fact_ref(s, f"{owner} (in excludes)")) is not None
        } - frozen_pks
        fact = facts[item["slug"]]
        current = set(fact.excludes.values_list("pk", flat=True))
        # excludes is symmetrical: only add; removal happens when neither side lists it.
        missing = wanted_ids - current
        if missing:
            fact.excludes.add(*missing)
            up.stats["fact excludes updated"] += 1
    listed = {
        (facts[item["slug"]].pk, ref.pk)
        for item in bank["facts"]
        if item["slug"] in facts
        for other in item.get("excludes") or []
        if (ref := fact_ref(other, f"fact {item['slug']}")) is not None
    }
    for fact in facts.values():
        if fact.pk in frozen_pks:
            continue
        for other_pk in list(fact.excludes.values_list("pk", flat=True)):
            if other_pk in frozen_pks:
                continue
            if (fact.pk, other_pk) not in listed and (other_pk, fact.pk) not in listed:
                fact.excludes.remove(other_pk)
                up.stats["fact excludes updated"] += 1

    for item in bank["templates"]:
        owner = f"template {item['slug']}"
        kind = lookup(kinds, item.get("kind"), "kind", owner)
        try:
            up.upsert(
                QuestionTemplate,
                item["slug"],
                {
                    "kind": kind,
                    "style": item.get("style") or "mcq",
                    "stem": item.get("stem", ""),
                    "statement": item.get("statement") or "",
                    "answer_field": item.get("answer", ""),
                    "pair_left_field": item.get("pair_left") or "",
                    "items": int(item.get("items") or 0),
                    "distractors": item.get("distractors") or "other_facts",
                    "match_field": item.get("match") or "",
                    "difficulty": int(item.get("difficulty") or 2),
                    "explanation": item.get("explanation", ""),
                    "active": bool(item.get("active", True)),
                },
                "templates.yaml",
            )
        except BankError as exc:
            if not up.is_kept(FactKind, kind.slug):
                raise
            left_out(owner, kind, exc)

    for item in bank["conflicts"]:
        owner = f"conflict {item['slug']}"
        wanted = {
            ref.pk for s in item.get("facts") or [] if (ref := fact_ref(s, owner)) is not None
        }
        claims = [
            (
                lookup(sources, c.get("source"), "source", owner).pk,
                str(c.get("locator") or ""),
                str(c.get("claim") or ""),
                str(c.get("field") or ""),
                str(c.get("value") or ""),
            )
            for c in item.get("claims") or []
        ]
        conflict, kept = up.upsert(
            Conflict,
            item["slug"],
            {
                "title": item.get("title", ""),
                "status": item.get("status") or Conflict.Status.OPEN,
                "accepted": item.get("accepted") or "",
                "reason": item.get("reason") or "",
            },
            item["_file"],
            file_extra={
                "facts": sorted(item.get("facts") or []),
                "claims": [
                    _claim_state(
                        c.get("source"),
                        str(c.get("locator") or ""),
                        str(c.get("claim") or ""),
                        str(c.get("field") or ""),
                        str(c.get("value") or ""),
                    )
                    for c in item.get("claims") or []
                ],
            },
            db_extra=_conflict_extras,
        )
        if kept:
            continue
        if set(conflict.facts.values_list("pk", flat=True)) != wanted:
            conflict.facts.set(wanted)
            up.stats["conflict facts updated"] += 1
        current = list(
            conflict.claims.order_by("id").values_list(
                "source_id", "locator", "claim", "field", "value"
            )
        )
        if current != claims:
            conflict.claims.all().delete()
            ConflictClaim.objects.bulk_create(
                ConflictClaim(
                    conflict=conflict, source_id=s, locator=loc, claim=text, field=f, value=v
                )
                for s, loc, text, f, v in claims
            )
            up.stats["conflict claims updated"] += 1
    return up.stats


def _load_fact(up: _Upserter, item: dict, owner: str, kind, topics, sources, closure, lookup):
    try:
        specs = kind.field_specs()
        # Clean before comparing, so 128.55 in YAML equals the stored "128.55".
        values = schema.validate_values(specs, _normalise_values(item.get("values") or {}))
        aliases = schema.validate_aliases(specs, item.get("aliases") or {})
        not_wrong = schema.validate_not_wrong(specs, item.get("not_wrong") or {})
    except schema.SchemaError as exc:
        raise BankError(f"{owner}: {exc}") from None
    wanted = set()
    names = {s.name for s in specs}
    for citation in item.get("citations") or []:
        source = lookup(sources, citation.get("source"), "source", owner)
        fields = citation.get("fields") or []
        if not isinstance(fields, list) or set(fields) - names:
            raise BankError(
                f"{owner}: citation of {source.slug} supports unknown fields "
                f"{sorted(set(fields) - names) if isinstance(fields, list) else fields!r}"
            )
        wanted.add((source, str(citation.get("locator") or "").strip(), tuple(sorted(fields))))
    status = item.get("status") or Fact.Status.DRAFT
    if not wanted and status == Fact.Status.PUBLISHED:
        raise BankError(f"{owner}: a published fact must cite at least one source")
    fact, kept = up.upsert(
        Fact,
        item["slug"],
        {
            "kind": kind,
            "topic": lookup(topics, item.get("topic"), "topic", owner),
            "status": status,
            "values": values,
            "aliases": aliases,
            "not_wrong": not_wrong,
            "as_of": _date(item.get("as_of")),
            "as_of_label": item.get("as_of_label") or "",
            "context": item.get("context") or "",
            "notes": item.get("notes") or "",
        },
        item["_file"],
        file_extra={
            "citations": sorted(
                _citation_state(source.slug, locator, fields) for source, locator, fields in wanted
            ),
            "excludes": sorted(closure.get(item["slug"], ())),
        },
        db_extra=_fact_extras,
    )
    if not kept:
        _sync_citations(
            fact, {(source.pk, locator, fields) for source, locator, fields in wanted}, up
        )
    return fact, kept


def _normalise_values(values: dict) -> dict:
    # YAML parses an unquoted 2019-12-18 as a date; the schema stores ISO strings.
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _sync_citations(fact: Fact, wanted: set[tuple[int, str, tuple]], up: _Upserter) -> None:
    def key(c: Citation) -> tuple[int, str, tuple]:
        return (c.source_id, c.locator, tuple(sorted(c.fields or [])))

    existing = list(fact.citations.all())
    current = {key(c) for c in existing}
    if current == wanted:
        return
    fact.citations.filter(pk__in=[c.pk for c in existing if key(c) not in wanted]).delete()
    Citation.objects.bulk_create(
        Citation(fact=fact, source_id=s, locator=loc, fields=list(fields))
        for s, loc, fields in sorted(wanted - current)
    )
    up.stats["citations updated"] += 1


# -- dump -------------------------------------------------------------------------------------


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


def dump_bank(directory: Path) -> list[Path]:
    """Write the database's bank to ``directory`` in the layout ``load_bank`` reads."""
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
