"""Typed SQLAlchemy models: assets, taxonomy, users, review, audit, embeddings, sharing."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Optional

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    Enum,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import Mapped, Unmapped, mapped_column, relationship, unmapped_column

from tfdb_dam.db.base import Base, created_at, int_pk, long_text, short_text, timestamp


class AssetKind(str, enum.Enum):
    photo = "photo"
    video = "video"
    document = "document"
    audio = "audio"


class AssetStatus(str, enum.Enum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    published = "published"
    archived = "archived"


class ProcessingState(str, enum.Enum):
    pending = "pending"  # row exists, background jobs (renditions, text, embedding) still to run
    ready = "ready"
    failed = "failed"


class Role(str, enum.Enum):
    admin = "admin"
    approver = "approver"
    contributor = "contributor"
    viewer = "viewer"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda c: [m.value for m in c], validate_strings=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int_pk]
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[short_text]
    email: Mapped[Optional[short_text]]
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    language: Mapped[str] = mapped_column(String(2), default="vi", server_default="vi")
    source_unit: Mapped[Optional[short_text]]
    created_at: Mapped[created_at]
    password_changed_at: Mapped[Optional[timestamp]]


class SignInAttempt(Base):
    """Each sign-in try, kept for throttling per user and address."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int_pk]
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(100))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    # Refused unchecked because of earlier failures; not counted again, so waiting out the pause works.
    throttled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    at: Mapped[created_at]


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[int_pk]
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    label_vi: Mapped[short_text]
    label_en: Mapped[short_text]
    sort_order: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ThesaurusTerm(Base):
    """An admin-maintained bilingual equivalence used for query expansion."""

    __tablename__ = "thesaurus_terms"

    id: Mapped[int_pk]
    terms_vi: Mapped[list[str]] = mapped_column(ARRAY(Text))
    terms_en: Mapped[list[str]] = mapped_column(ARRAY(Text))
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int_pk]
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), unique=True)


class AssetTag(Base):
    __tablename__ = "asset_tags"

    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True)


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        CheckConstraint("gps_lat IS NULL OR gps_lat BETWEEN -90 AND 90", name="gps_lat_range"),
        CheckConstraint("gps_lon IS NULL OR gps_lon BETWEEN -180 AND 180", name="gps_lon_range"),
        Index("ix_assets_status_created", "status", "created_at"),
    )

    id: Mapped[int_pk]
    kind: Mapped[AssetKind] = mapped_column(_enum(AssetKind, "asset_kind"))
    status: Mapped[AssetStatus] = mapped_column(_enum(AssetStatus, "asset_status"), default=AssetStatus.draft)
    processing: Mapped[ProcessingState] = mapped_column(
        _enum(ProcessingState, "processing_state"), default=ProcessingState.pending
    )
    processing_error: Mapped[Optional[long_text]]

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))
    ext: Mapped[str] = mapped_column(String(10))
    original_filename: Mapped[short_text]
    phash: Mapped[Optional[str]] = mapped_column(String(32), index=True)
    near_duplicate_of_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))

    width: Mapped[Optional[int]] = mapped_column(Integer)
    height: Mapped[Optional[int]] = mapped_column(Integer)
    duration_s: Mapped[Optional[float]] = mapped_column(Double)
    frame_rate: Mapped[Optional[float]] = mapped_column(Double)
    video_codec: Mapped[Optional[str]] = mapped_column(String(50))
    audio_codec: Mapped[Optional[str]] = mapped_column(String(50))
    page_count: Mapped[Optional[int]] = mapped_column(Integer)
    captured_at: Mapped[Optional[timestamp]]
    # Minutes east of UTC as the camera recorded it; NULL when the file gave no offset.
    captured_tz_offset_min: Mapped[Optional[int]] = mapped_column(SmallInteger)
    gps_lat: Mapped[Optional[float]] = mapped_column(Double)
    gps_lon: Mapped[Optional[float]] = mapped_column(Double)
    gps_alt: Mapped[Optional[float]] = mapped_column(Double)
    camera_make: Mapped[Optional[str]] = mapped_column(String(100))
    camera_model: Mapped[Optional[str]] = mapped_column(String(100))
    lens: Mapped[Optional[str]] = mapped_column(String(200))
    # Mutable* so that in-place edits (asset.field_sources["x"] = ...) are saved too.
    exposure: Mapped[dict[str, Any]] = mapped_column(MutableDict.as_mutable(JSONB), default=dict, server_default="{}")
    orientation: Mapped[Optional[int]] = mapped_column(SmallInteger)
    exif: Mapped[dict[str, Any]] = mapped_column(MutableDict.as_mutable(JSONB), default=dict, server_default="{}")

    title_vi: Mapped[Optional[short_text]]
    title_en: Mapped[Optional[short_text]]
    description_vi: Mapped[Optional[long_text]]
    description_en: Mapped[Optional[long_text]]
    category_id: Mapped[Optional[int]] = mapped_column(ForeignKey("categories.id", ondelete="SET NULL"), index=True)
    source_unit: Mapped[Optional[short_text]]
    credit: Mapped[Optional[short_text]]
    license: Mapped[Optional[str]] = mapped_column(String(50))
    usage_terms: Mapped[Optional[long_text]]
    rights_expires_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    # The expiry approvers were told about; the sweep tells them once per expiry date.
    rights_expiry_notified_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    extracted_text: Mapped[Optional[long_text]]
    # field name -> where its value came from ("file", "import", "manual"); see services.provenance.
    field_sources: Mapped[dict[str, str]] = mapped_column(
        MutableDict.as_mutable(JSONB), default=dict, server_default="{}")
    notes: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSONB), default=list, server_default="[]")

    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now())
    published_at: Mapped[Optional[timestamp]]
    # When the asset last entered or left the public channels (OAI-PMH datestamps).
    public_changed_at: Mapped[Optional[timestamp]]
    ever_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    # Full-text documents written by services.indexing (folded, and with accents for ranking);
    # columns of the table but not of the ORM object, so loading or saving an asset never moves them.
    search_folded: Unmapped[Any] = unmapped_column(TSVECTOR, nullable=True)
    search_exact: Unmapped[Any] = unmapped_column(TSVECTOR, nullable=True)

    # eager_defaults: fetch server-set values (updated_at) with RETURNING, so an asset read
    # after its session closed still has them.
    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}

    category: Mapped[Optional[Category]] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary="asset_tags", lazy="selectin", order_by=Tag.name)
    renditions: Mapped[list["Rendition"]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", lazy="selectin"
    )


class Rendition(Base):
    """A derived image (thumbnail, preview, poster, keyframe) whose file lives in the store."""

    __tablename__ = "renditions"

    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # spec name, e.g. thumb, keyframe-03
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    at_seconds: Mapped[Optional[float]] = mapped_column(Double)  # for video keyframes

    asset: Mapped[Asset] = relationship(back_populates="renditions")


class StorageJournal(Base):
    """Originals being written or deleted; lets a crashed import be reconciled (see storage)."""

    __tablename__ = "storage_journal"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    ext: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[created_at]


class ReviewEvent(Base):
    __tablename__ = "review_events"

    id: Mapped[int_pk]
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[Optional[str]] = mapped_column(String(20))
    to_status: Mapped[Optional[str]] = mapped_column(String(20))
    comment: Mapped[Optional[long_text]]
    at: Mapped[created_at]


class AuditEntry(Base):
    """Append-only, hash-chained log; a trigger in the migration forbids UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int_pk]
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[Optional[str]] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(50), index=True)
    object_type: Mapped[Optional[str]] = mapped_column(String(30))
    object_id: Mapped[Optional[str]] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    address: Mapped[Optional[str]] = mapped_column(String(100))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)


class AuditHead(Base):
    """The newest audit entry, kept in the same transaction: deleting the last entries shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # always 1: one chain
    last_id: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(BigInteger)


class SearchTerm(Base):
    """A folded word found in some asset's search document: the vocabulary for spelling tolerance."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)


class Embedding(Base):
    """One vector per asset, source and model; the model name travels with the vector."""

    __tablename__ = "embeddings"

    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(20), primary_key=True)  # text | image
    model: Mapped[str] = mapped_column(String(300), primary_key=True)
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[Any] = mapped_column(Vector())
    created_at: Mapped[created_at]


class Collection(Base):
    __tablename__ = "collections"

    id: Mapped[int_pk]
    name: Mapped[short_text]
    description: Mapped[Optional[long_text]]
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    shared: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_at: Mapped[created_at]


class CollectionItem(Base):
    __tablename__ = "collection_items"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[created_at]


class CollectionShare(Base):
    """A collection shared with one named colleague, who may only look or also add and remove assets."""

    __tablename__ = "collection_shares"

    collection_id: Mapped[int] = mapped_column(ForeignKey("collections.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    can_edit: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    shared_at: Mapped[created_at]


class Download(Base):
    __tablename__ = "downloads"

    id: Mapped[int_pk]
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    api_key_id: Mapped[Optional[int]] = mapped_column(ForeignKey("api_keys.id", ondelete="SET NULL"))
    rendition: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(20))
    at: Mapped[created_at]


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int_pk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject: Mapped[short_text]
    body: Mapped[long_text]
    asset_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    read_at: Mapped[Optional[timestamp]]
    emailed_at: Mapped[Optional[timestamp]]
    # Email outbox: none (app only) | pending | sent | failed; retried after email_retry_at.
    email_state: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    email_attempts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    email_error: Mapped[Optional[long_text]]
    email_retry_at: Mapped[Optional[timestamp]]


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int_pk]
    name: Mapped[short_text]
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    revoked_at: Mapped[Optional[timestamp]]
    last_used_at: Mapped[Optional[timestamp]]


class SearchVersion(Base):
    """A counter that tells a cache of the search's inputs when to rebuild: ``thesaurus`` goes up
    in the same transaction as any change to the admins' terms or the categories (triggers of
    migration 0013), so checking it is one row read, whatever the thesaurus' size."""

    __tablename__ = "search_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class RuntimeSetting(Base):
    """Settings an admin may change while the app runs (the rest come from the environment)."""

    __tablename__ = "runtime_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_by: Mapped[Optional[str]] = mapped_column(String(64))
    updated_at: Mapped[created_at]


__all__ = [
    "ApiKey", "Asset", "AssetKind", "AssetStatus", "AssetTag", "AuditEntry", "AuditHead", "Category",
    "Collection", "CollectionItem", "CollectionShare", "Download", "Embedding", "Notification", "ProcessingState",
    "Rendition", "ReviewEvent", "Role", "RuntimeSetting", "SearchTerm", "SearchVersion", "SignInAttempt",
    "StorageJournal",
    "Tag", "ThesaurusTerm", "User",
]
