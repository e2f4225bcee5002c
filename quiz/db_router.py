"""Read-only pages read from a replica (issue 12, item 5).

With ``DATABASE_REPLICA_URL`` set, the pages named in ``REPLICA_PAGES`` (the dashboard and
its export, item analysis, coverage, rank lists: heavy reads, none of them on the answer
path) read the ``quiz`` and ``content`` apps' tables from the ``replica`` alias. Everything
else reads and writes the primary: sessions, users and django-axes' lock-outs (a login must
see its own session at once), every write, and every read inside a transaction.

A request that writes (a rank list publishing results the first time it is opened after
the test closes) reads the primary for the rest of the request, so it sees its own writes
whatever the replica's lag. The switch is a context variable set for one request
(``ReplicaReadsMiddleware``), so nothing leaks between requests or threads."""

from __future__ import annotations

import contextvars

from django.db import connections

REPLICA = "replica"
REPLICA_PAGES = frozenset(
    {"quiz:dashboard", "quiz:export", "quiz:items", "quiz:coverage", "quiz:ranks"}
)
ROUTED_APPS = frozenset({"quiz", "content"})

_reading_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reading_replica.get()
            and model._meta.app_label in ROUTED_APPS
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        # Named, not None: Django would otherwise follow a row read from the replica
        # (``instance._state.db``) for its related objects and refresh_from_db().
        return "default"

    def db_for_write(self, model, **hints):
        _reading_replica.set(False)  # read your own writes for the rest of the request
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: a row from either is the same row

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's schema by replication


class ReplicaReadsMiddleware:
    """Turns replica reads on for a GET of a page in ``REPLICA_PAGES``, off afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _reading_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in REPLICA_PAGES
            and replica_configured()
        ):
            _reading_replica.set(True)
        return None
