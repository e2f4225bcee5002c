from __future__ import annotations

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page (and Retry-After) when the database cannot be
    reached, instead of a 500 with a traceback. The connection is dropped so the next
    request reconnects by itself once the database is back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        return unavailable(exception)


def unavailable(exception: Exception) -> HttpResponse:
    log.warning("database unavailable: %s", exception)
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):
            conn.close()
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def is_database_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, Exception) and _lost_connection(exception)
    )


def _lost_connection(exception: Exception) -> bool:
    text = str(exception).lower()
    return isinstance(exception, DatabaseError) and ("connection" in text or "terminating" in text)
