"""Who is acting: a signed-in user with a role, the anonymous public, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass

from tfdb_dam.db.models import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role | None  # None: the anonymous public
    address: str | None = None

    # Both checks need user_id None: a person's account can never be the public or the system,
    # whatever its name (users.RESERVED_NAMES also keeps those names free).
    @property
    def is_public(self) -> bool:
        return self.user_id is None and self.role is None and self.username == "public"

    @property
    def is_system(self) -> bool:
        return self.user_id is None and self.username == "system"

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.admin, Role.approver, Role.contributor)


PUBLIC = Actor(user_id=None, username="public", role=None)
# Maintenance commands run by the operator on the server (init, verify, demo data).
SYSTEM = Actor(user_id=None, username="system", role=Role.admin)
