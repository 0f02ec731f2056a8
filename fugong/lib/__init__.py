"""Shared helpers used by every app: configuration, identifiers, crypto, working days, tasks."""
