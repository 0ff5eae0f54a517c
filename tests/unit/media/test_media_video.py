"""Probing videos and taking frames from them, on videos made here with FFmpeg and corpus samples."""

from __future__ import annotations

import re
import resource
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import av
import imageio_ffmpeg
import pytest
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media.geo import parse_iso6709
from tfdb_dam.media.sniff import sniff
from tfdb_dam.media.video import extract_video_frames, probe_video

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus"
MAX_PIXELS = 35_389_440
TESTSRC = ["-f", "lavfi", "-i", "testsrc=duration=10:size=320x240:rate=25"]
H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p"]

# name -> ffmpeg arguments after the inputs; every one is 10 s of 320×240 at 25 frames/s.
RECIPES: dict[str, list[str]] = {
    "clip.mp4": [*TESTSRC, "-f", "lavfi", "-i", "sine=duration=10", *H264, "-c:a", "aac", "-shortest"],
    "clip.mov": [
        *TESTSRC,
        *H264,
        "-metadata",
        "location=+16.4637+107.5909+012.000/",
        "-metadata",
        "creation_time=2024-03-01T08:30:00Z",
    ],
    "clip.webm": [*TESTSRC, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", "50"],
    "clip.avi": [*TESTSRC, "-c:v", "mjpeg", "-q:v", "8"],
    "clip.mkv": [*TESTSRC, *H264],
    # Intra refresh: no IDR keyframes after the first, the case where keyframe-only decoding finds nothing.
    "refresh.ts": [
        *TESTSRC,
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-x264-params",
        "intra-refresh=1:keyint=50",
        "-pix_fmt",
        "yuv420p",
    ],
    "long.mp4": ["-f", "lavfi", "-i", "testsrc=duration=30:size=320x240:rate=25", *H264],
    "sound.m4a": ["-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac"],
    "sound.mp4": ["-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac"],
}


def _exact(message: str) -> str:
    """A pattern for pytest.raises(match=...) that matches this message and nothing else."""
    return f"^{re.escape(message)}$"


def _ffmpeg(*args: str) -> subprocess.Popen:
    return subprocess.Popen([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args])


def _wait(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        assert process.wait(timeout=120) == 0, process.args


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("videos")
    made = {name: folder / name for name in RECIPES}
    _wait([_ffmpeg(*recipe, str(made[name])) for name, recipe in RECIPES.items()])
    made["turned.mp4"] = folder / "turned.mp4"
    _wait(
        [
            _ffmpeg(
                "-display_rotation", "90", "-i", str(made["clip.mp4"]), "-c", "copy", str(made["turned.mp4"])
            )
        ]
    )
    made["cut.mp4"] = folder / "cut.mp4"  # FFmpeg writes the index (moov) last: half a file has none
    data = made["clip.mp4"].read_bytes()
    made["cut.mp4"].write_bytes(data[: len(data) // 2])
    return made


def _corpus(name: str) -> Path:
    path = CORPUS / "exiftool-samples" / "images" / name
    if not path.exists():
        pytest.skip(f"The shared test corpus is absent ({path}); see ../shared/corpus/README.md.")
    return path


@pytest.mark.parametrize(
    ("name", "codec", "container"),
    [
        ("clip.mp4", "h264", "mov"),
        ("clip.mov", "h264", "mov"),
        ("clip.webm", "vp9", "matroska"),
        ("clip.avi", "mjpeg", "avi"),
        ("clip.mkv", "h264", "matroska"),
    ],
)
def test_probe_reads_the_headers(videos, name, codec, container) -> None:
    info = probe_video(videos[name], max_pixels=MAX_PIXELS)
    assert info.duration_s == pytest.approx(10, abs=0.1)
    assert info.frame_rate == pytest.approx(25)
    assert (info.width, info.height, info.video_codec, info.container) == (320, 240, codec, container)
    assert sniff(videos[name], max_bytes=10**9).kind == "video"


def test_probe_reads_sound_place_and_time(videos) -> None:
    assert probe_video(videos["clip.mp4"], max_pixels=MAX_PIXELS).audio_codec == "aac"
    info = probe_video(videos["clip.mov"], max_pixels=MAX_PIXELS)
    assert info.captured_at == datetime(2024, 3, 1, 8, 30, tzinfo=UTC)
    assert (info.gps_lat, info.gps_lon, info.gps_alt) == pytest.approx((16.4637, 107.5909, 12.0), abs=1e-4)
    assert info.audio_codec is None


def test_a_frame_larger_than_the_limit_is_refused(videos) -> None:
    with pytest.raises(RejectedFile) as refused:
        probe_video(videos["clip.mp4"], max_pixels=50_000)
    assert (
        str(refused.value) == "The video is 320×240 pixels, above the limit of 0.05 million pixels per frame."
    )


def test_sound_without_pictures_is_refused(videos) -> None:
    with pytest.raises(RejectedFile, match=_exact("The file has no video stream.")):
        probe_video(videos["sound.mp4"], max_pixels=MAX_PIXELS)  # an MP4 container holding only sound
    with pytest.raises(
        RejectedFile, match=_exact("The file is not in a video container format that is accepted.")
    ):
        probe_video(videos["sound.m4a"], max_pixels=MAX_PIXELS)  # an audio file by its own brand


def test_a_truncated_video_is_refused(videos) -> None:
    with pytest.raises(RejectedFile, match=_exact("The video is truncated or corrupt and cannot be read.")):
        probe_video(videos["cut.mp4"], max_pixels=MAX_PIXELS)


def test_a_document_is_not_probed_as_a_video() -> None:
    with pytest.raises(RejectedFile, match="not in a video container format"):
        probe_video(_corpus("PDF.pdf"), max_pixels=MAX_PIXELS)


def _check_frames(frames: list[tuple[float, Image.Image]], duration: float) -> None:
    times = [t for t, _ in frames]
    assert times == sorted(set(times))
    assert all(0 <= t <= duration for t in times)
    assert all(img.mode == "RGB" and max(img.size) <= 1280 for _, img in frames)


@pytest.mark.parametrize("name", ["clip.mp4", "clip.mov", "clip.webm", "clip.mkv"])
def test_keyframes_spread_over_the_video(videos, name) -> None:
    poster, frames = extract_video_frames(videos[name], count=8)
    # Keyframes every 2 s: eight points in 10 s land on five distinct keyframes.
    assert [t for t, _ in frames] == pytest.approx([0, 2, 4, 6, 8], abs=0.05)
    assert poster is not None and poster.size == (320, 240)
    _check_frames(frames, 10)


def test_an_all_intra_video_gives_a_frame_near_every_point(videos) -> None:
    _, frames = extract_video_frames(videos["clip.avi"], count=8)
    assert [t for t, _ in frames] == pytest.approx([10 * (i + 0.5) / 8 for i in range(8)], abs=0.05)


def test_frames_come_upright_when_the_player_would_turn_them(videos) -> None:
    poster, frames = extract_video_frames(videos["turned.mp4"], count=3)
    assert poster.size == (240, 320)
    assert {img.size for _, img in frames} == {(240, 320)}


def test_without_keyframes_the_frames_after_a_seek_are_decoded(videos) -> None:
    _, frames = extract_video_frames(videos["refresh.ts"], count=4)
    assert len(frames) >= 2
    _check_frames(frames, 10)


def _decode_everything(path: Path) -> int:
    with av.open(str(path)) as container:
        container.streams.video[0].codec_context.thread_count = 1
        return sum(1 for _ in container.decode(video=0))


def _cpu_seconds() -> float:
    # CPU time of this process (frames are decoded in-process by PyAV), not wall time: a busy
    # machine must not fail the test, a whole-file decode must.
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def test_frames_are_found_without_decoding_the_whole_video(videos) -> None:
    started = _cpu_seconds()
    assert _decode_everything(videos["long.mp4"]) == 750
    full = _cpu_seconds() - started
    started = _cpu_seconds()
    poster, frames = extract_video_frames(videos["long.mp4"], count=8)
    seeking = _cpu_seconds() - started
    assert len(frames) == 8 and poster is not None
    assert seeking < full / 3, (seeking, full)  # 8 keyframes against 750 frames


def test_corpus_quicktime_gives_its_duration_but_no_frames() -> None:
    path = _corpus("QuickTime.mov")
    info = probe_video(path, max_pixels=MAX_PIXELS)
    assert info.duration_s == pytest.approx(4.97, abs=0.01)
    assert (info.width, info.height, info.video_codec) == (320, 240, "mjpeg")
    assert info.captured_at == datetime(2005, 8, 11, 14, 3, 54, tzinfo=UTC)
    assert extract_video_frames(path) == (None, [])  # a metadata-only sample: nothing to decode


def test_corpus_avi_and_mts() -> None:
    avi = probe_video(_corpus("RIFF.avi"), max_pixels=MAX_PIXELS)
    assert avi.duration_s == pytest.approx(233 / 15, abs=0.01)  # 233 frames at 15 frames/s
    assert avi.captured_at == datetime(2003, 3, 10, 15, 4, 43)  # no zone given: naive
    mts = probe_video(_corpus("M2TS.mts"), max_pixels=MAX_PIXELS)
    assert (mts.width, mts.height, mts.video_codec, mts.audio_codec) == (1920, 1080, "h264", "ac3")


def test_corpus_matroska_header_alone_is_refused() -> None:
    with pytest.raises(RejectedFile, match="truncated or corrupt"):
        probe_video(_corpus("Matroska.mkv"), max_pixels=MAX_PIXELS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+16.4637+107.5909+012.000/", (16.4637, 107.5909, 12.0)),
        ("-33.8688+151.2093/", (-33.8688, 151.2093, None)),
        ("+4041.00-07402.50/", (40 + 41 / 60, -(74 + 2.5 / 60), None)),
        ("+404122-0740230-010/", (40 + 41 / 60 + 22 / 3600, -(74 + 2 / 60 + 30 / 3600), -10.0)),
        ("+16.4637+107.5909CRSWGS_84/", (16.4637, 107.5909, None)),
    ],
)
def test_iso6709_locations(text, expected) -> None:
    point = parse_iso6709(text)
    assert (point.lat, point.lon) == pytest.approx(expected[:2], abs=1e-6)
    assert point.alt == (pytest.approx(expected[2]) if expected[2] is not None else None)


@pytest.mark.parametrize("text", ["", "garbage", "+95.0+10.0/", "+10.0+190.0/", "+00.0000+000.0000/"])
def test_iso6709_rejects_what_is_not_a_place(text) -> None:
    assert parse_iso6709(text) is None
