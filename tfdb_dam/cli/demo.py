"""`tfdb demo`: load the small demo library (painted photos of Huế with bilingual captions)."""

from __future__ import annotations

import argparse

from tfdb_dam.cli.output import context, emit_json, say, warn


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    demo = subparsers.add_parser("demo", parents=[common], help="load the demo library")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the library has assets")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from tfdb_dam.services.demo import load_demo  # heavy (media, models): only when run

    ctx = context()
    try:
        report = load_demo(ctx, if_empty=args.if_empty, workers=ctx.config.worker_count)
    finally:
        ctx.close()
    if args.json:
        emit_json({"skipped": report.skipped, "imported": report.imported,
                   "created_users": report.created_users, "problems": report.problems})
        return 1 if report.problems else 0
    if report.skipped:
        say("The library already has assets; the demo was not loaded.")
        return 0
    say(f"Demo library: {report.imported} photos imported and taken through review.")
    for username, password in report.created_users.items():
        say(f"Demo account '{username}' — password: {password}")
    for problem in report.problems:
        warn(problem)
    return 1 if report.problems else 0
