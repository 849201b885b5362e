"""Places for tests (Trafford's real code unless told otherwise), and the NSPL sample in
../shared/data written out as the published national CSV would be."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import factory

from commonground.places.models import Place

# Columns of the national files that this project does not use are written too, so the test
# file looks like the real one.
NSPL_COLUMNS = [
    "pcd", "pcd2", "pcds", "dointr", "doterm", "usertype", "oseast1m", "osnrth1m", "osgrdind",
    "oa11", "cty", "ced", "laua", "ward", "hlthau", "nhser", "ctry", "rgn", "pcon", "eer",
    "teclec", "ttwa", "pct", "nuts", "park", "lsoa11", "msoa11", "wz11", "ccg", "bua11",
    "buasd11", "ru11ind", "oac11", "lat", "long", "lep1", "lep2", "pfa", "imd", "calncv", "stp",
]  # fmt: skip


def _month(value: str | None) -> str:
    """The sample stores dates as ISO timestamps; the published CSV writes months as YYYYMM."""
    return value[:4] + value[5:7] if value else ""


def nspl_rows(shared_data: Path) -> list[dict[str, str]]:
    sample = json.loads((shared_data / "places" / "nspl_sample.json").read_text(encoding="utf-8"))
    rows = []
    for entry in sample:
        row = {c: "" if entry.get(c) is None else str(entry[c]) for c in NSPL_COLUMNS}
        row["dointr"], row["doterm"] = _month(entry["dointr"]), _month(entry["doterm"])
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], rename: dict[str, str] | None = None) -> Path:
    rename = rename or {}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([rename.get(c, c) for c in rows[0]])
        writer.writerows([list(r.values()) for r in rows])
    return path


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("gss_code",)

    gss_code = "E08000009"
    name = "Trafford"
    kind = "local_authority"
