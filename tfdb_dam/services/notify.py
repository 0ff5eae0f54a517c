"""Notifications: the in-app rows (always), their bilingual text, reading them, and the email outbox.

A notification is written in the transaction of the act it reports, with ``email_state`` pending
when its user has an address, and an email job is queued in that same transaction. The job
(``deliver``) runs after the commit, holding the row lock so two workers never send the same
mail; a failed send is logged and retried by ``deliver_pending`` (periodic), and never touches
the in-app notification.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from tfdb_dam.db.models import Asset, Notification, Role, User
from tfdb_dam.jobs.queue import defer
from tfdb_dam.services.actors import Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.mailer import SEND_ERRORS, UNREACHABLE, SmtpMailer, mailer_from_config

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
MAX_AGE = dt.timedelta(days=2)  # a mail this late would mislead more than help
RETRY_BASE = dt.timedelta(minutes=1)  # then 2, 4, 8, 16 minutes
ASSET_LINK = "{base}/asset?id={id}"
EMAIL_TASK = "workflow.send_notification_email"

# action -> (Vietnamese, English) sentence; {n} asset id, {t} title, {who} actor, {why} reason.
_TEXTS = {
    "submit": ("Tư liệu #{n} «{t}» do {who} gửi đang chờ duyệt.",
               "Asset #{n} “{t}” was submitted for review by {who}."),
    "approve": ("Tư liệu #{n} «{t}» đã được {who} duyệt.", "Asset #{n} “{t}” was approved by {who}."),
    "reject": ("Tư liệu #{n} «{t}» bị {who} từ chối. Lý do: {why}",
               "Asset #{n} “{t}” was rejected by {who}. Reason: {why}"),
    "publish": ("Tư liệu #{n} «{t}» đã được {who} công bố.", "Asset #{n} “{t}” was published by {who}."),
    "unpublish": ("Tư liệu #{n} «{t}» đã được {who} gỡ khỏi công khai và lưu trữ.",
                  "Asset #{n} “{t}” was unpublished and archived by {who}."),
    "archive": ("Tư liệu #{n} «{t}» đã được {who} lưu trữ.", "Asset #{n} “{t}” was archived by {who}."),
    "rights_expired": ("Quyền sử dụng tư liệu #{n} «{t}» đã hết hạn ngày {why}; tư liệu đã tự động rời "
                       "khỏi mọi kênh công khai.",
                       "The rights to asset #{n} “{t}” expired on {why}; it has left every public channel."),
}
_SUBJECTS = {
    "submit": ("Tư liệu chờ duyệt", "Awaiting review"), "approve": ("Đã duyệt", "Approved"),
    "reject": ("Bị từ chối", "Rejected"), "publish": ("Đã công bố", "Published"),
    "unpublish": ("Đã gỡ khỏi công khai", "Unpublished"), "archive": ("Đã lưu trữ", "Archived"),
    "rights_expired": ("Hết hạn quyền sử dụng", "Rights expired"),
}


def title_of(asset: Asset) -> str:
    return asset.title_vi or asset.title_en or asset.original_filename


def compose(event: str, asset: Asset, who: str, why: str = "") -> tuple[str, str]:
    """(subject, body) in Vietnamese first, then English."""
    vi, en = (text.format(n=asset.id, t=title_of(asset), who=who, why=why) for text in _TEXTS[event])
    subject_vi, subject_en = _SUBJECTS[event]
    return f"[TFDB DAM] {subject_vi} / {subject_en}: #{asset.id} {title_of(asset)}"[:500], f"{vi}\n\n{en}"


def approvers(session: Session) -> list[User]:
    return list(session.execute(select(User).where(
        User.is_active, User.role.in_((Role.approver, Role.admin))).order_by(User.id)).scalars())


def owners(session: Session, asset: Asset) -> list[User]:
    ids = {i for i in (asset.created_by_id, asset.submitted_by_id) if i is not None}
    if not ids:
        return []
    query = select(User).where(User.id.in_(ids), User.is_active).order_by(User.id)
    return list(session.execute(query).scalars())


def notify(session: Session, recipients: Iterable[User], asset: Asset, event: str, who: str,
           why: str = "", *, exclude: int | None = None) -> list[Notification]:
    """One in-app notification per recipient (never the actor themself); email queued if they have one."""
    subject, body = compose(event, asset, who, why)
    rows = [Notification(user_id=user.id, subject=subject, body=body, asset_id=asset.id,
                         email_state="pending" if user.email else "none")
            for user in recipients if user.id != exclude]
    session.add_all(rows)
    session.flush()
    for row in rows:
        if row.email_state == "pending":
            defer(session, EMAIL_TASK, notification_id=row.id)
    return rows


def list_notifications(session: Session, actor: Actor, *, unread_only: bool = False,
                       limit: int = 50) -> list[Notification]:
    """The actor's own notifications, newest first."""
    query = select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(session.execute(query.order_by(Notification.id.desc()).limit(limit)).scalars())


def unread_count(session: Session, actor: Actor) -> int:
    return session.execute(select(func.count()).select_from(Notification).where(
        Notification.user_id == actor.user_id, Notification.read_at.is_(None))).scalar_one()


def mark_read(session: Session, actor: Actor, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given); returns how many."""
    query = update(Notification).where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
    if notification_ids is not None:
        query = query.where(Notification.id.in_(list(notification_ids)))
    return session.execute(query.values(read_at=func.now())).rowcount


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0


def deliver(ctx: Context, notification_id: int, *, now: dt.datetime | None = None,
            mailer: SmtpMailer | None = None) -> str:
    """Email one notification if it is due: sent, skipped, retry, failed or unreachable. Idempotent."""
    now = now or dt.datetime.now(dt.timezone.utc)
    mailer = mailer or mailer_from_config(ctx.config)
    with ctx.db.begin() as session:
        row = session.execute(
            select(Notification, User.email).join(User, User.id == Notification.user_id)
            .where(Notification.id == notification_id, Notification.email_state == "pending",
                   or_(Notification.email_retry_at.is_(None), Notification.email_retry_at <= now))
            .with_for_update(of=Notification, skip_locked=True)).first()
        if row is None:
            return "skipped"
        note, address = row
        if mailer is None or not address:
            note.email_state = "none"
            return "skipped"
        return _send(ctx, mailer, note, address, now)


def _send(ctx: Context, mailer: SmtpMailer, note: Notification, address: str, now: dt.datetime) -> str:
    body = note.body
    if note.asset_id is not None:
        link = ASSET_LINK.format(base=ctx.config.tfdb_public_url.rstrip("/"), id=note.asset_id)
        body += f"\n\nXem tư liệu / View the asset: {link}"
    try:
        mailer.send(address, note.subject, body)
    except SEND_ERRORS as exc:
        unreachable = isinstance(exc, UNREACHABLE)
        note.email_attempts += 1
        note.email_error = f"{type(exc).__name__}: {exc}"[:2000]
        gave_up = note.email_attempts >= MAX_ATTEMPTS
        note.email_state = "failed" if gave_up else "pending"
        note.email_retry_at = None if gave_up else now + RETRY_BASE * 2 ** (note.email_attempts - 1)
        log.warning("Email for notification %s to %s failed (attempt %s): %s",
                    note.id, address, note.email_attempts, note.email_error)
        return "unreachable" if unreachable else "failed" if gave_up else "retry"
    note.email_state, note.emailed_at, note.email_error = "sent", now, None
    return "sent"


def due_ids(session: Session, now: dt.datetime, limit: int) -> list[int]:
    """Pending emails whose time has come; those too old to be useful are given up first."""
    session.execute(update(Notification).where(
        Notification.email_state == "pending", Notification.created_at < now - MAX_AGE)
        .values(email_state="failed", email_error="Not sent within two days; kept in the app only."))
    return list(session.execute(select(Notification.id).where(
        Notification.email_state == "pending",
        or_(Notification.email_retry_at.is_(None), Notification.email_retry_at <= now))
        .order_by(Notification.id).limit(limit)).scalars())


def deliver_pending(ctx: Context, *, now: dt.datetime | None = None, limit: int = 200) -> DeliveryReport:
    """Send every due email (the periodic job, and the flush right after a commit)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    mailer = mailer_from_config(ctx.config)
    with ctx.db.begin() as session:
        ids = due_ids(session, now, limit)
    report = DeliveryReport()
    for notification_id in ids:
        outcome = deliver(ctx, notification_id, now=now, mailer=mailer)
        if outcome == "sent":
            report.sent += 1
        elif outcome == "skipped":
            report.skipped += 1
        else:
            report.failed += 1
        if outcome == "unreachable":  # the server is down: leave the rest for the next run
            break
    return report
