"""A page of hits as build_hits reads it, in one statement: each record with its own tags (by
name), thumbnail and document text, and each hit's reasons found in its own fields."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.integration.search.records import make_asset
from tfdb_dam.db.models import Rendition, Tag
from tfdb_dam.services.context import Context
from tfdb_dam.services.search_lexical_terms import LexTerm
from tfdb_dam.services.search_reasons import _records, build_hits


def _term(*words: str, column: str = "folded", kind: str = "query", via: str | None = None) -> LexTerm:
    return LexTerm(column, (words,), 1.0, kind, " ".join(words), via)


def _page(session: Session) -> tuple[int, int, int]:
    boat = make_asset(session, "boat", title_vi="Thuyền rồng", title_en="Dragon boat race",
                      tags=["sông Hương", "Huế", "lễ hội", "áo dài"])
    gate = make_asset(session, "gate", title_en="Citadel gate", description_en="The dragon boat passes the gate")
    text = "Kế hoạch: thuyền rồng trên sông Hương, mùa lễ hội 2030."
    plan = make_asset(session, "plan", kind="document", title_en="Plan", extracted_text=text)
    session.add(Rendition(asset_id=boat.id, name="thumb", width=64, height=48, size_bytes=100))
    session.add(Rendition(asset_id=gate.id, name="preview", width=640, height=480, size_bytes=100))
    session.flush()
    return boat.id, gate.id, plan.id


def test_each_record_comes_with_its_own_tags_in_name_order(ctx: Context) -> None:
    with ctx.db.begin() as session:
        boat, gate, plan = _page(session)
        records = _records(session, [plan, boat, gate])
        by_name = session.execute(select(Tag.name).order_by(Tag.name)).scalars().all()
    assert records[boat].tags == by_name  # the boat holds every tag there is
    assert records[gate].tags == [] and records[plan].tags == []
    assert records[plan].row.text.startswith("Kế hoạch")


def test_hits_keep_the_order_asked_with_thumbnails_and_rounded_scores(ctx: Context) -> None:
    with ctx.db.begin() as session:
        boat, gate, plan = _page(session)
        hits = build_hits(session, [gate, plan, boat], {boat: 0.123456789, gate: 1 / 3})
    assert [h.asset_id for h in hits] == [gate, plan, boat]
    assert [h.has_thumb for h in hits] == [False, False, True]  # a preview is no thumbnail
    assert [h.score for h in hits] == [0.333333, 0.0, 0.123457]
    assert all(h.reasons == [] for h in hits)  # no terms, no similarities: nothing to explain


def test_each_hit_names_the_first_of_its_own_fields_holding_a_term(ctx: Context) -> None:
    terms = [
        _term("dragon", "boat"),
        _term("song", "huong"),
        _term("lễ", "hội", column="exact", kind="thesaurus", via="festival"),
        _term("kayak"),
    ]
    with ctx.db.begin() as session:
        boat, gate, plan = _page(session)
        hits = build_hits(session, [boat, gate, plan], terms=terms, similarities={gate: {"vector": 0.61}},
                          lang="en")
    reasons = {h.asset_id: h.reasons for h in hits}
    assert reasons[boat] == [
        "title matches 'dragon boat'",
        "tags matches 'song huong'",
        "thesaurus: festival → lễ hội (tags)",
    ]
    assert reasons[gate] == ["description matches 'dragon boat'", "semantic similarity 0.61"]
    # Only the document's text holds these words; it is read for the terms no other field holds.
    assert reasons[plan] == [
        "document text matches 'song huong'",
        "thesaurus: festival → lễ hội (document text)",
    ]
