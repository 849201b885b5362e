"""Small parsers shared by the place importers; each names the field it rejects."""

from __future__ import annotations

import re
from datetime import date, datetime

from commonground.imports.errors import RowRejected

GSS_CODE = re.compile(r"^[EWSNKLM]\d{8}$")


def text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def require(value: object, field: str) -> str:
    cleaned = text(value)
    if not cleaned:
        raise RowRejected("a value is required here but the field is empty", field)
    return cleaned


def gss_code(value: object, field: str, prefixes: tuple[str, ...] = ()) -> str:
    code = require(value, field).upper()
    if not GSS_CODE.match(code):
        raise RowRejected(f"{code!r} is not an ONS GSS code (a letter and eight digits)", field)
    if prefixes and not code.startswith(prefixes):
        raise RowRejected(
            f"{code!r} is not the kind of area expected here (codes start {', '.join(prefixes)})",
            field,
        )
    return code


def optional_gss_code(value: object, field: str) -> str:
    """A GSS code, or '' where the publisher leaves it empty or uses a pseudo-code."""
    cleaned = text(value).upper()
    if not cleaned:
        return ""
    # ONSPD/NSPL fill areas a postcode has none of with pseudo-codes such as "E99999999".
    if cleaned.endswith("99999999"):
        return ""
    return gss_code(cleaned, field)


def number(value: object, field: str) -> float:
    cleaned = text(value)
    try:
        result = float(cleaned)
    except ValueError:
        raise RowRejected(f"{cleaned!r} is not a number", field) from None
    if result != result or result in (float("inf"), float("-inf")):
        raise RowRejected(f"{cleaned!r} is not a number", field)
    return result


def whole_number(value: object, field: str) -> int:
    cleaned = text(value)
    if not re.fullmatch(r"-?\d+", cleaned):
        raise RowRejected(f"{cleaned!r} is not a whole number", field)
    return int(cleaned)


def iso_date(value: object, field: str) -> date | None:
    cleaned = text(value)
    if not cleaned:
        return None
    try:
        return date.fromisoformat(cleaned[:10])
    except ValueError:
        raise RowRejected(f"{cleaned!r} is not a date in the form YYYY-MM-DD", field) from None


def month_date(value: object, field: str) -> date | None:
    """ONSPD/NSPL dates are months ('202502'); some copies write ISO dates instead."""
    cleaned = text(value)
    if not cleaned:
        return None
    if re.fullmatch(r"\d{6}", cleaned):
        try:
            return date(int(cleaned[:4]), int(cleaned[4:]), 1)
        except ValueError:
            pass
    else:
        try:
            return datetime.fromisoformat(cleaned).date()
        except ValueError:
            pass
    raise RowRejected(f"{cleaned!r} is not a month in the form YYYYMM", field)
