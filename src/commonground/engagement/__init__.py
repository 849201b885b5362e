"""Conversations, statements, articulation analysis, alignment and common-ground votes."""
