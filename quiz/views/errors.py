from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string

from quiz.middleware import is_database_outage, unavailable


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage anywhere (sessions, auth, middleware) is a 503 page."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        return unavailable(exception)
    return HttpResponseServerError(render_to_string("500.html"))
