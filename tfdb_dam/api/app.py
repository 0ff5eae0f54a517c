"""The FastAPI application for partner systems: REST under /api/v1, OAI-PMH at /oai.

`tfdb serve` runs ``uvicorn tfdb_dam.api.app:create_app --factory``; tests pass their own Context.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from tfdb_dam.api import assets, errors, oai, taxonomy
from tfdb_dam.api.ratelimit import RateLimiter
from tfdb_dam.services.context import Context, open_context

DESCRIPTION = (
    "Read access to the foreign-information asset library of Thừa Thiên Huế for partner systems. "
    "Anonymous callers see published assets; an API key (header `X-API-Key` or `Authorization: Bearer`) "
    "may also see approved assets or download originals, as its scopes allow. Every downloaded JPEG "
    "carries its credit, licence and caption. Harvest with OAI-PMH 2.0 at `/oai` (oai_dc)."
)


def create_app(ctx: Context | None = None) -> FastAPI:
    """The app over ``ctx`` (or the configured database and store, opened here and closed on shutdown)."""
    owned = ctx is None
    context = ctx or open_context()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if context.config.tfdb_warm_up:
            context.warm_up()
        yield
        if owned:
            context.close()

    app = FastAPI(
        title="TFDB DAM API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        default_response_class=errors.UTF8JSONResponse,
    )
    app.state.ctx = context
    app.state.limiter = RateLimiter(context.config.tfdb_api_rate_limit)
    errors.install(app)
    for module in (assets, taxonomy, oai):
        app.include_router(module.router)
    return app
