"""The demo library `make run` loads so that a first look at the app is not an empty page.

Eighteen painted photos with real places of Huế and bilingual captions go through the real
ingest and workflow (import by a demo contributor, review by a demo approver), so the demo
shows every state: published, approved, submitted, draft.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select

from tfdb_dam.db.models import Asset, Role
from tfdb_dam.demo.scenes import jpeg_with_exif, paint
from tfdb_dam.services import review, users
from tfdb_dam.services.actors import SYSTEM, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest_metadata import read_metadata_csv
from tfdb_dam.services.ingest_run import import_files

# Demo staff accounts; their passwords are generated on the spot and printed once.
DEMO_USERS = (
    ("bientap", Role.contributor, "Biên tập viên Sở Ngoại vụ"),
    ("pheduyet", Role.approver, "Lãnh đạo Phòng Thông tin đối ngoại"),
    ("phongvien", Role.viewer, "Phóng viên đối tác"),
)
# How far along the workflow each demo_status goes, as (actor, action) steps.
_STEPS = {
    "draft": (),
    "submitted": (("contributor", "submit"),),
    "approved": (("contributor", "submit"), ("approver", "approve")),
    "published": (("contributor", "submit"), ("approver", "approve"), ("approver", "publish")),
}


@dataclass
class DemoReport:
    skipped: bool = False
    created_users: dict[str, str] = field(default_factory=dict)  # username -> generated password
    imported: int = 0
    problems: list[str] = field(default_factory=list)


def records() -> list[dict[str, str]]:
    text = resources.files("tfdb_dam.demo").joinpath("library.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def library_is_empty(ctx: Context) -> bool:
    with ctx.db.begin() as session:
        return session.execute(select(func.count()).select_from(Asset)).scalar_one() == 0


def _ensure_users(ctx: Context, report: DemoReport) -> dict[str, Actor]:
    actors = {}
    with ctx.db.begin() as session:
        for username, role, display in DEMO_USERS:
            try:
                users.get_user(session, username)
            except Exception:  # NotFound: create it with a fresh password
                password = users.generate_password()
                users.create_user(session, SYSTEM, username=username, role=role, password=password,
                                  display_name=display)
                report.created_users[username] = password
            actors[role.value] = users.actor_for(session, username)
    return actors


def _paint_files(folder: Path, rows: list[dict[str, str]]) -> Iterator[Path]:
    for row in rows:
        when = dt.datetime.fromisoformat(row["captured_at"]) if row["captured_at"] else None
        lat = float(row["gps_lat"]) if row["gps_lat"] else None
        lon = float(row["gps_lon"]) if row["gps_lon"] else None
        path = folder / row["filename"]
        path.write_bytes(jpeg_with_exif(paint(row["filename"]), when, lat, lon))
        yield path


def load_demo(ctx: Context, *, if_empty: bool = False, workers: int = 1) -> DemoReport:
    report = DemoReport()
    if if_empty and not library_is_empty(ctx):
        report.skipped = True
        return report
    actors = _ensure_users(ctx, report)
    rows = records()
    with tempfile.TemporaryDirectory(prefix="tfdb-demo-") as tmp:
        folder = Path(tmp)
        files = list(_paint_files(folder, rows))
        csv_path = folder / "metadata.csv"
        _write_metadata(csv_path, rows)
        outcomes = {Path(o.path).name: o for o in import_files(
            ctx, actors["contributor"], files, read_metadata_csv(csv_path), workers=workers)}
    for row in rows:
        outcome = outcomes.get(row["filename"])
        if outcome is None or outcome.asset_id is None or outcome.status not in ("imported", "duplicate"):
            report.problems.append(f"{row['filename']}: {outcome.error if outcome else 'not imported'}")
            continue
        report.imported += outcome.status == "imported"
        _advance(ctx, actors, outcome.asset_id, row["demo_status"], report)
    return report


def _write_metadata(path: Path, rows: list[dict[str, str]]) -> None:
    columns = ["filename", "title_vi", "title_en", "description_vi", "description_en", "tags", "category",
               "source_unit", "credit", "license", "captured_at"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _advance(ctx: Context, actors: dict[str, Actor], asset_id: int, target: str, report: DemoReport) -> None:
    for who, action in _STEPS[target]:
        outcome = review.act(ctx, actors[who], asset_id, action)
        if not outcome.ok:
            report.problems.append(f"asset {asset_id}: {action}: {outcome.error}")
            return
