"""Load the YAML bank files into the database (``files_to_db``)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from content import schema
from content.bank_files.read import (
    BankFileError,
    excludes_closure,
    model_fields,
    normalise_values,
    read_files,
)
from content.bank_files.upsert import (
    Upserter,
    citation_state,
    claim_state,
    conflict_extras,
    fact_extras,
)
from content.edits import (
    LoadReport,
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


@transaction.atomic
def files_to_db(directory: Path, force: bool = False) -> LoadReport:
    """Upsert every entry of the bank at ``directory``; return counts of what changed and
    the rows kept because they were edited since the last load (overwritten if ``force``)."""
    bank = read_files(directory)
    up = Upserter(force)
    sources = {}
    for item in bank["sources"]:
        sources[item["slug"]], _kept = up.upsert(
            Source,
            item["slug"],
            model_fields(Source, item, f"source {item['slug']}"),
            "sources.yaml",
        )
    topics = {}
    for index, item in enumerate(bank["topics"]):
        topics[item["slug"]], _kept = up.upsert(
            Topic,
            item["slug"],
            {**model_fields(Topic, item, f"topic {item['slug']}"), "order": index},
            "topics.yaml",
        )
    kinds = {}
    for item in bank["kinds"]:
        kinds[item["slug"]], _kept = up.upsert(
            FactKind,
            item["slug"],
            model_fields(FactKind, item, f"kind {item['slug']}"),
            "kinds.yaml",
        )

    def lookup(table: dict, slug, what: str, owner: str):
        if slug not in table:
            raise BankFileError(f"{owner}: unknown {what} '{slug}'")
        return table[slug]

    def left_out(owner: str, kind: FactKind, exc: BankFileError) -> None:
        up.stats.notes.append(
            f"{owner} not loaded: kind {kind.slug} keeps its admin edits, "
            f"which the files' version does not fit ({exc})"
        )

    closure = excludes_closure(bank["facts"])
    facts: dict[str, Fact] = {}
    # Facts left as they are: edited since the last load, or not loadable under a kind that
    # keeps admin edits. Their citations and excludes are left alone too.
    frozen: set[str] = set()
    for item in bank["facts"]:
        owner = f"fact {item['slug']} ({item['_file']})"
        kind = lookup(kinds, item.get("kind"), "kind", owner)
        try:
            fact, kept = _load_fact(up, item, owner, kind, topics, sources, closure, lookup)
        except BankFileError as exc:
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
                {"kind": kind, **model_fields(QuestionTemplate, item, owner)},
                "templates.yaml",
            )
        except BankFileError as exc:
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
            model_fields(Conflict, item, owner),
            item["_file"],
            file_extra={
                "facts": sorted(item.get("facts") or []),
                "claims": [
                    claim_state(
                        c.get("source"),
                        str(c.get("locator") or ""),
                        str(c.get("claim") or ""),
                        str(c.get("field") or ""),
                        str(c.get("value") or ""),
                    )
                    for c in item.get("claims") or []
                ],
            },
            db_extra=conflict_extras,
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


def _load_fact(up: Upserter, item: dict, owner: str, kind, topics, sources, closure, lookup):
    try:
        specs = kind.field_specs()
        # Clean before comparing, so 128.55 in YAML equals the stored "128.55".
        values = schema.validate_values(specs, normalise_values(item.get("values") or {}))
        aliases = schema.validate_aliases(specs, item.get("aliases") or {})
        not_wrong = schema.validate_not_wrong(specs, item.get("not_wrong") or {})
    except schema.SchemaError as exc:
        raise BankFileError(f"{owner}: {exc}") from None
    wanted = set()
    names = {s.name for s in specs}
    for citation in item.get("citations") or []:
        source = lookup(sources, citation.get("source"), "source", owner)
        fields = citation.get("fields") or []
        if not isinstance(fields, list) or set(fields) - names:
            raise BankFileError(
                f"{owner}: citation of {source.slug} supports unknown fields "
                f"{sorted(set(fields) - names) if isinstance(fields, list) else fields!r}"
            )
        wanted.add((source, str(citation.get("locator") or "").strip(), tuple(sorted(fields))))
    if not wanted and (item.get("status") or Fact.Status.DRAFT) == Fact.Status.PUBLISHED:
        raise BankFileError(f"{owner}: a published fact must cite at least one source")
    fact, kept = up.upsert(
        Fact,
        item["slug"],
        {
            "kind": kind,
            "topic": lookup(topics, item.get("topic"), "topic", owner),
            **model_fields(Fact, item, owner),
            "values": values,
            "aliases": aliases,
            "not_wrong": not_wrong,
        },
        item["_file"],
        file_extra={
            "citations": sorted(
                citation_state(source.slug, locator, fields) for source, locator, fields in wanted
            ),
            "excludes": sorted(closure.get(item["slug"], ())),
        },
        db_extra=fact_extras,
    )
    if not kept:
        _sync_citations(
            fact, {(source.pk, locator, fields) for source, locator, fields in wanted}, up
        )
    return fact, kept


def _sync_citations(fact: Fact, wanted: set[tuple[int, str, tuple]], up: Upserter) -> None:
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
