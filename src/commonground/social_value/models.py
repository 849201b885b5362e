"""Social value: frameworks (theme → outcome → measure) as versioned data, and a partnership's
commitments, deliveries, evidence and verification, kept apart so that a claimed figure is never
shown as a verified one (ADR 0010).

Quantities are decimals with two places (hours and tonnes can be fractional; a quantity in
pounds is then exact to the penny). Proxy values are integer pence per unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from commonground.accounts.perspectives import Perspective
from commonground.core.uploads import UploadTo, private_storage


class Unit(models.TextChoices):
    """The units a measure can count in. A closed list, so that two figures said to be in the
    same unit can be added, and an imported framework with a made-up unit is refused."""

    PEOPLE = "people", "people"
    HOURS = "hours", "hours"
    WEEKS = "weeks", "weeks"
    SESSIONS = "sessions", "sessions"
    ORGANISATIONS = "organisations", "organisations"
    POUNDS = "pounds", "pounds (£)"
    TONNES_CO2E = "tonnes_co2e", "tonnes of CO2 equivalent"


class Framework(models.Model):
    """One version of a social value framework. A new version is a new row: commitments point
    at the measures of the version they were made against, so their figures never shift."""

    slug = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200)
    licence_url = models.URLField(max_length=500, blank=True)
    # What in this framework comes from the source and what the project or council added.
    provenance_note = models.TextField(blank=True)
    # Where it came from: a data file in the repository, or a council's import.
    origin = models.CharField(max_length=300, blank=True)
    is_default = models.BooleanField(default=False)
    # Who imported it through the web page or API; null for the files shipped in the repository.
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_sha256 = models.CharField(max_length=64, blank=True)
    loaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="sv_framework_slug_version")
        ]
        ordering = ["-is_default", "name", "version"]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Theme(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="sv_theme_code")]
        ordering = ["framework_id", "position", "code"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["theme", "code"], name="sv_outcome_code")]
        ordering = ["theme_id", "position", "code"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="measures")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    # A proxy turns a quantity into money. Only with its source and version; none is better
    # than an invented one.
    proxy_value_pence = models.PositiveBigIntegerField(null=True, blank=True)
    proxy_source = models.CharField(max_length=500, blank=True)
    proxy_source_url = models.URLField(max_length=500, blank=True)
    proxy_version = models.CharField(max_length=80, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="sv_measure_code"),
            models.CheckConstraint(
                condition=Q(proxy_value_pence__isnull=True)
                | (~Q(proxy_source="") & ~Q(proxy_version="")),
                name="sv_measure_proxy_has_source_and_version",
            ),
        ]
        ordering = ["framework_id", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def unit_label(self) -> str:
        return Unit(self.unit).label


class Commitment(models.Model):
    """A partnership commits to a quantity of a measure over a period."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="sv_commitments"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="commitments")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    description = models.TextField(blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sv_commitment_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="sv_commitment_period_order",
            ),
        ]
        ordering = ["partnership_id", "period_start", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} of {self.measure.code}"


class VerificationStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    EVIDENCED = "evidenced", "Claimed with evidence"
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"


class Delivery(models.Model):
    """What was delivered against a commitment in a period, as claimed by a member. Its status
    changes only through verification by a named person from another perspective."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="deliveries")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    description = models.TextField(blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as it was when claimed, so a later change of membership does not let the same side
    # verify its own claim.
    claimant_perspective = models.CharField(max_length=20, choices=Perspective.choices)
    claimed_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.CLAIMED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decider_perspective = models.CharField(max_length=20, choices=Perspective.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sv_delivery_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="sv_delivery_period_order",
            ),
            # The database's own guard: whoever claimed it never decides it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("claimed_by")),
                name="sv_delivery_not_self_verified",
            ),
        ]
        ordering = ["commitment_id", "period_start", "pk"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} ({self.status})"


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


class Evidence(models.Model):
    """A file (stored privately, served only through a permission-checked view) or a link."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=4, choices=EvidenceKind.choices)
    description = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(
        storage=private_storage, upload_to=UploadTo("social-value-evidence"), blank=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    file_kind = models.CharField(max_length=10, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (Q(kind="file") & Q(url="") & ~Q(file="")),
                name="sv_evidence_file_xor_link",
            )
        ]
        ordering = ["delivery_id", "added_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.kind}: {self.description}"


class ValueStatement(models.Model):
    """The intrinsic social value of the partnership, in a partner's own words: what numbers
    leave out. Shown beside the figures, never converted into them."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="sv_statements"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["partnership_id", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
