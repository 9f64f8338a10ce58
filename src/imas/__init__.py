"""IMAS: a self-hosted, privacy-first fitness activity platform."""
