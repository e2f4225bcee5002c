"""Field types of fact kinds: parsing, validation, display and comparison of values.

A fact kind's schema is a list of field specs (see ``FieldSpec``). Everything that needs to
know what a "year" or an "amount" is — the admin form, the loader, the generator — asks
this module, so the rules live in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import string
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

TEXT_TYPES = frozenset({"text", "person", "place", "country", "org"})
NUMERIC_TYPES = frozenset({"year", "number", "amount", "percent"})
TIME_TYPES = frozenset({"month", "date"})
FIELD_TYPES = TEXT_TYPES | NUMERIC_TYPES | TIME_TYPES
# Types for which "nearby" distractors (neighbouring years, months, amounts…) make sense.
NEARBY_TYPES = NUMERIC_TYPES | TIME_TYPES

FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# A value format is a short phrase around the value ("USD {} billion"). Formats are typed by
# editors and rendered for every option of every question, so only the plainest form is
# allowed: one "{}" (or "{0}"), no format spec (padding can allocate gigabytes), no
# conversion, no attribute or index access.
FORMAT_MAX_LENGTH = 60
FORMAT_FIELD_NAMES = frozenset({"", "0"})
FORMAT_SPECS = frozenset({"", "s"})


class SchemaError(ValueError):
    """A kind's schema, or a value checked against it, is invalid."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    domain: str = ""
    format: str = ""
    # The value describes a state of affairs that can change (membership, a negotiation):
    # questions showing it carry the fact's "as of" date.
    dated: bool = False
    # The class a wrong value must share with the right one: the fields of the kind whose
    # values the wrong value's holder (another fact, or a curated decoy's attributes) must
    # share with the fact asked about — e.g. a US minister of the same era for a US
    # minister. A year field among them matches within ``era`` years.
    peers: tuple[str, ...] = ()
    era: int = 1
    # The facts of the kind form a series ordered by this field (an ordinal such as
    # "third"): the values shown for this field in one question must keep that order.
    series: str = ""
    # The value a fact has when it gives none (a verb such as "launched").
    default: str = ""

    @classmethod
    def from_dict(cls, data: dict, kind_slug: str = "") -> FieldSpec:
        if not isinstance(data, dict):
            raise SchemaError(f"each field must be a mapping, got {data!r}")
        unknown = set(data) - {
            "name",
            "label",
            "type",
            "required",
            "domain",
            "format",
            "dated",
            "peers",
            "era",
            "series",
            "default",
        }
        if unknown:
            raise SchemaError(f"unknown field keys: {', '.join(sorted(unknown))}")
        name = data.get("name", "")
        if not isinstance(name, str) or not FIELD_NAME_RE.match(name):
            raise SchemaError(f"field name {name!r} must be lower_snake_case")
        type_ = data.get("type", "text")
        if type_ not in FIELD_TYPES:
            raise SchemaError(
                f"field {name!r} has unknown type {type_!r}; use one of {', '.join(sorted(FIELD_TYPES))}"
            )
        fmt = data.get("format", "") or ""
        if fmt:
            problem = format_problem(fmt)
            if problem:
                raise SchemaError(f"field {name!r}: format {fmt!r}: {problem}")
        peers = data.get("peers") or []
        if not isinstance(peers, list) or not all(
            isinstance(p, str) and FIELD_NAME_RE.match(p) for p in peers
        ):
            raise SchemaError(f"field {name!r}: peers must be a list of field names")
        era = data.get("era", 1)
        if isinstance(era, bool) or not isinstance(era, int) or not 0 <= era <= 50:
            raise SchemaError(f"field {name!r}: era must be a whole number of years (0–50)")
        series = data.get("series") or ""
        if not isinstance(series, str) or (series and not FIELD_NAME_RE.match(series)):
            raise SchemaError(f"field {name!r}: series must name a field")
        default = data.get("default") or ""
        if not isinstance(default, str) or "{" in default or "}" in default:
            raise SchemaError(f"field {name!r}: default must be plain text")
        return cls(
            name=name,
            label=str(data.get("label") or name.replace("_", " ").capitalize()),
            type=type_,
            required=bool(data.get("required", False)),
            domain=str(data.get("domain") or f"{kind_slug}.{name}"),
            format=fmt,
            dated=bool(data.get("dated", False)),
            peers=tuple(peers),
            era=era,
            series=series,
            default=default,
        )

    def to_dict(self, kind_slug: str = "") -> dict:
        out: dict = {"name": self.name, "label": self.label, "type": self.type}
        out["required"] = self.required
        if self.domain and self.domain != f"{kind_slug}.{self.name}":
            out["domain"] = self.domain
        if self.format:
            out["format"] = self.format
        if self.dated:
            out["dated"] = True
        if self.peers:
            out["peers"] = list(self.peers)
            if self.era != 1:
                out["era"] = self.era
        if self.series:
            out["series"] = self.series
        if self.default:
            out["default"] = self.default
        return out

    # -- values -------------------------------------------------------------------------

    def parse(self, raw):
        """Return the stored (JSON-safe) form of ``raw`` or raise SchemaError."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise SchemaError(f"{self.label}: a value is required")
        t = self.type
        if t in TEXT_TYPES:
            if not isinstance(raw, str):
                raise SchemaError(f"{self.label}: expected text, got {raw!r}")
            value = " ".join(raw.split())
            if "{" in value or "}" in value:
                raise SchemaError(f"{self.label}: braces are not allowed in values")
            return value
        if t in {"year", "number"}:
            if isinstance(raw, bool):
                raise SchemaError(f"{self.label}: expected a whole number, got {raw!r}")
            try:
                value = int(str(raw).strip())
            except ValueError:
                raise SchemaError(f"{self.label}: expected a whole number, got {raw!r}") from None
            if t == "year" and not 1900 <= value <= 2100:
                raise SchemaError(f"{self.label}: {value} is not a plausible year (1900–2100)")
            return value
        if t in {"amount", "percent"}:
            if isinstance(raw, bool):
                raise SchemaError(f"{self.label}: expected a number, got {raw!r}")
            try:
                value = Decimal(str(raw).strip())
            except InvalidOperation:
                raise SchemaError(f"{self.label}: expected a number, got {raw!r}") from None
            if not value.is_finite():
                raise SchemaError(f"{self.label}: expected a finite number, got {raw!r}")
            # Stored as a string so JSON keeps the exact decimals the source gave.
            return str(value)
        if t == "month":
            match = MONTH_RE.match(str(raw).strip())
            if not match or not 1 <= int(match.group(2)) <= 12:
                raise SchemaError(f"{self.label}: expected a month as YYYY-MM, got {raw!r}")
            return match.group(0)
        if t == "date":
            if isinstance(raw, dt.date):
                return raw.isoformat()
            try:
                return dt.date.fromisoformat(str(raw).strip()).isoformat()
            except ValueError:
                raise SchemaError(
                    f"{self.label}: expected a date as YYYY-MM-DD, got {raw!r}"
                ) from None
        raise SchemaError(f"{self.label}: unsupported type {t!r}")  # pragma: no cover

    def display(self, value) -> str:
        """How a stored value reads in a question."""
        t = self.type
        if t == "month":
            year, month = MONTH_RE.match(value).groups()
            return f"{calendar.month_name[int(month)]} {year}"
        if t == "date":
            d = dt.date.fromisoformat(value)
            return f"{d.day} {calendar.month_name[d.month]} {d.year}"
        if t in {"amount", "percent"}:
            text = _plain_decimal(Decimal(str(value)))
            if t == "percent":
                return f"{text}%"
            return self.format.format(text) if self.format else text
        text = str(value)
        return self.format.format(text) if self.format else text


def format_problem(fmt) -> str | None:
    """Why ``fmt`` is not an acceptable value format (None if it is): a short text with
    exactly one plain ``{}`` for the value, checked by rendering it once."""
    if not isinstance(fmt, str):
        return "must be text"
    if len(fmt) > FORMAT_MAX_LENGTH:
        return f"must be at most {FORMAT_MAX_LENGTH} characters"
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        return f"is not a valid pattern ({exc})"
    fields = [(name, spec, conv) for _text, name, spec, conv in parts if name is not None]
    if len(fields) != 1:
        return "must contain exactly one '{}' for the value"
    name, spec, conversion = fields[0]
    if name not in FORMAT_FIELD_NAMES:
        return "write the value as '{}' (no names, indexes or attributes)"
    if conversion is not None or spec not in FORMAT_SPECS:
        return "write the value as a plain '{}' (no padding, width or conversion)"
    if any("{" in text or "}" in text for text, *_ in parts):
        return "must not contain other braces"
    try:
        fmt.format("12.5")
    except (ValueError, IndexError, KeyError, AttributeError, TypeError) as exc:
        return f"cannot be rendered ({exc})"
    return None


def _plain_decimal(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


_SPELLING = {
    "defence": "defense",
    "organisation": "organization",
    "programme": "program",
    "centre": "center",
    "authorisation": "authorization",
    "authorise": "authorize",
    "licence": "license",
    "us": "united states",
    "usa": "united states",
    "u s": "united states",
    "u s a": "united states",
    "uk": "united kingdom",
}


_SPELLING_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in _SPELLING) + r")\b")


@functools.lru_cache(maxsize=65536, typed=True)
def canon(value) -> str:
    """A comparison key under which two spellings of the same claim are equal.

    Case, punctuation, dashes, a leading article, British/American spelling and "US"/"USA"
    do not distinguish claims; numbers compare by value ("2016" == 2016, "15.0" == "15").
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        return "#" + _plain_decimal(Decimal(str(value)))
    text = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    try:
        return "#" + _plain_decimal(Decimal(text))
    except InvalidOperation:
        pass
    # "L.E.M.O.A." and "LEMOA", "U.S." and "US" are the same name.
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text).replace(".", " ")
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    text = " ".join(words)
    return _SPELLING_RE.sub(lambda m: _SPELLING[m.group(1)], text)


def placeholders(pattern: str) -> list[str]:
    return PLACEHOLDER_RE.findall(pattern or "")


def parse_fields(raw_fields, kind_slug: str = "") -> tuple[FieldSpec, ...]:
    if not isinstance(raw_fields, list) or not raw_fields:
        raise SchemaError("a kind needs a non-empty list of fields")
    specs = tuple(FieldSpec.from_dict(item, kind_slug) for item in raw_fields)
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SchemaError(f"duplicate field names: {', '.join(duplicates)}")
    for spec in specs:
        unknown = [p for p in (*spec.peers, *filter(None, [spec.series])) if p not in names]
        if unknown or spec.name in spec.peers:
            raise SchemaError(
                f"field {spec.name!r}: peers and series must name other fields of the kind"
            )
    return specs


# -- curated decoys -------------------------------------------------------------------------
# A kind's decoys for a field are a list of entries: a plain value, or a mapping with the
# value and the class it belongs to ({"value": "Piyush Goyal", "country": "India",
# "tier": "minister", "year": "2014-2024"}), so a decoy competes only where a fact with those
# values would (see FieldSpec.peers). A year attribute may be a range "2014-2024".


def decoy_value(entry):
    """The raw value of a decoy entry (plain or mapping)."""
    return entry.get("value") if isinstance(entry, dict) else entry


def decoy_class(entry) -> dict:
    """The class attributes of a decoy entry (empty for a plain value)."""
    if isinstance(entry, dict):
        return {k: v for k, v in entry.items() if k != "value"}
    return {}


def check_decoy(spec: FieldSpec, entry, names) -> None:
    """Raise SchemaError if ``entry`` is not a valid decoy for ``spec``."""
    if isinstance(entry, dict):
        unknown = [k for k in entry if k != "value" and k not in names]
        if unknown:
            raise SchemaError(f"decoy attributes name unknown fields: {', '.join(unknown)}")
        if "value" not in entry:
            raise SchemaError("a decoy mapping needs a 'value'")
        for key, attr in entry.items():
            if key != "value" and not isinstance(attr, str | int):
                raise SchemaError(f"decoy attribute {key!r} must be text or a year")
    spec.parse(decoy_value(entry))


def year_range(value) -> tuple[int, int] | None:
    """A year or a "YYYY-YYYY" range as (first, last); None if it is neither."""
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
    if match:
        return int(match.group(1)), int(match.group(2))
    if re.fullmatch(r"\d{4}", text):
        return int(text), int(text)
    return None


def validate_values(specs: tuple[FieldSpec, ...], values) -> dict:
    """Check ``values`` against a schema; return the cleaned dict or raise SchemaError
    listing every problem (a dict of field name -> message)."""
    if not isinstance(values, dict):
        raise SchemaError({"values": "values must be a mapping of field name to value"})
    by_name = {s.name: s for s in specs}
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for key in values:
        if key not in by_name:
            errors[str(key)] = f"'{key}' is not a field of this kind"
    for spec in specs:
        raw = values.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if spec.required:
                errors[spec.name] = f"{spec.label}: a value is required"
            continue
        try:
            cleaned[spec.name] = spec.parse(raw)
        except SchemaError as exc:
            errors[spec.name] = str(exc)
    if errors:
        raise SchemaError(errors)
    return cleaned


def validate_aliases(specs: tuple[FieldSpec, ...], aliases, what: str = "aliases") -> dict:
    """Check a {field: [values]} mapping (aliases, or not_wrong) against a schema."""
    if aliases in (None, ""):
        return {}
    if not isinstance(aliases, dict):
        raise SchemaError({what: f"{what} must be a mapping of field name to a list"})
    by_name = {s.name: s for s in specs}
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for key, items in aliases.items():
        if key not in by_name:
            errors[str(key)] = f"{what} given for '{key}', which is not a field of this kind"
            continue
        if not isinstance(items, list):
            errors[key] = f"{what} for '{key}' must be a list"
            continue
        try:
            parsed = [by_name[key].parse(item) for item in items]
        except SchemaError as exc:
            errors[key] = f"{'alias' if what == 'aliases' else what}: {exc}"
            continue
        if parsed:
            cleaned[key] = parsed
    if errors:
        raise SchemaError(errors)
    return cleaned


def validate_not_wrong(specs: tuple[FieldSpec, ...], not_wrong) -> dict:
    """A fact's ``not_wrong``: per field, values that are not the key but must never be
    offered as wrong (another published figure, a date some reports give)."""
    return validate_aliases(specs, not_wrong, "not_wrong")
