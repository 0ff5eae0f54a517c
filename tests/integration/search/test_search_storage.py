"""The full-text documents stay in the asset's row (migration 0010): the full-text leg reads both
documents of up to a thousand candidates per query, and an out-of-line value costs each of them
extra page reads and a detoast."""

from __future__ import annotations

import random

from sqlalchemy import text

from tests.integration.search.records import add_assets

_WORDS = "lăng chùa cầu sông núi biển làng nghề lễ hội đền đài cung điện phố chợ thuyền rồng".split()


def _prose(seed: int, count: int) -> str:
    """Varied words, so that compression alone cannot bring the row under 2 kB."""
    rng = random.Random(seed)
    return " ".join(f"{rng.choice(_WORDS)}{rng.randrange(10_000)}" for _ in range(count))


def test_documents_stay_in_a_row_too_big_for_one_page_slot(module_ctx):  # noqa: ANN001
    ids = add_assets(
        module_ctx,
        {
            "long-row": {
                "title_vi": "Lăng vua Tự Đức",
                "title_en": "Tomb of Emperor Tu Duc",
                "description_vi": _prose(1, 60),
                "description_en": _prose(2, 60),
                "extracted_text": _prose(3, 120),
            }
        },
    )
    with module_ctx.db.begin() as session:
        row = session.execute(
            text(
                "SELECT pg_column_size(a.*) AS size, pg_column_toast_chunk_id(search_folded) AS folded, "
                "pg_column_toast_chunk_id(search_exact) AS exact, "
                "pg_column_toast_chunk_id(extracted_text) AS extracted FROM assets a WHERE id = :id"
            ),
            {"id": ids["long-row"]},
        ).one()
    assert row.extracted is not None  # the row was too big: the toaster moved something out …
    assert row.folded is None and row.exact is None  # … but not the documents
