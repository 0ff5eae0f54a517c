"""Helpers for ingest tests: make small media files, and import in-process with an in-process worker."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tfdb_dam.jobs.worker import run_worker
from tfdb_dam.services.actors import SYSTEM, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest import Importer
from tfdb_dam.services.ingest_metadata import ImportMetadata
from tfdb_dam.services.ingest_store import Outcome
from tfdb_dam.services.ingest_wait import OutcomeWatcher


def run_jobs(ctx: Context) -> None:
    """Process everything queued, in this process, then return."""
    run_worker(ctx, wait=False)


def import_now(ctx: Context, paths: list[Path], *, actor: Actor = SYSTEM,
               metadata: ImportMetadata | None = None) -> list[Outcome]:
    """Import like `tfdb import` does, with the jobs run here; returns the final outcomes."""
    finals: list[Outcome] = []
    with OutcomeWatcher(ctx) as watcher:
        importer = Importer(ctx, actor, metadata)
        for path in paths:
            finals += [o for o in map(watcher.track, importer.add(path)) if o is not None]
        finals += [o for o in map(watcher.track, importer.flush()) if o is not None]
        run_jobs(ctx)
        for _ in range(20):
            if not watcher.outstanding:
                break
            finals += watcher.poll(0.5) or watcher.check()
        assert not watcher.outstanding, "some queued files were never processed"
    return finals


def by_name(outcomes: list[Outcome]) -> dict[str, Outcome]:
    return {Path(o.path).name: o for o in outcomes}


def jpeg(path: Path, size=(64, 48), color=(200, 30, 30), exif: Image.Exif | None = None, **save) -> Path:
    img = Image.new("RGB", size, color)
    for x in range(0, size[0], 8):  # some structure so perceptual hashes differ between patterns
        img.paste((color[2], color[0], color[1]), (x, 0, x + 4, size[1] // 2))
    img.save(path, "JPEG", exif=exif or Image.Exif(), **save)
    return path


def image_bytes(fmt: str, size=(64, 48), color=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def make_video(path: Path, *, seconds: float = 2, size: str = "160x120", args: tuple[str, ...] = (),
               audio: bool = False) -> Path:
    """A test-pattern video made by the real ffmpeg; ``args`` picks codecs, keyframes, metadata."""
    import imageio_ffmpeg

    inputs = ["-f", "lavfi", "-i", f"testsrc=duration={seconds}:size={size}:rate=10"]
    if audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *inputs, *args, str(path)],
                   check=True, capture_output=True)
    return path


@pytest.fixture
def media_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


def stored_files(ctx: Context) -> list[Path]:
    """Every original and rendition file in the store (staging excluded)."""
    return sorted(p for root in (ctx.store.originals, ctx.store.renditions) for p in root.rglob("*") if p.is_file())


def patterned(path: Path, seed: int, size=(320, 240), fmt: str | None = None, **save) -> Path:
    """A picture with large shapes placed by ``seed``: same seed, same picture to the eye."""
    import random

    from PIL import ImageDraw

    rng = random.Random(seed)
    img = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w, h = rng.randrange(size[0] // 6, size[0] // 2), rng.randrange(size[1] // 6, size[1] // 2)
        draw.ellipse((x - w, y - h, x + w, y + h), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    img.save(path, fmt, **save)
    return path
