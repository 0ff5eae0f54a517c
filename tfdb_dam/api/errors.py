"""The one place that turns TFDB errors into HTTP answers: JSON with one sentence, the error's status."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from tfdb_dam.api.ratelimit import RateLimited
from tfdb_dam.errors import AuthenticationFailed, TfdbError


class UTF8JSONResponse(JSONResponse):
    """JSON with its charset said out loud (Vietnamese text is sent as UTF-8, never escaped)."""

    media_type = "application/json; charset=utf-8"


def error_body(kind: str, message: str) -> dict[str, object]:
    return {"error": {"type": kind, "message": message}}


async def _tfdb_error(request: Request, exc: TfdbError) -> JSONResponse:
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="tfdb-dam"'
    return UTF8JSONResponse(
        error_body(type(exc).__name__, str(exc)), status_code=exc.http_status, headers=headers
    )


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()
    )
    return UTF8JSONResponse(
        error_body("ValidationError", f"The request is not valid ({problems})."), status_code=422
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(TfdbError, _tfdb_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
