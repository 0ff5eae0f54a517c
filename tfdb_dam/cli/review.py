"""`tfdb review …`, `tfdb audit …`, and `tfdb user set-role|disable|enable|passwd`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tfdb_dam.cli.assets import actor_from_args
from tfdb_dam.cli.output import context, emit_json, say, warn
from tfdb_dam.errors import UsageError
from tfdb_dam.services import audit, notify, review, users
from tfdb_dam.services.actors import SYSTEM, Actor
from tfdb_dam.services.review_rules import ACTIONS


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    step = subparsers.add_parser("review", parents=[common], help="take a workflow step on assets")
    step.add_argument("action", choices=ACTIONS)
    step.add_argument("ids", nargs="+", type=int, metavar="ID")
    step.add_argument("--as", dest="as_user", metavar="USER", required=True, help="the user taking the step")
    step.add_argument("--comment", help="a comment for the history; the reason, for reject")
    step.set_defaults(handler=run_review)

    log = subparsers.add_parser("audit", parents=[common], help="check or export the audit trail")
    log_sub = log.add_subparsers(dest="audit_command", metavar="ACTION")
    log_sub.required = True
    verify = log_sub.add_parser("verify", parents=[common],
                                help="recompute the hash chain (exit 1 on problems)")
    verify.set_defaults(handler=run_audit_verify)
    export = log_sub.add_parser("export", parents=[common], help="the whole log as CSV (administrators)")
    export.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")
    export.add_argument("--as", dest="as_user", metavar="USER",
                        help="export as this user (must be an administrator)")
    export.set_defaults(handler=run_audit_export)


def register_user_actions(user_sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The account actions under `tfdb user` (the parser itself lives in cli/setup.py)."""
    role = user_sub.add_parser("set-role", parents=[common], help="change a user's role")
    role.add_argument("name")
    role.add_argument("role", choices=["admin", "approver", "contributor", "viewer"])
    role.set_defaults(handler=run_user_set_role)
    for name, active in (("disable", False), ("enable", True)):
        toggle = user_sub.add_parser(name, parents=[common], help=f"{name} an account")
        toggle.add_argument("name")
        toggle.set_defaults(handler=run_user_set_active, active=active)
    passwd = user_sub.add_parser("passwd", parents=[common],
                                 help="set a new password (generated unless given)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true",
                        help="read the new password from standard input")
    passwd.set_defaults(handler=run_user_passwd)


def run_review(args: argparse.Namespace) -> int:
    if any(asset_id <= 0 for asset_id in args.ids):
        raise UsageError("cli.asset_id")
    ctx = context()
    try:
        with ctx.db.begin() as session:
            actor = users.actor_for(session, args.as_user, address="cli")
        outcomes = review.act_many(ctx, actor, args.action, args.ids, comment=args.comment)
        # The queued email jobs need a worker; send now too, so mail goes out without one
        # (the outbox row lock keeps a running worker from sending the same mail twice).
        notify.deliver_pending(ctx)
    finally:
        ctx.close()
    if args.json:
        emit_json([o.as_dict() for o in outcomes])
    for outcome in outcomes:
        if not outcome.ok:
            warn(outcome.error or "Refused.")
        elif not args.json:
            say(f"Asset {outcome.id}: {outcome.status}.")
    return 0 if all(o.ok for o in outcomes) else 1


def run_audit_verify(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            report = audit.verify(session)
    finally:
        ctx.close()
    if args.json:
        emit_json({"ok": report.ok, "entries": report.entries, "head_id": report.head_id,
                   "head_hash": report.head_hash, "problems": [p.problem for p in report.problems]})
    else:
        for problem in report.problems:
            say(problem.problem)
        state = "the chain is intact" if report.ok else f"{len(report.problems)} problem(s)"
        say(f"{report.entries} entries, {state}; last entry {report.head_id or '-'} hash {report.head_hash}.")
    return 0 if report.ok else 1


def run_audit_export(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            actor: Actor = actor_from_args(session, args) if args.as_user else SYSTEM
            chunks = audit.export(session, actor)
            if args.output:
                with args.output.open("w", encoding="utf-8", newline="") as fh:
                    fh.writelines(chunks)
            else:
                sys.stdout.writelines(chunks)
    finally:
        ctx.close()
    if args.output and not args.json:
        say(f"Wrote the audit log to {args.output}.")
    return 0


def run_user_set_role(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            user = users.set_role(session, SYSTEM, args.name, args.role)
            result = {"username": user.username, "role": user.role.value}
    finally:
        ctx.close()
    if args.json:
        emit_json(result)
    else:
        say(f"{result['username']} is now {result['role']}.")
    return 0


def run_user_set_active(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            user = users.set_active(session, SYSTEM, args.name, args.active)
            result = {"username": user.username, "active": user.is_active}
    finally:
        ctx.close()
    state = "enabled" if result["active"] else "disabled"
    if args.json:
        emit_json(result)
    else:
        say(f"{result['username']} is {state}.")
    return 0


def run_user_passwd(args: argparse.Namespace) -> int:
    given = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else ""
    if args.password_stdin and not given:
        raise UsageError("cli.no_password")
    ctx = context()
    try:
        with ctx.db.begin() as session:
            password = users.reset_password(session, SYSTEM, args.name, given or None)
    finally:
        ctx.close()
    result = {"username": args.name, "password": None if given else password}
    if args.json:
        emit_json(result)
    else:
        say(f"Set a new password for {args.name}." + ("" if given else f" Generated password: {password}"))
    return 0
