"""Access to ../shared/corpus: real activity files from public projects, read in place.

Tests that use the corpus skip when it is absent (a clone without the shared folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
CORPUS = Path(os.environ.get("IMAS_CORPUS", str(_DEFAULT)))


def corpus_available() -> bool:
    return (CORPUS / "SOURCES.md").is_file()


def corpus_files(*suffixes: str) -> list[Path]:
    """Every corpus file whose name ends with one of the suffixes (case-insensitive), sorted."""
    if not corpus_available():
        return []
    wanted = tuple(s.lower() for s in suffixes)
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name.lower().endswith(wanted))


def corpus_path(relative: str) -> Path:
    """A corpus file by its path below the corpus folder; skips the test when it is absent."""
    path = CORPUS / relative
    if not path.is_file():
        pytest.skip(f"corpus file {relative} not available")
    return path


def corpus_id(path: Path) -> str:
    return str(path.relative_to(CORPUS))
