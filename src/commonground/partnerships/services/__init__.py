"""Writes to partnerships: one function an action. Each checks the rule on the server, runs in one
transaction and records an audit event (before and after) in it, so a refused or failed write
leaves nothing behind.

Partnerships, their members, milestones and documents are in `partnerships`; invitations in
`invitations`; the health check in `health_checks`. Callers import them from here.
"""

from .health_checks import (
    ROUND_FIELDS,
    health_check_answer,
    health_check_round_close,
    health_check_round_open,
)
from .invitations import (
    INVITATION_DAYS,
    INVITATION_FIELDS,
    INVITATION_WINDOW,
    INVITATIONS_PER_ADDRESS,
    INVITATIONS_PER_LEAD,
    INVITATIONS_PER_PARTNERSHIP,
    InvitationLimit,
    InvitationUnusable,
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    invitation_send,
)
from .partnerships import (
    DOCUMENT_FIELDS,
    DOCUMENT_MAX_BYTES,
    MEMBER_FIELDS,
    MILESTONE_FIELDS,
    PARTNERSHIP_FIELDS,
    PartnershipError,
    document_upload,
    milestone_add,
    milestone_mark_done,
    partnership_add_funding,
    partnership_add_member,
    partnership_change_stage,
    partnership_create,
    partnership_link_appraisal,
    partnership_member_leave,
    partnership_remove_funding,
    partnership_update,
)

__all__ = [
    "DOCUMENT_FIELDS",
    "DOCUMENT_MAX_BYTES",
    "INVITATIONS_PER_ADDRESS",
    "INVITATIONS_PER_LEAD",
    "INVITATIONS_PER_PARTNERSHIP",
    "INVITATION_DAYS",
    "INVITATION_FIELDS",
    "INVITATION_WINDOW",
    "MEMBER_FIELDS",
    "MILESTONE_FIELDS",
    "PARTNERSHIP_FIELDS",
    "ROUND_FIELDS",
    "InvitationLimit",
    "InvitationUnusable",
    "PartnershipError",
    "document_upload",
    "health_check_answer",
    "health_check_round_close",
    "health_check_round_open",
    "invitation_accept",
    "invitation_decline",
    "invitation_revoke",
    "invitation_send",
    "milestone_add",
    "milestone_mark_done",
    "partnership_add_funding",
    "partnership_add_member",
    "partnership_change_stage",
    "partnership_create",
    "partnership_link_appraisal",
    "partnership_member_leave",
    "partnership_remove_funding",
    "partnership_update",
]
