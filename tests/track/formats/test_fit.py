"""FIT decoder on files built by tests/support/fit_writer.py: every value is known in advance."""

from __future__ import annotations

import random
import struct

import numpy as np
import pytest

from imas.track.errors import NoActivity
from imas.track.formats.fit import decode_fit, fit_crc
from tests.support import fit_writer as fw
from tests.support.fit_writer import FieldSpec, FitWriter

DEG = 180.0 / 2**31


def expected_streams(samples: list[fw.Sample]) -> dict[str, np.ndarray]:
    """What the FIT profile says each stored value means, computed sample by sample."""

    def scaled(values: list[int | None], scale: float = 1.0, offset: float = 0.0) -> np.ndarray:
        return np.array([np.nan if v is None else v / scale - offset for v in values])

    return {
        "time": np.array([s.timestamp + fw.FIT_EPOCH for s in samples], dtype=float),
        "lat": np.array([np.nan if s.lat is None else s.lat * DEG for s in samples]),
        "lon": np.array([np.nan if s.lon is None else s.lon * DEG for s in samples]),
        "alt": scaled([s.altitude for s in samples], 5.0, 500.0),
        "dist": scaled([s.distance for s in samples], 100.0),
        "speed": scaled([s.speed for s in samples], 1000.0),
        "hr": scaled([s.heart_rate for s in samples]),
        "cad": scaled([s.cadence for s in samples]),
        "power": scaled([s.power for s in samples]),
        "temp": scaled([s.temperature for s in samples]),
    }


def assert_streams(track: object, samples: list[fw.Sample]) -> None:
    for name, want in expected_streams(samples).items():
        got = getattr(track, name)
        np.testing.assert_array_equal(got, want, err_msg=name)


# ---------------------------------------------------------------------------------- CRC


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 64, 513, 4097, 100_001])
def test_crc_matches_bitwise_reference(size: int) -> None:
    data = random.Random(size).randbytes(size)
    assert fit_crc(data) == fw.crc16(data)


def test_crc_of_file_with_its_crc_appended_is_zero() -> None:
    content = fw.activity_file(fw.synthetic_samples(50))
    assert fit_crc(content) == 0


# ---------------------------------------------------------------------------------- streams


@pytest.mark.parametrize("big_endian", [False, True])
def test_record_streams_and_summary(big_endian: bool) -> None:
    samples = fw.synthetic_samples(600)
    [track] = decode_fit(fw.activity_file(samples, big_endian=big_endian))
    assert_streams(track, samples)
    assert track.source_format == "fit"
    assert (track.sport, track.sub_sport, track.device) == ("cycling", "road", "garmin fenix2")
    assert track.warnings == []
    assert [(e.kind, e.time) for e in track.events] == [
        ("start", samples[0].timestamp + fw.FIT_EPOCH),
        ("stop", samples[-1].timestamp + fw.FIT_EPOCH),
    ]
    assert track.session is not None
    assert track.session.elapsed_s == 599.0
    assert track.session.distance_m == samples[-1].distance / 100  # type: ignore[operator]
    assert track.session.calories_kcal == 900
    assert track.session.avg_speed_mps == 7.0
    assert (track.session.avg_hr, track.session.max_hr) == (150, 180)
    assert (track.session.avg_power_w, track.session.ascent_m, track.session.descent_m) == (
        210,
        123,
        120,
    )
    assert track.session.pool_length_m is None
    [lap] = track.laps
    assert (lap.elapsed_s, lap.avg_hr, lap.max_hr, lap.trigger) == (599.0, 150, 180, "session_end")


def test_interleaved_messages_give_the_same_streams() -> None:
    samples = fw.synthetic_samples(500, seed=3)
    [plain] = decode_fit(fw.activity_file(samples))
    [mixed] = decode_fit(fw.activity_file(samples, interleave_every=3))
    assert_streams(mixed, samples)
    np.testing.assert_array_equal(plain.time, mixed.time)


def test_unknown_manufacturer_and_product_are_numbers() -> None:
    [track] = decode_fit(fw.activity_file(fw.synthetic_samples(5), manufacturer=4242, product=7))
    assert track.device == "4242 7"
    [track] = decode_fit(fw.activity_file(fw.synthetic_samples(5), manufacturer=265, product=1161))
    assert track.device == "strava 1161"


def test_enhanced_fields_win_and_fractional_cadence_adds() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(
        1,
        20,
        [
            (253, "uint32"),
            (2, "uint16"),
            (78, "uint32"),
            (6, "uint16"),
            (73, "uint32"),
            (4, "uint8"),
            (53, "uint8"),
        ],
    )
    w.data(1, [1000, 3000, 123456, 5000, 12345, 80, 64])
    w.data(1, [1001, 3000, None, 5000, None, 81, None])
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(track.alt, [123456 / 5 - 500, 3000 / 5 - 500])
    np.testing.assert_array_equal(track.speed, [12.345, 5.0])
    np.testing.assert_array_equal(track.cad, [80.5, 81.0])


@pytest.mark.parametrize("big_endian", [False, True])
def test_compressed_timestamp_headers_roll_over(big_endian: bool) -> None:
    w = FitWriter(big_endian=big_endian)
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [1000 * 32 + 30, 100])  # low bits 30
    w.define(2, 20, [(3, "uint8")])
    offsets = [31, 1, 5, 5, 30, 2]  # 31 -> +1, 1 -> +2 (wraps), 5 -> +4, same -> +0, ...
    for k, off in enumerate(offsets):
        w.data(2, [101 + k], time_offset=off)
    [track] = decode_fit(w.to_bytes())
    base = 1000 * 32 + 30
    want = [base, base + 1, base + 3, base + 7, base + 7, base + 32, base + 36]
    np.testing.assert_array_equal(track.time, np.array(want, dtype=float) + fw.FIT_EPOCH)
    np.testing.assert_array_equal(track.hr, [100, 101, 102, 103, 104, 105, 106])


def test_compressed_speed_distance_accumulates() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1436, 1, 1000])
    w.define(1, 20, [(253, "uint32"), FieldSpec(8, "byte", 3)])
    distances = [0, 1000, 2500, 4000, 4100, 8000]  # in 1/16 m, wrapping the 12-bit counter
    speeds = [354, 355, 0, 4000, 12, 100]  # in 1/100 m/s
    for i, (d, s) in enumerate(zip(distances, speeds, strict=True)):
        packed = s | ((d & 0xFFF) << 12)
        w.data(1, [2000 + i, list(packed.to_bytes(3, "little"))])
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(track.dist, np.array(distances) / 16.0)
    np.testing.assert_array_equal(track.speed, np.array(speeds) / 100.0)


def test_developer_fields_are_skipped() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")], dev_fields=[(0, 4, 0), (1, 7, 0)])
    for i in range(40):
        w.data(1, [5000 + i, 90 + i], dev_bytes=bytes(range(11)))
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(track.hr, 90 + np.arange(40))


def test_redefinition_with_other_fields_keeps_file_order() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 1000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [10, 100]).data(1, [11, 101])
    w.define(1, 20, [(3, "uint8"), (253, "uint32"), (7, "uint16")]).data(1, [102, 12, 300])
    w.define(2, 20, [(253, "uint32"), (3, "uint8")], big_endian=True).data(2, [13, 103])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [14, 104])
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(track.time - fw.FIT_EPOCH, [10, 11, 12, 13, 14])
    np.testing.assert_array_equal(track.hr, [100, 101, 102, 103, 104])
    np.testing.assert_array_equal(track.power, [np.nan, np.nan, 300, np.nan, np.nan])


# ---------------------------------------------------------------------------------- sessions


def _multisport() -> bytes:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1765, 1, 100])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")])
    for t in range(100, 160):
        w.data(1, [t, t - 50])
    w.define(2, 18, fw.SESSION)
    w.data(
        2,
        [129, 100, 5, 18, 30_000, 30_000, 50_000, 10, 500, 100, None, None, None, None, None, None],
    )
    w.data(2, [159, 130, 2, 7, 30_000, 29_000, 900_000, 20, 8000, 120, 130, 200, 5, 6, None, None])
    return w.to_bytes()


def test_one_track_per_session() -> None:
    swim, bike = decode_fit(_multisport())
    assert (swim.sport, swim.sub_sport, bike.sport, bike.sub_sport) == (
        "swimming",
        "open_water",
        "cycling",
        "road",
    )
    np.testing.assert_array_equal(swim.time - fw.FIT_EPOCH, np.arange(100, 130))
    np.testing.assert_array_equal(bike.time - fw.FIT_EPOCH, np.arange(130, 160))
    assert swim.session is not None
    assert bike.session is not None
    assert (swim.session.distance_m, bike.session.distance_m) == (500.0, 9000.0)
    assert bike.session.timer_s == 29.0
    assert bike.session.avg_power_w == 200


def test_chained_files_are_read_in_order() -> None:
    first = fw.activity_file(fw.synthetic_samples(30, start=5000))
    w = FitWriter()
    w.define(0, 132, [(253, "uint32"), FieldSpec(6, "uint8", 3), FieldSpec(9, "uint32", 3)])
    w.data(0, [5000, [100, 101, 102], [0, 1024, 2048]])
    tracks = decode_fit(
        first + w.to_bytes() + fw.activity_file(fw.synthetic_samples(20, start=9000))
    )
    assert [len(t) for t in tracks] == [30, 20]


def test_hr_messages_merge_into_records() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1765, 1, 100])
    w.define(1, 20, [(253, "uint32"), (5, "uint32")])
    for t in range(1000, 1010):
        w.data(1, [t, (t - 1000) * 100])
    hr = FitWriter()
    hr.define(
        0,
        132,
        [(253, "uint32"), (0, "uint16"), FieldSpec(6, "uint8", 4), FieldSpec(9, "uint32", 4)],
    )
    # anchor: timestamp 1000 + 0.5 s matches event_timestamp 10240 (10 s of device time)
    hr.data(0, [1000, 16384, [100, 102, 104, 106], [10240, 10752, 11264, 11776]])
    hr.define(1, 132, [FieldSpec(6, "uint8", 8), FieldSpec(10, "byte", 12)])
    events = [11776 + 1024 * (k + 1) for k in range(8)]  # one a second from 1002.5 s on
    whole = sum((e & 0xFFF) << (12 * k) for k, e in enumerate(events))
    hr.data(1, [[110, 112, 114, 116, 118, 120, 122, 124], list(whole.to_bytes(12, "little"))])
    [track] = decode_fit(w.to_bytes() + hr.to_bytes())
    # Samples at 1000.5 (100), 1001.0 (102), 1001.5 (104), 1002.0 (106), then one a second from
    # 1003.0 (110, 112, ...). Each is carried forward every 0.25 s towards the next; a record
    # takes the mean over (previous record, record], rounded half up.
    want = [
        np.nan,  # nothing in (999, 1000]
        round((100 + 100 + 102) / 3),  # 1000.5, 1000.75, 1001.0
        (102 + 104 + 104 + 106) / 4,  # 1001.25 .. 1002.0
        (106 * 3 + 110) / 4,
        np.floor((110 * 3 + 112) / 4 + 0.5),  # 110.5 -> 111
        113,
        115,
        117,
        119,
        121,
    ]
    np.testing.assert_array_equal(track.hr, want)


def test_lengths_sets_and_file_types() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1499, 1, 100])
    w.define(1, 101, fw.LENGTH)
    w.data(1, [130, 100, 30_500, 30_000, 18, 0, 1])
    w.data(1, [150, 130, 20_000, 20_000, None, None, 0])
    w.define(2, 225, fw.SET)
    w.data(2, [220, 45_000, 12, 800, 1, 175, [28, 65534]])
    w.data(2, [280, 60_000, None, None, 0, 220, [None, None]])
    w.define(3, 18, fw.SESSION).data(
        3, [300, 100, 5, 17, 200_000, 200_000, 5000, 20, 250, None, None, None, None, None, 2500, 2]
    )
    [track] = decode_fit(w.to_bytes())
    assert len(track) == 0
    assert track.session is not None
    assert track.session.pool_length_m == 25.0
    assert track.session.num_lengths == 2
    first, rest = track.lengths
    assert (first.elapsed_s, first.timer_s, first.strokes, first.stroke, first.active) == (
        30.5,
        30.0,
        18,
        "freestyle",
        True,
    )
    assert (rest.strokes, rest.stroke, rest.active) == (None, None, False)
    squat, pause = track.sets
    assert (squat.duration_s, squat.repetitions, squat.weight_kg, squat.active, squat.category) == (
        45.0,
        12,
        50.0,
        True,
        "squat",
    )
    assert squat.start_time == 175 + fw.FIT_EPOCH
    assert (pause.repetitions, pause.weight_kg, pause.active, pause.category) == (
        None,
        None,
        False,
        None,
    )


def test_course_and_settings_files_are_not_activities() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [6, 1, 1036, 1, 100])
    w.define(1, 20, [(253, "uint32"), (0, "sint32"), (1, "sint32")]).data(1, [100, 1, 2])
    with pytest.raises(NoActivity, match="course"):
        decode_fit(w.to_bytes())
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1036, 1, 100])
    with pytest.raises(NoActivity, match="no record"):
        decode_fit(w.to_bytes())


def test_device_relative_timestamps_use_correlation_or_warn() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1436, 1, 5000])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")])
    for t in range(5000, 5010):
        w.data(1, [t, 120])
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(np.diff(track.time), np.ones(9))
    assert any("device-relative" in message for message in track.warnings)
    w.define(2, 162, [(253, "uint32"), (1, "uint32")]).data(2, [1_000_000_000, 5000])
    [track] = decode_fit(w.to_bytes())
    np.testing.assert_array_equal(
        track.time, np.arange(1_000_000_000, 1_000_000_010) + fw.FIT_EPOCH
    )
    assert not any("device-relative" in message for message in track.warnings)


def test_twelve_byte_header_without_header_crc() -> None:
    samples = fw.synthetic_samples(20)
    content = fw.activity_file(samples)
    # rebuild the same body behind a 12-byte header
    body = content[14:-2]
    header = bytes([12, 0x20]) + struct.pack("<HI", 2132, len(body)) + b".FIT"
    short = header + body
    short += struct.pack("<H", fw.crc16(short))
    [track] = decode_fit(short)
    assert_streams(track, samples)
    assert track.warnings == []


def test_sport_profile_name_becomes_the_track_name() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 3113, 1, 100])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")]).data(1, [1000, 120])
    session = [(253, "uint32"), (2, "uint32"), (5, "enum"), FieldSpec(110, "string", 12)]
    w.define(2, 18, session).data(2, [1001, 1000, 1, "Trail Run"])
    # a string that fills its field without a terminating NUL, and one that is empty
    w.define(3, 18, [(253, "uint32"), (2, "uint32"), (5, "enum"), (110, "string", 4)])
    w.raw(bytes([3]) + struct.pack("<II", 2001, 2000) + bytes([2]) + b"Ride")
    w.data(3, [3001, 3000, 2, ""])
    tracks = decode_fit(w.to_bytes())
    assert [(t.sport, t.name) for t in tracks] == [
        ("running", "Trail Run"),
        ("cycling", "Ride"),
        ("cycling", None),
    ]


def test_records_without_time_stay_with_their_neighbours() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, 1, 1765, 1, 100])
    w.define(1, 20, [(253, "uint32"), (3, "uint8")])
    for t, hr in [(None, 90), (100, 91), (None, 92), (130, 93), (None, 94)]:
        w.data(1, [t, hr])
    w.define(2, 18, [(253, "uint32"), (2, "uint32"), (5, "enum")])
    w.data(2, [129, 100, 5]).data(2, [140, 130, 2])
    first, second = decode_fit(w.to_bytes())
    assert list(first.hr) == [90, 91, 92]
    assert list(second.hr) == [93, 94]


def test_device_from_device_info_when_file_id_lacks_it() -> None:
    w = FitWriter()
    w.define(0, 0, fw.FILE_ID).data(0, [4, None, None, 1, 100])
    w.define(1, 23, fw.DEVICE_INFO).data(1, [100, 2, 1, 1]).data(1, [100, 0, 1, 3122])
    w.define(2, 20, [(253, "uint32"), (3, "uint8")]).data(2, [1000, 120])
    [track] = decode_fit(w.to_bytes())
    assert track.device == "garmin edge_830"
