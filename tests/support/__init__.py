"""Helpers shared by the tests: file writers (FIT, GPX, TCX), synthetic activities, corpus access."""
