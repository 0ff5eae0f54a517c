"""Owns finding decodable frames near given times by seeking to keyframes, and choosing a poster."""

from __future__ import annotations

from fractions import Fraction

import av
from PIL import Image, ImageStat

from tfdb_dam.media.renditions import RENDITION_SPECS, fit_within

# One decoding thread: workers run one per core already, and more threads only add contention.
DECODE_THREADS = 1
# Packets read after a seek before giving up on that point; bounds work on damaged files.
MAX_PACKETS_PER_SEEK = 600
# Frames whose grey level varies less than this are black or blank screens: poor posters.
_FLAT_STDDEV = 10.0
_FRAME_BOX = RENDITION_SPECS["poster"].box
_SEEK_ERRORS = (av.error.FFmpegError, OSError, EOFError, ValueError, IndexError)
_TRANSPOSE = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}


def frames_at(container, stream, times: list[float]) -> list[tuple[float, Image.Image]]:
    """The frame at or just before each time (in seconds), without repeats, in time order."""
    stream.codec_context.thread_count = DECODE_THREADS
    start = stream.start_time or 0
    found: dict[int, tuple[float, Image.Image]] = {}
    for seconds in times:
        frame = _frame_near(container, stream, start + int(seconds / stream.time_base))
        if frame is None:
            continue
        key = frame.pts if frame.pts is not None else int(seconds / stream.time_base)
        if key in found:
            continue
        offset = float((key - start) * stream.time_base) if frame.pts is not None else seconds
        try:
            found[key] = (round(max(offset, 0.0), 3), _to_image(frame, stream.sample_aspect_ratio))
        except _SEEK_ERRORS:
            continue  # a frame libswscale cannot convert: the other points may still give one
    return [found[key] for key in sorted(found)]


def _frame_near(container, stream, timestamp: int):
    # Decoding keyframes only is the fast path. Some encodes mark no keyframes where the
    # index says (intra refresh, broken TS captures), so NONKEY yields nothing; then decode
    # the frames after the seek point normally, still bounded by MAX_PACKETS_PER_SEEK.
    for skip in ("NONKEY", "DEFAULT"):
        stream.codec_context.skip_frame = skip
        frame = _first_frame_after_seek(container, stream, timestamp)
        if frame is not None:
            return frame
    return None


def _first_frame_after_seek(container, stream, timestamp: int):
    try:
        container.seek(max(timestamp, 0), stream=stream, any_frame=False, backward=True)
        for count, packet in enumerate(container.demux(stream)):
            if count >= MAX_PACKETS_PER_SEEK:
                return None
            for frame in packet.decode():
                return frame
    except _SEEK_ERRORS:
        return None
    return None


def _to_image(frame, sample_aspect_ratio: Fraction | None) -> Image.Image:
    # Scale in libswscale before leaving C: a 4K frame as a PIL image would be 25 MB.
    display_width = frame.width * float(sample_aspect_ratio or 1)
    width, height = fit_within((max(1, round(display_width)), frame.height), _FRAME_BOX)
    img = frame.reformat(width=width, height=height, format="rgb24").to_image()
    return _upright(img, getattr(frame, "rotation", 0) or 0)


def _upright(img: Image.Image, rotation: float) -> Image.Image:
    """Turn the picture as a player would (the display matrix, counter-clockwise degrees)."""
    quarter_turns = round(rotation / 90) % 4
    return img.transpose(_TRANSPOSE[quarter_turns * 90]) if quarter_turns else img


def choose_poster(frames: list[tuple[float, Image.Image]]) -> Image.Image | None:
    """The first frame that is not black or blank, else the first frame, else None."""
    for _, img in frames:
        if ImageStat.Stat(img.convert("L").resize((64, 64))).stddev[0] >= _FLAT_STDDEV:
            return img
    return frames[0][1] if frames else None
