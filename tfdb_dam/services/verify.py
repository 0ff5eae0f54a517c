"""Storage against the database: missing files, orphan files, hash mismatches."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from tfdb_dam.db.models import Asset, Rendition, StorageJournal
from tfdb_dam.services.context import Context
from tfdb_dam.services.reconcile import in_flight, reconcile_storage
from tfdb_dam.storage import hash_file


@dataclass(frozen=True)
class Finding:
    kind: str  # missing_original | hash_mismatch | missing_rendition | orphan_original | orphan_rendition
    path: str
    asset_id: int | None
    message: str


@dataclass
class VerifyReport:
    assets: int = 0
    files_checked: int = 0
    reconciled: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_storage(ctx: Context, *, check_hashes: bool = True) -> VerifyReport:
    report = VerifyReport(reconciled=reconcile_storage(ctx))
    with ctx.db.begin() as session:
        assets = {sha: (aid, ext) for aid, sha, ext in session.execute(select(Asset.id, Asset.sha256, Asset.ext))}
        renditions = session.execute(
            select(Rendition.asset_id, Rendition.name, Asset.sha256).join(Asset)).all()
    report.assets = len(assets)
    busy = in_flight(ctx)
    _check_originals(ctx, assets, report, check_hashes)
    _check_renditions(ctx, renditions, report)
    _find_orphans(ctx, assets, busy, report)
    return report


def _check_originals(ctx: Context, assets: dict, report: VerifyReport, check_hashes: bool) -> None:
    for sha, (asset_id, ext) in assets.items():
        path = ctx.store.original_path(sha, ext)
        if not path.is_file():
            report.findings.append(Finding("missing_original", str(path), asset_id,
                                           f"The original of asset {asset_id} is missing."))
            continue
        report.files_checked += 1
        if check_hashes and hash_file(path) != sha:
            report.findings.append(Finding("hash_mismatch", str(path), asset_id,
                                           f"The original of asset {asset_id} no longer matches its SHA-256."))


def _check_renditions(ctx: Context, renditions: list, report: VerifyReport) -> None:
    for asset_id, name, sha in renditions:
        path = ctx.store.rendition_path(sha, name)
        if not path.is_file():
            report.findings.append(Finding("missing_rendition", str(path), asset_id,
                                           f"The {name} rendition of asset {asset_id} is missing."))
        else:
            report.files_checked += 1


def _find_orphans(ctx: Context, assets: dict, busy: set[str], report: VerifyReport) -> None:
    originals = [(sha, path) for sha, _ext, path in ctx.store.iter_originals() if sha not in assets]
    renditions = [(sha, path) for sha, _name, path in ctx.store.iter_renditions() if sha not in assets]
    # An import may have committed (or journaled) a file after our snapshot: ask again.
    explained = busy | _known_now(ctx, {sha for sha, _ in originals + renditions})
    for sha, path in originals:
        if sha not in explained:
            report.findings.append(Finding("orphan_original", str(path), None,
                                           "A stored original belongs to no asset."))
    for sha, path in renditions:
        if sha not in explained:
            report.findings.append(Finding("orphan_rendition", str(path), None,
                                           "A stored rendition belongs to no asset."))


def _known_now(ctx: Context, shas: set[str]) -> set[str]:
    if not shas:
        return set()
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(
            select(Asset.sha256).where(Asset.sha256.in_(shas))
            .union(select(StorageJournal.sha256).where(StorageJournal.sha256.in_(shas)))).scalars()
        return set(rows)
