"""Owns the description of a document that the readers of each format fill in."""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image


@dataclass
class DocumentInfo:
    text: str  # NFC, at most documents.MAX_TEXT_CHARS characters
    page_count: int | None  # pages of a PDF, slides of a presentation; None where pages are not fixed
    title: str | None
    preview: Image.Image | None  # first page (PDF) or the thumbnail Office saved; fits the preview box
    warnings: list[str] = field(default_factory=list)
