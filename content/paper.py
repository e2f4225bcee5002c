"""Assemble a paper (a list of questions) from the bank."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable

from content.generator import Bank, CannotGenerate, Question, generate


def build_paper(
    bank: Bank,
    count: int,
    seed: int = 0,
    topics: Iterable[str] | None = None,
    styles: Iterable[str] | None = None,
) -> list[Question]:
    """Up to ``count`` sound questions, spread over as many different facts as possible.

    Pure: costs no queries, so a paper's query count is the bank's, whatever ``count`` is.
    """
    topics = set(topics) if topics else None
    styles = set(styles) if styles else None
    pairs = [
        (template, fact)
        for template in bank.templates.values()
        if styles is None or template.style in styles
        for fact in bank.by_kind.get(template.kind, [])
        if topics is None or fact.topic in topics
    ]
    rng = random.Random(f"paper:{seed}")
    rng.shuffle(pairs)
    paper: list[Question] = []
    used_facts: set[str] = set()
    deferred = []
    # First pass: one question per anchor fact; second pass fills up with the rest.
    for template, fact in pairs:
        if len(paper) >= count:
            break
        if fact.slug in used_facts:
            deferred.append((template, fact))
            continue
        try:
            paper.append(generate(bank, template, fact, seed))
            used_facts.add(fact.slug)
        except CannotGenerate:
            continue
    for template, fact in deferred:
        if len(paper) >= count:
            break
        try:
            paper.append(generate(bank, template, fact, seed))
        except CannotGenerate:
            continue
    return paper


# -- the paper cache -----------------------------------------------------------------------
#
# A 100-question paper costs about two thirds of a second to build (dealing balanced key
# positions generates a question per fact of every template touched), and every regular
# quiz start used to pay it. Papers are pure functions of (the bank's content, count, seed,
# topics, styles), so they are kept in Django's cache (Redis in production, shared by every
# app server) under a key that names the content version: any edit to the bank changes the
# version, and the next start builds (and stores) a paper from the new content. Nothing
# here is process state: the version is read from the database on every use.

PAPER_CACHE_SECONDS = 24 * 60 * 60


def content_version() -> str:
    """A digest that changes whenever the servable bank can have changed: one query over
    every table of the ``content`` app (its history tables and many-to-many tables
    included) taking each table's row count and highest id, plus the newest ``updated_at``
    of a fact. An edit saved through the ORM (the admin, ``load_content``) writes a
    history row, so the history tables' highest ids move on every edit, deletion and
    revert; rows without history (citations, conflict claims, links) are replaced rather
    than edited, which moves their counts or ids. (A raw ``UPDATE`` that bypasses both is
    not seen: do not edit content that way.)"""
    from django.apps import apps
    from django.db import connection

    qn = connection.ops.quote_name
    parts = []
    for model in sorted(
        apps.get_app_config("content").get_models(include_auto_created=True),
        key=lambda m: m._meta.db_table,
    ):
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        # History only grows: its highest id moves on every change, and counting it (a
        # scan of every edit ever made) would slow each start as the history grows.
        if not model._meta.model_name.startswith("historical"):
            parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(f"(SELECT MAX({pk}) FROM {table})")
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            column = qn(model._meta.get_field("updated_at").column)
            parts.append(f"(SELECT MAX({column}) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:20]


def cached_paper(
    count: int,
    seed: int,
    topics: Iterable[str] | None = None,
    styles: Iterable[str] | None = None,
) -> list[Question]:
    """``build_paper(bank_from_db(), count, seed, topics, styles)``, from the cache
    when this content version has built it before. One query (the version) on a hit; the
    bank's queries and the build on a miss, which then stores the paper for every app
    server."""
    from django.core.cache import cache

    from content.servable import bank_from_db

    topics = sorted(set(topics)) if topics else None
    styles = sorted(set(styles)) if styles else None
    # Hashed: a quiz's topic list is unbounded, a cache key is not (memcached: 250 bytes).
    wanted = hashlib.sha256(repr((count, seed, topics, styles)).encode()).hexdigest()[:24]
    key = f"paper:{content_version()}:{wanted}"
    paper = cache.get(key)
    if paper is None:
        paper = build_paper(bank_from_db(), count, seed, topics=topics, styles=styles)
        cache.set(key, paper, PAPER_CACHE_SECONDS)
    return paper
