"""Writes to partnership profiles and their services: one function an action, each checked
against accounts.permissions on the server and audited in the same transaction.

Concurrency is optimistic: a save names the version it edited, and if someone saved in between
it fails with ProfileConflict (the API answers 409, the form says the profile changed), so
nothing is silently overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models, transaction
from django.utils import timezone

from commonground.accounts import permissions
from commonground.audit.services import audit_record, snapshot
from commonground.core.page_cache import public_data_changed
from commonground.organisations.models import Organisation
from commonground.places.models import Place
from commonground.places.selectors import place_by_gss

from . import limits
from .models import IncomeBand, Openness, PartnershipProfile, Service
from .routes import willing_routes
from .selectors import profile_service_count

PROFILE_FIELDS = (
    "summary",
    "open_to_partnership",
    "conditions",
    "routes",
    "people_served_a_year",
    "staff",
    "volunteers",
    "income_band",
    "asset_lock",
    "asset_lock_evidence",
    "member_owned",
    "member_owned_evidence",
    "community_control",
    "community_control_evidence",
    "quality_marks",
    "contact_email",
)
SERVICE_FIELDS = (
    "name",
    "description",
    "who_for",
    "eligibility",
    "how_to_access",
    "languages",
    "cost",
    "free",
    "url",
)
# The largest count a PositiveIntegerField holds on every database (PostgreSQL's integer): a
# larger one would fail on saving, so it is refused as input naming the field instead.
MAX_COUNT = 2_147_483_647
TOO_MANY_SERVICES = (
    f"A profile can list at most {limits.MAX_SERVICES} services: remove one before adding another."
)
GOVERNANCE = (
    ("asset_lock", "an asset lock"),
    ("member_owned", "member ownership"),
    ("community_control", "community control"),
)


class ProfileInvalid(ValueError):
    """What was sent cannot be saved: (field, detail) pairs, fields named as the API names them."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__(problems[0][1])
        self.problems = list(problems)


class ProfileConflict(Exception):
    """The profile changed since the version the person edited."""

    def __init__(self, current: PartnershipProfile | None, what: str = "profile") -> None:
        if current is None:
            message = (
                "Someone else changed this organisation's profile or services after you "
                "opened this page. Nothing you sent was saved: reload it, make your changes "
                "again and save."
            )
        elif what == "services":
            message = (
                f"Someone else saved this organisation's profile or one of its services (the "
                f"profile is now version {current.version}) after you opened this page. Nothing "
                "you sent was saved: reload it, make your changes again and save."
            )
        else:
            message = (
                f"Someone else saved this profile (now version {current.version}) after you "
                "opened it. Nothing you sent was saved: reload it, make your changes again and "
                "save."
            )
        super().__init__(message)
        self.current = current


@dataclass
class CleanService:
    id: str | None
    values: dict[str, Any]
    places: list[Place]


def _check_length(value: str, model: type[models.Model], name: str) -> None:
    """Text longer than its column holds fails on PostgreSQL when saved (SQLite keeps it): refuse
    it here, as a problem with the field, so both databases answer alike."""
    limit = getattr(model._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        raise DjangoValidationError(f"Use {limit} characters or fewer.")


def _text_problems(
    data: dict[str, Any], sizes: dict[str, tuple[str, int]], where: str = ""
) -> list[tuple[str, str]]:
    """Text longer than the profile's limit for it (limits.py), each named."""
    return [
        (f"{where}{name}", f"{label} must be {limit:,} characters or fewer.")
        for name, (label, limit) in sizes.items()
        if len(str(data.get(name) or "")) > limit
    ]


def _route_problems(routes: list[Any]) -> list[tuple[str, str]]:
    codes = willing_routes().codes
    if len(routes) > len(codes):
        return [("routes", f"Name each route once: there are {len(codes)} routes.")]
    return [
        (f"routes.{i}", f"{code!r} is not a route: use one of {', '.join(codes)}.")
        for i, code in enumerate(routes)
        if code not in codes
    ]


def _mark_problems(marks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    if len(marks) > limits.MAX_QUALITY_MARKS:
        return [("quality_marks", f"Give at most {limits.MAX_QUALITY_MARKS} quality marks.")]
    problems: list[tuple[str, str]] = []
    sizes = {
        "name": ("The name of a quality mark", limits.MAX_MARK_NAME_CHARS),
        "evidence": ("The evidence for a quality mark", limits.MAX_MARK_EVIDENCE_CHARS),
    }
    for i, mark in enumerate(marks):
        if not (mark.get("name") or "").strip():
            problems.append((f"quality_marks.{i}.name", "Name the quality mark."))
        if not (mark.get("evidence") or "").strip():
            problems.append((f"quality_marks.{i}.evidence", "Give the evidence for the mark."))
        problems += _text_problems(mark, sizes, f"quality_marks.{i}.")
    return problems


def _check_profile(data: dict[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if data.get("open_to_partnership") not in Openness.values:
        problems.append(("open_to_partnership", "Say yes, no or with conditions."))
    if data.get("open_to_partnership") == Openness.CONDITIONS and not data.get("conditions"):
        problems.append(("conditions", "Say what the conditions are."))
    problems += _text_problems(data, limits.PROFILE_TEXT)
    problems += _route_problems(data.get("routes") or [])
    if data.get("income_band") and data["income_band"] not in IncomeBand.values:
        problems.append(("income_band", f"{data['income_band']!r} is not an income band."))
    for name in ("people_served_a_year", "staff", "volunteers"):
        value = data.get(name)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= MAX_COUNT):
            problems.append((name, f"Give a whole number from 0 to {MAX_COUNT:,}."))
    for name, label in GOVERNANCE:
        if data.get(name) and not (data.get(f"{name}_evidence") or "").strip():
            problems.append((f"{name}_evidence", f"Give the evidence for {label}."))
    problems += _mark_problems(data.get("quality_marks") or [])
    if data.get("contact_email"):
        try:
            validate_email(data["contact_email"])
        except DjangoValidationError:
            problems.append(
                ("contact_email", "Enter an email address like partnerships@example.org.")
            )
        else:
            try:
                _check_length(data["contact_email"], PartnershipProfile, "contact_email")
            except DjangoValidationError as exc:
                problems.append(("contact_email", exc.messages[0]))
        if not data.get("contact_consent"):
            problems.append(
                (
                    "contact_consent",
                    "Confirm the address may be shown to signed-in commissioners and funders.",
                )
            )
    return problems


def _places(codes: list[Any], where: str) -> tuple[list[Place], list[tuple[str, str]]]:
    """The wards and local authorities a service names (each looked up, up to the limit)."""
    if len(codes) > limits.MAX_AREAS:
        return [], [(f"{where}.areas", f"Choose at most {limits.MAX_AREAS} areas served.")]
    places: list[Place] = []
    problems: list[tuple[str, str]] = []
    for j, code in enumerate(codes):
        place = place_by_gss(code)
        if place is None or place.kind not in ("ward", "local_authority"):
            problems.append(
                (
                    f"{where}.areas.{j}",
                    f"{code!r} is not a ward or local authority GSS code we know.",
                )
            )
        else:
            places.append(place)
    return places, problems


def _language_problems(languages: list[str], where: str) -> list[tuple[str, str]]:
    if len(languages) > limits.MAX_LANGUAGES:
        return [(f"{where}.languages", f"Give at most {limits.MAX_LANGUAGES} languages.")]
    return [
        (
            f"{where}.languages.{j}",
            f"A language must be {limits.MAX_LANGUAGE_CHARS} characters or fewer.",
        )
        for j, language in enumerate(languages)
        if len(language) > limits.MAX_LANGUAGE_CHARS
    ]


def _check_service(
    i: int, data: dict[str, Any]
) -> tuple[CleanService | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    where = f"services.{i}"
    if not (data.get("name") or "").strip():
        problems.append((f"{where}.name", "Give the service a name."))
    else:
        try:
            _check_length(data["name"], Service, "name")
        except DjangoValidationError as exc:
            problems.append((f"{where}.name", exc.messages[0]))
    if data.get("url"):
        try:
            URLValidator(schemes=["http", "https"])(data["url"])
            _check_length(data["url"], Service, "url")
        except DjangoValidationError:
            problems.append(
                (
                    f"{where}.url",
                    "Enter a web address starting https://, of 500 characters or fewer.",
                )
            )
    problems += _text_problems(data, limits.SERVICE_TEXT, f"{where}.")
    places, found = _places(data.get("areas") or [], where)
    problems += found
    languages = [str(x).strip() for x in data.get("languages") or [] if str(x).strip()]
    problems += _language_problems(languages, where)
    values = {name: data.get(name) for name in SERVICE_FIELDS}
    values = {k: ("" if v is None and k not in ("free",) else v) for k, v in values.items()}
    values["languages"] = languages
    return CleanService(data.get("id") or None, values, places), problems


def clean_profile(
    data: dict[str, Any], services: list[dict[str, Any]] | None
) -> tuple[dict[str, Any], list[CleanService] | None]:
    """Check everything at once; raise ProfileInvalid listing every problem."""
    problems = _check_profile(data)
    cleaned: list[CleanService] | None = None
    if services is not None and len(services) > limits.MAX_SERVICES:
        problems.append(("services", TOO_MANY_SERVICES))
    elif services is not None:
        cleaned = []
        for i, item in enumerate(services):
            service, found = _check_service(i, item)
            problems.extend(found)
            if service is not None:
                cleaned.append(service)
    if problems:
        raise ProfileInvalid(problems)
    values = {name: data.get(name) for name in PROFILE_FIELDS}
    for name in PROFILE_FIELDS:
        if values[name] is None and name not in ("people_served_a_year", "staff", "volunteers"):
            values[name] = [] if name in ("routes", "quality_marks") else ""
    for name, _ in GOVERNANCE:
        values[name] = bool(values[name])
    values["routes"] = list(dict.fromkeys(values["routes"]))
    return values, cleaned


def _write_services(
    organisation: Organisation, services: list[CleanService], now: dt.datetime
) -> None:
    existing = {
        str(s.pk): s for s in Service.objects.filter(organisation=organisation, source="profile")
    }
    kept: set[str] = set()
    for item in services:
        service = existing.get(str(item.id)) if item.id else None
        if service is None:
            service = Service(organisation=organisation, source="profile")
        for name, value in item.values.items():
            setattr(service, name, value)
        service.updated_at = now
        service.save()
        service.places.set(item.places)
        kept.add(str(service.pk))
    for pk, service in existing.items():
        if pk not in kept:
            service.delete()


def _snapshot(profile: PartnershipProfile) -> dict[str, Any]:
    data = snapshot(profile, [*PROFILE_FIELDS, "version", "confirmed_at"])
    data["services"] = sorted(
        Service.objects.filter(organisation_id=profile.organisation_id).values_list(
            "name", flat=True
        )
    )
    return data


def profile_save(
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    *,
    version: int | None,
    services: list[dict[str, Any]] | None = None,
) -> PartnershipProfile:
    """Create or replace the organisation's profile (and, when `services` is given, the services
    written on it). `version` is the version the person edited (None when creating)."""
    if not permissions.can_change_profile_of(actor, organisation.pk):
        raise PermissionDenied
    values, cleaned = clean_profile(data, services)
    now = timezone.now()
    with transaction.atomic():
        profile = (
            PartnershipProfile.objects.select_for_update().filter(organisation=organisation).first()
        )
        if profile is not None and version != profile.version:
            raise ProfileConflict(profile)
        before = _snapshot(profile) if profile is not None else None
        if profile is None:
            profile = PartnershipProfile(organisation=organisation, created_at=now, version=0)
        previous_contact = profile.contact_email
        for name, value in values.items():
            setattr(profile, name, value)
        if profile.contact_email and (
            profile.contact_email != previous_contact or not profile.contact_consent_at
        ):
            profile.contact_consent_at, profile.contact_consent_by = now, actor
        if not profile.contact_email:
            profile.contact_consent_at, profile.contact_consent_by = None, None
        profile.version += 1
        profile.confirmed_at = profile.updated_at = now
        profile.updated_by = actor
        profile.renewal_asked_at = None
        profile.save()
        if cleaned is not None:
            _write_services(organisation, cleaned, now)
        audit_record(
            actor=actor,
            action="profile.create" if before is None else "profile.update",
            obj=profile,
            before=before,
            after=_snapshot(profile),
        )
        public_data_changed()  # the organisation's cached public page shows the new profile
    return profile


def profile_confirm(actor: Any, profile: PartnershipProfile, *, version: int) -> PartnershipProfile:
    """An owner says the profile is still true: it is dated today and no longer stale."""
    if not permissions.can_change_profile_of(actor, profile.organisation_id):
        raise PermissionDenied
    with transaction.atomic():
        current = PartnershipProfile.objects.select_for_update().get(pk=profile.pk)
        if current.version != version:
            raise ProfileConflict(current)
        before = snapshot(current, ["confirmed_at", "version"])
        current.confirmed_at = current.updated_at = timezone.now()
        current.version += 1
        current.renewal_asked_at = None
        current.updated_by = actor
        current.save()
        audit_record(
            actor=actor,
            action="profile.confirm",
            obj=current,
            before=before,
            after=snapshot(current, ["confirmed_at", "version"]),
        )
    return current


def profile_mark_renewal_asked(profile: PartnershipProfile, when: dt.datetime) -> None:
    """Record that the owners of a stale profile were asked to renew it."""
    PartnershipProfile.objects.filter(pk=profile.pk).update(renewal_asked_at=when)
    audit_record(actor=None, action="profile.renewal_asked", obj=profile, after={"at": when})


def _service_snapshot(service: Service) -> dict[str, Any]:
    data = snapshot(service, [*SERVICE_FIELDS, "status"])
    data["areas"] = sorted(service.places.values_list("gss_code", flat=True))
    return data


def _profile_version_checked(
    actor: Any, organisation_id: int, version: int | None
) -> PartnershipProfile | None:
    """Services written on a profile are part of it: saving one (or removing it) names the
    profile version the person opened and moves the version on, so a second save made from the
    same version, of the profile or of any service, is refused (409 in the API) and nothing is
    overwritten. Call inside a transaction."""
    profile = (
        PartnershipProfile.objects.select_for_update()
        .filter(organisation_id=organisation_id)
        .first()
    )
    current = profile.version if profile is not None else None
    if version != current:
        raise ProfileConflict(profile, what="services") if profile else ProfileConflict(None)
    if profile is not None:
        profile.version += 1
        profile.updated_at, profile.updated_by = timezone.now(), actor
        profile.save(update_fields=["version", "updated_at", "updated_by"])
    return profile


def service_save(
    actor: Any,
    organisation: Organisation,
    data: dict[str, Any],
    *,
    service: Service | None = None,
    version: int | None,
) -> Service:
    """Add a service to the organisation's profile, or change one written on it. `version` is
    the profile's version when the person opened the service (None while there is no profile)."""
    if not permissions.can_change_profile_of(actor, organisation.pk):
        raise PermissionDenied
    if service is not None and (
        service.organisation_id != organisation.pk or service.source != "profile"
    ):
        raise PermissionDenied
    cleaned, problems = _check_service(0, data)
    if problems:
        raise ProfileInvalid([(f.split(".", 2)[-1], d) for f, d in problems])
    assert cleaned is not None
    with transaction.atomic():
        _profile_version_checked(actor, organisation.pk, version)
        if service is not None and not Service.objects.filter(pk=service.pk).exists():
            raise ProfileConflict(None)  # removed by someone else meanwhile
        if service is None and profile_service_count(organisation) >= limits.MAX_SERVICES:
            raise ProfileInvalid([("services", TOO_MANY_SERVICES)])
        before = _service_snapshot(service) if service is not None else None
        if service is None:
            service = Service(organisation=organisation, source="profile")
        for name, value in cleaned.values.items():
            setattr(service, name, value)
        service.updated_at = timezone.now()
        service.save()
        service.places.set(cleaned.places)
        audit_record(
            actor=actor,
            action="service.create" if before is None else "service.update",
            obj=service,
            before=before,
            after=_service_snapshot(service),
        )
        public_data_changed()
    return service


def service_delete(actor: Any, service: Service, *, version: int | None) -> None:
    """Remove a service written on the profile (from the profile version the person opened)."""
    if not permissions.can_change(actor, service) or service.source != "profile":
        raise PermissionDenied
    with transaction.atomic():
        _profile_version_checked(actor, service.organisation_id, version)  # type: ignore[arg-type]
        before = _service_snapshot(service)
        audit_record(actor=actor, action="service.delete", obj=service, before=before)
        service.delete()
        public_data_changed()
