"""Partnerships, members, stages, milestones, documents, health checks and case studies."""
