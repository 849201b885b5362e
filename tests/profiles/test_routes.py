"""The routes an organisation is open to are reviewed data mapped to the catalogue's routes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commonground.commissioning.catalogue import ROUTE_CODES
from commonground.profiles.routes import (
    DATA_DIR,
    WillingRoutesError,
    load_willing_routes,
    willing_routes,
)


def test_the_eight_routes_of_the_issue_each_map_to_catalogue_routes() -> None:
    routes = willing_routes()
    assert routes.codes == (
        "grant",
        "contract",
        "subcontract",
        "consortium_lead",
        "consortium_member",
        "asset_transfer",
        "social_investment",
        "volunteering",
    )
    for route in routes.routes.values():
        assert route.catalogue_routes, route.code
        assert set(route.catalogue_routes) <= set(ROUTE_CODES)


def test_an_organisation_open_to_asset_transfer_is_open_to_the_catalogue_asset_routes() -> None:
    routes = willing_routes()
    assert routes.catalogue_codes(["asset_transfer"]) == {
        "community_asset_transfer",
        "community_right_to_bid",
    }
    assert "asset_transfer" in routes.willing_for(["community_asset_transfer"])
    assert "grant" not in routes.willing_for(["community_asset_transfer"])


def _copy(tmp_path: Path) -> Path:
    for name in ("willing_routes.yaml", "willing_routes.schema.json"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_mapping_to_a_route_the_catalogue_does_not_have_is_refused_naming_the_field(
    tmp_path: Path,
) -> None:
    folder = _copy(tmp_path)
    path = folder / "willing_routes.yaml"
    path.write_text(
        path.read_text().replace("- community_right_to_bid", "- community_right_to_buy")
    )
    with pytest.raises(WillingRoutesError) as caught:
        load_willing_routes(folder)
    assert caught.value.field == "routes.5.catalogue_routes.1"
    assert "community_right_to_buy" in str(caught.value)


def test_a_route_without_its_reason_is_refused_naming_the_field(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "willing_routes.yaml"
    text = path.read_text()
    start = text.index("    why: The two asset routes in the catalogue.")
    path.write_text(text[:start] + text[start:].split("\n", 1)[1])
    with pytest.raises(WillingRoutesError) as caught:
        load_willing_routes(folder)
    assert caught.value.field == "routes.5.why"
