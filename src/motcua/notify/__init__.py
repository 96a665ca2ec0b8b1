"""Notifications: a transactional outbox, channels as plugins, message templates."""
