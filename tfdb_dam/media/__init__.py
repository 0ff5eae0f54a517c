"""Pure media work on files: what a file is, its metadata, renditions, video frames, document text.

Nothing here touches the database, storage paths or the UI; limits come in as arguments.
"""

from tfdb_dam.media.document_info import DocumentInfo
from tfdb_dam.media.documents import MAX_TEXT_CHARS, read_document
from tfdb_dam.media.limits import run_with_time_limit
from tfdb_dam.media.photo import PhotoMetadata, read_photo_metadata
from tfdb_dam.media.renditions import (
    RENDITION_SPECS,
    RenditionSpec,
    fit_within,
    make_photo_renditions,
    render_image,
)
from tfdb_dam.media.similarity import hash_distance, perceptual_hash
from tfdb_dam.media.sniff import FILE_TYPES, FileType, sniff
from tfdb_dam.media.video import VideoInfo, extract_video_frames, probe_video

__all__ = [
    "FILE_TYPES",
    "MAX_TEXT_CHARS",
    "RENDITION_SPECS",
    "DocumentInfo",
    "FileType",
    "PhotoMetadata",
    "RenditionSpec",
    "VideoInfo",
    "extract_video_frames",
    "fit_within",
    "hash_distance",
    "make_photo_renditions",
    "perceptual_hash",
    "probe_video",
    "read_document",
    "read_photo_metadata",
    "render_image",
    "run_with_time_limit",
    "sniff",
]
