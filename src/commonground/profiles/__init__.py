"""Partnership profiles: what an organisation's verified members say it offers (services in HSDS 3 /
Open Referral UK form), whether and on which routes it is open to partnership, its capacity,
governance and contact (issue 15)."""
