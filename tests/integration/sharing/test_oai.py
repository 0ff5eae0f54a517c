"""OAI-PMH 2.0 at /oai: every verb, paging with resumption tokens, from/until, sets, deleted records, errors.

Every response is validated against OAI-PMH.xsd and oai_dc.xsd.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from tests.integration.sharing.conftest import client_for
from tests.integration.sharing.factory import make_asset
from tests.integration.sharing.oai_support import NS, XML_LANG, errors_of, valid_oai
from tfdb_dam.db.models import AssetStatus
from tfdb_dam.services.visibility import OFFICE_TZ, office_today

BASE = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
REPO = "tfdb-dam.local"


@pytest.fixture(scope="module")
def harvest(module_ctx):  # noqa: ANN001, ANN201
    """105 public tourism records an hour apart, 3 foreign-relations ones, 3 deletions, 4 never public."""
    ids: dict[str, list[int]] = {"live": [], "deleted": [], "never": []}
    for i in range(105):
        ids["live"].append(
            make_asset(
                module_ctx,
                with_files=False,
                category="du-lich",
                changed_at=BASE + dt.timedelta(hours=i),
                title_vi=f"Biển Lăng Cô {i}",
                title_en=f"Lang Co beach {i}",
            )
        )
    for i in range(3):
        ids["live"].append(
            make_asset(
                module_ctx,
                with_files=False,
                category="doi-ngoai",
                changed_at=dt.datetime(2024, 6, 1, 12, 0, i, tzinfo=dt.timezone.utc),
            )
        )
    for status, extra in (
        (AssetStatus.archived, {}),
        (AssetStatus.approved, {"ever_published": True}),
        (AssetStatus.published, {"rights_expires_on": office_today() - dt.timedelta(days=1)}),
    ):
        ids["deleted"].append(
            make_asset(
                module_ctx,
                with_files=False,
                status=status,
                category="du-lich",
                changed_at=dt.datetime(2024, 7, 1, tzinfo=dt.timezone.utc),
                **extra,
            )
        )
    for status in (AssetStatus.draft, AssetStatus.submitted, AssetStatus.approved, AssetStatus.rejected):
        ids["never"].append(make_asset(module_ctx, with_files=False, status=status))
    with client_for(module_ctx) as client:
        yield client, ids


def oai(client, **args):  # noqa: ANN001, ANN201
    response = client.get("/oai", params=args)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    return valid_oai(response.content)


def ident(asset_id: int) -> str:
    return f"oai:{REPO}:asset/{asset_id}"


def test_identify(harvest):
    client, _ = harvest
    root = oai(client, verb="Identify")
    node = root.find("oai:Identify", NS)
    assert node.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai"
    assert node.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert node.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert node.findtext("oai:earliestDatestamp", namespaces=NS) == "2024-01-01T00:00:00Z"
    assert node.findtext("oai:repositoryName", namespaces=NS).startswith("TFDB DAM — Thư viện")
    assert root.find("oai:request", NS).get("verb") == "Identify"


def test_list_metadata_formats_and_sets(harvest):
    client, ids = harvest
    formats = oai(client, verb="ListMetadataFormats").findall(".//oai:metadataPrefix", NS)
    assert [f.text for f in formats] == ["oai_dc"]
    assert (
        oai(client, verb="ListMetadataFormats", identifier=ident(ids["live"][0])).find(
            ".//oai:metadataFormat", NS
        )
        is not None
    )
    for hidden in (ids["never"][0], 999999):
        assert errors_of(oai(client, verb="ListMetadataFormats", identifier=ident(hidden))) == [
            "idDoesNotExist"
        ]
    specs = [s.text for s in oai(client, verb="ListSets").findall(".//oai:setSpec", NS)]
    assert len(specs) == 7 and "du-lich" in specs and "doi-ngoai" in specs
    names = [s.text for s in oai(client, verb="ListSets").findall(".//oai:setName", NS)]
    assert "Du lịch / Tourism" in names


def test_list_records_pages_through_resumption_tokens(harvest):
    client, ids = harvest
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    seen, cursors, pages = [], [], 0
    while True:
        pages += 1
        seen += [h.findtext("oai:identifier", namespaces=NS) for h in root.findall(".//oai:header", NS)]
        token = root.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            break
        cursors.append(token.get("cursor"))
        assert token.get("completeListSize") == "111"
        root = oai(client, verb="ListRecords", resumptionToken=token.text)
    assert pages == 3 and cursors == ["0", "50"] and token.get("cursor") == "100"
    assert len(seen) == len(set(seen)) == 111
    expected = {ident(i) for i in ids["live"] + ids["deleted"]}
    assert set(seen) == expected
    assert not {ident(i) for i in ids["never"]} & set(seen)


def test_deleted_records_have_a_deleted_header_and_no_metadata(harvest):
    client, ids = harvest
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-07-01"})
    records = root.findall("oai:ListRecords/oai:record", NS)
    status = {
        r.findtext("oai:header/oai:identifier", namespaces=NS): r.find("oai:header", NS).get("status")
        for r in records
    }
    assert status == {ident(i): "deleted" for i in ids["deleted"]}
    assert all(r.find("oai:metadata", NS) is None for r in records)
    expired = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ident(ids["deleted"][2]))
    header = expired.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    # Rights ended yesterday: the deletion is dated at midnight starting today, by the office calendar.
    ended = dt.datetime.combine(office_today(), dt.time(0), tzinfo=OFFICE_TZ).astimezone(dt.timezone.utc)
    assert header.findtext("oai:datestamp", namespaces=NS) == f"{ended:%Y-%m-%dT%H:%M:%SZ}"
    for hidden in ids["never"]:
        assert errors_of(
            oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ident(hidden))
        ) == ["idDoesNotExist"]


def test_get_record_carries_bilingual_dublin_core(harvest):
    client, ids = harvest
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ident(ids["live"][3]))
    dc = root.find(".//oai_dc:dc", NS)
    titles = {t.get(XML_LANG): t.text for t in dc.findall("dc:title", NS)}
    assert titles == {"vi": "Biển Lăng Cô 3", "en": "Lang Co beach 3"}
    descriptions = {d.get(XML_LANG) for d in dc.findall("dc:description", NS)}
    assert descriptions == {"vi", "en"}
    rights = [r.text for r in dc.findall("dc:rights", NS)]
    assert "https://creativecommons.org/licenses/by/4.0/" in rights
    assert "Ảnh: Nguyễn Thị Hường / Photo: Nguyễn Thị Hường" in rights
    assert dc.findtext("dc:creator", namespaces=NS) == "Nguyễn Thị Hường"
    assert dc.findtext("dc:type", namespaces=NS) == "StillImage"
    assert root.findtext(".//oai:header/oai:setSpec", namespaces=NS) == "du-lich"
    assert root.findtext(".//oai:header/oai:datestamp", namespaces=NS) == "2024-01-01T03:00:00Z"


def test_from_until_and_set_select_by_datestamp(harvest):
    client, ids = harvest
    day = oai(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2024-01-02", "until": "2024-01-02"},
    )
    assert len(day.findall(".//oai:header", NS)) == 24
    assert day.find(".//oai:resumptionToken", NS) is None
    seconds = oai(
        client,
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": "2024-01-01T05:00:00Z", "until": "2024-01-01T07:00:00Z"},
    )
    stamps = [d.text for d in seconds.findall(".//oai:datestamp", NS)]
    assert stamps == ["2024-01-01T05:00:00Z", "2024-01-01T06:00:00Z", "2024-01-01T07:00:00Z"]
    foreign = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="doi-ngoai")
    assert {h.findtext("oai:identifier", namespaces=NS) for h in foreign.findall(".//oai:header", NS)} == {
        ident(i) for i in ids["live"][105:]
    }
    assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="2023-12-31")) == [
        "noRecordsMatch"
    ]
    assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="bao-chi")) == [
        "noRecordsMatch"
    ]
    assert errors_of(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="khong-co")) == [
        "noRecordsMatch"
    ]


@pytest.mark.parametrize(
    "args, code",
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "du-lich"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1 May"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-02-01", "until": "2024-01-01"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:asset/1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_errors_carry_the_protocol_codes(harvest, args, code):
    client, _ = harvest
    root = oai(client, **args)
    assert errors_of(root) == [code]
    request = root.find("oai:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # the protocol forbids echoing a bad request's arguments


def test_repeated_argument_and_token_of_another_verb_are_refused(harvest):
    client, _ = harvest
    repeated = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert errors_of(valid_oai(repeated.content)) == ["badArgument"]
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(".//oai:resumptionToken", NS).text
    assert errors_of(oai(client, verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=token[:-3])) == [
        "badResumptionToken"
    ]
    fields = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**fields, "from_": 20240101}).encode()).decode()
    assert errors_of(oai(client, verb="ListIdentifiers", resumptionToken=forged)) == ["badResumptionToken"]


def test_post_with_form_arguments(harvest):
    client, ids = harvest
    response = client.post(
        "/oai", data={"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": ident(ids["live"][0])}
    )
    root = valid_oai(response.content)
    assert root.find(".//oai:record", NS) is not None


def test_a_real_harvester_collects_everything_over_http(harvest, module_ctx):
    """sickle, a real OAI-PMH client, against a real uvicorn server started like `tfdb serve` does."""
    from sickle import Sickle
    from sickle.oaiexceptions import IdDoesNotExist, NoRecordsMatch

    from tests.integration.sharing.server import running_api

    _, ids = harvest
    with running_api(module_ctx, TFDB_API_RATE_LIMIT="600") as base:
        sickle = Sickle(f"{base}/oai", max_retries=0, timeout=30)
        assert sickle.Identify().repositoryName.startswith("TFDB DAM")
        records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
        assert len(records) == 111  # three pages of 50, 50 and 11, joined by the client
        by_id = {r.header.identifier: r for r in records}
        assert {ident(i) for i in ids["deleted"]} == {k for k, r in by_id.items() if r.header.deleted}
        live = by_id[ident(ids["live"][7])]
        assert "Biển Lăng Cô 7" in live.metadata["title"] and "Lang Co beach 7" in live.metadata["title"]
        assert live.metadata["creator"] == ["Nguyễn Thị Hường"]
        headers = list(
            sickle.ListIdentifiers(
                metadataPrefix="oai_dc", ignore_deleted=True, **{"from": "2024-01-03", "until": "2024-01-05"}
            )
        )
        assert len(headers) == 57 and not any(h.deleted for h in headers)  # hours 48..104 of the 105
        assert (
            headers[0].datestamp == "2024-01-03T00:00:00Z" and headers[-1].datestamp == "2024-01-05T08:00:00Z"
        )
        got = sickle.GetRecord(identifier=ident(ids["live"][0]), metadataPrefix="oai_dc")
        assert got.header.datestamp == "2024-01-01T00:00:00Z" and got.metadata["type"] == ["StillImage"]
        gone = sickle.GetRecord(identifier=ident(ids["deleted"][0]), metadataPrefix="oai_dc")
        assert gone.header.deleted and getattr(gone, "metadata", {}) == {}
        with pytest.raises(IdDoesNotExist):
            sickle.GetRecord(identifier=ident(ids["never"][0]), metadataPrefix="oai_dc")
        with pytest.raises(NoRecordsMatch):
            list(sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2020-01-01"))
