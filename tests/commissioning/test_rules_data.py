"""The rules files: every route code exactly, valid against the schemas, and a broken file
refused with the file and the field named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from commonground.commissioning.catalogue import (
    ROUTE_CODES,
    RULES_DIR,
    RulesError,
    load_rules,
    rules,
)
from commonground.commissioning.engine import route_function, route_functions
from commonground.commissioning.engine.registry import RegistryError
from tests.commissioning.factories import run


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_shipped_rules_have_27_routes_each_decided_by_one_function():
    assert len(ROUTE_CODES) == len(set(ROUTE_CODES)) == 27
    assert list(rules().routes) == list(ROUTE_CODES)
    functions = route_functions()
    assert list(functions) == list(ROUTE_CODES)
    assert len(set(functions.values())) == 27


def test_a_route_whose_family_has_no_function_for_it_is_refused_by_name():
    grant = rules().routes["grant"]
    moved = type(grant)(grant.code, {**grant.data, "family": "asset"}, grant.file)
    with pytest.raises(RegistryError, match="r_grant"):
        route_function(moved)


def test_every_route_has_what_a_lawyer_reviews():
    for route in rules().routes.values():
        d = route.data
        assert d["legal_basis"] and all(b["url"].startswith("http") for b in d["legal_basis"])
        assert d["conditions"] and d["timeline"] and d["risks"]
        assert len(d["principle_fit"]) == 9
        assert all(c["source"].startswith("http") for c in d["conditions"])


def test_rules_version_is_the_review_date_plus_a_content_hash(rules_copy: Path):
    first = load_rules(rules_copy)
    reviewed = yaml.safe_load((rules_copy / "thresholds.yaml").read_text())["reviewed"]
    assert first.version.startswith(f"{reviewed}+")
    edit(rules_copy / "routes" / "grant.yaml", lambda d: d.update(timeline="Two weeks."))
    assert load_rules(rules_copy).version != first.version
    assert load_rules(rules_copy).version == load_rules(rules_copy).version


def test_a_route_missing_a_field_is_refused_naming_file_and_field(rules_copy: Path):
    edit(rules_copy / "routes" / "grant.yaml", lambda d: d.pop("legal_basis"))
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.file == "routes/grant.yaml"
    assert caught.value.field == "legal_basis"
    assert "routes/grant.yaml: legal_basis" in str(caught.value)


def test_a_bad_family_is_refused_naming_the_field(rules_copy: Path):
    edit(rules_copy / "routes" / "open_procedure.yaml", lambda d: d.update(family="shopping"))
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert (caught.value.file, caught.value.field) == ("routes/open_procedure.yaml", "family")


def test_a_condition_without_a_source_is_refused_naming_its_position(rules_copy: Path):
    edit(rules_copy / "routes" / "grant.yaml", lambda d: d["conditions"][0].pop("source"))
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.field == "conditions.0.source"


def test_an_unknown_field_is_refused(rules_copy: Path):
    edit(rules_copy / "routes" / "grant.yaml", lambda d: d.update(recommended=True))
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.field == "recommended"


def test_a_code_that_does_not_match_its_file_is_refused(rules_copy: Path):
    edit(rules_copy / "routes" / "grant.yaml", lambda d: d.update(code="subsidy_spei"))
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert (caught.value.file, caught.value.field) == ("routes/grant.yaml", "code")


def test_a_missing_route_file_is_refused(rules_copy: Path):
    (rules_copy / "routes" / "grant.yaml").unlink()
    with pytest.raises(RulesError, match="grant"):
        load_rules(rules_copy)


def test_a_threshold_that_is_not_a_number_is_refused_naming_its_path(rules_copy: Path):
    edit(
        rules_copy / "thresholds.yaml",
        lambda d: d["thresholds"]["light_touch"]["values"][0].update(value="lots"),
    )
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.file == "thresholds.yaml"
    assert caught.value.field == "thresholds.light_touch.values.0.value"


def test_threshold_dates_out_of_order_are_refused(rules_copy: Path):
    def swap(d):
        values = d["thresholds"]["works"]["values"]
        values[0], values[1] = values[1], values[0]

    edit(rules_copy / "thresholds.yaml", swap)
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.field == "thresholds.works.values.1.from"


def test_a_file_that_is_not_yaml_is_refused_naming_the_line(rules_copy: Path):
    (rules_copy / "routes" / "grant.yaml").write_text("code: grant\nname: [unclosed\n")
    with pytest.raises(RulesError) as caught:
        load_rules(rules_copy)
    assert caught.value.file == "grant.yaml"
    assert caught.value.field.startswith("line ")


def test_a_new_threshold_is_a_dated_entry_and_old_dates_keep_the_old_figure(rules_copy: Path):
    def add(d):
        d["thresholds"]["light_touch"]["values"].append(
            {"from": "2028-01-01", "value": 70000000, "source": "https://example.org/si"}
        )

    edit(rules_copy / "thresholds.yaml", add)
    catalogue = load_rules(rules_copy)
    import datetime as dt

    t = catalogue.threshold("light_touch")
    assert t.on(dt.date(2027, 12, 31)).value == 66354000
    assert t.on(dt.date(2028, 1, 1)).value == 70000000


def test_every_condition_the_engine_can_cite_exists_in_the_yaml():
    # A broad sweep of answers exercises every branch; Ctx.reason raises on unknown ids.
    flags = [
        "is_health_care_service",
        "light_touch_service",
        "incumbent_exists",
        "innovation_required",
        "outcomes_measurable",
        "social_investor_interest",
        "counterparty_is_public_body",
        "multiple_providers_to_integrate",
        "novel_or_prototype",
        "extreme_urgency_unforeseeable",
        "only_one_capable_provider",
        "recipient_carries_on_economic_activity",
    ]
    for nation in ("england", "wales", "scotland", "northern_ireland"):
        for day in ("2016-06-01", "2019-06-01", "2024-06-01", "2026-06-01"):
            for flag in flags:
                for receives in (True, False):
                    run(
                        nation=nation,
                        decision_date=day,
                        council_receives_services=receives,
                        estimated_value_pence=50_000_000,
                        **{flag: True},
                    )
