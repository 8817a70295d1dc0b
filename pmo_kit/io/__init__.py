"""Readers and writers for files made by other tools (added by later lessons)."""
