"""OAI-PMH 2.0 at /oai: the six verbs over the public records, for the national foreign-information system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from lxml import etree
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from tfdb_dam.api.keys import caller
from tfdb_dam.api.oai_args import check_arguments, single_values
from tfdb_dam.api.oai_xml import (
    GRANULARITY,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    ListToken,
    OaiError,
    add,
    envelope,
    error,
    header,
    oai_dc,
    parse_datestamp,
    to_bytes,
    until_exclusive,
    utc_stamp,
)
from tfdb_dam.services import harvest
from tfdb_dam.services.catalog import all_categories
from tfdb_dam.services.dublincore import dc_elements

router = APIRouter(tags=["OAI-PMH"])
PAGE_SIZE = 50
REPOSITORY_NAME = "TFDB DAM — Thư viện tư liệu Thông tin đối ngoại Thừa Thiên Huế"


@dataclass
class OaiRequest:
    session: Session
    base_url: str
    repository_id: str
    admin_email: str
    args: dict[str, str]
    specs: dict[int, str]

    def identifier(self, asset_id: int) -> str:
        return f"oai:{self.repository_id}:asset/{asset_id}"

    def asset_id(self, identifier: str) -> int:
        prefix = f"oai:{self.repository_id}:asset/"
        tail = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
        if not tail.isdigit() or tail.startswith("0") or len(tail) > 18:
            raise OaiError("idDoesNotExist", f"There is no record {identifier!r} in this repository.")
        return int(tail)


def _check_prefix(prefix: str) -> None:
    if prefix != "oai_dc":
        raise OaiError(
            "cannotDisseminateFormat", f"The metadata format {prefix!r} is not offered; use oai_dc."
        )


def identify(req: OaiRequest, root: etree._Element) -> None:
    node = add(root, "Identify")
    earliest = harvest.earliest_datestamp(req.session) or dt.datetime.now(dt.timezone.utc)
    for name, text in (
        ("repositoryName", REPOSITORY_NAME),
        ("baseURL", req.base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", req.admin_email),
        ("earliestDatestamp", utc_stamp(earliest)),
        ("deletedRecord", "persistent"),
        ("granularity", GRANULARITY),
    ):
        add(node, name, text)


def list_metadata_formats(req: OaiRequest, root: etree._Element) -> None:
    if (
        "identifier" in req.args
        and harvest.get_record(req.session, req.asset_id(req.args["identifier"])) is None
    ):
        raise OaiError("idDoesNotExist", f"There is no record {req.args['identifier']!r} in this repository.")
    fmt = add(add(root, "ListMetadataFormats"), "metadataFormat")
    for name, text in (
        ("metadataPrefix", "oai_dc"),
        ("schema", OAI_DC_SCHEMA),
        ("metadataNamespace", OAI_DC_NS),
    ):
        add(fmt, name, text)


def list_sets(req: OaiRequest, root: etree._Element) -> None:
    if "resumptionToken" in req.args:
        raise OaiError(
            "badResumptionToken", "The list of sets is complete in one response; there is nothing to resume."
        )
    categories = all_categories(req.session)
    if not categories:
        raise OaiError("noSetHierarchy", "This repository has no categories to offer as sets yet.")
    node = add(root, "ListSets")
    for category in categories:
        entry = add(node, "set")
        add(entry, "setSpec", req.specs[category.id])
        add(entry, "setName", f"{category.label_vi} / {category.label_en}")


def _record(
    req: OaiRequest, parent: etree._Element, found: harvest.HarvestRecord, with_metadata: bool
) -> None:
    asset = found.asset
    specs = harvest.header_specs(req.specs, asset.category_id)
    if not with_metadata:
        header(parent, req.identifier(asset.id), found.datestamp, specs, found.deleted)
        return
    record = add(parent, "record")
    header(record, req.identifier(asset.id), found.datestamp, specs, found.deleted)
    if not found.deleted:
        identifiers = [
            req.identifier(asset.id),
            f"{req.base_url.rsplit('/oai', 1)[0]}/api/v1/assets/{asset.id}",
        ]
        oai_dc(record, dc_elements(asset, identifiers=identifiers))


def get_record(req: OaiRequest, root: etree._Element) -> None:
    _check_prefix(req.args["metadataPrefix"])
    found = harvest.get_record(req.session, req.asset_id(req.args["identifier"]))
    if found is None:
        raise OaiError("idDoesNotExist", f"There is no record {req.args['identifier']!r} in this repository.")
    _record(req, add(root, "GetRecord"), found, with_metadata=True)


def _list_request(req: OaiRequest, verb: str) -> ListToken:
    if "resumptionToken" in req.args:
        return ListToken.decode(req.args["resumptionToken"], verb)
    return ListToken(
        verb,
        req.args["metadataPrefix"],
        req.args.get("set"),
        req.args.get("from"),
        req.args.get("until"),
        "",
        0,
        0,
    )


def _filters(req: OaiRequest, wanted: ListToken, from_token: bool) -> harvest.HarvestFilter:
    try:
        start = parse_datestamp(wanted.from_, "from") if wanted.from_ else None
        end = parse_datestamp(wanted.until, "until") if wanted.until else None
    except OaiError as exc:
        raise (
            OaiError("badResumptionToken", "The resumptionToken is damaged.") if from_token else exc
        ) from None
    if start and end and (start.day != end.day or start.at > end.at):
        raise OaiError(
            "badArgument", "from and until must have the same granularity, and from must not be after until."
        )
    ids = harvest.categories_in_set(req.specs, wanted.set) if wanted.set else None
    if wanted.set and not ids:
        raise OaiError("noRecordsMatch", f"There is no set {wanted.set!r}; ListSets shows the sets.")
    return harvest.HarvestFilter(start.at if start else None, until_exclusive(end) if end else None, ids)


def list_records(req: OaiRequest, root: etree._Element, verb: str = "ListRecords") -> None:
    from_token = "resumptionToken" in req.args
    wanted = _list_request(req, verb)
    _check_prefix(wanted.prefix)
    filters = _filters(req, wanted, from_token)
    after = (dt.datetime.fromisoformat(wanted.after_stamp), wanted.after_id) if wanted.after_stamp else None
    found = harvest.list_records(req.session, filters, after=after, limit=PAGE_SIZE + 1)
    if not found:
        raise OaiError("noRecordsMatch", "No records match these arguments.")
    page, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    node = add(root, verb)
    for record in page:
        _record(req, node, record, with_metadata=verb == "ListRecords")
    if more or from_token:
        total = harvest.count_records(req.session, filters)
        last = page[-1]
        token = (
            replace(
                wanted,
                after_stamp=last.datestamp.isoformat(),
                after_id=last.asset.id,
                cursor=wanted.cursor + len(page),
            ).encode()
            if more
            else None
        )
        add(node, "resumptionToken", token, completeListSize=str(max(total, 1)), cursor=str(wanted.cursor))


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListRecords": list_records,
    "ListIdentifiers": lambda req, root: list_records(req, root, "ListIdentifiers"),
}


async def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        pairs += [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    for name, value in pairs:
        params.setdefault(name, []).append(value)
    return params


# OAI-PMH always serves the public view (harvest.publicly_visible); the caller dependency only
# checks a key if one is sent and counts the request against the allowance.
@router.get(
    "/oai",
    name="oai",
    operation_id="oai_get",
    summary="OAI-PMH 2.0 (oai_dc)",
    response_class=Response,
    dependencies=[Depends(caller)],
)
@router.post(
    "/oai",
    name="oai_post",
    operation_id="oai_post",
    summary="OAI-PMH 2.0 (oai_dc), form arguments",
    response_class=Response,
    dependencies=[Depends(caller)],
)
async def oai_endpoint(request: Request) -> Response:
    params = await _params(request)
    body = await run_in_threadpool(respond, request.app.state.ctx, params, str(request.url_for("oai")))
    return Response(body, media_type="text/xml; charset=utf-8")


def respond(ctx, params: dict[str, list[str]], base_url: str) -> bytes:  # noqa: ANN001
    """The whole OAI-PMH response document for one request."""
    try:
        args = single_values(params)
        verb = check_arguments(args)
    except OaiError as exc:
        root = envelope(base_url, None)  # badVerb / badArgument: the request element carries no attributes
        error(root, exc)
        return to_bytes(root)
    root = envelope(base_url, args)
    with ctx.db.begin() as session:
        req = OaiRequest(
            session,
            base_url,
            ctx.config.tfdb_oai_repository_id,
            ctx.config.tfdb_oai_admin_email,
            args,
            harvest.set_specs(session),
        )
        try:
            VERBS[verb](req, root)
        except OaiError as exc:
            if exc.code in ("badArgument", "badVerb"):
                root = envelope(base_url, None)
            error(root, exc)
    return to_bytes(root)
