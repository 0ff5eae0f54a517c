"""What processing learns from one stored original: facts, file metadata and rendition images.

Runs outside any transaction (it may take seconds) and touches neither rows nor the store;
every parse of the untrusted file runs under the parse time limit. RejectedFile means the file
turned out to be unusable (corrupt, a bomb) and the asset must be discarded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfdb_dam.config import Config
from tfdb_dam.media import (
    FILE_TYPES,
    extract_video_frames,
    make_photo_renditions,
    probe_video,
    read_document,
    read_photo_metadata,
    render_image,
    run_with_time_limit,
)
from tfdb_dam.services.ingest_metadata import rights_fields, split_tags, text_fields

PHOTO_RENDITIONS = ("thumb", "preview")
KEYFRAMES = 8
# A container that reads but holds no decodable picture (a metadata-only sample, a camera file cut
# short) is kept for what it says, with this note for the reviewer; an unreadable one is refused.
NO_FRAME_NOTE = "No picture of the video could be decoded, so it has no poster or keyframes."


@dataclass(frozen=True)
class RenditionImage:
    name: str
    data: bytes
    at_seconds: float | None = None


@dataclass
class Analysis:
    """``facts`` are set as they are (sizes, codecs); ``fields`` go through provenance as "file"."""

    facts: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)
    captured_at: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    renditions: list[RenditionImage] = field(default_factory=list)


def analyse(config: Config, path: Path, kind: str, ext: str) -> Analysis:
    readers = {"photo": _photo, "video": _video, "document": _document, "audio": _audio}
    return readers[kind](config, path, ext)


def _limited(config: Config, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return run_with_time_limit(fn, *args, seconds=config.tfdb_parse_timeout_s, **kwargs)


def _photo(config: Config, path: Path, _ext: str) -> Analysis:
    meta = _limited(config, read_photo_metadata, path)
    images = _limited(config, make_photo_renditions, path, list(PHOTO_RENDITIONS),
                      max_pixels=config.tfdb_max_image_pixels)
    facts = {"width": meta.width, "height": meta.height, "orientation": meta.orientation,
             "camera_make": _cut(meta.camera_make, 100), "camera_model": _cut(meta.camera_model, 100),
             "lens": _cut(meta.lens, 200), "exposure": meta.exposure or {}, "exif": meta.exif or {}}
    fields = {**text_fields(meta.title, meta.caption), **rights_fields(meta.creator, meta.copyright),
              **_gps(meta.gps_lat, meta.gps_lon, meta.gps_alt)}
    return Analysis(facts=facts, fields=fields, captured_at=meta.captured_at,
                    tags=split_tags(meta.keywords), notes=list(meta.warnings),
                    renditions=[RenditionImage(name, data) for name, data in images.items()])


def _video(config: Config, path: Path, _ext: str) -> Analysis:
    info = _limited(config, probe_video, path, max_pixels=config.tfdb_max_video_pixels)
    poster, frames = _limited(config, extract_video_frames, path, count=KEYFRAMES)
    facts = {"width": info.width, "height": info.height, "duration_s": info.duration_s,
             "frame_rate": info.frame_rate, "video_codec": _cut(info.video_codec, 50),
             "audio_codec": _cut(info.audio_codec, 50)}
    renditions = [RenditionImage(f"keyframe-{i:02d}", render_image(img, "keyframe"), seconds)
                  for i, (seconds, img) in enumerate(frames)]
    if poster is not None:
        renditions += [RenditionImage(name, render_image(poster, name))
                       for name in ("poster", *PHOTO_RENDITIONS)]
    return Analysis(facts=facts, fields=_gps(info.gps_lat, info.gps_lon, info.gps_alt),
                    captured_at=info.captured_at, renditions=renditions,
                    notes=[] if poster is not None else [NO_FRAME_NOTE])


def _document(config: Config, path: Path, ext: str) -> Analysis:
    info = _limited(config, read_document, path, FILE_TYPES[ext])
    facts = {"page_count": info.page_count, "extracted_text": info.text or None}
    renditions = []
    if info.preview is not None:
        renditions = [RenditionImage(name, render_image(info.preview, name)) for name in PHOTO_RENDITIONS]
    return Analysis(facts=facts, fields=text_fields(info.title, None), notes=list(info.warnings),
                    renditions=renditions)


def _audio(_config: Config, _path: Path, _ext: str) -> Analysis:
    # Sound is kept as it is: there is nothing to render, and its words come from the metadata.
    return Analysis()


def _gps(lat: float | None, lon: float | None, alt: float | None) -> dict[str, float]:
    if lat is None or lon is None:
        return {}
    point = {"gps_lat": lat, "gps_lon": lon}
    return point if alt is None else {**point, "gps_alt": alt}


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None
