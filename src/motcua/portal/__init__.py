"""Citizen-facing pages: the public procedure catalogue, the kiosk, tracking, rating."""
