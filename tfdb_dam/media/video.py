"""Owns probing videos and taking a poster and keyframes from them with PyAV, without full decodes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

from tfdb_dam.errors import RejectedFile
from tfdb_dam.media import video_frames, video_tags
from tfdb_dam.media.signatures import HEAD_SIZE, media_ext

# The demuxer each container is opened with. Naming it stops FFmpeg from guessing, so a crafted
# file cannot reach demuxers that open other files or URLs (HLS playlists, concat lists).
_DEMUXERS = {
    "mp4": "mov",
    "mov": "mov",
    "3gp": "mov",
    "webm": "matroska",
    "mkv": "matroska",
    "avi": "avi",
    "mts": "mpegts",
    "ts": "mpegts",
    "mpg": "mpeg",
    "wmv": "asf",
    "flv": "flv",
    "ogv": "ogg",
}
_UNREADABLE = "file.video_corrupt"
_AV_ERRORS = (av.error.FFmpegError, OSError, EOFError, ValueError, IndexError, ZeroDivisionError)


@dataclass(frozen=True)
class VideoInfo:
    """What a video container says. ``width``/``height`` are as coded; players may rotate them."""

    duration_s: float | None
    frame_rate: float | None
    width: int
    height: int
    video_codec: str | None
    audio_codec: str | None
    captured_at: datetime | None  # aware when the container says which zone (UTC or an offset)
    gps_lat: float | None
    gps_lon: float | None
    gps_alt: float | None
    container: str  # the FFmpeg demuxer that read it


def probe_video(path: Path, *, max_pixels: int) -> VideoInfo:
    """Read the container's headers (nothing is decoded); RejectedFile when it is not a usable video."""
    with open_video(path) as container:
        try:
            return _info(container, max_pixels)
        except RejectedFile:
            raise  # a ValueError too: keep its own message
        except _AV_ERRORS as exc:
            raise RejectedFile(_UNREADABLE) from exc


def extract_video_frames(
    path: Path, *, count: int = 8
) -> tuple[Image.Image | None, list[tuple[float, Image.Image]]]:
    """A poster frame and up to ``count`` keyframes spread over the video, as ``(seconds, image)``.

    Frames come upright (display rotation applied) and shrunk to the poster size. Each is found
    by seeking to the keyframe before a point in time, never by decoding the whole video; a
    video with fewer keyframes than ``count`` gives fewer frames. When no frame at all can be
    decoded (a file that holds only metadata), the result is ``(None, [])``.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    with open_video(path) as container:
        stream = main_video_stream(container)
        frames = video_frames.frames_at(container, stream, _spread(duration_of(container, stream), count))
    return video_frames.choose_poster(frames), frames


@contextmanager
def open_video(path: Path) -> Iterator[av.container.InputContainer]:
    demuxer = _demuxer_for(path)
    try:
        container = av.open(str(path), format=demuxer, metadata_errors="replace")
    except _AV_ERRORS as exc:
        raise RejectedFile(_UNREADABLE) from exc
    try:
        yield container
    finally:
        container.close()


def _demuxer_for(path: Path) -> str:
    try:
        with path.open("rb") as fh:
            ext = media_ext(fh.read(HEAD_SIZE))
    except OSError as exc:
        raise RejectedFile("file.unreadable") from exc
    if ext not in _DEMUXERS:
        raise RejectedFile("file.video_container")
    return _DEMUXERS[ext]


def main_video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    """The video stream with the largest picture (phones add tiny preview tracks)."""
    streams = [s for s in container.streams.video if s.codec_context is not None]
    if not streams:
        raise RejectedFile("file.video_no_stream")
    return max(streams, key=lambda s: (s.codec_context.width or 0) * (s.codec_context.height or 0))


def _info(container: av.container.InputContainer, max_pixels: int) -> VideoInfo:
    stream = main_video_stream(container)
    width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
    if width < 1 or height < 1:
        raise RejectedFile("file.video_size_unknown")
    if width * height > max_pixels:
        limit = max_pixels / 1e6
        raise RejectedFile("file.video_too_large", width=width, height=height, limit=f"{limit:g}")
    container_tags, stream_tags = video_tags.lowered(container.metadata), video_tags.lowered(stream.metadata)
    point = video_tags.location(container_tags, stream_tags)
    audio = next(iter(container.streams.audio), None)
    return VideoInfo(
        duration_s=duration_of(container, stream),
        frame_rate=_frame_rate(stream),
        width=width,
        height=height,
        video_codec=stream.codec_context.name,
        audio_codec=audio.codec_context.name if audio is not None and audio.codec_context else None,
        captured_at=video_tags.captured_at(container_tags, stream_tags),
        gps_lat=point.lat if point else None,
        gps_lon=point.lon if point else None,
        gps_alt=point.alt if point else None,
        container=container.format.name,
    )


def duration_of(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float | None:
    """The longest of the durations the container, the stream and its frame count imply.

    Each source is missing or wrong in some files (AVI has no container duration; stripped
    QuickTime files understate it), and none of them overstates it in practice.
    """
    candidates = [container.duration / av.time_base if container.duration else 0.0]
    if stream.duration and stream.time_base:
        candidates.append(float(stream.duration * stream.time_base))
    rate = _frame_rate(stream)
    if stream.frames and rate:
        candidates.append(stream.frames / rate)
    longest = max(candidates)
    return round(longest, 3) if longest > 0 else None


def _frame_rate(stream: av.video.stream.VideoStream) -> float | None:
    rate = stream.average_rate or stream.guessed_rate
    if not isinstance(rate, (Fraction, int, float)) or not 0 < float(rate) < 1000:
        return None
    return round(float(rate), 3)


def _spread(duration: float | None, count: int) -> list[float]:
    """Times at the middle of ``count`` equal slices of the video; [0.0] when its length is unknown."""
    if not duration:
        return [0.0]
    return [duration * (i + 0.5) / count for i in range(count)]
