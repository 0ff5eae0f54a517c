"""The vector leg keeps its statements by shape and filter values (search_vector._Statements): the
same filters reuse one statement object, other filter values never share it."""

from __future__ import annotations

import numpy
from sqlalchemy import bindparam

from tests.integration.search.records import add_assets
from tfdb_dam.db.models import Asset
from tfdb_dam.services.actors import SYSTEM
from tfdb_dam.services.search_filters import filter_conditions
from tfdb_dam.services.search_types import SearchFilters
from tfdb_dam.services.search_vector import nearest
from tfdb_dam.services.search_vector_sql import _values_key, vector_query


def test_same_filters_share_a_statement_and_other_values_do_not(sctx):  # noqa: ANN001
    encoder = sctx.encoder()
    ids = add_assets(
        sctx,
        {
            "photo": {"kind": "photo", "title_en": "Dragon boat race on the Perfume River"},
            "video": {"kind": "video", "title_en": "Dragon boat race on the Perfume River, filmed"},
        },
    )
    vector = encoder.encode_texts(["dragon boat race"])[0]
    with sctx.db.begin() as session:

        def conditions(kind: str) -> list:
            return filter_conditions(session, SYSTEM, SearchFilters(kinds=[kind]))

        def query(kind: str):  # noqa: ANN202
            return vector_query(encoder.dimension, encoder.model_name, "text", conditions(kind), 10)

        assert query("photo") is query("photo")  # built from new but equal conditions
        assert query("photo") is not query("video")
        assert query("photo") is not vector_query(
            encoder.dimension, encoder.model_name, "text", conditions("photo"), 20
        )
        found = {
            kind: [
                hit.asset_id
                for hit in nearest(
                    session, encoder.dimension, encoder.model_name, "text", vector, conditions(kind), 10
                )
            ]
            for kind in ("photo", "video", "photo")
        }
    assert found == {"photo": [ids["photo"]], "video": [ids["video"]]}


def test_values_key_keeps_every_value_and_refuses_what_it_cannot_compare():
    many = list(range(5000))
    one_more = [*many[:-1], 999_999]  # differs in the last of 5 000 ids only
    assert _values_key([Asset.id.in_(many)]) == _values_key([Asset.id.in_(list(range(5000)))])
    assert _values_key([Asset.id.in_(many)]) != _values_key([Asset.id.in_(one_more)])
    assert _values_key([Asset.status == "1"]) != _values_key([Asset.status == "2"])
    assert _values_key([Asset.id == numpy.int64(3)]) is not None  # numpy scalars hash
    assert _values_key([Asset.id == bindparam("ids", numpy.arange(3))]) is None  # arrays do not


def test_only_a_filtered_walk_joins_the_assets(sctx):  # noqa: ANN001
    # An embedding never outlives its asset, so with nothing to filter the walk reads no asset rows.
    encoder = sctx.encoder()
    ids = add_assets(sctx, {key: {"title_en": f"Thien Mu pagoda, view {key}"} for key in "abc"})
    vector = encoder.encode_texts(["Thien Mu pagoda"])[0]
    with sctx.db.begin() as session:
        everything = filter_conditions(session, SYSTEM, SearchFilters())
        some = filter_conditions(session, SYSTEM, SearchFilters(kinds=["photo"]))
        sql = {
            name: str(vector_query(encoder.dimension, encoder.model_name, "text", conditions, 10))
            for name, conditions in (("none", []), ("everything", everything), ("some", some))
        }
        found = {h.asset_id for h in nearest(session, encoder.dimension, encoder.model_name, "text", vector, everything, 10)}
    assert "JOIN assets" not in sql["none"] and "JOIN assets" not in sql["everything"]
    assert "JOIN assets" in sql["some"]
    assert found == set(ids.values())
