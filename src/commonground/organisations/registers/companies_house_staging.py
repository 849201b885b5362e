"""Companies House rows staged by DuckDB: the stored JSON and organisation made in SQL (ADR 0055).

The national load keeps about 200,000 of 5,000,000 rows. Parsing each kept line, building its
OrganisationRecord and serialising it in Python cost three times DuckDB's whole read of the
file (ADR 0040, 0046). Here DuckDB parses a chunk of candidate lines and builds, for each
*plain* row, exactly what `stage(parse_record(row))` would: the raw row and the facts as
`json.dumps(..., sort_keys=True)` writes them, and the organisation the record makes alone
(their checksum is made by hashlib, as for every record).

A row is plain when nothing in it needs Python's judgement: printable ASCII only (JSON then
escapes only backslash and quote), a well-formed CSV line with as many fields as the header,
one of the selected categories, a company number already in its 8-character form (or digits
to pad), a name, and dates that are empty or valid dd/mm/yyyy. Every other line (a bad date, a
stray quote, an accent) goes through `parse_record` as before, so its errors are reported in
the usual words. A test stages the sample and a file of awkward rows both ways and compares
every byte.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..coverage import works_in_links
from ..models import Sector, Status
from ..records import _FACT_FIELDS, stored_checksum
from ..search.normalise import EQUIVALENTS
from ..search.semantic import MAX_ACTIVITIES_CHARS
from ..services import DERIVED_FIELDS
from ..staged import Alone, StagedRecord
from .base import NULLS

# A line of printable ASCII that Python's csv module and DuckDB read alike: fields quoted
# (with doubled quotes inside) or without quotes and commas. Matched whole, by DuckDB's RE2
# as it picks out the candidate lines, and by Python's re alike.
_QUOTED = r'"(?:[ !#-~]|"")*"'
_BARE = r"[ !#-+\--~]*"
PLAIN_LINE = rf"(?:{_QUOTED}|{_BARE})(?:,(?:{_QUOTED}|{_BARE}))*"
_PLAIN_LINE = re.compile(PLAIN_LINE)
_NULL_WORDS = sorted(NULLS - {""})


def plain_line(line: str) -> bool:
    """Whether DuckDB may stage the line (the rest of the test is in SQL)."""
    return _PLAIN_LINE.fullmatch(line) is not None


class Layout(NamedTuple):
    """The register's columns and categories that staging reads (from companies_house)."""

    number: str
    name: str
    category: str
    status: str
    incorporated: str
    dissolved: str
    postcode: str
    address: tuple[str, ...]
    sic: tuple[str, ...]
    previous_names: tuple[str, ...]
    categories: tuple[str, ...]  # the selected categories' keys
    sectors: dict[str, tuple[str, str]]  # category key -> (sector, rule)


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class CompaniesHouseStaging:
    """Stages chunks of candidate lines of one file (its header given) with one DuckDB
    connection; `stage` returns the staged record of each plain line, by line number."""

    def __init__(
        self,
        header: Sequence[str],
        *,
        dataset: str,
        register: str,
        priority: int,
        file_name: str,
        layout: Layout,
    ) -> None:
        import duckdb

        if works_in_links([{"_dataset": dataset, "areas_of_operation": []}]):
            raise RuntimeError(f"{dataset} records name places worked in: stage them in Python")
        self.header = list(header)
        self.dataset = dataset
        self.file_name = file_name
        self.select = _select_sql(self.header, (dataset, register, priority), layout)
        self.columns = {"n": "BIGINT", **{f"c{i}": "VARCHAR" for i in range(len(self.header))}}
        self.connection = duckdb.connect()
        self.connection.execute(_MACROS)
        self.folder = tempfile.TemporaryDirectory(prefix="companies_house_staging_")

    def close(self) -> None:
        self.connection.close()
        self.folder.cleanup()

    def stage(self, plain: Sequence[tuple[int, str]]) -> dict[int, StagedRecord]:
        """Staged records of the plain lines (plain_line) DuckDB can read, by line number."""
        if not plain:
            return {}
        path = Path(self.folder.name) / "chunk.csv"
        path.write_text("".join(f"{number},{line}\n" for number, line in plain))
        rows = self.connection.execute(
            self.select.replace("{source}", _read_csv(path, self.columns))
        ).fetchall()
        dataset, file_name = self.dataset, self.file_name
        return {
            row[0]: StagedRecord(
                dataset,
                row[1],  # the record key: the company number
                row[0],  # the line number
                file_name,
                row[2],  # raw JSON
                row[3],  # facts JSON
                stored_checksum(row[2], row[3]),  # hashlib: twice DuckDB's speed here
                (row[6],),  # its one identifier: the organisation's org-id
                Alone(tuple(row[6:]), [(name, dataset) for name in row[4]], row[5], None),
            )
            for row in rows
        }


def _read_csv(path: Path, columns: dict[str, str]) -> str:
    # A line DuckDB cannot read as one record of the header's width is left out (ignore_errors)
    # and so goes through Python, which reports it.
    listed = ", ".join(f"{_quoted(name)}: {_quoted(kind)}" for name, kind in columns.items())
    return (
        f"read_csv({_quoted(str(path))}, columns = {{{listed}}}, header = false, delim = ',', "
        "quote = '\"', escape = '\"', auto_detect = false, ignore_errors = true, "
        "null_padding = false, parallel = false)"
    )


_EQUIVALENT_CASES = " ".join(f"WHEN {_quoted(k)} THEN {_quoted(v)}" for k, v in EQUIVALENTS.items())
# tidy(x): registers.base.text for printable ASCII (spaces trimmed and collapsed, null words
# emptied); js(x): a JSON string literal of printable ASCII, as json.dumps writes it.
_MACROS = f"""
CREATE MACRO squeeze(x) AS CASE WHEN contains(x, '  ')
    THEN regexp_replace(trim(x), ' +', ' ', 'g') ELSE trim(x) END;
CREATE MACRO tidy(x) AS CASE WHEN lower(squeeze(x)) IN
    ({", ".join(_quoted(w) for w in _NULL_WORDS)}) THEN '' ELSE squeeze(x) END;
CREATE MACRO js(x) AS '"' || replace(replace(x, '\\', '\\\\'), '"', '\\"') || '"';
CREATE MACRO day_month_year(x) AS CASE WHEN x = '' THEN NULL
    ELSE strftime(try_strptime(x, '%d/%m/%Y'), '%Y-%m-%d') END;
CREATE MACRO plain_date(x) AS x = '' OR (regexp_full_match(x, '\\d\\d/\\d\\d/\\d{{4}}')
    AND substr(x, 7, 4) <> '0000' AND try_strptime(x, '%d/%m/%Y') IS NOT NULL);
CREATE MACRO js_or_null(x) AS coalesce(js(x), 'null');
CREATE MACRO normalised(x) AS array_to_string(list_transform(list_filter(string_split(
    replace(regexp_replace(replace(regexp_replace(lower(x), '[''`]', '', 'g'), '&', ' & '),
    '[^a-z0-9_&]+', ' ', 'g'), '_', ' '), ' '), lambda w: w <> ''),
    lambda w: CASE w {_EQUIVALENT_CASES} ELSE w END), ' ');
"""


def _select_sql(header: list[str], source: tuple[str, str, int], layout: Layout) -> str:
    """The query staging a chunk: (dataset, register, priority) name the source."""
    dataset, register, priority = source

    def col(name: str) -> str:
        return f"coalesce(c{header.index(name)}, '')"

    # Each value tidied once a row, in a materialised step (DuckDB would otherwise work out
    # an expression again wherever it is used).
    tidied = {
        "category": f"tidy({col(layout.category)})",
        "number": f"upper(replace(trim(tidy({col(layout.number)})), ' ', ''))",
        "name": f"tidy({col(layout.name)})",
        "status": f"lower(tidy({col(layout.status)}))",
        "dissolved": col(layout.dissolved),
        "incorporated": col(layout.incorporated),
        "postcode": f"upper(replace({col(layout.postcode)}, ' ', ''))",
        **{f"address{i}": f"nullif(tidy({col(c)}), '')" for i, c in enumerate(layout.address)},
        # parse_record keeps a SIC value that tidies to nothing (as an empty item); so do we.
        **{
            f"sic{i}": f"CASE WHEN {col(c)} = '' THEN NULL ELSE tidy({col(c)}) END"
            for i, c in enumerate(layout.sic)
        },
        **{
            f"previous{i}": f"CASE WHEN trim({col(c)}) <> '' THEN tidy({col(c)}) END"
            for i, c in enumerate(layout.previous_names)
        },
        # json.dumps(raw, sort_keys=True) of the row's non-empty values.
        "raw_json": "'{' || concat_ws(', ', "
        + ", ".join(
            f"CASE WHEN {col(name)} <> '' THEN {_quoted(json.dumps(name) + ': ')} || "
            f"js({col(name)}) END"
            for name in sorted(header)
        )
        + ") || '}'",
    }
    selected = ", ".join(_quoted(c) for c in layout.categories)
    previous = ", ".join(f"previous{i}" for i in range(len(layout.previous_names)))
    return f"""
WITH tidied AS MATERIALIZED (
  SELECT n, {", ".join(f"{expression} AS {name}" for name, expression in tidied.items())}
  FROM {{source}}
), keyed AS MATERIALIZED (
  SELECT *, lower(trim(split_part(category, ' (', 1))) AS category_key,
    CASE WHEN regexp_full_match(number, '\\d{{1,7}}') THEN lpad(number, 8, '0')
      ELSE number END AS record_key,
    list_filter([{previous}], lambda x: x IS NOT NULL) AS previous
  FROM tidied
), facts AS MATERIALIZED (
  SELECT n, record_key, raw_json, name, category, category_key, previous,
    {_fact_values_sql(layout)}
  FROM keyed
  WHERE category_key IN ({selected}) AND regexp_full_match(record_key, '[A-Z0-9]{{8}}')
    AND name <> '' AND plain_date(dissolved) AND plain_date(incorporated)
    -- longer values are cut in the organisation's row: left to the general rules
    AND length(name) <= 500 AND length(category) <= 200
    AND list_bool_and(list_transform(previous, lambda x: length(x) <= 500)) IS NOT FALSE
), derived AS (
  SELECT *, {_facts_json_sql(register, priority, layout)} AS facts_json,
    list_filter(previous, lambda x, i: x <> '' AND lower(x) <> lower(name)
      AND NOT list_contains(list_transform(previous[1:i - 1], lambda y: lower(y)), lower(x)))
      AS other_names
  FROM facts
)
SELECT n, record_key, raw_json, facts_json,
  other_names,
  {_embedding_text_sql()}, {_organisation_sql(dataset, register, layout)}
FROM derived ORDER BY n
"""


def _fact_values_sql(layout: Layout) -> str:
    """The facts that are not plain copies of a tidied value, each as an SQL value."""
    address = f"concat_ws(', ', {', '.join(f'address{i}' for i in range(len(layout.address)))})"
    activities = (
        "concat_ws('; ', "
        + ", ".join(
            f"CASE WHEN sic{i} <> 'None Supplied' THEN sic{i} END" for i in range(len(layout.sic))
        )
        + ")"
    )
    status = (
        "CASE WHEN dissolved <> '' OR starts_with(status, 'dissolved') "
        f"THEN {_quoted(Status.DISSOLVED.value)} "
        "WHEN status IN ('converted/closed', 'closed', 'removed') "
        f"THEN {_quoted(Status.REMOVED.value)} "
        "WHEN regexp_matches(status, '^(active|live|liquidation|in administration|"
        "administration)|receiver|voluntary arrangement|insolvency') "
        f"THEN {_quoted(Status.ACTIVE.value)} ELSE {_quoted(Status.UNKNOWN.value)} END"
    )
    postcode = (
        "CASE WHEN regexp_full_match(postcode, '[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}') "
        "THEN left(postcode, length(postcode) - 3) || ' ' || right(postcode, 3) ELSE '' END"
    )
    values = {
        "address_value": address,
        "activities_value": activities,
        "status_value": status,
        "postcode_value": postcode,
        "registered_value": "day_month_year(incorporated)",
        "removed_value": "day_month_year(dissolved)",
    }
    return ", ".join(f"{expression} AS {name}" for name, expression in values.items())


def _claim_sql(layout: Layout, fields: dict[str, str]) -> str:
    """The category's sector claim as JSON (keys sorted), with `fields` added; [] if none."""
    cases = []
    for key, (sector, rule) in layout.sectors.items():
        claim = {
            "field": _quoted(layout.category),
            "rule": _quoted(rule),
            "sector": _quoted(sector),
        }
        claim |= {"value": "category", **fields}
        members = " || ', ' || ".join(
            f"{_quoted(json.dumps(name) + ': ')} || js({claim[name]})" for name in sorted(claim)
        )
        cases.append(f"WHEN {_quoted(key)} THEN '[{{' || {members} || '}}]'")
    return f"CASE category_key {' '.join(cases)} ELSE '[]' END"


def _facts_json_sql(register: str, priority: int, layout: Layout) -> str:
    """OrganisationRecord.facts() as json.dumps(..., sort_keys=True) writes it."""
    values = {
        "activities": "js(activities_value)",
        "address": "js(address_value)",
        "areas_of_operation": "'[]'",
        "classifications": "'[]'",
        "date_registered": "js_or_null(registered_value)",
        "date_removed": "js_or_null(removed_value)",
        "identifiers": "'[\"GB-COH-' || record_key || '\"]'",
        "latest_income_date": "'null'",
        "latest_income_pence": "'null'",
        "latitude": "'null'",
        "legal_form": "js(category)",
        "longitude": "'null'",
        "name": "js(name)",
        "other_names": "'[' || array_to_string(list_transform(previous, lambda x: js(x)), ', ')"
        " || ']'",
        "postcode": "js(postcode_value)",
        "priority": _quoted(str(priority)),
        "register": f"js({_quoted(register)})",
        "sector_claims": _claim_sql(layout, {}),
        "status": "js(status_value)",
        "website": "'\"\"'",
    }
    if set(values) != set(_FACT_FIELDS):  # a new fact must be staged here too
        raise RuntimeError(f"staging does not know the facts {set(_FACT_FIELDS) ^ set(values)}")
    return (
        "'{' || "
        + " || ', ' || ".join(
            f"{_quoted(json.dumps(name) + ': ')} || {values[name]}" for name in sorted(values)
        )
        + " || '}'"
    )


def _embedding_text_sql() -> str:
    """search.semantic.embedding_text of the name and activities (no classifications)."""
    return (
        "CASE WHEN trim(activities_value) <> '' THEN name || '. ' || "
        f"left(trim(activities_value), {MAX_ACTIVITIES_CHARS}) ELSE name END"
    )


def _organisation_sql(dataset: str, register: str, layout: Layout) -> str:
    """services._derive of the one record, but for its place, in DERIVED_FIELDS order."""
    sectors = " ".join(
        f"WHEN {_quoted(key)} THEN {_quoted(sector)}" for key, (sector, _) in layout.sectors.items()
    )
    source = {"register": _quoted(register), "source": _quoted(dataset)}
    derived = {
        "org_id": "'GB-COH-' || record_key",
        "name": "name",
        "sector": f"CASE category_key {sectors} ELSE {_quoted(Sector.UNKNOWN.value)} END",
        "sector_evidence": _claim_sql(layout, source),
        "legal_form": "category",
        "status": "status_value",
        "date_registered": "registered_value",
        "date_removed": "removed_value",
        "address": "address_value",
        "postcode": "postcode_value",
        "local_authority": "NULL",
        "ward": "NULL",
        "latitude": "NULL",
        "longitude": "NULL",
        "activities": "activities_value",
        "website": "''",
        "latest_income_pence": "NULL",
        "latest_income_date": "NULL",
        "latest_income_source": "''",
        "search_name": "normalised(name)",
        "search_other": "normalised(array_to_string(other_names, ' '))",
    }
    if list(derived) != DERIVED_FIELDS:  # a new derived field must be staged here too
        raise RuntimeError("staging derives the organisation's fields in another order")
    return ", ".join(derived.values())
