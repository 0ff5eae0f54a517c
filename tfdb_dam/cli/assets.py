"""`tfdb show` and `tfdb verify`."""

from __future__ import annotations

import argparse

from tfdb_dam.cli.output import context, dumps, emit_json, say
from tfdb_dam.errors import UsageError
from tfdb_dam.services import assets, users
from tfdb_dam.services.actors import PUBLIC, SYSTEM, Actor
from tfdb_dam.services.verify import verify_storage


def add_actor_options(parser: argparse.ArgumentParser) -> None:
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--as", dest="as_user", metavar="USER", help="act and see as this user")
    who.add_argument("--public", action="store_true", help="see what the anonymous public sees")


def actor_from_args(session, args: argparse.Namespace) -> Actor:  # noqa: ANN001
    if getattr(args, "public", False):
        return PUBLIC
    if getattr(args, "as_user", None):
        return users.actor_for(session, args.as_user)
    return SYSTEM


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    show = subparsers.add_parser("show", parents=[common], help="everything known about an asset")
    show.add_argument("id", type=int)
    add_actor_options(show)
    show.set_defaults(handler=run_show)
    verify = subparsers.add_parser("verify", parents=[common], help="check storage against the database")
    verify.add_argument("--no-hash", action="store_true", help="skip re-hashing originals (faster)")
    verify.set_defaults(handler=run_verify)


def run_show(args: argparse.Namespace) -> int:
    if args.id <= 0:
        raise UsageError("cli.asset_id")
    ctx = context()
    try:
        with ctx.db.begin() as session:
            actor = actor_from_args(session, args)
            record = assets.asset_record(session, assets.get_asset(session, actor, args.id))
    finally:
        ctx.close()
    if args.json:
        emit_json(record)
        return 0
    for key, value in record.items():
        if key == "history":
            say("history:")
            for step in value:
                say(f"  {step['at']:%Y-%m-%d %H:%M}  {step['actor']:<12} {step['action']:<10} {step['comment'] or ''}")
        elif value not in (None, "", [], {}):
            say(f"{key}: {value if isinstance(value, str) else dumps(value)}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        report = verify_storage(ctx, check_hashes=not args.no_hash)
    finally:
        ctx.close()
    if args.json:
        emit_json({"ok": report.ok, "assets": report.assets, "files_checked": report.files_checked,
                   "reconciled": report.reconciled,
                   "findings": [vars(f) for f in report.findings]})
    else:
        for finding in report.findings:
            say(f"{finding.kind}: {finding.message} ({finding.path})")
        if report.reconciled:
            say(f"Settled {report.reconciled} write(s) interrupted by a crash.")
        say(f"{report.assets} assets, {report.files_checked} files checked: "
            f"{'all good' if report.ok else f'{len(report.findings)} problem(s)'}.")
    return 0 if report.ok else 1
