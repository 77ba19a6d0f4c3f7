"""Generated values for every field a person or a client can send: well-shaped ones mixed with hostile ones.

Each field is a pair (good, bad). A body draws every field good except one or two drawn bad, so most
examples get past the other fields and reach the rule or the database with the one hostile value:
years 1 and 9999, twenty-digit numbers, NaN, control characters, lone surrogates, very long text.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from hypothesis import strategies as st

HUGE_DIGITS = "99999999999999999999"


class Raw(bytes):
    """A request body whose repr stays short in a failure report (some are megabytes long)."""

    def __repr__(self) -> str:
        shown = bytes(self[:160])
        return repr(shown) + (f" + {len(self) - 160:,} more bytes" if len(self) > 160 else "")


@dataclass(frozen=True)
class Field:
    good: st.SearchStrategy
    bad: st.SearchStrategy


# Text with control characters, line breaks (header injection), escape sequences and lone surrogates.
_odd_text = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "Siobhan\x00",
        "Line one\r\nBcc: everyone@example.nhs.uk",
        "\x1b[31mred\x1b[0m",
        "\ud800",
        "half \udfff a pair",
        '=HYPERLINK("http://example.com")',
        "x" * 2_001,
        "x" * 10_001,
    ]
)
_characters = st.characters(categories=["Cc", "Cs", "Co", "Zs", "Zl", "Lu", "Ll", "Nd", "Po", "So"])
hostile_text = st.one_of(_odd_text, _odd_text, st.text(_characters, max_size=40))
plain_text = st.one_of(
    st.sampled_from(["Sepsis study day", "O'Neill-Ní Bhriain", "Ward 7B"]),
    st.text(st.characters(categories=["L", "Nd", "Zs", "Pd"]), min_size=1, max_size=30).filter(str.strip),
)

# Numbers, as JSON values: ordinary, signed, non-finite and far too large.
_odd_numbers = st.sampled_from([math.nan, math.inf, -math.inf, -1, 0, 1e308, -1e308, 10**30, -(10**30), 2**63, 10**400])
hostile_number = st.one_of(_odd_numbers, _odd_numbers, st.floats(), st.integers())
plain_hours = st.sampled_from([0.5, 1, 1.5, 2, 3.25, 7.5])

# Anything at all where a value is expected: JSON's other types and nesting.
json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), hostile_number, hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=6,
)

# Dates a person might type, from the first day of year 1 to the last of year 9999.
any_date = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
near_date = st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 11, 25))
edge_date = st.sampled_from(
    [date(1, 1, 1), date(1949, 12, 31), date(1950, 1, 1), date(2031, 12, 31), date(9999, 12, 31)]
)
_odd_date_text = st.sampled_from(
    [
        "",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "10000-01-01",
        "+10000-01-01",
        f"{HUGE_DIGITS}-01-01",
        "2026-11-25T10:00:00",
        "25/11/2026",
        "2026-11-25\x00",
        "\ud800",
    ]
)
iso_date = Field(
    near_date.map(date.isoformat),
    st.one_of(edge_date.map(date.isoformat), any_date.map(date.isoformat), _odd_date_text, json_value),
)


def choice(options, *, none: bool = False) -> Field:
    """One of the options the form or schema offers; or any text or JSON value."""
    good = st.sampled_from(list(options))
    return Field(st.one_of(st.none(), good) if none else good, st.one_of(hostile_text, json_value))


def record_id(*known: int, none: bool = False) -> Field:
    """A record id: one that exists; or one no row has (0, negative, past 32 bits), or not a number."""
    good = st.sampled_from(known) if known else st.none()
    odd = st.sampled_from([0, -1, 2**31 - 1, 2**31, 2**63, 10**30])
    return Field(st.one_of(st.none(), good) if none else good, st.one_of(odd, json_value))


text = Field(plain_text, hostile_text)
optional_text = Field(st.one_of(st.just(""), plain_text), hostile_text)
hours_number = Field(plain_hours, st.one_of(hostile_number, json_value))


@st.composite
def body(draw, fields: dict[str, Field]) -> dict[str, object]:
    """Every field good but one or two drawn bad (or none); sometimes a field left out or a stray one added."""
    names = list(fields)
    all_good = not names or draw(st.integers(0, 4)) == 0  # one in five well-shaped throughout, to be accepted
    bad = set() if all_good else draw(st.sets(st.sampled_from(names), min_size=1, max_size=2))
    data = {name: draw(field.bad if name in bad else field.good) for name, field in fields.items()}
    if names and draw(st.integers(0, 9)) == 0:
        del data[draw(st.sampled_from(names))]
    if draw(st.integers(0, 14)) == 0:
        data[draw(hostile_text)] = draw(json_value)
    return data


# Deeply nested JSON, as raw bytes (json.dumps would refuse to build it).
DEEP_JSON = Raw(b"[" * 100_000 + b"]" * 100_000)
DEEP_OBJECT = Raw(b'{"a":' * 100_000 + b"1" + b"}" * 100_000)
# Bodies no schema should have to think about: empty, not an object, not UTF-8, cut short, nested too deep.
RAW_BODIES = [Raw(b) for b in (b"", b"null", b"[]", b"1e999", b"\xff\xfe{}", b'{"name": "\\ud800"')]
RAW_BODIES += [DEEP_JSON, DEEP_OBJECT]


def json_bytes(data: object) -> Raw:
    """A JSON body as raw bytes; json.dumps writes a lone surrogate as a ``\\ud800`` escape, NaN as ``NaN``."""
    return Raw(json.dumps(data).encode())


def json_body(fields: dict[str, Field]) -> st.SearchStrategy[Raw]:
    """Mostly well-shaped bodies with a hostile field or two; sometimes raw junk or any JSON value."""
    shaped = body(fields).map(json_bytes)
    return st.one_of(shaped, shaped, shaped, shaped, st.sampled_from(RAW_BODIES), json_value.map(json_bytes))


# The NHS three-box date input, ``name[day]``, ``name[month]``, ``name[year]``.
_odd_box = st.sampled_from(
    ["", " ", "0", "-1", "00", "32", "13", HUGE_DIGITS, "-" + HUGE_DIGITS, "1e3", "NaN", "٣", "\x00", "1\r\n", "\ud800"]
)


def _boxes(when: date) -> dict[str, str]:
    return {"day": str(when.day), "month": str(when.month), "year": str(when.year)}


@st.composite
def _odd_boxes(draw) -> dict[str, str]:
    """A date out of range (years 1 to 9999), or one to three boxes that make no date."""
    if draw(st.integers(0, 2)) == 0:
        return _boxes(draw(st.one_of(edge_date, any_date)))
    parts = _boxes(draw(near_date))
    for part in draw(st.sets(st.sampled_from(list(parts)), min_size=1)):
        parts[part] = draw(st.one_of(st.just(HUGE_DIGITS), _odd_box, st.integers(-10, 100_000).map(str)))
    return parts


date_boxes = Field(near_date.map(_boxes), _odd_boxes())
form_text = Field(plain_text, hostile_text)
optional_form_text = Field(st.one_of(st.just(""), plain_text), hostile_text)
_odd_number_text = st.sampled_from(
    ["", " ", "NaN", "nan", "inf", "-inf", "Infinity", "-1", "0", "1e308", "1e309", HUGE_DIGITS]
    + ["1,5", "½", "٣", "0x10", "1_000", "\ud800"]
)
hours_text = Field(plain_hours.map(str), st.one_of(_odd_number_text, hostile_number.map(str)))


def form_choice(options) -> Field:
    return Field(st.sampled_from([str(o) for o in options]), hostile_text)


def form_id(*known: int) -> Field:
    """A chosen id as a select posts it: one that exists, or no number, or one no row has."""
    odd = st.sampled_from(["", "0", "-1", "abc", "1.5", "٣", str(2**31), HUGE_DIGITS])
    return Field(st.sampled_from([str(k) for k in known]), st.one_of(odd, hostile_text))


@st.composite
def form(draw, fields: dict[str, Field]) -> Raw:
    """A urlencoded form body: date fields as three boxes, one or two fields hostile, raw bytes on the wire.

    Lone surrogates go through as the (invalid) UTF-8 bytes a client could send.
    """
    return Raw(urlencode(_pairs(draw(body(fields)), dates=set(fields))).encode())


def _pairs(data: dict[str, object], dates: set[str] | None = None) -> list[tuple[bytes, bytes]]:
    """Form fields as byte pairs, three boxes for each date (a dict), surrogates kept as bytes."""
    pairs = []
    for name, value in data.items():
        if isinstance(value, dict) and (dates is None or name in dates):
            pairs += [(f"{name}[{part}]", box) for part, box in value.items()]
        else:
            pairs.append((name, "" if value is None else str(value)))
    return [(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for k, v in pairs]


def year_too_large(fields: dict[str, Field]) -> Raw:
    """A form whose every date has the year 99999999999999999999 and whose other fields say "x"."""
    too_large = {"day": "1", "month": "1", "year": HUGE_DIGITS}
    data = {name: too_large if field is date_boxes else "x" for name, field in fields.items()}
    return Raw(urlencode(_pairs(data)).encode())


def path_id(*known: int) -> st.SearchStrategy[int]:
    """An id in a URL: mostly one that exists, sometimes one no row has (the route caps nothing)."""
    return st.one_of(st.sampled_from(known), st.sampled_from(known), st.sampled_from([0, 2**31, 10**20]))
