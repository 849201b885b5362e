"""Where a money source itself places a party: the local authorities the linkage compares with
an organisation's (ADR 0016).

Only a statement about the party counts. A 360Giving grant says where its recipient is
("Recipient Org:Location") and where the grant's beneficiaries are ("Beneficiary Location");
a body funded for one area is usually based in it, or next to it. What places a flow in the
ledger is not always such a statement: a council's spend file, or a council's grants without
a beneficiary location, are placed in the paying council's own area, which says nothing about
where its suppliers or recipients are. So spend and contract parties, and payers, have no
place here; their postcodes, where the data gives them, are compared instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from commonground.places.models import Place, PlaceKind

from .models import Channel, LinkMethod, MoneyFlow

LOCAL_AUTHORITY_PREFIXES = ("E06", "E07", "E08", "E09", "W06", "S12", "N09")
WARD_PREFIXES = ("E05", "W05", "S13", "N08")

# (the recipient's own locations, the grant's beneficiary locations), as published.
GrantLocations = tuple[Any, Any]


def _codes(locations: Any) -> set[str]:
    if not isinstance(locations, list):
        return set()
    found = set()
    for location in locations:
        code = location.get("geoCode") if isinstance(location, dict) else None
        if isinstance(code, str) and code.strip():
            found.add(code.strip().upper())
    return found


def _authorities(locations: Any, authority_of: Mapping[str, str]) -> set[str]:
    return {authority_of[code] for code in _codes(locations) if code in authority_of}


def grant_recipient_places(
    grants: Iterable[GrantLocations], authority_of: Mapping[str, str]
) -> tuple[str, ...]:
    """The local authorities one recipient's grants place it in, as GSS codes.

    `authority_of` maps a local authority's or a ward's code to the current authority's code;
    other codes (an LSOA, a region, an authority since abolished) place nothing. The recipient's
    own location wins. Else the grants' beneficiary locations, but only when they all name the
    same one authority: a body funded to work in several areas is not placed by them."""
    own: set[str] = set()
    benefiting: set[str] = set()
    for recipient_locations, beneficiary_locations in grants:
        own |= _authorities(recipient_locations, authority_of)
        benefiting |= _authorities(beneficiary_locations, authority_of)
    if own:
        return tuple(sorted(own))
    if len(benefiting) == 1:
        return tuple(benefiting)
    return ()


def _authority_of(codes: set[str]) -> dict[str, str]:
    """Code -> the current local authority's code, for the authorities and wards known."""
    found: dict[str, str] = {}
    authorities = sorted(c for c in codes if c.startswith(LOCAL_AUTHORITY_PREFIXES))
    wards = sorted(c for c in codes if c.startswith(WARD_PREFIXES))
    for start in range(0, len(authorities), 500):
        for code in Place.objects.filter(
            gss_code__in=authorities[start : start + 500],
            kind=PlaceKind.LOCAL_AUTHORITY,
            end_date__isnull=True,
        ).values_list("gss_code", flat=True):
            found[code] = code
    for start in range(0, len(wards), 500):
        # A ward code is never reused, so an old ward still names its authority, if that
        # authority has not itself been abolished since.
        for ward, authority in Place.objects.filter(
            gss_code__in=wards[start : start + 500],
            kind=PlaceKind.WARD,
            parent__kind=PlaceKind.LOCAL_AUTHORITY,
            parent__end_date__isnull=True,
        ).values_list("gss_code", "parent__gss_code"):
            found[ward] = authority
    return found


def recipient_places(dataset: str, keys: set[str] | None = None) -> dict[str, tuple[str, ...]]:
    """Recipient key -> the local authorities the dataset's grants place that recipient in
    (those with these keys, or all); recipients it does not place are left out."""
    flows = MoneyFlow.objects.filter(dataset=dataset)
    if keys is not None:
        flows = flows.filter(recipient_key__in=sorted(keys))
    # One importer makes a dataset, so one flow tells whether it is a grants dataset.
    if list(flows.order_by().values_list("channel", flat=True)[:1]) != [Channel.GRANT]:
        return {}
    rows = (
        flows.filter(channel=Channel.GRANT)
        .exclude(recipient_link_method=LinkMethod.REDACTED)
        .values_list(
            "recipient_key", "raw__recipientOrganization__0__location", "raw__beneficiaryLocation"
        )
        .order_by()
    )
    grants: dict[str, list[GrantLocations]] = {}
    codes: set[str] = set()
    for key, own, benefiting in rows:
        grants.setdefault(key, []).append((own, benefiting))
        codes |= _codes(own) | _codes(benefiting)
    authority_of = _authority_of(codes)
    places = {key: grant_recipient_places(found, authority_of) for key, found in grants.items()}
    return {key: found for key, found in places.items() if found}
