"""The money ledger: one MoneyFlow per grant, contract award (share) or payment.

A flow names its payer and recipient as published, with the party key the linkage uses, the
organisation each is linked to (or none: unresolved) and how the link was made. The source
record (import run, file row or JSON path, the raw record) is kept with every flow, so every
figure in a profile can be traced to what the publisher wrote (ADR 0007).
"""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"
    SPEND = "spend", "Spend"
    INVESTMENT = "investment", "Investment"


class LinkMethod(models.TextChoices):
    """How a payer or recipient was linked to an organisation (values from the linkage)."""

    IDENTIFIER = "identifier", "Identifier in the data"
    PROBABILISTIC = "probabilistic", "Matched on name and postcode"
    REVIEW_ACCEPTED = "review_accepted", "Match accepted by a reviewer"
    REVIEW_REJECTED = "review_rejected", "Match rejected by a reviewer"
    REVIEW_PENDING = "review_pending", "Waiting for review"
    UNRESOLVED = "unresolved", "Not linked"
    REDACTED = "redacted", "Name withheld by the publisher"
    NOT_LINKED_YET = "", "Not linked yet"


class Attribution(models.TextChoices):
    """How a flow's recipient is attributed (ADR 0028, stored on the flow by ADR 0034)."""

    REGISTER = "register", "Register (identifier or register link)"
    INFERRED = "inferred", "Inferred from the name (legal form)"
    UNKNOWN = "unknown", "Unknown"


class MoneyFlow(models.Model):
    channel = models.CharField(max_length=12, choices=Channel.choices, db_index=True)
    # Source record: which catalogue dataset, its identity there, and where it was read from.
    dataset = models.CharField(max_length=80)
    # The flow's identity, from what the publisher wrote (identity.py): unique in the ledger,
    # whatever the dataset code or file it was imported under.
    record_key = models.CharField(max_length=200)
    # Foreign keys that lead one of Meta.indexes have no index of their own: that one serves.
    import_run = models.ForeignKey(
        "imports.ImportRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    file_name = models.CharField(max_length=300, blank=True)
    row_number = models.PositiveIntegerField(null=True, blank=True)  # spreadsheet / CSV row
    json_path = models.CharField(max_length=200, blank=True)  # e.g. /grants/12
    raw = models.JSONField(default=dict)  # the record as published, extra fields included
    checksum = models.CharField(max_length=32, blank=True)  # of the parsed flow, for re-imports

    # Payer
    payer_name = models.CharField(max_length=500)
    payer_key = models.CharField(max_length=300, db_index=True)
    payer_identifiers = models.JSONField(default=list, blank=True)
    payer_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="money_paid",
        db_index=False,
    )
    payer_link_method = models.CharField(
        max_length=20, choices=LinkMethod.choices, blank=True, default=""
    )
    # Recipient
    recipient_name = models.CharField(max_length=500)
    recipient_key = models.CharField(max_length=300, db_index=True)
    recipient_identifiers = models.JSONField(default=list, blank=True)
    recipient_postcode = models.CharField(max_length=8, blank=True)
    recipient_organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="money_received",
        db_index=False,
    )
    recipient_link_method = models.CharField(
        max_length=20, choices=LinkMethod.choices, blank=True, default=""
    )
    # Copied from the linked organisation when the link is set, so a place profile over
    # millions of flows needs no join (refreshed by services.flows_apply_links).
    recipient_sector = models.CharField(max_length=20, blank=True, default="", db_index=True)
    recipient_local_authority = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The recipient's attribution level and, whatever the level, the code of the first rule of
    # data/legal_forms.json its name matches ("withheld" for a name the publisher withheld; ""
    # for none). Set when the flow is written and when its link changes; `manage.py
    # attribute_money` brings every flow in step after the rules change (ADR 0034).
    recipient_attribution = models.CharField(
        max_length=10, choices=Attribution.choices, default=Attribution.UNKNOWN
    )
    recipient_form_rule = models.CharField(max_length=40, blank=True, default="")

    amount_pence = models.BigIntegerField()  # negative for refunds and credit notes
    currency = models.CharField(max_length=3, default="GBP")
    date = models.DateField()
    financial_year = models.PositiveSmallIntegerField()  # 2024 means April 2024 - March 2025
    purpose = models.TextField(blank=True)
    category = models.CharField(max_length=300, blank=True)
    # The local authority the money is attributed to (the paying council, or the grant's
    # beneficiary area) and, where known, the ward (from the recipient's postcode or the grant's
    # beneficiary location).
    place = models.ForeignKey(
        "places.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    ward = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Channel-specific facts: procedure, SME / VCSE flags, programme, shared award, ...
    attributes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record_key"], name="money_flow_identity")]
        indexes = [
            models.Index(fields=["place", "date"], name="money_flow_place_date"),
            # The place profile's two grouped scans read these indexes alone, in group order;
            # with the recipient last, so does the sector guide's read of the linked flows
            # (ADR 0032).
            models.Index(
                fields=[
                    "place",
                    "channel",
                    "financial_year",
                    "recipient_sector",
                    "recipient_link_method",
                    "recipient_local_authority",
                    "dataset",
                    "date",
                    "amount_pence",
                    "recipient_organisation",
                ],
                name="money_flow_place_profile",
            ),
            models.Index(
                fields=[
                    "place",
                    "recipient_organisation",
                    "recipient_key",
                    "recipient_link_method",
                    "recipient_sector",
                    "date",
                    "amount_pence",
                ],
                name="money_flow_recipients",
            ),
            models.Index(
                fields=[
                    "place",
                    "channel",
                    "ward",
                    "recipient_organisation",
                    "date",
                    "amount_pence",
                ],
                name="money_flow_place_grants",
            ),
            # The profile's attribution scan reads this index alone.
            models.Index(
                fields=[
                    "place",
                    "financial_year",
                    "channel",
                    "recipient_attribution",
                    "recipient_form_rule",
                    "recipient_sector",
                    "date",
                    "amount_pence",
                ],
                name="money_flow_attribution",
            ),
            # The flows explorer's orders, read in order and stopped after a page: without them
            # every flow was sorted to show the first 50 (2 s on the demo's 250,000, ADR 0064).
            models.Index(fields=["date", "id"], name="money_flow_date_order"),
            models.Index(fields=["amount_pence", "id"], name="money_flow_amount_order"),
            models.Index(fields=["recipient_organisation", "date"], name="money_flow_recipient"),
            models.Index(fields=["payer_organisation", "date"], name="money_flow_payer"),
            models.Index(fields=["import_run"], name="money_flow_run"),
        ]
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.payer_name} → {self.recipient_name}: {self.amount_pence / 100:.2f}"
