"""The gap issue #6 closed cannot come back: no domain error in tfdb_dam/ is raised with an
English sentence any more; each names a catalogue key with exactly the parameters it needs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import tfdb_dam
from tfdb_dam.messages import CATALOGUE, placeholders

ROOT = Path(tfdb_dam.__file__).parent
BASES = {"TfdbError"}
KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def _modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(ROOT.rglob("*.py"))}


def _name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def _error_classes(modules: dict[Path, ast.Module]) -> set[str]:
    names, grew = set(BASES), True
    while grew:  # subclasses of subclasses, across modules
        before = len(names)
        for tree in modules.values():
            names |= {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
                      and any(_name(b) in names for b in n.bases)}
        grew = len(names) > before
    return names


def _constructions(tree: ast.Module, classes: set[str]) -> list[ast.Call]:
    """Calls of an error class, and ``super().__init__(...)`` inside one."""
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _name(n.func) in classes]
    subclasses = [n for n in ast.walk(tree)
                  if isinstance(n, ast.ClassDef) and any(_name(b) in classes for b in n.bases)]
    for cls in subclasses:
        calls += [n for n in ast.walk(cls) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                  and n.func.attr == "__init__" and isinstance(n.func.value, ast.Call)
                  and _name(n.func.value.func) == "super"]
    return calls


def _module_values(tree: ast.Module) -> dict[str, ast.expr]:
    """What each simple name is assigned anywhere in the module (module constants and locals), so
    ``reason = "English sentence"; raise X(reason)`` is seen too."""
    values = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values.setdefault(node.targets[0].id, node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            values.setdefault(node.target.id, node.value)
    return values


def _problems(call: ast.Call, constants: dict[str, ast.expr]) -> list[str]:
    if not call.args:
        return []
    first = call.args[0]
    if isinstance(first, ast.Name) and first.id in constants:
        first = constants[first.id]
        if isinstance(first, (ast.Constant, ast.JoinedStr, ast.BinOp)):
            # Whatever parameters the call gives, the constant itself must be a key.
            return _key_problems(first, set(), accept_any_params=True)
    if isinstance(first, ast.Subscript):  # a key chosen from a literal table
        table = constants.get(_name(first.value) or "", first.value)
        if isinstance(table, ast.Dict):
            return [p for v in table.values for p in _key_problems(v, set(), accept_any_params=True)]
        return []
    keywords = {k.arg for k in call.keywords if k.arg}
    return _key_problems(first, keywords, accept_any_params=any(k.arg is None for k in call.keywords))


def _key_problems(node: ast.expr, keywords: set[str], *, accept_any_params: bool) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        key = node.value
        if key not in CATALOGUE:
            return [f"{key!r} is not a catalogue key (an English sentence, or a key not in the catalogue)"]
        wanted = placeholders(CATALOGUE[key].en)
        if not accept_any_params and keywords != wanted:
            return [f"{key!r} takes {sorted(wanted)}, given {sorted(keywords)}"]
        return []
    if isinstance(node, ast.JoinedStr):  # a computed key such as f"file.forbidden.{family}"
        prefix = node.values[0].value if node.values and isinstance(node.values[0], ast.Constant) else ""
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if " " in literal or not prefix or not any(k.startswith(prefix) for k in CATALOGUE):
            return [f"an f-string message {ast.unparse(node)[:60]}"]
        return []
    if isinstance(node, ast.BinOp) or (isinstance(node, ast.Call) and _name(node.func) == "format"):
        return [f"a message built from strings: {ast.unparse(node)[:60]}"]
    if isinstance(node, ast.IfExp):
        return (_key_problems(node.body, keywords, accept_any_params=accept_any_params)
                + _key_problems(node.orelse, keywords, accept_any_params=accept_any_params))
    return []


def test_no_domain_error_is_raised_with_an_english_sentence() -> None:
    modules = _modules()
    classes = _error_classes(modules)
    assert {"RejectedFile", "WorkersStopped", "RateLimited", "ImagesNotSupported"} <= classes
    found, problems = 0, []
    for path, tree in modules.items():
        constants = _module_values(tree)
        for call in _constructions(tree, classes):
            found += 1
            where = f"{path.relative_to(ROOT.parent)}:{call.lineno}"
            problems += [f"{where}: {p}" for p in _problems(call, constants)]
    assert found > 150, "the scan no longer sees the raise sites"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source, expected", [
    ('raise ValidationError("A tag may have at most 5 characters.")', "not a catalogue key"),
    ('raise RejectedFile(f"The file is {label}.")', "f-string"),
    ('raise NotFound("There is no asset " + str(n))', "built from strings"),
    ('raise NotFound("asset.not_visible")', "takes ['asset_id']"),
    ('raise NotFound("asset.not_visible", asset_id=3)', None),
    ('reason = "The file is odd."\nraise RejectedFile(reason)', "not a catalogue key"),
])
def test_the_guard_catches_each_way_back(source: str, expected: str | None) -> None:
    tree = ast.parse(source)
    call = tree.body[-1].exc
    problems = _problems(call, _module_values(tree))
    assert (expected in " ".join(problems)) if expected else not problems


def test_computed_keys_resolve() -> None:
    from tfdb_dam.media.sniff import REFUSED_FAMILIES
    from tfdb_dam.services.permissions import _REFUSALS
    from tfdb_dam.services.review_rules import PUBLIC_FIELDS, TRANSITIONS
    from tfdb_dam.db.models import AssetStatus

    keys = [f"file.forbidden.{f}" for f in REFUSED_FAMILIES] + [f"word.family.{f}" for f in REFUSED_FAMILIES]
    keys += list(_REFUSALS.values()) + [key for _name, key in PUBLIC_FIELDS]
    keys += [f"word.action.{t.action}" for t in TRANSITIONS] + [f"word.done.{t.done}" for t in TRANSITIONS]
    keys += [f"word.status.{s.value}" for s in AssetStatus]
    assert [k for k in keys if k not in CATALOGUE] == []
    assert all(KEY_PATTERN.fullmatch(k) for k in CATALOGUE)
