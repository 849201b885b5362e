"""How much a partnership profile and its services hold: one set of limits for the profile pages
and the API alike. services.py refuses anything past them, naming the field, so a profile can
never be sent with thousands of services, areas, languages or quality marks, or text of any
length. Each is far above what a real profile needs.
"""

from __future__ import annotations

# Services written on one profile (services from an imported directory feed are not counted).
MAX_SERVICES = 100
# Areas one service names: no local authority has this many wards.
MAX_AREAS = 200
MAX_LANGUAGES = 50  # languages one service names
MAX_LANGUAGE_CHARS = 100  # in one language's name
MAX_QUALITY_MARKS = 20
MAX_MARK_NAME_CHARS = 200
MAX_MARK_EVIDENCE_CHARS = 1000
# The characters each text field holds (their columns would take any length), with the name
# its message gives it.
PROFILE_TEXT = {
    "summary": ("What you offer partners", 4000),
    "conditions": ("Conditions", 2000),
    "asset_lock_evidence": ("Evidence of the asset lock", 1000),
    "member_owned_evidence": ("Evidence of member ownership", 1000),
    "community_control_evidence": ("Evidence of community control", 1000),
}
SERVICE_TEXT = {
    "description": ("What it does", 4000),
    "who_for": ("Who it is for", 2000),
    "eligibility": ("Who can use it", 2000),
    "how_to_access": ("How to access it", 2000),
    "cost": ("Cost", 1000),
}
