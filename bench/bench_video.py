"""Video benchmark: probe, poster and eight keyframes of a 1-hour 1080p video, timed, with peak memory.

The video is made once with imageio-ffmpeg's ffmpeg (a low-motion test pattern, 30-second GOP,
ultrafast preset; one minute encoded, then repeated by stream copy) and cached under /tmp. The work runs in a fresh child process doing exactly
what an ingest worker does for a video (ingest_analysis.analyse: probe, frames, rendition JPEGs),
so its peak resident memory (which it reports itself) is that of the work, not of this script
or of ffmpeg making the video.

    python bench/bench_video.py [--quick] [--cache-dir DIR]

Targets: under 15 s and under 400 MB for the hour; --quick uses a 2-minute video.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "tfdb-bench-video"
LIMIT_S, LIMIT_MB = 15.0, 400.0

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from tfdb_dam.config import load_config
from tfdb_dam.services.ingest_analysis import analyse
started = time.perf_counter()
result = analyse(load_config(), Path(sys.argv[1]), "video", "mp4")
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "duration_s": result.facts["duration_s"],
                  "renditions": sorted(r.name for r in result.renditions),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def ensure_video(cache_dir: Path, minutes: int) -> Path:
    """A cached 1080p H.264 test video of ``minutes`` minutes (made once, atomically).

    One minute is encoded, then repeated by stream copy: an hour of 1080p encoding would take
    longer than the benchmark is worth, and copies keep the long GOP of the original.
    """
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"testsrc-1080p-{minutes}min.mp4"
    if path.exists():
        return path
    minute = cache_dir / "testsrc-1080p-minute.mp4"
    if not minute.exists():
        partial = minute.with_suffix(".part.mp4")
        subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=60:size=1920x1080:rate=25",
                        "-c:v", "libx264", "-preset", "ultrafast", "-g", "750", "-pix_fmt", "yuv420p",
                        str(partial)], check=True)
        partial.replace(minute)
    listing = cache_dir / f"concat-{minutes}.txt"
    listing.write_text("".join(f"file '{minute.name}'\n" for _ in range(minutes)))
    partial = path.with_suffix(".part.mp4")
    subprocess.run([ffmpeg, "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing),
                    "-c", "copy", str(partial)], check=True)
    partial.replace(path)
    return path


def measure(path: Path) -> dict:
    """Run the worker's video analysis in a child, which reports its time and its own peak RSS (MB)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"The analysis failed: {done.stderr.strip().splitlines()[-1:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])  # ru_maxrss: kilobytes on Linux
    report["process_wall_s"] = wall
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 2-minute video instead of an hour")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE, help="where the video is kept")
    args = parser.parse_args(argv)
    made = time.perf_counter()
    path = ensure_video(args.cache_dir, 2 if args.quick else 60)
    print(f"video: {path} ({path.stat().st_size / 1e6:.0f} MB, ready in {time.perf_counter() - made:.0f} s)")
    report = measure(path)
    print(f"duration read: {report['duration_s']:.0f} s; renditions: {len(report['renditions'])} "
          f"({', '.join(report['renditions'])})")
    print(f"probe + poster + keyframes: {report['seconds']:.2f} s (child process {report['process_wall_s']:.2f} s "
          f"with interpreter start); peak memory {report['peak_mb']:.0f} MB")
    ok = report["seconds"] < LIMIT_S and report["peak_mb"] < LIMIT_MB
    print(f"{'within' if ok else 'OVER'} the targets of {LIMIT_S:g} s and {LIMIT_MB:g} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
