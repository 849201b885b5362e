"""Partnerships: who is in one and from which perspective, where it stands (stage and its dated
history), milestones, documents, and the principles health check in rounds.

Who counts as a member (decided in ADR 0009): a person is in a partnership either directly (a
PartnershipMember row naming them) or by acting for a member organisation — an approved
accounts Membership with an acting role (admin or officer) in an organisation that is a current
member. A volunteer ("member" role) of an organisation does not act for it, so is not counted.
Where both apply, the strongest role wins (lead > accountable body > member > observer) and a
direct membership's perspective is preferred over an organisation's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from commonground.accounts.models import Membership, MembershipStatus
from commonground.accounts.perspectives import Perspective
from commonground.core.uploads import UploadTo, private_storage


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    EXPLORING = "exploring", "Exploring"
    CO_DESIGN = "co_design", "Co-design"
    AGREEMENT = "agreement", "Agreement"
    DELIVERY = "delivery", "Delivery"
    REVIEW = "review", "Review"
    ENDED = "ended", "Ended"


class MemberRole(models.TextChoices):
    LEAD = "lead", "Lead partner"
    ACCOUNTABLE_BODY = "accountable_body", "Accountable body"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"


# Strongest first: used when a person is in a partnership more than one way.
ROLE_STRENGTH = ("lead", "accountable_body", "member", "observer")
ACTING_ORGANISATION_ROLES = ("admin", "officer")


class Principle(models.TextChoices):
    """The nine principles for working with purpose-aligned partners (E3M toolkit)."""

    LONG_TERM = "long_term", "Long-term planning"
    INTEGRATION = "integration", "Integration"
    PREVENTION = "prevention", "Prevention"
    COLLABORATION = "collaboration", "Collaboration"
    COMMUNICATION = "communication", "Communication"
    TRANSPARENCY = "transparency", "Transparency"
    TRUST = "trust", "Trust"
    MUTUALITY = "mutuality", "Mutuality and fairness"
    FLEXIBILITY = "flexibility", "Flexibility"


PRINCIPLE_QUESTIONS = {
    Principle.LONG_TERM: "We plan infrastructure and services for the long term, not in "
    "three-year service cycles.",
    Principle.INTEGRATION: "Commissioners, providers, funders and community institutions work "
    "as one around people with more than one need.",
    Principle.PREVENTION: "Prevention is the basis of what we do, not reacting once things go "
    "wrong.",
    Principle.COLLABORATION: "Commissioners and providers collaborate rather than one buying "
    "from the other.",
    Principle.COMMUNICATION: "We talk through the work as it happens, rather than auditing "
    "delivery from a distance.",
    Principle.TRANSPARENCY: "We are open about resources, costs and a reasonable surplus.",
    Principle.TRUST: "Trust, not a prescriptive contract, is how we work together.",
    Principle.MUTUALITY: "Our agreements are mutual and fair, not about cutting cost at any price.",
    Principle.FLEXIBILITY: "Flexibility is built into how we work with each other.",
}


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the partnership is for, in the partners' words.")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    # Demo data: shown with a clear "example" label and never mistaken for a real partnership.
    is_example = models.BooleanField(default=False, db_index=True)
    # Slug of the case study (commissioning/case_studies.py) it resembles; "" for none.
    resembles_case_study = models.CharField(max_length=80, blank=True)
    # The saved route appraisal behind the partnership's route, if any. It stays private to its
    # author and whoever they shared it with: linking it here shares nothing.
    appraisal = models.ForeignKey(
        "commissioning.Appraisal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnerships",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def _member_rows_for(self, user: Any) -> list[PartnershipMember]:
        if user is None or not getattr(user, "is_authenticated", False):
            return []
        if not getattr(user, "is_active", False):
            return []
        acting_for = Membership.objects.filter(
            user_id=user.pk,
            status=MembershipStatus.APPROVED,
            role__in=ACTING_ORGANISATION_ROLES,
        ).values("organisation_id")
        rows = list(
            self.members.filter(left_on__isnull=True).filter(
                Q(user_id=user.pk) | Q(organisation_id__in=acting_for)
            )
        )
        # Direct membership first, then by strength of role.
        rows.sort(key=lambda m: (m.user_id is None, ROLE_STRENGTH.index(m.role)))
        return rows

    def role_of(self, user: Any) -> str | None:
        """The strongest current role of a signed-in person in this partnership, or None."""
        rows = self._member_rows_for(user)
        if not rows:
            return None
        return min((m.role for m in rows), key=ROLE_STRENGTH.index)

    def perspective_of(self, user: Any) -> str | None:
        """The perspective a person speaks from here: their direct membership's, else that of
        the organisation they act for (strongest role first); None for a non-member."""
        rows = self._member_rows_for(user)
        return rows[0].perspective if rows else None


class PartnershipMember(models.Model):
    """A person or an organisation from the atlas in a partnership, with a perspective and a
    role. Leaving sets `left_on`; the row stays so the history is kept."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_memberships",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnership_memberships",
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(organisation__isnull=True))
                | (Q(user__isnull=True) & Q(organisation__isnull=False)),
                name="partnership_member_user_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["partnership", "user"],
                condition=Q(left_on__isnull=True, user__isnull=False),
                name="partnership_member_one_current_user",
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left_on__isnull=True, organisation__isnull=False),
                name="partnership_member_one_current_organisation",
            ),
        ]
        ordering = ["partnership_id", "pk"]

    def __str__(self) -> str:
        who = f"user {self.user_id}" if self.user_id else f"organisation {self.organisation_id}"
        return f"{who} in {self.partnership_id} ({self.role}, {self.perspective})"


class StageChange(models.Model):
    """One move between stages, dated by the partners (`changed_on`), recorded when it was."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'start'} to {self.to_stage} on {self.changed_on}"


class Milestone(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PartnershipDocument(models.Model):
    """An uploaded file: checked by content, kept outside the web root under a random name."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(storage=private_storage, upload_to=UploadTo("partnership-documents"))
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)  # an UploadKind code, judged from the content
    size_bytes = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class HealthCheckRound(models.Model):
    """A round of the principles health check. One is open at a time in a partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_check_rounds"
    )
    number = models.PositiveIntegerField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="health_check_round_number"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(closed_on__isnull=True),
                name="health_check_one_open_round",
            ),
        ]
        ordering = ["partnership_id", "number"]

    def __str__(self) -> str:
        return f"Round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class HealthCheckAnswer(models.Model):
    """One member's answers in one round. The perspective is kept as it was when they answered,
    so later changes in membership do not rewrite a round's results."""

    round = models.ForeignKey(HealthCheckRound, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="health_check_one_answer_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"Answers of {self.respondent_id} in round {self.round_id}"


class HealthCheckScore(models.Model):
    answer = models.ForeignKey(HealthCheckAnswer, on_delete=models.CASCADE, related_name="scores")
    principle = models.CharField(max_length=20, choices=Principle.choices)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "principle"], name="health_check_one_score_per_principle"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="health_check_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.score}"


class PartnershipFunding(models.Model):
    """A money flow from the ledger (open data) that the partners say funds the partnership.
    If a re-import removes the flow, the link goes with it (CASCADE): the ledger is the truth."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="funding")
    money_flow = models.ForeignKey(
        "money.MoneyFlow", on_delete=models.CASCADE, related_name="partnership_links"
    )
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "money_flow"], name="partnership_funding_once"
            )
        ]
        ordering = ["partnership_id", "pk"]

    def __str__(self) -> str:
        return f"Flow {self.money_flow_id} funds partnership {self.partnership_id}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REVOKED = "revoked", "Withdrawn"
    REPLACED = "replaced", "Replaced by a newer invitation"


class PartnershipInvitation(models.Model):
    """An invitation, sent by email, for a person to join a partnership with a role.

    It names an email address, never an account: whether the address has an account is not
    looked up until someone signed in with that (confirmed) address follows the link, so
    inviting tells a lead nothing about who uses Common Ground (ADR 0015). The link carries a
    random secret of which only the SHA-256 is kept. A row is never deleted: its status records
    how it ended, and the rows also count towards the sending limits."""

    # Invitation links are signed with this salt (core.signed_links).
    LINK_SALT = "commonground.partnerships.invitation"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)  # lower-cased, as account addresses are
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # Who accepted, declined or withdrew it, and when; empty while pending (or once replaced).
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    member = models.ForeignKey(
        PartnershipMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The organisation the invited person acts for, when the inviter did not type the address
    # (an invitation to a need's respondent): the list of invitations names it, never the address.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            # Re-inviting an address replaces its pending invitation: never two live links.
            models.UniqueConstraint(
                fields=["partnership", "email"],
                condition=Q(status="pending"),
                name="partnership_invitation_one_pending",
            ),
        ]
        indexes = [
            # The sending limits count recent invitations by sender.
            models.Index(fields=["invited_by", "created_at"], name="partnership_invite_sent"),
        ]
        ordering = ["partnership_id", "-created_at", "pk"]

    def __str__(self) -> str:
        return f"Invitation {self.pk} to partnership {self.partnership_id} ({self.status})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
