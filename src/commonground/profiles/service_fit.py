"""Which services in a place fit a need's words, by meaning and by shared words (issue 15).

A register says little of what many organisations do; what their members write about their
services (name, what it does, who it is for, who can use it, the areas it serves) often says
more. Matching a need reads the active services of organisations in the need's place (based
there, or serving it or one of its wards), places each service's text in the one embedding space
(`core.embeddings`, ADR 0017) and ranks them by closeness to the need's words; an organisation
counts by its closest service.

Vectors of service texts are kept in this process, keyed by the text's fingerprint (which names
the model), so a service is embedded once until its text changes; a place has hundreds of
services at most, so this is one small matrix product a match.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection

from commonground.core import embeddings
from commonground.organisations.models import Organisation
from commonground.organisations.search.hybrid import MIN_SIMILARITY, STOPWORDS, stem
from commonground.organisations.search.normalise import query_terms
from commonground.places.models import Place

from .models import Service, ServiceStatus

# A service counts towards a match only if at least this close in meaning to the need (the
# search's own threshold for meaning alone, ADR 0024).
MIN_FIT = MIN_SIMILARITY
CACHE_LIMIT = 200_000  # service texts whose vectors are kept in this process
# What a match reads of a service (not its imported record, which can be long).
MATCHED_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "description",
    "who_for",
    "eligibility",
    "status",
)

_cache: dict[str, np.ndarray] = {}
_lock = threading.Lock()


@dataclass
class ServiceFit:
    """An organisation's service that fits a need, and why."""

    organisation_id: int
    service_name: str
    similarity: float
    words: list[str] = field(default_factory=list)  # the need's words its text has
    areas: list[str] = field(default_factory=list)  # names of the areas it serves


def service_text(service: Service, area_names: Sequence[str]) -> str:
    """What a service is matched on: its name, what it does, for whom, and where."""
    parts = [service.name, service.description, service.who_for, service.eligibility]
    if area_names:
        parts.append("Serves " + ", ".join(area_names))
    return ". ".join(p.strip() for p in parts if p and p.strip())


def _vectors(texts: list[str]) -> np.ndarray:
    keys = [embeddings.text_fingerprint(text) for text in texts]
    with _lock:
        missing = [i for i, key in enumerate(keys) if key not in _cache]
    if missing:
        made = embeddings.embed([texts[i] for i in missing])
        with _lock:
            if len(_cache) + len(missing) > CACHE_LIMIT:
                _cache.clear()
            for i, vector in zip(missing, made, strict=True):
                _cache[keys[i]] = vector
    matrix = np.zeros((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    with _lock:
        for i, key in enumerate(keys):
            found = _cache.get(key)
            if found is None:  # cleared meanwhile by another thread: embed it again
                found = embeddings.embed_one(texts[i])
            matrix[i] = found
    return matrix


def services_in_place(place: Place, ward_ids: Sequence[int]) -> list[Service]:
    """Active services of atlas organisations based in the place, or serving it or one of
    its wards. Each way in is read by its own index (an OR across the join, or the status
    index, would read every service in the country); status is checked here."""
    serving = Service.places.through.objects.filter(place_id__in=[place.pk, *ward_ids])
    ids = set(serving.values_list("service_id", flat=True))
    ids |= _services_of_organisations_based_in(place)
    return [
        service
        for service in Service.objects.filter(pk__in=sorted(ids), organisation__isnull=False)
        .only(*MATCHED_FIELDS)
        .order_by("pk")
        if service.status == ServiceStatus.ACTIVE
    ]


def _services_of_organisations_based_in(place: Place) -> set[Any]:
    """The ids of the services of the organisations based in the place. On PostgreSQL the
    organisations are listed first and their services looked up in the services' organisation
    index (`= ANY(ARRAY(...))`): asked as `IN (SELECT ...)`, the planner hashes every service in
    the country (25-45 ms at 100,000 services, against 11 ms)."""
    based = Organisation.objects.filter(local_authority=place).values("pk")
    if connection.vendor != "postgresql":
        return set(Service.objects.filter(organisation_id__in=based).values_list("pk", flat=True))
    organisations, params = based.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Service._meta.db_table} "
            f"WHERE organisation_id = ANY(ARRAY({organisations}))",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def area_names(services: Sequence[Service]) -> dict[Any, list[str]]:
    """The names of the areas each service serves (names only: a place row carries its
    boundary, far too much to read for hundreds of services)."""
    names: dict[Any, list[str]] = {s.pk: [] for s in services}
    rows = Service.places.through.objects.filter(service_id__in=list(names)).values_list(
        "service_id", "place__name"
    )
    for service_id, name in rows:
        names[service_id].append(name)
    return {pk: sorted(found) for pk, found in names.items()}


def services_fitting(
    text: str,
    place: Place | None,
    ward_ids: Sequence[int] = (),
    *,
    limit: int = 100,
    vector: np.ndarray | None = None,
) -> list[ServiceFit]:
    """Organisations whose closest service fits `text` (whose vector may be given), best first
    (one entry each, at most `limit`), among the services in the place; nothing without a place
    or words."""
    if place is None or not text.strip():
        return []
    found = services_in_place(place, ward_ids)
    if not found:
        return []
    named = area_names(found)
    areas = [named[s.pk] for s in found]
    texts = [service_text(s, names) for s, names in zip(found, areas, strict=True)]
    query = embeddings.embed_one(text) if vector is None else vector
    scores = _vectors(texts) @ query
    # The need's own words (as written) by their stems, looked for as the start of a word.
    words: dict[str, str] = {}
    for word in query_terms(text):
        if word not in STOPWORDS:
            words.setdefault(stem(word), word)
    longest_first = sorted(words, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, longest_first)) + ")") if words else None
    best: dict[int, ServiceFit] = {}
    for index in np.argsort(-scores, kind="stable"):
        service, similarity = found[int(index)], float(scores[int(index)])
        if similarity < MIN_FIT:
            break
        org = service.organisation_id
        if org is None or org in best:
            continue
        found_stems = set(pattern.findall(texts[int(index)].lower())) if pattern else set()
        shared = [word for key, word in words.items() if key in found_stems]
        best[org] = ServiceFit(org, service.name, similarity, shared, areas[int(index)])
        if len(best) >= limit:
            break
    return list(best.values())
