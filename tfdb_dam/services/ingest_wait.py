"""Waiting for queued assets: LISTEN for the processing jobs' NOTIFY, with a database check as backstop.

The listener starts before anything is stored, so no message can be missed in between; the
backstop (after a quiet spell) reads the rows and the audit trail directly, and re-queues work
a crashed worker left behind, so a lost message or a dead worker costs time, never the answer.
"""

from __future__ import annotations

import json
from collections import defaultdict

import psycopg
from sqlalchemy import select

from tfdb_dam.db.models import Asset, AuditEntry, ProcessingState
from tfdb_dam.jobs.queue import conninfo, retry_stalled_jobs
from tfdb_dam.messages import msg
from tfdb_dam.services.context import Context
from tfdb_dam.services.ingest_process import CHANNEL, requeue_orphans
from tfdb_dam.services.ingest_store import Outcome

UNKNOWN_REFUSAL = str(msg("file.refused_in_processing"))


class OutcomeWatcher:
    """Collects the final outcome of each queued asset (and of duplicates of ones still pending)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._conn = psycopg.connect(conninfo(ctx.db.url), autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")
        self._waiting: dict[int, list[Outcome]] = defaultdict(list)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "OutcomeWatcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def outstanding(self) -> int:
        return sum(len(v) for v in self._waiting.values())

    def track(self, outcome: Outcome) -> Outcome | None:
        """Keep an unfinished outcome until its asset is processed; a final one comes straight back."""
        if outcome.status == "queued" or (outcome.status == "duplicate" and outcome.pending):
            self._waiting[outcome.asset_id].append(outcome)
            return None
        return outcome

    def poll(self, timeout: float) -> list[Outcome]:
        """Final outcomes that arrive within ``timeout`` seconds (0: only those already here).

        Returns as soon as some have arrived (a job's commit sends its assets' messages together),
        so each file is reported when it is done rather than when the wait runs out.
        """
        done: list[Outcome] = []
        wait = max(timeout, 0.001)
        while True:
            received = 0
            # stop_after=1 ends the generator after the packet that holds a message: breaking
            # out of it mid-packet would drop the messages after the one being handled.
            for message in self._conn.notifies(timeout=wait, stop_after=1):
                received += 1
                data = json.loads(message.payload)
                for asset_id in data["asset_ids"]:
                    done += self._settle(asset_id, data["status"], data.get("error"))
            if not received or not self._waiting:
                return done
            wait = 0.001  # the rest of the burst is here or on its way: collect it, do not wait

    def check(self) -> list[Outcome]:
        """Backstop: re-queue orphaned work, then settle whatever the database shows is finished."""
        retry_stalled_jobs(self.ctx)
        requeue_orphans(self.ctx)
        ids = list(self._waiting)
        with self.ctx.db.begin() as session:
            states = dict(session.execute(select(Asset.id, Asset.processing).where(Asset.id.in_(ids))).all())
            reasons = _discard_reasons(session, [i for i in ids if i not in states])
        done: list[Outcome] = []
        for asset_id in ids:
            state = states.get(asset_id)
            if state is None:
                done += self._settle(asset_id, "rejected", reasons.get(asset_id, UNKNOWN_REFUSAL))
            elif state is not ProcessingState.pending:
                done += self._settle(asset_id, "imported" if state is ProcessingState.ready else "rejected")
        return done

    def _settle(self, asset_id: int, status: str, error: str | None = None) -> list[Outcome]:
        settled = []
        for outcome in self._waiting.pop(asset_id, []):
            if status == "rejected":
                outcome.status, outcome.asset_id, outcome.error = "rejected", None, error
            elif outcome.status == "queued":
                outcome.status = "imported"
            outcome.pending = False
            settled.append(outcome)
        return settled


def _discard_reasons(session, asset_ids: list[int]) -> dict[int, str]:  # noqa: ANN001
    if not asset_ids:
        return {}
    rows = session.execute(select(AuditEntry.object_id, AuditEntry.details).where(
        AuditEntry.action == "asset.discard", AuditEntry.object_type == "asset",
        AuditEntry.object_id.in_([str(i) for i in asset_ids])).order_by(AuditEntry.id))
    return {int(object_id): details.get("reason") or UNKNOWN_REFUSAL for object_id, details in rows}


def outcome_of(ctx: Context, asset_id: int) -> Outcome:
    """Where a queued upload stands now: queued, imported, or rejected (with the reason)."""
    with ctx.db.begin() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            reason = _discard_reasons(session, [asset_id]).get(asset_id, UNKNOWN_REFUSAL)
            return Outcome(str(asset_id), "rejected", None, reason)
        states = {ProcessingState.pending: "queued", ProcessingState.ready: "imported"}
        status = states.get(asset.processing, "rejected")
        return Outcome(asset.original_filename, status, asset.id, asset.processing_error)
