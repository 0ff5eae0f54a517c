"""OAI-PMH request arguments: which verb takes which, the exclusive resumptionToken, the patterns."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tfdb_dam.api.oai_xml import OaiError

_ARGUMENTS = {  # verb -> (required, optional); resumptionToken is exclusive where allowed
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


# The protocol's own patterns (OAI-PMH.xsd): a value outside them is a badArgument.
_PATTERNS = {
    "metadataPrefix": re.compile(r"[A-Za-z0-9\-_.!~*'()]+"),
    "set": re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*"),
    "from": re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?"),
    "until": re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?"),
    "identifier": re.compile(r"\S{1,500}"),
}


def single_values(params: Mapping[str, list[str]]) -> dict[str, str]:
    if any(len(values) > 1 for values in params.values()):
        raise OaiError("badArgument", "An argument was given more than once.")
    return {name: values[0] for name, values in params.items()}


def check_arguments(args: dict[str, str]) -> str:
    verb = args.get("verb")
    if verb not in _ARGUMENTS:
        raise OaiError("badVerb", "The verb argument is missing or is not an OAI-PMH verb.")
    required, optional = _ARGUMENTS[verb]
    given = set(args) - {"verb"}
    if "resumptionToken" in given and given != {"resumptionToken"}:
        raise OaiError(
            "badArgument", "resumptionToken is an exclusive argument: send it with the verb alone."
        )
    if unknown := given - required - optional:
        raise OaiError("badArgument", f"Argument(s) not allowed for {verb}: {', '.join(sorted(unknown))}.")
    if "resumptionToken" not in given and (missing := required - given):
        raise OaiError("badArgument", f"{verb} needs the argument(s) {', '.join(sorted(missing))}.")
    for name, pattern in _PATTERNS.items():
        if name in args and not pattern.fullmatch(args[name]):
            raise OaiError("badArgument", f"The {name} argument {args[name]!r} is not well formed.")
    return verb
