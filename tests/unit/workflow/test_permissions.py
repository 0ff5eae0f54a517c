"""Capabilities outside the workflow table, checked by hand against the issue."""

from __future__ import annotations

import pytest

from tfdb_dam.db.models import Asset, AssetStatus, Role
from tfdb_dam.errors import PermissionDenied
from tfdb_dam.services.actors import PUBLIC, SYSTEM, Actor
from tfdb_dam.services.permissions import Capability as C
from tfdb_dam.services.permissions import allows, can_edit, require


def _who(role: Role) -> Actor:
    return Actor(5, role.value, role)


@pytest.mark.parametrize(("actor", "granted"), [
    (_who(Role.admin), set(C)),
    (_who(Role.approver), {C.upload, C.edit_own_drafts, C.edit_any, C.download, C.review_queue}),
    (_who(Role.contributor), {C.upload, C.edit_own_drafts, C.download}),
    (_who(Role.viewer), {C.download}),
    (PUBLIC, {C.download}),
    (SYSTEM, set(C)),
])
def test_each_role_has_exactly_its_capabilities(actor, granted):
    assert {c for c in C if allows(actor, c)} == granted


def test_refusals_are_one_sentence():
    with pytest.raises(PermissionDenied, match=r"^Only an administrator can manage users\.$"):
        require(_who(Role.approver), C.manage_users)


@pytest.mark.parametrize(("role", "status", "owner", "expected"), [
    (Role.contributor, AssetStatus.draft, 5, True),
    (Role.contributor, AssetStatus.rejected, 5, True),
    (Role.contributor, AssetStatus.submitted, 5, False),
    (Role.contributor, AssetStatus.published, 5, False),
    (Role.contributor, AssetStatus.draft, 6, False),
    (Role.approver, AssetStatus.published, 6, True),
    (Role.admin, AssetStatus.archived, 6, True),
    (Role.viewer, AssetStatus.draft, 5, False),
])
def test_who_may_edit(role, status, owner, expected):
    assert can_edit(_who(role), Asset(id=1, status=status, created_by_id=owner)) is expected
