"""Grants (360Giving), contracts (OCDS) and spend (Transparency Code) in one ledger, linked
to organisations; the place profile."""
