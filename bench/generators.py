"""Deterministic generators of SYNTHETIC register files in the publishers' real layouts.

- Companies House BasicCompanyData: one CSV, the exact 55-column header of the real file (read
  from the real sample in ../shared/data), every value quoted, dates dd/mm/yyyy, LF line ends.
- Charity Commission full register download: zipped tab-separated tables with the exact headers
  of the real layout (read from the layout sample), CRLF line ends, dates as
  "yyyy-mm-dd 00:00:00.0000000", booleans True/False.

Content is invented (names are ordinary words and real town names; phone numbers are in Ofcom's
drama range, e-mail and web addresses use example domains). Output is reused when a file with
the same parameters already exists, so repeated `make bench` runs do not regenerate it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from . import OUT_DIR, SHARED_DATA
from . import vocab as v

GENERATOR_VERSION = 1
CH_SAMPLE = SHARED_DATA / "registers" / "companies_house_basic_company_data_sample.csv"
CCEW_SAMPLE_DIR = SHARED_DATA / "registers" / "ccew_extract_layout_synthetic"
CCEW_TABLES = (
    "charity",
    "charity_other_names",
    "charity_classification",
    "charity_area_of_operation",
    "charity_annual_return_parta",
)

# Per 10,000 companies. About 4% social-economy categories, as in the live register.
CH_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("Private Limited Company", 9298),
    ("Limited Liability Partnership", 150),
    ("Limited Partnership", 90),
    ("Private Unlimited Company", 30),
    ("Overseas Entity", 20),
    ("Public Limited Company", 12),
    ("Community Interest Company", 150),
    ("PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)", 120),
    (
        "PRI/LBG/NSC (Private, Limited by guarantee, no share capital, use of 'Limited' exemption)",
        60,
    ),
    ("Charitable Incorporated Organisation", 30),
    ("Registered Society", 25),
    ("Scottish Charitable Incorporated Organisation", 8),
    ("Industrial and Provident Society", 5),
    ("Royal Charter Company", 2),
)
SOCIAL_ECONOMY_CATEGORIES = frozenset(name for name, _ in CH_CATEGORIES[6:])

# Multiplying a counter by this odd number, not divisible by 5, permutes 0..10**n-1, so company
# and charity numbers look scattered but never repeat.
_SCATTER = 2654435761


def ch_header_line() -> str:
    """The real file's header line, byte for byte (leading spaces in some names included)."""
    with open(CH_SAMPLE, encoding="utf-8", newline="") as handle:
        return handle.readline()


def ccew_header(table: str) -> list[str]:
    with zipfile.ZipFile(CCEW_SAMPLE_DIR / f"publicextract.{table}.zip") as archive:
        first_line = archive.read(archive.namelist()[0]).split(b"\n", 1)[0]
    return first_line.decode("utf-8").rstrip("\r").split("\t")


# --- caching -----------------------------------------------------------------------------------


def _cached(target: Path, params: dict, write: Callable[[Path], None]) -> tuple[Path, bool]:
    """Write target (a file or a folder) unless it exists with the same parameters.

    Returns (path, reused). Writing goes to a temporary name first, so an interrupted run never
    leaves a half-written file that a later run would mistake for a finished one.
    """
    params = {**params, "generator_version": GENERATOR_VERSION, "synthetic": True}
    sidecar = target.with_name(target.name + ".params.json")
    if target.exists() and sidecar.exists():
        try:
            if json.loads(sidecar.read_text()) == params:
                return target, True
        except json.JSONDecodeError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    _remove(partial)
    write(partial)
    _remove(target)
    os.replace(partial, target)
    sidecar.write_text(json.dumps(params, indent=2) + "\n")
    return target, False


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --- shared pieces -----------------------------------------------------------------------------


def _postcode(rng: random.Random, trafford_share: float) -> str:
    if rng.random() < trafford_share:
        return rng.choice(v.trafford_postcodes())
    letters = v.POSTCODE_UNIT_LETTERS
    return (
        f"{rng.choice(v.POSTCODE_AREAS)}{rng.randint(1, 20)} "
        f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


_THEME_CUM: list[int] = []
for _, _, _weight in v.SOCIAL_THEMES:
    _THEME_CUM.append((_THEME_CUM[-1] if _THEME_CUM else 0) + _weight)


def social_name(rng: random.Random, town: str | None = None) -> tuple[str, str]:
    """(name, activity phrase) of an invented social-economy organisation."""
    pattern, activity, _ = rng.choices(v.SOCIAL_THEMES, cum_weights=_THEME_CUM)[0]
    return pattern.format(town=town or rng.choice(v.TOWNS)), activity


def business_name(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return f"{rng.choice(v.SURNAMES)} {rng.choice(v.BUSINESS_WORDS)}"
    if kind < 0.75:
        return f"{rng.choice(v.BRAND_PARTS)} {rng.choice(v.BUSINESS_WORDS)}"
    return f"{rng.choice(v.TOWNS)} {rng.choice(v.BUSINESS_WORDS)}"


# --- Companies House ---------------------------------------------------------------------------


def companies_house_csv(rows: int, seed: int = 1, out_dir: Path = OUT_DIR) -> tuple[Path, bool]:
    """BasicCompanyData (synthetic) with `rows` companies. Returns (path, reused)."""
    target = out_dir / f"BasicCompanyData-synthetic-{rows}-seed{seed}.csv"
    params = {"kind": "companies_house_basic_company_data", "rows": rows, "seed": seed}
    return _cached(target, params, lambda path: _write_companies_house(path, rows, seed))


def _write_companies_house(path: Path, rows: int, seed: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(ch_header_line())
        chunk: list[str] = []
        for values in companies_house_rows(rows, seed):
            chunk.append('"' + '","'.join(values) + '"\n')
            if len(chunk) >= 20_000:
                handle.writelines(chunk)
                chunk = []
        handle.writelines(chunk)


def companies_house_rows(rows: int, seed: int = 1) -> Iterator[list[str]]:
    rng = random.Random(seed)
    names = [c for c, _ in CH_CATEGORIES]
    cum: list[int] = []
    for _, weight in CH_CATEGORIES:
        cum.append((cum[-1] if cum else 0) + weight)
    counters: dict[str, int] = {}

    def number(prefix: str) -> str:
        count = counters.get(prefix, 0) + 1
        counters[prefix] = count
        if prefix == "":
            assert count < 16 * 10**6
            return f"{(count * _SCATTER) % (16 * 10**6):08d}"
        if prefix == "IP":
            assert count < 10**5
            return f"IP{(count * _SCATTER) % 10**5:05d}R"
        assert count < 10**6, f"too many {prefix} numbers"
        return f"{prefix}{(count * _SCATTER) % 10**6:06d}"

    choices = rng.choices
    rand = rng.random
    for _ in range(rows):
        category = choices(names, cum_weights=cum)[0]
        town = rng.choice(v.TOWNS)
        scottish = False
        if category == "Private Limited Company":
            roll = rand()
            scottish = roll < 0.05
            prefix = "SC" if scottish else ("NI" if roll < 0.07 else "")
            base = business_name(rng)
            name = f"{base} {'LTD' if rand() < 0.45 else 'LIMITED'}"
            sic = rng.choice(v.SIC_CODES[:20])
        elif category in SOCIAL_ECONOMY_CATEGORIES:
            base, _ = social_name(rng, town)
            sic = rng.choice(v.SIC_CODES[11:18])
            if category == "Community Interest Company":
                prefix = ""
                name = f"{base} {rng.choice(('CIC', 'C.I.C.', 'COMMUNITY INTEREST COMPANY'))}"
            elif category.startswith("PRI/LTD BY GUAR"):
                prefix, name = "", f"{base} LIMITED"
            elif category.startswith("PRI/LBG"):
                prefix, name = "", base
            elif category == "Charitable Incorporated Organisation":
                prefix, name = "CE", base if rand() < 0.8 else f"{base} (CIO)"
                sic = "None Supplied"
            elif category == "Scottish Charitable Incorporated Organisation":
                prefix, name, scottish = "SC", f"{base} SCIO", True
                sic = "None Supplied"
            elif category == "Registered Society":
                prefix, name = "RS", f"{base} LIMITED"
            elif category == "Industrial and Provident Society":
                prefix, name = "IP", f"{base} LIMITED"
            else:
                prefix, name = "RC", f"The Royal {town} Society"
        else:
            prefix = {
                "Limited Liability Partnership": "OC",
                "Limited Partnership": "LP",
                "Overseas Entity": "OE",
                "Public Limited Company": "",
                "Private Unlimited Company": "",
            }[category]
            suffix = {
                "Limited Liability Partnership": "LLP",
                "Limited Partnership": "LP",
                "Overseas Entity": "INC",
                "Public Limited Company": "PLC",
                "Private Unlimited Company": "",
            }[category]
            if category == "Limited Liability Partnership":
                base = f"{rng.choice(v.SURNAMES)} & {rng.choice(v.SURNAMES)}"
            else:
                base = business_name(rng)
            name = f"{base} {suffix}".strip()
            sic = rng.choice(v.SIC_CODES[:20])
        company_number = number(prefix)
        year = max(1900, 2024 - int(rng.expovariate(1 / 7)))
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        incorporated = f"{day:02d}/{month:02d}/{year}"
        no_address = prefix == "CE" and rand() < 0.7  # CIOs often have no registered address
        if no_address:
            address = ["", "", "", "", "", "", "", ""]
        else:
            street = f"{rng.randint(1, 250)} {rng.choice(v.STREETS).upper()}"
            line2 = rng.choice(("", "", "FIRST FLOOR", "UNIT 4", "SUITE 2"))
            address = [
                "",
                "",
                street,
                line2,
                town.upper(),
                rng.choice(("", "", "GREATER MANCHESTER", "WEST YORKSHIRE", "KENT")),
                "SCOTLAND" if scottish else rng.choice(("ENGLAND", "UNITED KINGDOM", "")),
                _postcode(rng, 0.015),
            ]
        status_roll = rand()
        status = (
            "Active"
            if status_roll < 0.95
            else "Active - Proposal to Strike off"
            if status_roll < 0.985
            else "Liquidation"
        )
        filed = year < 2023 and rand() < 0.9
        last_accounts = f"{28 if month == 2 else 30:02d}/{month:02d}/2023" if filed else ""
        account_category = rng.choice(v.ACCOUNT_CATEGORIES[:6]) if filed else "NO ACCOUNTS FILED"
        previous: list[str] = [""] * 20
        if rand() < 0.08:
            previous[0] = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{min(2024, year + 2)}"
            previous[1] = f"{business_name(rng)} LIMITED".upper()
        second_sic = rng.choice(v.SIC_CODES[:20]) if rand() < 0.15 else ""
        yield [
            name.upper(),
            company_number,
            *address,
            category,
            status,
            "United Kingdom",
            "",
            incorporated,
            "30" if month != 2 else "28",
            str(month),
            f"{28 if month == 2 else 30:02d}/{month:02d}/2025",
            last_accounts,
            account_category,
            f"{day:02d}/{month:02d}/2016" if year < 2016 else "",
            f"{day:02d}/{month:02d}/2015" if year < 2015 else "",
            *(("1", "0", "0", "1") if rand() < 0.1 else ("0", "0", "0", "0")),
            sic,
            second_sic,
            "",
            "",
            "0",
            "0",
            f"http://business.data.gov.uk/id/company/{company_number}",
            *previous,
            f"{day:02d}/{month:02d}/2025",
            f"{day:02d}/{month:02d}/2024" if year < 2024 else "",
        ]


# --- Charity Commission ------------------------------------------------------------------------

_CCEW_EXTRACT_DATE = "2023-09-07 00:00:00.0000000"
_CLASSIFICATION = {
    "What": (
        ("101", "General Charitable Purposes"),
        ("102", "Education/training"),
        ("103", "The Advancement Of Health Or Saving Of Lives"),
        ("104", "Disability"),
        ("105", "The Prevention Or Relief Of Poverty"),
        ("107", "Accommodation/housing"),
        ("108", "Religious Activities"),
        ("109", "Arts/culture/heritage/science"),
        ("110", "Amateur Sport"),
        ("112", "Environment/conservation/heritage"),
        ("113", "Economic/community Development/employment"),
        ("116", "Recreation"),
    ),
    "Who": (
        ("201", "Children/young People"),
        ("202", "Elderly/old People"),
        ("203", "People With Disabilities"),
        ("205", "Other Charities Or Voluntary Bodies"),
        ("206", "Other Defined Groups"),
        ("207", "The General Public/mankind"),
    ),
    "How": (
        ("301", "Makes Grants To Individuals"),
        ("302", "Makes Grants To Organisations"),
        ("305", "Provides Buildings/facilities/open Space"),
        ("306", "Provides Services"),
        ("307", "Provides Advocacy/advice/information"),
    ),
}


def _ccew_date(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d} 00:00:00.0000000"


def ccew_extract(charities: int, seed: int = 1, out_dir: Path = OUT_DIR) -> tuple[Path, bool]:
    """A folder of publicextract.<table>.zip files (synthetic). Returns (folder, reused)."""
    target = out_dir / f"ccew-synthetic-{charities}-seed{seed}"
    params = {"kind": "ccew_register_extract", "charities": charities, "seed": seed}
    return _cached(target, params, lambda path: _write_ccew(path, charities, seed))


class _TableWriter:
    """Streams one table into its own zip archive, in CRLF tab-separated text."""

    def __init__(self, folder: Path, table: str) -> None:
        self.archive = zipfile.ZipFile(
            folder / f"publicextract.{table}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6
        )
        self.member = self.archive.open(f"publicextract.{table}.txt", "w", force_zip64=True)
        self.width = len(ccew_header(table))
        self.lines: list[str] = ["\t".join(ccew_header(table)) + "\r\n"]
        self.count = 0

    def add(self, values: list[str]) -> None:
        assert len(values) == self.width, (len(values), self.width)
        self.lines.append("\t".join(values) + "\r\n")
        self.count += 1
        if len(self.lines) >= 10_000:
            self.flush()

    def flush(self) -> None:
        self.member.write("".join(self.lines).encode("utf-8"))
        self.lines = []

    def close(self) -> None:
        self.flush()
        self.member.close()
        self.archive.close()


def _write_ccew(folder: Path, charities: int, seed: int) -> None:
    folder.mkdir(parents=True)
    writers = {table: _TableWriter(folder, table) for table in CCEW_TABLES}
    try:
        for table, values in ccew_rows(charities, seed):
            writers[table].add(values)
    finally:
        for writer in writers.values():
            writer.close()


def ccew_rows(charities: int, seed: int = 1) -> Iterator[tuple[str, list[str]]]:
    """(table, values) for every row of every table, charity by charity."""
    rng = random.Random(seed)
    rand = rng.random
    authorities = v.ccew_local_authority_names()
    main_count = 0
    registered_number = ""
    linked = 0
    name_id = 0
    for index in range(charities):
        organisation_number = str(5_000_000 + index)
        if index and linked < 5 and rand() < 0.08:
            linked += 1  # a linked charity: same registered number, its own organisation number
        else:
            linked = 0
            main_count += 1
            registered_number = str(200_000 + (main_count * _SCATTER) % 1_000_000)
        town = rng.choice(v.TOWNS)
        if rand() < 0.1:
            name = f"The {rng.choice(v.SURNAMES)} Charitable Trust"
            activity = "grants to charities and individuals"
        else:
            name, activity = social_name(rng, town)
        registered = rand() < 0.6
        reg_year = max(1960, 2023 - int(rng.expovariate(1 / 15)))
        charity_type = (
            ""
            if linked
            else rng.choices(("Charitable company", "CIO", "Trust", "Other"), (30, 15, 25, 30))[0]
        )
        removal = "" if registered else _ccew_date(rng.randint(max(reg_year, 2000), 2023), 6, 1)
        income = int(rng.lognormvariate(10, 2)) if registered else 0
        has_accounts = registered and not linked
        slug = name.lower().replace("'", "").replace(" ", "-")
        company_number = (
            f"{(index * _SCATTER) % (16 * 10**6):08d}"
            if charity_type == "Charitable company"
            else ""
        )
        yield (
            "charity",
            [
                _CCEW_EXTRACT_DATE,
                organisation_number,
                registered_number,
                str(linked),
                name,
                charity_type,
                "Registered" if registered else "Removed",
                _ccew_date(reg_year, rng.randint(1, 12), rng.randint(1, 28)),
                removal,
                rng.choices(
                    ("Submission Received", "Submission Received Late", "Submission Overdue"),
                    (88, 8, 4),
                )[0]
                if has_accounts
                else "",
                _ccew_date(2022, 4, 1) if has_accounts else "",
                _ccew_date(2023, 3, 31) if has_accounts else "",
                str(income) if has_accounts else "",
                str(int(income * rng.uniform(0.7, 1.2))) if has_accounts else "",
                f"{rng.randint(1, 200)} {rng.choice(v.STREETS)}" if registered else "",
                town if registered else "",
                "",
                "",
                "",
                _postcode(rng, 0.01) if registered else "",
                f"(01632) 96{rng.randint(0, 9999):04d}" if registered else "",
                f"{slug}@example.org" if registered else "",
                f"https://www.example.org/{slug}" if registered and rand() < 0.6 else "",
                company_number,
                "False",
                "False",
                "False" if registered else "",
                "",
                ("True" if charity_type == "CIO" else "False") if charity_type else "",
                "False" if charity_type else "",
                "",
                f"The charity provides {activity} for {rng.choice(v.BENEFICIARIES)} "
                f"in {town} and the surrounding area."
                if registered
                else "",
                ("True" if rand() < 0.6 else "False") if registered else "",
                ("True" if rand() < 0.3 else "False") if registered else "",
            ],
        )
        head = [_CCEW_EXTRACT_DATE, organisation_number, registered_number]
        if rand() < 0.39:
            name_id += 1
            other_name, _ = social_name(rng, town)
            yield (
                "charity_other_names",
                [
                    *head,
                    str(linked),
                    str(name_id),
                    rng.choice(("Working name", "Previous name")),
                    other_name,
                ],
            )
        for kind, chance in (("What", 1.0), ("Who", 0.7), ("How", 0.55)):
            if rand() < chance:
                code, description = rng.choice(_CLASSIFICATION[kind])
                yield (
                    "charity_classification",
                    [*head, str(linked), code, kind, description],
                )
        roll = rand()
        if roll < 0.6:
            yield (
                "charity_area_of_operation",
                [*head, str(linked), "Local Authority", rng.choice(authorities), "", "", "False"],
            )
        elif roll < 0.72:
            yield (
                "charity_area_of_operation",
                [*head, str(linked), "Region", "Throughout England And Wales", "", "", "False"],
            )
        if (has_accounts and rand() < 0.95) or (registered and rand() < 0.5):
            yield (
                "charity_annual_return_parta",
                [
                    *head,
                    "True",
                    "1",
                    "AR22",
                    _ccew_date(2021, 4, 1),
                    _ccew_date(2022, 3, 31),
                    _ccew_date(2023, 1, 31),
                    _ccew_date(2022, 12, rng.randint(1, 28)),
                    str(income),
                    str(int(income * 0.9)),
                    *[""] * 37,
                    str(rng.randint(0, 200)),
                ],
            )


# The national postcode file's columns (NSPL, 2011 geographies): the importer reads nine of them.
NSPL_COLUMNS = (
    "pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "osnrth1m", "osgrdind",
    "oa11", "cty", "ced", "laua", "ward", "hlthau", "nhser", "ctry", "rgn", "pcon", "eer",
    "teclec", "ttwa", "pct", "nuts", "park", "lsoa11", "msoa11", "wz11", "ccg", "bua11",
    "buasd11", "ru11ind", "oac11", "lat", "long", "lep1", "lep2", "pfa", "imd", "calncv", "stp",
)  # fmt: skip
_UNITS = ("AB", "DE", "FG", "HJ", "LN", "PQ", "RS", "TU", "WX", "YZ")


def national_postcodes_csv(rows: int, seed: int = 1, out_dir: Path = OUT_DIR) -> tuple[Path, bool]:
    """NSPL's whole-UK CSV (synthetic) with `rows` distinct postcodes. Returns (path, reused)."""
    target = out_dir / f"NSPL_SYNTHETIC_{rows}_seed{seed}_UK.csv"
    params = {"kind": "nspl_uk", "rows": rows, "seed": seed}
    return _cached(target, params, lambda path: _write_postcodes(path, rows, seed))


def _write_postcodes(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    width = len(NSPL_COLUMNS)
    at = {name: i for i, name in enumerate(NSPL_COLUMNS)}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(NSPL_COLUMNS) + "\n")
        lines: list[str] = []
        for n in range(rows):
            # Two letters, a district (1-99), a sector (0-9) and a unit: distinct for n < 6.7M.
            area, rest = divmod(n, 99 * 10 * len(_UNITS))
            district, rest = divmod(rest, 10 * len(_UNITS))
            sector, unit = divmod(rest, len(_UNITS))
            outward = f"{chr(65 + area // 26 % 26)}{chr(65 + area % 26)}{district + 1}"
            inward = f"{sector}{_UNITS[unit]}"
            values = [""] * width
            values[at["pcd"]] = f"{outward:<4}{inward}"
            values[at["pcd2"]] = values[at["pcds"]] = f"{outward} {inward}"
            values[at["dointr"]] = "198001"
            values[at["doterm"]] = "" if n % 7 else "201506"
            values[at["usertype"]], values[at["osgrdind"]] = "0", "1"
            values[at["laua"]] = f"E0{rng.randrange(6, 9)}0000{rng.randrange(10, 99)}"
            values[at["ward"]] = f"E05{rng.randrange(0, 10**6):06d}"
            values[at["lsoa11"]] = f"E01{rng.randrange(0, 10**6):06d}"
            values[at["msoa11"]] = f"E02{rng.randrange(0, 10**6):06d}"
            values[at["ctry"]] = "E92000001"
            values[at["lat"]] = f"{rng.uniform(50, 58):.6f}"
            values[at["long"]] = f"{rng.uniform(-5, 1.5):.6f}"
            lines.append(",".join(values) + "\n")
            if len(lines) >= 10_000:
                handle.writelines(lines)
                lines.clear()
        handle.writelines(lines)
