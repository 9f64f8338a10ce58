"""`imas analyze FILE [--json] [body options]`: analyse one file without touching a database.

The contract (DESIGN.md §7): with --json a JSON list, one object per activity, SI units, null
for unknown values; exit 2 with one line on stderr for a file that cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

EXIT_UNREADABLE = 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="imas analyze", description="Analyse one activity file.")
    p.add_argument("file", help="a FIT, GPX or TCX file, or a .gz/.zip of them")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object per activity")
    p.add_argument("--birthday", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    p.add_argument("--sex", choices=["female", "male"])
    p.add_argument("--weight-kg", type=float)
    p.add_argument("--height-cm", type=float)
    p.add_argument("--max-hr", type=float)
    p.add_argument("--resting-hr", type=float)
    p.add_argument("--ftp-w", type=float)
    return p


def analyze_main(argv: list[str]) -> int:
    from imas.track import Profile, TrackError, analyze, read

    opts = _parser().parse_args(argv)
    path = Path(opts.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"imas analyze: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        tracks = read(data)
    except TrackError as exc:
        print(f"imas analyze: {path.name}: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        profile = Profile(
            birthday=opts.birthday,
            sex=opts.sex,
            weight_kg=opts.weight_kg,
            height_cm=opts.height_cm,
            max_hr=opts.max_hr,
            resting_hr=opts.resting_hr,
            ftp_w=opts.ftp_w,
        )
    except ValueError as exc:
        print(f"imas analyze: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    summaries = [analyze(t, profile).as_dict() for t in tracks]
    if opts.json:
        json.dump(summaries, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for i, s in enumerate(summaries):
            if i:
                print()
            _print_text(s)
    return 0


def _print_text(summary: dict[str, Any]) -> None:
    """One line per figure; long lists and tables are left to --json."""
    width = max(len(k) for k in summary)
    for key, value in summary.items():
        if isinstance(value, float):
            value = f"{value:.2f}"
        elif value is None:
            value = "-"
        elif isinstance(value, list):
            value = f"{len(value)} entries (see --json)"
        elif isinstance(value, dict):
            text = json.dumps({k: v for k, v in value.items() if v is not None})
            value = text if len(text) <= 100 else f"{len(value)} entries (see --json)"
        print(f"{key:<{width}}  {value}")
