"""FIT decoding: IMAS's vectorised decoder against fitdecode 0.11 (and garmin-fit-sdk if installed).

Every decoder reads the whole file and checks its CRC. Inputs: the large files of the shared
corpus (skipped when absent) and a generated 6-hour 1 Hz ride from tests/support/fit_writer.py.
Run: .venv/bin/python bench/bench_fit.py
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.support import fit_writer  # noqa: E402
from tests.support.corpus import CORPUS  # noqa: E402

from imas.track.formats.fit import decode_fit  # noqa: E402

CORPUS_FILES = [
    "muktihari-fit/testdata/big_activity.fit",
    "python-fitparse/tests/files/activity-large-fenxi2-multisport.fit",
    "python-fitparse/tests/files/2019-02-17-062644-ELEMNT-297E-195-0.fit",
    "python-fitparse/tests/files/garmin-edge-500-activity.fit",
]


def best_ms(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def with_fitdecode(data: bytes) -> None:
    import fitdecode

    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        for _ in reader:
            pass


def with_garmin_sdk(data: bytes) -> None:
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    if not decoder.check_integrity():
        raise ValueError("CRC mismatch")
    _, errors = decoder.read()
    if errors:
        raise ValueError(errors)


def inputs() -> list[tuple[str, bytes]]:
    out = []
    for relative in CORPUS_FILES:
        path = CORPUS / relative
        if path.is_file():
            out.append((path.name, path.read_bytes()))
        else:
            print(f"(skipped {relative}: corpus not available)")
    six_hours = fit_writer.synthetic_samples(6 * 3600)
    out.append(("generated 6 h 1 Hz ride", fit_writer.activity_file(six_hours)))
    out.append(
        ("generated 6 h ride, interleaved", fit_writer.activity_file(six_hours, interleave_every=5))
    )
    return out


def main() -> None:
    try:
        import garmin_fit_sdk  # noqa: F401

        have_sdk = True
    except ImportError:
        have_sdk = False
        print("(garmin-fit-sdk not installed: that column is skipped)")
    header = f"{'file':42} {'MB':>5} {'ours ms':>8} {'fitdecode ms':>13} {'ratio':>7}"
    if have_sdk:
        header += f" {'garmin-fit-sdk ms':>18} {'ratio':>7}"
    print(header)
    ratios = []
    for name, data in inputs():
        decode_fit(data)  # warm-up: CRC tables, numpy dtypes
        ours = best_ms(lambda data=data: decode_fit(data), 7)
        theirs = best_ms(lambda data=data: with_fitdecode(data), 2)
        ratios.append(theirs / ours)
        line = f"{name[:42]:42} {len(data) / 1e6:5.2f} {ours:8.2f} {theirs:13.1f}"
        line += f" {theirs / ours:6.0f}x"
        if have_sdk:
            sdk = best_ms(lambda data=data: with_garmin_sdk(data), 2)
            line += f" {sdk:18.1f} {sdk / ours:6.0f}x"
        print(line, flush=True)
    print(f"smallest ratio against fitdecode: {min(ratios):.0f}x (floor 50x, aim 100x)")


if __name__ == "__main__":
    main()
