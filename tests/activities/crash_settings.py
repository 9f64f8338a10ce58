"""IMAS settings for the crash test's subprocesses: a short import lease, nothing else."""

from imas.settings import *  # noqa: F403

# A killed worker's job is taken over once its lease runs out; 2 s keeps the test short.
IMAS_IMPORT_LEASE_SECONDS = 2
