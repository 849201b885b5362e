"""Settings are split by environment: base, local, test and production (see ADR 0001)."""
