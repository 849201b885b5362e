"""Geography: places over time (ONS GSS codes with start and end dates) and postcodes."""

from __future__ import annotations

from django.db import models


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    LOCAL_AUTHORITY = "local_authority", "Local authority district"
    WARD = "ward", "Electoral ward"


class Place(models.Model):
    """An area with an ONS GSS code, valid from start_date to end_date (boundaries change)."""

    gss_code = models.CharField(max_length=9, db_index=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # GeoJSON geometry in WGS84; drawn as SVG so no tile server is needed.
    boundary = models.JSONField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Published statistics about the place (e.g. Indices of Deprivation), keyed by dataset.
    attributes = models.JSONField(default=dict, blank=True)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code", "start_date"], name="place_unique_gss_start"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.gss_code})"


class LocalAuthorityCode(models.Model):
    """A GB-LAE org-id code (e.g. TRF) and the GSS code it maps to."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(max_length=200)
    official_name = models.CharField(max_length=300, blank=True)
    authority_type = models.CharField(max_length=10, blank=True)
    gss_code = models.CharField(max_length=9, blank=True, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"GB-LAE-{self.code}"


class Postcode(models.Model):
    """A postcode unit and the places it falls in (from ONSPD / NSPL)."""

    postcode = models.CharField(max_length=8, unique=True)  # normalised: "M32 0TH"
    ward_code = models.CharField(max_length=9, blank=True, db_index=True)
    local_authority_code = models.CharField(max_length=9, blank=True, db_index=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    msoa_code = models.CharField(max_length=9, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    introduced = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)
    import_run = models.ForeignKey(
        "imports.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.postcode
