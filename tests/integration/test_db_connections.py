"""Pooled connections: pinged only after being idle, dead ones replaced; query vectors in binary."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
from sqlalchemy import bindparam, text

from tfdb_dam.db import engine as engine_module
from tfdb_dam.db.engine import connect
from tfdb_dam.db.vector_params import BinaryHalfvec, HalfvecParameter

PID = text("SELECT pg_backend_pid()")


@pytest.fixture
def db(config):  # noqa: ANN001, ANN201
    database = connect(config, pool_size=1)  # one pooled connection: every checkout reuses it
    yield database
    database.dispose()


def _pid(db) -> int:  # noqa: ANN001
    with db.engine.connect() as conn:
        return conn.execute(PID).scalar_one()


def _pings(db, monkeypatch) -> list[int]:  # noqa: ANN001
    calls: list[int] = []
    real = db.engine.dialect.do_ping
    monkeypatch.setattr(db.engine.dialect, "do_ping", lambda conn: calls.append(1) or real(conn))
    return calls


def test_a_connection_in_use_a_moment_ago_is_handed_out_without_a_ping(db, monkeypatch):
    pings = _pings(db, monkeypatch)
    first = _pid(db)
    assert [_pid(db) for _ in range(5)] == [first] * 5
    assert pings == []


def test_a_connection_idle_longer_is_pinged_first(db, monkeypatch):
    pings = _pings(db, monkeypatch)
    first = _pid(db)
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)  # every connection counts as idle
    assert _pid(db) == first
    assert pings == [1]


def test_an_idle_connection_the_server_closed_is_replaced_before_use(db, config, monkeypatch):
    # As after a PostgreSQL restart or a proxy that drops idle connections.
    dead = _pid(db)
    with psycopg.connect(config.database_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", [dead]).fetchone()[0]
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_S", 0.0)
    fresh = _pid(db)  # no error reaches the caller
    assert fresh != dead


def test_query_vectors_reach_the_server_as_the_same_halfvec(db):
    vector = np.array([0.5, -0.25, 1.0, 0.0009765625], dtype=np.float32)
    same = text("SELECT CAST(:text_form AS halfvec(4)) <-> :vector").bindparams(
        bindparam("vector", type_=HalfvecParameter(4))
    )
    with db.engine.connect() as conn:
        for value in (vector, vector.tolist(), tuple(vector.tolist())):
            distance = conn.execute(same, {"text_form": "[0.5,-0.25,1,0.0009765625]", "vector": value})
            assert distance.scalar_one() == 0.0


@pytest.mark.parametrize("bad", [[0.1, float("nan")], [float("inf"), 0.0], [1e6, 0.0], [[0.1, 0.2]]])
def test_a_vector_halfvec_cannot_hold_is_refused_before_it_is_sent(bad):
    with pytest.raises(ValueError, match="query vector"):
        BinaryHalfvec.of(bad)


def test_an_autocommit_connection_goes_back_to_the_pool_in_transactions_again(db):
    first = _pid(db)
    with db.autocommit() as connection:
        assert connection.execute("SELECT pg_backend_pid()").fetchone()[0] == first  # the pooled one
        assert connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    with db.begin() as session:
        session.execute(text("SELECT 1"))
        raw = session.connection().connection.driver_connection
        assert raw.autocommit is False and raw.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS


def test_a_failed_autocommit_statement_leaves_the_connection_usable(db):
    first = _pid(db)
    with pytest.raises(psycopg.errors.DivisionByZero), db.autocommit() as connection:
        connection.execute("SELECT 1 / 0")
    assert _pid(db) == first


def test_an_autocommit_connection_closed_in_use_is_not_handed_out_again(db):
    first = _pid(db)
    with pytest.raises(psycopg.OperationalError), db.autocommit() as connection:
        connection.close()
        connection.execute("SELECT 1")
    assert _pid(db) != first
