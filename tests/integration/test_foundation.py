"""The foundation against a real PostgreSQL: migrations, init, users, audit, verify."""

from __future__ import annotations

import json

from sqlalchemy import select

from tfdb_dam.db.models import Category


def test_migrations_seed_the_plans_seven_areas(ctx):
    with ctx.db.begin() as session:
        slugs = set(session.execute(select(Category.slug)).scalars())
    assert slugs == {"doi-ngoai", "dau-tu", "van-hoa-di-san", "du-lich", "bien-gioi-bien-dao",
                     "bao-chi", "hop-tac-quoc-te"}


def test_init_twice_changes_nothing(tfdb):
    first = tfdb("init", "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["first_admin"]["username"] == "admin"
    second = tfdb("init", "--json")
    assert second.returncode == 0, second.stderr
    again = json.loads(second.stdout)
    assert again["migrated"] is False and again["first_admin"] is None
    assert again["revision"] == report["revision"]
