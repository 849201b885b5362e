"""Reading amounts and dates as publishers write them, exactly (no floating point).

Each parser raises RowRejected naming the field and saying what was expected, so a rejected row
tells the publisher what to fix.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from commonground.imports.errors import RowRejected

_CURRENCY = re.compile(r"^(?:GBP|£|\$|€)\s*|\s*(?:GBP|£)$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
# Most published amounts are plain "1234.56": read those with integer arithmetic, exactly as the
# general path below would, and leave everything else to it.
_PLAIN_AMOUNT = re.compile(r"(-?)(\d+)(?:\.(\d{1,2}))?")
# How far from a whole penny an amount may be and still be that penny: 1e-6 of a pound.
FLOAT_NOISE_PENCE = Decimal("0.0001")

# Day-first, as UK publishers write dates; ISO first because the standards require it.
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%Y/%m/%d",
)


def parse_amount_pence(value: object, field: str, *, required: bool = True) -> int | None:
    """'1,234.56', '£1,234.56', '(1,234.56)', '-12', 12.5 -> pence; exact to the penny.

    Brackets mean a negative amount (accounting style). More than two decimal places are
    refused unless the extra digits are zeros, or float noise within 1e-6 of a pound of a whole
    penny (41133.770000000004 is 41133.77): rounding more would change a published total.
    """
    if type(value) is str and (plain := _PLAIN_AMOUNT.fullmatch(value)):
        sign, pounds, pence = plain.groups()
        whole = int(pounds) * 100 + (int(pence) * (10 if len(pence) == 1 else 1) if pence else 0)
        return -whole if sign else whole
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise RowRejected("the amount is empty", field)
        return None
    if isinstance(value, bool):
        raise RowRejected(f"{value!r} is not an amount of money", field)
    if isinstance(value, int):
        return value * 100
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.startswith("-") and len(text) > 1 and not text[1].isdigit():
        negative, text = not negative, text[1:].strip()  # "-£12.00"
    text = _CURRENCY.sub("", text).strip()
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise RowRejected(
            f"{str(value)!r} is not an amount of money (write it like 1234.56; a £ sign, "
            "thousands commas and brackets for negatives are understood)",
            field,
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise RowRejected(f"{str(value)!r} is not an amount of money", field) from None
    pence = amount * 100
    if pence != pence.to_integral_value() and abs(pence - round(pence)) <= FLOAT_NOISE_PENCE:
        # A spreadsheet's binary float written out in full (41133.770000000004 for 41133.77):
        # within a millionth of a pound of a whole penny, it is that penny.
        pence = Decimal(round(pence))
    if pence != pence.to_integral_value():
        raise RowRejected(
            f"{str(value)!r} has fractions of a penny; amounts must be in pounds and pence",
            field,
        )
    result = int(pence)
    return -result if negative else result


# Dates read so far, by the text as written: a year of payments repeats a few hundred dates, and
# strptime is slow. Only dates that parsed are kept; the cache is cleared when it grows large.
_DATES: dict[str, date] = {}


def parse_flexible_date(value: object, field: str, *, required: bool = True) -> date | None:
    """A date in ISO form (with or without a time) or a common UK form (31/03/2025, ...)."""
    if type(value) is str and (known := _DATES.get(value)) is not None:
        return known
    parsed = _parse_date(value, field, required)
    if type(value) is str and parsed is not None:
        if len(_DATES) >= 20_000:
            _DATES.clear()
        _DATES[value] = parsed
    return parsed


def _parse_date(value: object, field: str, required: bool) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise RowRejected("the date is empty", field)
        return None
    iso = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", text)
    if iso:
        text = iso.group(1)
    elif timed := _WITH_TIME.match(text):  # "01/04/2025 00:00", as spreadsheets write them
        text = timed.group(1)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if impossible := _impossible(text):
        raise RowRejected(f"{text!r} is not a real date: {impossible}", field)
    raise RowRejected(
        f"{text!r} is not a date (write it as YYYY-MM-DD, e.g. 2025-03-31; 31/03/2025 is also "
        "understood)",
        field,
    )


_WITH_TIME = re.compile(r"^(.+?)[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_ISO_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST_SHAPE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _impossible(text: str) -> str:
    """Why a date written in a form understood names no day ('there is no 31 February'), or
    '' if it is not in such a form."""
    order = ""
    if shape := _ISO_SHAPE.match(text):
        year, month, day = (int(part) for part in shape.groups())
    elif shape := _DAY_FIRST_SHAPE.match(text):
        day, month, year = (int(part) for part in shape.groups())
        order = " (dates like this are read day first, as in 31/03/2025)"
    else:
        return ""
    if not 1 <= month <= 12:
        return f"there is no month {month}{order}"
    return f"{datetime(2000, month, 1):%B} {year} has no day {day}"


def financial_year(day: date) -> int:
    """The UK financial year a day falls in, by its starting year: 2025-03-31 -> 2024."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def clean(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())
