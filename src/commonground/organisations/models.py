"""The atlas: one Organisation per real organisation, with every identifier and source record.

An organisation's facts (name, sector, status, address, ...) are derived from its source
records by `services.organisation_refresh`, so they do not depend on which register was
loaded first (ADR 0004).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from commonground.core.permissions import is_signed_in


class Sector(models.TextChoices):
    CHARITY = "charity", "Charity"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise (incl. CIC)"
    COOPERATIVE_MUTUAL = "cooperative_mutual", "Co-operative or mutual"
    COMMUNITY_BUSINESS = "community_business", "Community business"
    SOCIAL_FINANCE = "social_finance", "Social finance (funders and investors)"
    PUBLIC_BODY = "public_body", "Public body"
    PRIVATE_BUSINESS = "private_business", "Private business"
    UNKNOWN = "unknown", "Unknown"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    REMOVED = "removed", "Removed from the register"
    DISSOLVED = "dissolved", "Dissolved"
    UNKNOWN = "unknown", "Unknown"


class IdentifierScheme(models.Model):
    """An org-id.guide scheme (GB-CHC, GB-COH, ...), loaded as data from its published list."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    public_database = models.URLField(max_length=500, blank=True)
    # How to link to one record: "{id}" is replaced by the identifier's local part.
    record_url_template = models.CharField(max_length=500, blank=True)
    official = models.BooleanField(default=True)  # False for Common Ground's local schemes
    licence = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.code


class Organisation(models.Model):
    org_id = models.CharField(max_length=60, unique=True)  # the preferred identifier
    name = models.CharField(max_length=500)
    sector = models.CharField(
        max_length=20, choices=Sector.choices, default=Sector.UNKNOWN, db_index=True
    )
    # [{"sector": ..., "source": dataset, "field": ..., "value": ..., "rule": ...}, ...]
    sector_evidence = models.JSONField(default=list, blank=True)
    legal_form = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.UNKNOWN, db_index=True
    )
    date_registered = models.DateField(null=True, blank=True)
    date_removed = models.DateField(null=True, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    local_authority = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ward = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latitude = models.FloatField(null=True, blank=True, db_index=True)
    longitude = models.FloatField(null=True, blank=True)
    activities = models.TextField(blank=True)
    website = models.CharField(max_length=500, blank=True)
    latest_income_pence = models.BigIntegerField(null=True, blank=True, db_index=True)
    latest_income_date = models.DateField(null=True, blank=True)
    latest_income_source = models.CharField(max_length=80, blank=True)
    # Normalised text the full-text index is built from (see organisations.search).
    search_name = models.TextField(blank=True)
    search_other = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["local_authority", "sector"]),
            models.Index(fields=["ward", "sector"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.org_id})"


class WideSearchRow(models.Model):
    """What a search within a place reads of an organisation that works across a region or a
    nation, copied beside the organisation on PostgreSQL (ADR 0054).

    Every search within a place in England reads every organisation working across England;
    scattered through the organisations table, they were most of the pages such a search read.
    Here they sit together. Written only by search.index.refresh_search_index, as the search
    vector is (the services call it whenever an organisation or its places change), with the
    vector in a `search_vector` column that exists on PostgreSQL only; SQLite leaves it empty."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, db_column="id", related_name="+"
    )
    sector = models.CharField(max_length=20)
    status = models.CharField(max_length=10)
    legal_form = models.CharField(max_length=200, blank=True)
    latest_income_pence = models.BigIntegerField(null=True)
    search_name = models.TextField(blank=True)
    local_authority_id = models.IntegerField(null=True)
    ward_id = models.IntegerField(null=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)

    def __str__(self) -> str:
        return str(self.pk)


class Identifier(models.Model):
    """One org-id the organisation is known by, e.g. GB-CHC-1234567."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identifiers"
    )
    value = models.CharField(max_length=60, unique=True)  # the full org-id
    scheme = models.CharField(max_length=20, db_index=True)  # e.g. GB-CHC
    local_id = models.CharField(max_length=40)  # e.g. 1234567

    def __str__(self) -> str:
        return self.value


class IdentifierLink(models.Model):
    """A published statement that two org-ids are the same organisation."""

    org_id_a = models.CharField(max_length=60, db_index=True)
    org_id_b = models.CharField(max_length=60, db_index=True)
    dataset = models.CharField(max_length=80)
    name = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_id_a", "org_id_b"], name="identifier_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.org_id_a} = {self.org_id_b}"


class OtherName(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="other_names"
    )
    name = models.CharField(max_length=500)
    source = models.CharField(max_length=80)  # dataset code

    def __str__(self) -> str:
        return self.name


class SourceRecord(models.Model):
    """One record from one register, kept raw, with the facts parsed from it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="source_records"
    )
    dataset = models.CharField(max_length=80)
    record_key = models.CharField(max_length=120)  # the record's id within its dataset
    raw = models.JSONField()
    facts = models.JSONField()  # an OrganisationRecord as JSON (see registers.records)
    checksum = models.CharField(max_length=64)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    row_number = models.PositiveIntegerField(null=True)
    file_name = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "record_key"], name="source_record_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset}:{self.record_key}"


class LinkReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class LinkReview(models.Model):
    """An uncertain match of a payer or recipient (a "party" in a money source) to an
    organisation, waiting for a reviewer, or decided by one (see organisations.linkage).

    The decision is kept by the party's signature (normalised name and postcode) as well as its
    key, so a re-import of the same or another file reuses it instead of asking again."""

    party_key = models.CharField(max_length=300, db_index=True)
    signature = models.CharField(max_length=300, db_index=True)
    party_name = models.CharField(max_length=500)
    party_postcode = models.CharField(max_length=8, blank=True)
    party_identifiers = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=80, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="link_reviews"
    )
    score = models.FloatField()  # Splink's match probability, 0..1
    # [{"field": ..., "party": ..., "organisation": ..., "level": ..., "weight": ...}, ...]
    evidence = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10,
        choices=LinkReviewStatus.choices,
        default=LinkReviewStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Accounts are kept as tombstones when deleted, so PROTECT never blocks a deletion.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["signature", "organisation"], name="link_review_signature_organisation"
            )
        ]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"{self.party_name} -> {self.organisation_id} ({self.status})"


class PlaceRelation(models.TextChoices):
    BASED_IN = "based_in", "Based in"
    WORKS_IN = "works_in", "Works in"


class Coverage(models.TextChoices):
    """How widely a place link reaches: one local authority, a county or city region, a
    region, or a whole nation (recorded once, not as one row per local authority)."""

    LOCAL = "local", "Local"
    AREA = "area", "County or city region"
    REGION = "region", "Region"
    NATIONAL = "national", "National"


class PlaceLink(models.Model):
    """An organisation belongs to a place: where it is based or where it works, with evidence.

    Derived from its source records (registered address, a register's area of operation, a
    register of organisations operating in an area) by services.organisation_refresh; links
    with source `declared` are what the organisation's own members say and are never derived.
    Places are named by GSS code so every version of a place is covered (ADR 0022)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="place_links"
    )
    relation = models.CharField(max_length=10, choices=PlaceRelation.choices)
    gss_code = models.CharField(max_length=9)
    place_name = models.CharField(max_length=200)
    coverage = models.CharField(max_length=10, choices=Coverage.choices, default=Coverage.LOCAL)
    source = models.CharField(max_length=80)  # dataset code, or "declared"
    evidence = models.CharField(max_length=400)  # in plain words
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "relation", "gss_code", "source"],
                name="place_link_unique",
            )
        ]
        # Coverage and the organisation too, so a search's local links (search/query.py,
        # local_link_ids) are read from the index alone, not from the rows of every nation-wide
        # link of the place (9,393 rows for a place in England at 1,000,000 organisations).
        indexes = [models.Index(fields=["gss_code", "relation", "coverage", "organisation"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.relation} {self.gss_code}"


class OrganisationEmbedding(models.Model):
    """The sentence embedding of what an organisation does (core.embeddings), with the
    fingerprint of the text it was computed from, so unchanged text is never embedded again."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    fingerprint = models.CharField(max_length=32)
    vector = models.BinaryField()
    # The vectors of the text's passages (sentences and clauses), one after another; empty for a
    # text of one passage.
    passages = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"embedding of {self.organisation_id}"


class ShortlistQuerySet(models.QuerySet["Shortlist"]):
    def owned_by(self, user: object) -> ShortlistQuerySet:
        """A person's own shortlists (none for anyone not signed in): shortlists are private."""
        if not is_signed_in(user):
            return self.none()
        return self.filter(owner_id=getattr(user, "pk", None))

    def with_sizes(self) -> ShortlistQuerySet:
        return self.annotate(size=models.Count("entries"))


class Shortlist(models.Model):
    """A signed-in person's saved list of organisations, e.g. "Befriending, Trafford".

    Private to its owner (accounts.permissions.shortlists); written only through
    organisations.shortlists. A need or a partnership may take its organisations."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlists"
    )
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShortlistQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="shortlist_owner_name")
        ]
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(models.Model):
    """One organisation on a shortlist, with the owner's note on why."""

    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="shortlist_entries"
    )
    note = models.CharField(max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shortlist", "organisation"], name="shortlist_entry_unique"
            )
        ]
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation_id} on {self.shortlist_id}"
