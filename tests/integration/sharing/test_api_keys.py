"""API keys (issued by admins, shown once, stored hashed, scoped, revocable) and per-minute rate limits."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, text

from tests.integration.sharing.conftest import client_for, issue
from tests.integration.sharing.factory import make_asset, make_user
from tfdb_dam.api.ratelimit import RateLimited, RateLimiter
from tfdb_dam.db.models import ApiKey, AssetStatus, AuditEntry, Role
from tfdb_dam.errors import PermissionDenied, ValidationError
from tfdb_dam.services import apikeys
from tfdb_dam.services.actors import SYSTEM


def test_key_is_shown_once_and_only_its_hash_is_stored(ctx):
    admin = make_user(ctx, "quan-tri", Role.admin)
    with ctx.db.begin() as session:
        issued = apikeys.create_key(
            session, admin, "Hệ thống thông tin đối ngoại quốc gia", ["read:published", "download:original"]
        )
    secret = issued.secret
    assert secret.startswith(f"tfdb_{issued.key.prefix}_") and len(secret) >= 50
    with ctx.db.begin() as session:
        row = session.get(ApiKey, issued.key.id)
        assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        dump = session.execute(text("SELECT row_to_json(k)::text FROM api_keys k")).scalar_one()
        audit_dump = session.execute(
            text("SELECT string_agg(details::text, ' ') FROM audit_log")
        ).scalar_one()
        assert secret not in dump and secret.split("_")[2] not in dump
        assert secret.split("_")[2] not in audit_dump
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "apikey.create")).scalar_one()
        assert entry.actor == "quan-tri" and entry.details["scopes"] == [
            "read:published",
            "download:original",
        ]
        assert [k["name"] for k in map(apikeys.key_record, apikeys.list_keys(session, admin))] == [
            "Hệ thống thông tin đối ngoại quốc gia"
        ]


def test_only_admins_manage_keys_and_scopes_are_checked(ctx):
    contributor = make_user(ctx, "cong-tac-vien", Role.contributor)
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        apikeys.create_key(session, contributor, "x")
    with ctx.db.begin() as session, pytest.raises(PermissionDenied):
        apikeys.list_keys(session, contributor)
    with ctx.db.begin() as session, pytest.raises(ValidationError, match="write:everything"):
        apikeys.create_key(session, make_user(ctx, "admin2", Role.admin), "x", ["write:everything"])


def test_revoked_and_wrong_keys_are_refused_with_401(api, ctx):
    asset_id = make_asset(ctx, status=AssetStatus.approved)
    key = issue(ctx, "read:approved")
    headers = {"X-API-Key": key.secret}
    assert api.get(f"/api/v1/assets/{asset_id}", headers=headers).status_code == 200
    with ctx.db.begin() as session:
        assert session.get(ApiKey, key.key.id).last_used_at is not None
        apikeys.revoke_key(session, SYSTEM, key.key.id)
    refused = api.get(f"/api/v1/assets/{asset_id}", headers=headers)
    assert refused.status_code == 401 and refused.json()["error"]["type"] == "AuthenticationFailed"
    assert refused.headers["www-authenticate"].startswith("Bearer")
    other = issue(ctx, "read:approved")
    forged = other.secret[:-4] + ("AAAA" if not other.secret.endswith("AAAA") else "BBBB")
    for bad in (forged, "tfdb_nonsense", "x" * 500):
        assert api.get("/api/v1/assets", headers={"Authorization": f"Bearer {bad}"}).status_code == 401, bad
    assert api.get(f"/api/v1/assets/{asset_id}", headers={"X-API-Key": other.secret}).status_code == 200
    with ctx.db.begin() as session:
        assert session.execute(
            select(AuditEntry.action).where(AuditEntry.action == "apikey.revoke")
        ).scalar_one()


def test_requests_beyond_the_rate_limit_get_429_with_retry_after(ctx):
    make_asset(ctx)
    key_a, key_b = issue(ctx, "read:published"), issue(ctx, "read:published", name="Báo Thừa Thiên Huế")
    with client_for(ctx, rate_limit=3) as api:
        assert [api.get("/api/v1/assets").status_code for _ in range(3)] == [200, 200, 200]
        limited = api.get("/api/v1/assets")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["type"] == "RateLimited"
        assert api.get("/oai", params={"verb": "Identify"}).status_code == 429  # OAI-PMH shares the allowance
        # Each key has its own allowance, apart from the address's.
        assert [
            api.get("/api/v1/assets", headers={"X-API-Key": key_a.secret}).status_code for _ in range(4)
        ] == [200, 200, 200, 429]
        assert api.get("/api/v1/assets", headers={"X-API-Key": key_b.secret}).status_code == 200


def test_the_allowance_refills_with_time():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one request a second
    for _ in range(60):
        limiter.hit("a")
    with pytest.raises(RateLimited) as refused:
        limiter.hit("a")
    assert refused.value.retry_after == 1
    limiter.hit("b")
    now[0] = 2.0
    limiter.hit("a")
    limiter.hit("a")
    with pytest.raises(RateLimited):
        limiter.hit("a")
