"""`tfdb apikey create|list|revoke`, `tfdb export` and `tfdb import-zip`: sharing with other systems."""

from __future__ import annotations

import argparse
from pathlib import Path

from tfdb_dam.cli.assets import actor_from_args, add_actor_options
from tfdb_dam.cli.output import context, emit_json, say
from tfdb_dam.errors import NotFound, UsageError
from tfdb_dam.services import apikeys, users
from tfdb_dam.services.actors import SYSTEM, Actor
from tfdb_dam.services.context import Context
from tfdb_dam.services.exchange import export_zip
from tfdb_dam.services.exchange_import import import_zip


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    key = subparsers.add_parser("apikey", parents=[common], help="API keys for partner systems")
    actions = key.add_subparsers(dest="apikey_action", metavar="ACTION", required=True)
    create = actions.add_parser("create", parents=[common], help="issue a key (shown once)")
    create.add_argument("name", help="which partner system uses it")
    create.add_argument(
        "--scope",
        action="append",
        dest="scopes",
        metavar="SCOPE",
        choices=list(apikeys.SCOPES),
        help=f"repeat for several: {', '.join(apikeys.SCOPES)} (default read:published)",
    )
    create.add_argument(
        "--as", dest="as_user", metavar="USER", help="the administrator issuing it (default: system)"
    )
    create.set_defaults(handler=run_create)
    listing = actions.add_parser("list", parents=[common], help="list keys (never their secrets)")
    listing.set_defaults(handler=run_list)
    revoke = actions.add_parser("revoke", parents=[common], help="revoke a key at once")
    revoke.add_argument("id", type=int)
    revoke.add_argument(
        "--as", dest="as_user", metavar="USER", help="the administrator revoking it (default: system)"
    )
    revoke.set_defaults(handler=run_revoke)

    export = subparsers.add_parser(
        "export", parents=[common], help="export a collection or a search as an exchange ZIP"
    )
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--collection", type=int, metavar="ID")
    what.add_argument("--query", metavar="Q", help="words, as in the API's q filter")
    export.add_argument("--output", type=Path, required=True, metavar="FILE.zip")
    add_actor_options(export)
    export.set_defaults(handler=run_export)

    zip_in = subparsers.add_parser(
        "import-zip", parents=[common], help="import an exchange ZIP from another TFDB DAM"
    )
    zip_in.add_argument("zip", type=Path, metavar="FILE.zip")
    zip_in.add_argument("--by", metavar="USER", help="the user the assets are created by (default: system)")
    zip_in.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="worker processes to start for this run (default: one per core; 0: use running workers)",
    )
    zip_in.set_defaults(handler=run_import_zip)


def _user(ctx: Context, username: str | None) -> Actor:
    if not username:
        return SYSTEM
    with ctx.db.begin() as session:
        return users.actor_for(session, username)


def run_create(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            issued = apikeys.create_key(session, _user(ctx, args.as_user), args.name, args.scopes)
            record = apikeys.key_record(issued.key)
    finally:
        ctx.close()
    if args.json:
        emit_json({**record, "key": issued.secret})
    else:
        say(
            f"API key {record['id']} ({record['prefix']}) for {record['name']}, "
            f"scopes {', '.join(record['scopes'])}:"
        )
        say(issued.secret)
        say("Give it to the partner now: it is shown only this once (only its hash is kept).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            records = [apikeys.key_record(k) for k in apikeys.list_keys(session, SYSTEM)]
    finally:
        ctx.close()
    if args.json:
        emit_json(records)
        return 0
    for r in records:
        state = "active" if r["active"] else f"revoked {r['revoked_at']:%Y-%m-%d}"
        used = f"last used {r['last_used_at']:%Y-%m-%d %H:%M}" if r["last_used_at"] else "never used"
        say(f"{r['id']:>4}  {r['prefix']}  {state:<18} {used:<28} {','.join(r['scopes']):<40} {r['name']}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        with ctx.db.begin() as session:
            record = apikeys.key_record(apikeys.revoke_key(session, _user(ctx, args.as_user), args.id))
    finally:
        ctx.close()
    if args.json:
        emit_json(record)
    else:
        say(f"API key {record['id']} ({record['prefix']}, {record['name']}) is revoked.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".zip":
        raise UsageError("cli.output_zip")
    if not args.output.parent.is_dir():
        raise UsageError("cli.folder_missing", path=args.output.parent)
    ctx = context()
    try:
        with ctx.db.begin() as session:
            actor = actor_from_args(session, args)
        report = export_zip(ctx, actor, args.output, collection_id=args.collection, query=args.query)
    finally:
        ctx.close()
    if args.json:
        emit_json(
            {
                "path": str(report.path),
                "assets": report.asset_ids,
                "originals": report.originals,
                "previews": report.previews,
            }
        )
    else:
        say(
            f"Exported {len(report.asset_ids)} asset(s) to {report.path} "
            f"({report.originals} original(s), {report.previews} preview(s))."
        )
    return 0


def run_import_zip(args: argparse.Namespace) -> int:
    if not args.zip.is_file():
        raise UsageError("cli.no_such_file", path=args.zip)
    if args.workers is not None and args.workers < 0:
        raise UsageError("cli.workers")
    ctx = context(pool_size=8)
    outcomes = []
    try:
        try:
            actor = _user(ctx, args.by)
        except NotFound as exc:
            raise UsageError("cli.by_unknown_existing", name=repr(args.by)) from exc
        workers = ctx.config.worker_count if args.workers is None else args.workers
        for outcome in import_zip(ctx, actor, args.zip, workers=workers):
            outcomes.append(outcome)
            if not args.json:
                detail = f": {outcome.error}" if outcome.error else f" (asset {outcome.asset_id})"
                say(f"{outcome.status:<9} {outcome.path}{detail}")
    finally:
        ctx.close()
    counts = {s: sum(o.status == s for o in outcomes) for s in ("imported", "duplicate", "rejected")}
    if args.json:
        emit_json([o.as_dict() for o in outcomes])
    else:
        say(
            f"{len(outcomes)} file(s): {counts['imported']} imported, {counts['duplicate']} duplicate(s), "
            f"{counts['rejected']} rejected."
        )
    return 1 if counts["rejected"] else 0
