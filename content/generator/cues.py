"""Item-writing cues a test-wise candidate could use without knowing the fact.

The generator refuses a multiple-choice question while one of these survives (it first tries
other draws of wrong options); ``audit`` checks every finished question again. Each check
returns the reason an editor sees in the admin preview and ``export_questions -v 2``.

Positions and the rank of a numeric key are balanced by construction (see
``content.generator.questions``), not checked here: one question cannot be "too often B".
"""

from __future__ import annotations

import functools
import re

# Words every question of this bank could share with any option: no cue.
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "how",
        "did",
        "does",
        "do",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "their",
        "about",
        "among",
        "under",
        "between",
        "into",
        "during",
        "than",
        "then",
        "also",
        "any",
        "each",
        "other",
        "such",
        "not",
        "following",
        "india",
        "indian",
        "united",
        "states",
        "us",
        "usa",
        "american",
        "india-us",
        "us-india",
    ]
)
# Cues that depend on the options alone, not on the stem's wording.
FORM_CUES = ("odd one out:", "longest option:", "convergence:")
# An option this many times as long as every other stands out ("the longest is right").
LONGEST = 1.25
_SPELLING = {"defense": "defence", "organization": "organisation", "program": "programme"}


@functools.lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    """Lower-cased content words, plural "s" and US spellings folded.

    Memoised (a pure function of the text): cue checks ask it of the same stems and options
    thousands of times per paper."""
    out = set()
    for word in re.findall(r"[a-z0-9][a-z0-9'’]*", text.lower().replace("–", " ")):
        word = re.sub(r"['’]s$", "", word).strip("'’")  # "India's" is "india", not "india'"
        if len(word) < 3 or word in _STOP or word.isdigit():
            continue
        word = _SPELLING.get(word, word)
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


def stem_echo(stem: str, key: str, wrong: list[str]) -> str | None:
    """A content word of the stem that some options repeat and others do not. The key's
    echo is the classic cue; a wrong option's echo is refused too, or a candidate would
    learn that the option echoing the stem is never right."""
    stem_words = content_words(stem)
    options = [key, *wrong]
    words = [content_words(o) & stem_words for o in options]
    uneven = sorted({w for ws in words for w in ws if not all(w in other for other in words)})
    if not uneven:
        return None
    who = "the key" if words[0] & set(uneven) else "a wrong option"
    return f"stem echo: {who} shares {', '.join(repr(w) for w in uneven)} with the stem"


def acronyms(text: str) -> list[str]:
    """Acronyms in ``text``: tokens with two or more capitals (GSOMIA, STA-1, iCET, G-20)."""
    found = re.findall(r"(?<![\w-])([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*(?:-[A-Z0-9]+)?)", text)
    return [a for a in found if sum(c.isupper() for c in a) >= 2 and a not in {"US", "UN"}]


def _initials(text: str) -> str:
    out = ""
    for token in re.findall(r"[A-Za-z]+|\d+", text.replace("-", " ")):
        if token.isdigit():
            out += token
        elif token.lower() not in {"of", "and", "for", "the", "on", "in", "to", "a"}:
            out += token[0].lower()
    return out


def spells(acronym: str, text: str) -> bool:
    """Do the initials of ``text`` spell ``acronym`` (ignoring of/and/for…; digits kept)?"""
    letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
    every = re.sub(r"[^a-z0-9]", "", "".join(w[0] for w in re.findall(r"\w+", text.lower())))
    return bool(letters) and letters in (_initials(text), every)


def initials(stem: str, options: list[str]) -> str | None:
    """Some options, not all, spell an acronym of the stem (or end in its number): a
    candidate keeps those. Checked for every option, not only the key, so the rule itself
    does not tell which one is right."""
    for acronym in acronyms(stem):
        spelled = sum(spells(acronym, o) for o in options)
        if 0 < spelled < len(options):
            return f"acronym initials: only some options spell {acronym}"
        digits = re.findall(r"\d+", acronym)
        ending = sum(bool(digits) and digits[-1] in re.findall(r"\d+", o) for o in options)
        if 0 < ending < len(options):
            return f"acronym initials: only some options end in {digits[-1]} like {acronym}"
    return None


@functools.lru_cache(maxsize=8192)
def form(option: str) -> tuple:
    """The shape of an option: length class, digits, decimals, acronym, punctuation."""
    words = option.split()
    decimals = len(option.split(".")[-1]) if re.search(r"\d\.\d+$", option) else 0
    return (
        0 if len(words) == 1 else 1 if len(words) <= 3 else 2 if len(words) <= 6 else 3,
        any(c.isdigit() for c in option),
        decimals,
        option.isupper() and len(option) > 1,
        "(" in option,
        "," in option,
    )


# A single all-caps token: GSOMIA, STA-1, 2+2 (no lower-case letter, no space).
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9&+./-]*[A-Z0-9]")


def odd_form(options: list[str]) -> str | None:
    """One option's shape differs from the other three, or one is by far the longest.
    Refused whichever option it is: refusing only a key that stands out would teach a
    candidate that the option standing out is wrong."""
    shapes = [form(o) for o in options]
    for i, shape in enumerate(shapes):
        rest = shapes[:i] + shapes[i + 1 :]
        if len(set(rest)) == 1 and shape != rest[0]:
            return "odd one out: one option differs in form from the other three"
    if all(_ACRONYM.fullmatch(o) for o in options):
        # Four bare acronyms: COMCASA's seven letters against LEMOA's five tell nothing.
        return None
    lengths = sorted(len(o) for o in options)
    if lengths[-1] >= LONGEST * lengths[-2]:
        return "longest option: one option is much longer than the others"
    return None


def convergence(options: list[str]) -> str | None:
    """One option shares more words with the others than any other option does (wrong
    options written as one-word changes of the key all point back to it)."""
    words = [content_words(o) for o in options]
    shared = sorted(
        sum(len(w & other) for j, other in enumerate(words) if j != i) for i, w in enumerate(words)
    )
    if shared[-1] > 0 and shared[-1] > shared[-2]:
        return "convergence: one option shares the most words with the others"
    return None


def mcq_cues(stem: str, options: list[str], answer: int, numeric: bool = False) -> list[str]:
    """Every cue that gives away the key of a direct question (empty if none). Numbers,
    months and dates are built as even runs of one shape, so their length ("September"
    against "May") and shared words (the year) are not cues."""
    key = options[answer]
    wrong = [o for i, o in enumerate(options) if i != answer]
    found = [stem_echo(stem, key, wrong), initials(stem, options)]
    if not numeric:
        found += [odd_form(options), convergence(options)]
    return [reason for reason in found if reason]
