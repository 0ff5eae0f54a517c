"""`tfdb search` and `tfdb reindex`."""

from __future__ import annotations

import argparse
import sys

from tfdb_dam.cli.assets import actor_from_args, add_actor_options
from tfdb_dam.cli.output import context, emit_json, say, warn
from tfdb_dam.errors import UsageError
from tfdb_dam.services import reindex
from tfdb_dam.services.context import Context
from tfdb_dam.services.search import search
from tfdb_dam.services.search_types import SearchFilters, SearchRequest, SearchResult


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    find = subparsers.add_parser(
        "search",
        parents=[common],
        help="find assets by words (either language)",
        description="Find assets; QUERY '-' reads one query per line from stdin.",
    )
    find.add_argument("query", metavar="QUERY", help="what to look for, or - for one query per stdin line")
    find.add_argument("--limit", type=int, default=20, help="results per query (default 20)")
    find.add_argument("--page", type=int, default=1, help="page of results (default 1)")
    find.add_argument(
        "--kind", action="append", default=[], help="photo, video, document or audio (repeatable)"
    )
    find.add_argument("--status", action="append", default=[], help="workflow status (repeatable)")
    find.add_argument("--category", action="append", default=[], help="category slug (repeatable)")
    find.add_argument("--tag", action="append", default=[], help="tag every result carries (repeatable)")
    find.add_argument("--sort", default="relevance", choices=["relevance", "newest", "oldest", "captured"])
    add_actor_options(find)
    find.set_defaults(handler=run_search)
    again = subparsers.add_parser("reindex", parents=[common], help="rebuild full-text documents and vectors")
    again.add_argument(
        "--model", help="embedding model to (re)compute vectors with (default: TFDB_EMBEDDING_MODEL)"
    )
    again.add_argument("--batch", type=int, default=64, help="assets per transaction (default 64)")
    again.set_defaults(handler=run_reindex)


def _request(args: argparse.Namespace, query: str) -> SearchRequest:
    if not 1 <= args.limit <= 500:
        raise UsageError("cli.limit")
    filters = SearchFilters(kinds=args.kind, statuses=args.status, categories=args.category, tags=args.tag)
    return SearchRequest(
        query=query, filters=filters, page=args.page, per_page=args.limit, sort=args.sort, with_facets=False
    )


def _rows(result: SearchResult) -> list[dict]:
    return [
        {
            "id": hit.asset_id,
            "title_vi": hit.title_vi,
            "title_en": hit.title_en,
            "kind": hit.kind,
            "status": hit.status,
            "score": hit.score,
            "reasons": hit.reasons,
        }
        for hit in result.hits
    ]


def _print(args: argparse.Namespace, result: SearchResult) -> None:
    if args.json:
        emit_json(_rows(result))
        return
    for hit in result.hits:
        title = hit.title_vi or hit.title_en or "—"
        say(f"{hit.asset_id:>7}  {hit.kind:<8} {hit.status:<9} {title}")
        if hit.reasons:
            say(f"{'':>7}  {'; '.join(hit.reasons)}")
    # "10 000+": more match, browsing stops counting at search.BROWSE_COUNT_CAP.
    total = f"{result.total:,}".replace(",", " ") + ("" if result.total_exact else "+")
    say(f"{len(result.hits)} of {total} result(s).")


def _run_one(ctx: Context, args: argparse.Namespace, query: str) -> None:
    with ctx.db.begin() as session:
        actor = actor_from_args(session, args)
        result = search(session, ctx, actor, _request(args, query))
    _print(args, result)


def run_search(args: argparse.Namespace) -> int:
    ctx = context()
    try:
        if args.query != "-":
            _run_one(ctx, args, args.query)
            return 0
        for line in sys.stdin:  # one result list per line, in order; the model loads once
            _run_one(ctx, args, line.rstrip("\r\n"))
    finally:
        ctx.close()
    return 0


def run_reindex(args: argparse.Namespace) -> int:
    if args.batch < 1:
        raise UsageError("cli.batch")
    ctx = context()
    try:
        report = reindex.reindex_all(
            ctx,
            model=args.model,
            batch=args.batch,
            progress=None if args.json else lambda done, total: warn(f"Indexed {done} of {total} asset(s)."),
        )
    finally:
        ctx.close()
    if args.json:
        emit_json(vars(report))
    else:
        say(
            f"Indexed {report.assets} asset(s) with {report.model} ({report.dimension} dimensions, "
            f"{report.vectors} vector(s)); vocabulary of {report.terms} word(s)."
        )
        if not report.searchable:
            say(f"Search uses {report.configured_model}; "
                f"set TFDB_EMBEDDING_MODEL={report.model} to use these vectors.")
    return 0
