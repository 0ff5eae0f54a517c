"""Administration: categories and thesaurus, roles and accounts — admins only, every change audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.integration.workflow.factory import PASSWORD, actor, make_asset
from tfdb_dam.db.models import AuditEntry, Role, User
from tfdb_dam.errors import NotFound, PermissionDenied, ValidationError
from tfdb_dam.services import taxonomy, users
from tfdb_dam.services.actors import SYSTEM


def _actions(ctx, prefix: str) -> list[str]:  # noqa: ANN001
    with ctx.db.begin() as session:
        return list(session.execute(select(AuditEntry.action).where(AuditEntry.action.startswith(prefix))
                                    .order_by(AuditEntry.id)).scalars())


def test_categories_and_thesaurus_are_managed_by_admins_only(ctx, people):
    admin, approver = actor(people.admin), actor(people.approver)
    with ctx.db.begin() as session:
        with pytest.raises(PermissionDenied, match="Only an administrator can change categories"):
            taxonomy.create_category(session, approver, slug="am-thuc", label_vi="Ẩm thực", label_en="Cuisine")
    with ctx.db.begin() as session:
        parent = taxonomy.create_category(session, admin, slug="am-thuc", label_vi="  Ẩm   thực ", label_en="Cuisine")
        child = taxonomy.create_category(session, admin, slug="am-thuc-hue", label_vi="Ẩm thực Huế",
                                         label_en="Huế cuisine", parent_id=parent.id, sort_order=9)
        assert parent.label_vi == "Ẩm thực" and child.parent_id == parent.id
        ids = parent.id, child.id
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError, match="already used"):
            taxonomy.create_category(session, admin, slug="am-thuc", label_vi="x", label_en="y")
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError, match="under itself"):
            taxonomy.update_category(session, admin, ids[0], parent_id=ids[1])
    with ctx.db.begin() as session:
        taxonomy.update_category(session, admin, ids[1], label_en="Cuisine of Huế", clear_parent=True)
        make_asset(session, people.contributor, category_id=ids[1])
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError, match="still holds 1 asset"):
            taxonomy.delete_category(session, admin, ids[1])
    with ctx.db.begin() as session:
        taxonomy.delete_category(session, admin, ids[0])
        assert [c.slug for c in taxonomy.list_categories(session)][-1] == "am-thuc-hue"

    with ctx.db.begin() as session:
        term = taxonomy.create_term(session, admin, terms_vi="Bún bò Huế|bún bò", terms_en=["Hue beef noodle soup"],
                                    category_id=ids[1])
        assert term.terms_vi == ["bún bò huế", "bún bò"]
        taxonomy.update_term(session, admin, term.id, terms_en="beef noodle soup|bun bo hue")
        with pytest.raises(ValidationError, match="at least one Vietnamese term"):
            taxonomy.update_term(session, admin, term.id, terms_vi=" | ")
    with ctx.db.begin() as session:
        taxonomy.delete_term(session, admin, term.id)
        with pytest.raises(NotFound):
            taxonomy.get_term(session, term.id)
    assert _actions(ctx, "category.") == ["category.create", "category.create", "category.edit", "category.delete"]
    assert _actions(ctx, "thesaurus.") == ["thesaurus.create", "thesaurus.edit", "thesaurus.delete"]


def test_roles_and_accounts_keep_an_administrator_and_are_audited(ctx, people):
    admin = actor(people.admin)
    with ctx.db.begin() as session:
        with pytest.raises(PermissionDenied, match="Only an administrator can manage users"):
            users.set_role(session, actor(people.approver), "hoa", "approver")
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError, match="last active administrator"):
            users.set_role(session, SYSTEM, "quantri", Role.viewer)
    with ctx.db.begin() as session:
        with pytest.raises(ValidationError, match="your own account"):
            users.set_active(session, admin, "quantri", False)
    with ctx.db.begin() as session:
        users.set_role(session, admin, "hoa", "approver")
        users.set_active(session, admin, "tuan", False)
        new_password = users.reset_password(session, admin, "bao")
        with pytest.raises(ValidationError, match="at most 72 bytes"):
            users.reset_password(session, admin, "lan", "ữ" * 30)
    with ctx.db.begin() as session:
        assert users.get_user(session, "hoa").role is Role.approver
        with pytest.raises(PermissionDenied, match="disabled"):
            users.actor_for(session, "tuan")
        assert users.check_password(new_password, users.get_user(session, "bao").password_hash)
    assert _actions(ctx, "user.") == ["user.set_role", "user.disable", "user.password_reset"]


def test_cli_user_commands(ctx, people, run_cli):
    code, out, err = run_cli("user", "set-role", "hoa", "approver", "--json")
    assert code == 0, err
    assert json.loads(out) == {"username": "hoa", "role": "approver"}
    assert run_cli("user", "disable", "tuan")[:2] == (0, "tuan is disabled.\n")
    assert run_cli("user", "enable", "tuan")[:2] == (0, "tuan is enabled.\n")
    assert run_cli("user", "disable", "tuan")[0] == 0
    code, out, err = run_cli("user", "passwd", "bao", "--password-stdin", stdin="một-mật-khẩu-mới\n")
    assert code == 0 and out == "Set a new password for bao.\n", err
    code, out, _ = run_cli("user", "passwd", "lan", "--json")
    generated = json.loads(out)["password"]
    code, _, err = run_cli("user", "set-role", "quantri", "viewer")
    assert code == 1 and err == "tfdb: 'quantri' is the last active administrator; make someone else one first.\n"
    with ctx.db.begin() as session:
        rows = {u.username: u for u in session.execute(select(User)).scalars()}
        assert rows["hoa"].role is Role.approver and not rows["tuan"].is_active
        assert users.check_password("một-mật-khẩu-mới", rows["bao"].password_hash)
        assert not users.check_password(PASSWORD, rows["bao"].password_hash)
        assert users.check_password(generated, rows["lan"].password_hash)


def test_searches_expand_with_the_thesaurus_as_admins_change_it(ctx, people):
    """The thesaurus a search uses is rebuilt when, and only when, the terms or the categories
    change (a version raised by triggers in the changing transaction)."""
    from tfdb_dam.search.query import parse_query
    from tfdb_dam.services.search_thesaurus import thesaurus_for

    admin = actor(people.admin)

    def expanded(words: str) -> tuple[object, list[str]]:
        with ctx.db.begin() as session:
            thesaurus = thesaurus_for(session)
            return thesaurus, parse_query(words, thesaurus).expansion_terms("en")

    before, terms = expanded("rau má")
    assert "pennywort" not in terms
    assert expanded("rau má")[0] is before  # nothing changed: the same thesaurus, not rebuilt
    with ctx.db.begin() as session:
        term = taxonomy.create_term(session, admin, terms_vi="rau má", terms_en="pennywort")
        term_id = term.id
    with pytest.raises(RuntimeError), ctx.db.begin() as session:  # a change rolled back is no change
        taxonomy.delete_term(session, admin, term_id)
        raise RuntimeError("roll back")
    added, terms = expanded("rau má")
    assert added is not before and "pennywort" in terms
    with ctx.db.begin() as session:
        category = taxonomy.create_category(
            session, admin, slug="nuoc-mia", label_vi="Nước mía", label_en="Cane juice"
        )
    assert "cane juice" in expanded("nước mía")[1]
    with ctx.db.begin() as session:
        taxonomy.update_category(session, admin, category.id, label_en="Sugarcane drink")
        taxonomy.delete_term(session, admin, term_id)
    assert "sugarcane drink" in expanded("nước mía")[1] and "pennywort" not in expanded("rau má")[1]
