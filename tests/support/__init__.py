"""Shared test helpers: FIT, GPX and TCX writers, synthetic activities, corpus access."""
