from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

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


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE,
    set only behind the TLS proxy). X-Forwarded-For is believed only when the request
    arrives from a trusted proxy; django-ipware reads it with axes' AXES_IPWARE_* settings.
    Anything else is keyed on its own address, so a forged header changes nothing."""
    from django.conf import settings
    from ipware.ip import get_client_ip

    remote = request.META.get("REMOTE_ADDR")
    if remote not in settings.TRUSTED_PROXY_IPS:
        return remote
    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    # A header that does not fit the configured chain is not believed either.
    return address or remote


# -- when a request reached our edge (issue 12, item 4) -----------------------------------
#
# Under load a request can wait seconds in gunicorn's queue before a view reads the clock,
# and an answer that reached us in time was judged late. nginx stamps every request with
# the moment it read it (``X-Request-Start: t=<seconds since the epoch>``, quiz/deploy/
# site.conf, overwriting anything the client sent); the app believes the stamp only from
# TRUSTED_PROXY_IPS, and never further back than REQUEST_START_MAX_AGE nor in the future,
# so a wrong clock on the proxy costs at most that much.

REQUEST_START_HEADER = "HTTP_X_REQUEST_START"


def arrival_time(request: HttpRequest, now: datetime) -> datetime:
    """When ``request`` reached the edge: the trusted proxy's stamp, bounded to
    [now - REQUEST_START_MAX_AGE, now]; ``now`` for anything else."""
    from django.conf import settings

    if request.META.get("REMOTE_ADDR") not in settings.TRUSTED_PROXY_IPS:
        return now
    stamp = request.META.get(REQUEST_START_HEADER, "").strip()
    try:
        seconds = float(stamp.removeprefix("t="))
        stamped = datetime.fromtimestamp(seconds, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return now
    return min(now, max(stamped, now - settings.REQUEST_START_MAX_AGE))


class RequestArrivalMiddleware:
    """Sets ``request.arrived_at`` (see ``arrival_time``), read by ``arrived_at``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.arrived_at = arrival_time(request, timezone.now())
        return self.get_response(request)


def arrived_at(request: HttpRequest) -> datetime:
    """The ``now`` a deadline is judged by: when the request reached our edge (the clock if
    the middleware did not run, as for a request built by hand)."""
    return getattr(request, "arrived_at", None) or timezone.now()
