"""Reading integer parameters from a request, and the 400 page for bad requests.

Python's ``int()`` accepts far more than a browser ever sends: Unicode digits ("٣", "５"),
surrounding whitespace, underscores ("1_000"), and it raises on superscripts ("²") that
``str.isdigit()`` lets through. Every integer in a query string or a form goes through
``int_param``, which accepts ASCII digits only, within bounds, and either falls back to a
default (a page number, a question to show) or raises ``BadParameter`` — a 400 whose message
the ``bad_request`` page shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

# Nine digits: every id, position and page number we have, and well inside a 32-bit column
# on every database (a longer number is junk, never a real reference).
_DIGITS = re.compile(r"[0-9]{1,9}", re.ASCII)
_REQUIRED = object()


class BadParameter(BadRequest):
    """A request parameter that cannot be what it claims to be; the message is shown."""


def int_param(
    data: Mapping[str, str],
    name: str,
    default: int | None | object = _REQUIRED,
    *,
    min_value: int = 1,
    max_value: int = 999_999_999,
) -> int | None:
    """``data[name]`` as an int in [min_value, max_value].

    Missing, blank, malformed or out of range: ``default`` when one is given (junk is
    ignored: a page number, the question to show), else ``BadParameter`` (a 400 with a
    message naming the field).
    """
    raw = data.get(name)
    value = int(raw) if isinstance(raw, str) and _DIGITS.fullmatch(raw) else None
    if value is not None and min_value <= value <= max_value:
        return value
    if default is not _REQUIRED:
        return default
    if raw is None or raw == "":
        raise BadParameter(f"The '{name}' field is missing.")
    raise BadParameter(
        f"The '{name}' field must be a whole number from {min_value} to {max_value}, "
        "written with the digits 0–9."
    )


def _message(exception: Exception | None) -> str:
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        return (
            f"The form sent more than {limit} KB of data, more than any page here sends. "
            "Nothing was saved."
        )
    if isinstance(exception, TooManyFieldsSent):
        return (
            f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields. "
            "Nothing was saved."
        )
    if isinstance(exception, TooManyFilesSent):
        return (
            f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files. "
            "Nothing was saved."
        )
    if isinstance(exception, BadParameter):
        return str(exception)
    return "The request could not be understood. Nothing was saved."


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponseBadRequest:
    """handler400: say what was wrong (bad parameter, body too large, too many fields)."""
    message = _message(exception)
    try:
        html = render_to_string("400.html", {"message": message}, request=request)
    except Exception:  # a request too broken for the site's layout still gets the message
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return HttpResponseBadRequest(html)
