"""Notifications: always in the app; email through a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text

from tests.integration.workflow.factory import actor, make_asset, make_people
from tfdb_dam.db.models import AssetStatus, Notification
from tfdb_dam.jobs import workflow_tasks
from tfdb_dam.services import notify, review
from tfdb_dam.services.context import Context


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def by_recipient(self) -> dict[str, email.message.EmailMessage]:
        return {to: message for tos, message in self.received for to in tos}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = _smtp(inbox, port)
    yield inbox, port
    controller.stop()


def _mailing(ctx: Context, port: int) -> Context:
    return Context(config=ctx.config.replace(tfdb_smtp_host="127.0.0.1", tfdb_smtp_port=port,
                                             tfdb_smtp_from="tfdb@so-ngoai-vu.example"), db=ctx.db, store=ctx.store)


@pytest.fixture
def office(ctx):  # noqa: ANN001, ANN201
    with ctx.db.begin() as session:
        return make_people(session, emails=True)


def _queued_email_jobs(ctx: Context) -> list[int]:
    with ctx.db.begin() as session:
        return list(session.execute(text(
            "SELECT (args->>'notification_id')::bigint FROM procrastinate_jobs "
            "WHERE task_name = :task AND status = 'todo' ORDER BY id"), {"task": notify.EMAIL_TASK}).scalars())


def test_approvers_get_mail_on_submit_and_the_contributor_on_the_decision(ctx, office, smtp):
    inbox, port = smtp
    mailing = _mailing(ctx, port)
    with ctx.db.begin() as session:
        asset_id = make_asset(session, office.contributor, title_vi="Lễ hội Điện Hòn Chén").id
    assert review.act(mailing, actor(office.contributor), asset_id, "submit").ok
    jobs = _queued_email_jobs(ctx)  # queued in the act's own transaction, sent by the job
    assert len(jobs) == 3 and not inbox.received
    assert [workflow_tasks.send_notification_email(mailing, n) for n in jobs] == ["sent"] * 3
    assert workflow_tasks.send_notification_email(mailing, jobs[0]) == "skipped"  # a rerun sends nothing

    mails = inbox.by_recipient()
    assert sorted(mails) == ["lan@so-ngoai-vu.example", "minh@so-ngoai-vu.example", "quantri@so-ngoai-vu.example"]
    mail = mails["lan@so-ngoai-vu.example"]
    assert mail["Subject"] == f"[TFDB DAM] Tư liệu chờ duyệt / Awaiting review: #{asset_id} Lễ hội Điện Hòn Chén"
    assert mail["From"] == "tfdb@so-ngoai-vu.example"
    body = mail.get_content()
    vietnamese = body.index(f"Tư liệu #{asset_id} «Lễ hội Điện Hòn Chén» do hoa gửi đang chờ duyệt.")
    assert vietnamese < body.index("was submitted for review by hoa.")
    assert f"http://localhost:8501/asset?id={asset_id}" in body

    assert review.act(mailing, actor(office.approver), asset_id, "reject", comment="Cần ghi rõ tác giả ảnh.").ok
    assert workflow_tasks.send_pending_emails(mailing).sent == 1
    to, decision = inbox.received[-1]
    assert to == ["hoa@so-ngoai-vu.example"]
    assert "Bị từ chối / Rejected" in decision["Subject"]
    assert "Lý do: Cần ghi rõ tác giả ảnh." in decision.get_content()
    with ctx.db.begin() as session:
        states = session.execute(select(Notification.email_state)).scalars().all()
    assert states == ["sent"] * 4


def test_a_failed_send_is_retried_later_and_the_notification_stays_in_the_app(ctx, office, caplog):
    port = _free_port()  # nothing listens there yet
    mailing = _mailing(ctx, port)
    with ctx.db.begin() as session:
        asset_id = make_asset(session, office.contributor, status=AssetStatus.submitted,
                              submitted_by=office.contributor).id
    review.act(mailing, actor(office.approver), asset_id, "approve")
    with caplog.at_level(logging.WARNING, logger="tfdb_dam.services.notify"):
        report = workflow_tasks.send_pending_emails(mailing)
    assert (report.sent, report.failed) == (0, 1)
    assert "to hoa@so-ngoai-vu.example failed (attempt 1)" in caplog.text
    with ctx.db.begin() as session:
        note = session.execute(select(Notification)).scalar_one()
        assert (note.email_state, note.email_attempts, note.emailed_at) == ("pending", 1, None)
        assert note.email_retry_at is not None and "Connection refused" in note.email_error
        assert [n.subject for n in notify.list_notifications(session, actor(office.contributor))] == [note.subject]
    assert workflow_tasks.send_pending_emails(mailing).sent == 0  # not due yet

    inbox = Inbox()
    controller = _smtp(inbox, port)
    try:
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)
        assert notify.deliver_pending(mailing, now=later).sent == 1
    finally:
        controller.stop()
    assert [to for to, _ in inbox.received] == [["hoa@so-ngoai-vu.example"]]
    with ctx.db.begin() as session:
        assert session.execute(select(Notification.email_state)).scalar_one() == "sent"


def test_without_smtp_notifications_stay_in_the_app_and_can_be_marked_read(ctx, office):
    with ctx.db.begin() as session:
        asset_id = make_asset(session, office.contributor).id
    review.act(ctx, actor(office.contributor), asset_id, "submit")
    assert workflow_tasks.send_pending_emails(ctx).skipped == 3
    lan = actor(office.approver)
    with ctx.db.begin() as session:
        assert set(session.execute(select(Notification.email_state)).scalars()) == {"none"}
        assert notify.unread_count(session, lan) == 1
        (note,) = notify.list_notifications(session, lan, unread_only=True)
        assert notify.mark_read(session, actor(office.approver2), [note.id]) == 0  # not theirs
        assert notify.mark_read(session, lan, [note.id]) == 1
        assert notify.unread_count(session, lan) == 0 and notify.list_notifications(session, lan)


def test_cli_review_sends_the_mail_after_its_commit(ctx, office, smtp, cli_env, run_cli):
    inbox, port = smtp
    cli_env.update({"TFDB_SMTP_HOST": "127.0.0.1", "TFDB_SMTP_PORT": str(port)})
    with ctx.db.begin() as session:
        asset_id = make_asset(session, office.contributor, status=AssetStatus.approved,
                              submitted_by=office.contributor).id
    assert run_cli("review", "publish", str(asset_id), "--as", "minh") == (0, f"Asset {asset_id}: published.\n", "")
    ((to, mail),) = inbox.received
    assert to == ["hoa@so-ngoai-vu.example"] and "Đã công bố / Published" in mail["Subject"]
    assert f"Tư liệu #{asset_id} «Đại Nội Huế» đã được minh công bố." in mail.get_content()
