"""Who may open which page: role sets shared by the page guard and the sidebar."""

from __future__ import annotations

from tfdb_dam.db.models import Role

EVERYONE: frozenset[Role | None] = frozenset({None, *Role})   # None: the anonymous public
SIGNED_IN: frozenset[Role | None] = frozenset(Role)
STAFF: frozenset[Role | None] = frozenset({Role.admin, Role.approver, Role.contributor})
APPROVERS: frozenset[Role | None] = frozenset({Role.admin, Role.approver})
ADMINS: frozenset[Role | None] = frozenset({Role.admin})
