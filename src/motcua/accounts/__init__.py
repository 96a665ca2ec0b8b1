"""User accounts: one user model for staff and citizens (roles live in ``org``)."""
