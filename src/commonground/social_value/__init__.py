"""Frameworks, measures, commitments, deliveries, evidence and verification."""
