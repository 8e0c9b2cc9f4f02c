"""Intake: what the citizen said → a work-order draft (tier, category, department, place)."""
