"""What the full-text leg's candidate cap costs in ranking quality, for bench_search.py.

The leg scores at most CANDIDATE_CAP records (those with the rarest typed words; see
tfdb_dam/services/search_lexical_recall.py). With common words in a large library that is an arbitrary
share of the records holding them. Here the leg's first PAGE_TOP are set against the same scoring
run, uncapped, over every record holding any of the terms it scores (the typed words, their
translations and spellings): the share of the uncapped first PAGE_TOP's score the capped ones
reach, and how many of the same records they are. The uncapped ranking's time is the row's
timing: why the cap is there.
"""

from __future__ import annotations

import math
import statistics
import time

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tfdb_dam.search.query import parse_query
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search import LEXICAL_LIMIT, thesaurus_for
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_lexical import lexical_statement, plan_lexical, run_lexical
from tfdb_dam.services.search_lexical_recall import Recall
from tfdb_dam.services.search_types import SearchFilters

PAGE_TOP = 20  # a page of results
QUERIES = 40  # at most: each uncapped ranking over a million records takes seconds
UNCAPPED_TIMEOUT = "120s"


def cap_row(ctx, texts: list[str]) -> dict:  # noqa: ANN001 - ctx: a Context
    """The row bench_search.py's table prints: unfiltered, the operator's view."""
    timings, kept, same, timed_out = [], [], [], 0
    for query in texts[:QUERIES]:
        with ctx.db.begin() as session:
            conditions = filter_conditions(session, SYSTEM, SearchFilters())
            parsed = parse_query(query, thesaurus_for(session))
            plan = plan_lexical(session, parsed, conditions, LEXICAL_LIMIT)
            if plan is None:
                continue
            capped = run_lexical(session, plan)[0][:PAGE_TOP]
        ranked = _uncapped(ctx, plan, conditions)
        if ranked is None:
            timed_out += 1
            continue
        uncapped, elapsed = ranked
        timings.append(elapsed)
        best = sum(score for _, score in uncapped)
        if not best:
            continue
        kept.append(sum(score for _, score in capped) / best)
        same.append(len({i for i, _ in capped} & {i for i, _ in uncapped}) / len(uncapped))
    note = (
        f"capped first {PAGE_TOP}: {statistics.mean(kept):.1%} of the uncapped score "
        f"(worst {min(kept):.1%}), {statistics.mean(same):.0%} the same records; {len(kept)} queries"
        if kept else "no query had results"
    ) + (f"; {timed_out} over {UNCAPPED_TIMEOUT} left out" if timed_out else "")
    measure = f"full-text leg uncapped (first {PAGE_TOP}), for the cap's cost"
    # NaN rather than an empty list when every ranking timed out: the table still prints.
    return {"measure": measure, "filter": "none (operator)", "timings": timings or [math.nan], "note": note}


def _uncapped(ctx, plan, conditions) -> tuple[list[tuple[int, float]], float] | None:  # noqa: ANN001
    """The first PAGE_TOP of every record holding any term the leg scores, and the time it took;
    None past UNCAPPED_TIMEOUT. The accent terms are typed words again: their records are in."""
    every = Recall((), tuple(term for term in plan.terms if term.kind != "accent"))
    statement = lexical_statement(plan.terms, plan.stats, conditions, PAGE_TOP, every, cap=None)
    try:
        with ctx.db.begin() as session:
            session.execute(_TIMEOUT, {"limit": UNCAPPED_TIMEOUT})
            began = time.perf_counter()
            rows = session.execute(statement).all()
            return [(asset_id, float(score)) for asset_id, score in rows], time.perf_counter() - began
    except OperationalError:  # the timeout: counted by the caller, and the run goes on
        return None


_TIMEOUT = text("SELECT set_config('statement_timeout', :limit, true)")
