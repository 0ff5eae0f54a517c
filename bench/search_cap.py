"""What the full-text leg's candidate cap costs in ranking quality, for bench_search.py.

The leg scores at most CANDIDATE_CAP records (those with the rarest typed words; see
tfdb_dam/services/search_lexical.py). With common words in a large library that is an arbitrary
share of the records holding them. Here the leg's first PAGE_TOP are set against the same scoring
run, uncapped, over every record holding any of the terms it scores (the typed words, their
translations and spellings): the share of the uncapped first PAGE_TOP's score the capped ones
reach, and how many of the same records they are. The uncapped ranking's time is the row's
timing: why the cap is there.
"""

from __future__ import annotations

import statistics
import time

from sqlalchemy import text

from tfdb_dam.search.query import parse_query
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search import LEXICAL_LIMIT, thesaurus_for
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_lexical import lexical_statement, plan_lexical, run_lexical
from tfdb_dam.services.search_recall import Recall
from tfdb_dam.services.search_types import SearchFilters

PAGE_TOP = 20  # a page of results
QUERIES = 40  # at most: each uncapped ranking over a million records takes seconds
UNCAPPED_TIMEOUT = "120s"


def cap_row(ctx, texts: list[str]) -> dict:  # noqa: ANN001 - ctx: a Context
    """The row bench_search.py's table prints: unfiltered, the operator's view."""
    timings, kept, same = [], [], []
    for query in texts[:QUERIES]:
        with ctx.db.begin() as session:
            conditions = filter_conditions(session, SYSTEM, SearchFilters())
            parsed = parse_query(query, thesaurus_for(session))
            plan = plan_lexical(session, parsed, conditions, LEXICAL_LIMIT)
            if plan is None:
                continue
            capped = run_lexical(session, plan)[0][:PAGE_TOP]
            session.execute(_TIMEOUT, {"limit": UNCAPPED_TIMEOUT})
            # The accent terms are typed words again, with accents: their records are found already.
            every = Recall((), tuple(term for term in plan.terms if term.kind != "accent"))
            statement = lexical_statement(plan.terms, plan.stats, conditions, PAGE_TOP, every, cap=None)
            began = time.perf_counter()
            uncapped = [(asset_id, float(score)) for asset_id, score in session.execute(statement).all()]
            timings.append(time.perf_counter() - began)
        best = sum(score for _, score in uncapped)
        if not best:
            continue
        kept.append(sum(score for _, score in capped) / best)
        same.append(len({i for i, _ in capped} & {i for i, _ in uncapped}) / len(uncapped))
    note = (
        f"capped first {PAGE_TOP}: {statistics.mean(kept):.1%} of the uncapped score "
        f"(worst {min(kept):.1%}), {statistics.mean(same):.0%} the same records; {len(kept)} queries"
    )
    measure = f"full-text leg uncapped (first {PAGE_TOP}), for the cap's cost"
    return {"measure": measure, "filter": "none (operator)", "timings": timings, "note": note}


_TIMEOUT = text("SELECT set_config('statement_timeout', :limit, true)")
