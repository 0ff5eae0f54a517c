"""Who is calling: an API key (X-API-Key or Authorization: Bearer) or the anonymous public; rate-limited."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from tfdb_dam.errors import AuthenticationFailed
from tfdb_dam.services import apikeys
from tfdb_dam.services.actors import PUBLIC, Actor

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="A key issued by an administrator (`tfdb apikey create`)."
)
_bearer = HTTPBearer(auto_error=False, description="The same API key, as a bearer token.")


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def caller(
    request: Request,
    header_key: Annotated[str | None, Security(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Actor:
    """The acting identity; every request also takes one from the caller's per-minute allowance."""
    state = request.app.state
    address = client_address(request)
    presented = header_key or (bearer.credentials if bearer else None)
    if not presented:
        state.limiter.hit(f"address:{address}")
        return dataclasses.replace(PUBLIC, address=address)
    try:
        with state.ctx.db.begin() as session:
            actor = apikeys.authenticate(session, presented, address)
    except AuthenticationFailed:
        state.limiter.hit(f"address:{address}")  # wrong keys count against the address: no free guessing
        raise
    state.limiter.hit(f"key:{actor.api_key_id}")
    return actor
