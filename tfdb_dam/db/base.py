"""Declarative base, naming convention and shared column types for every table."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, MetaData, String, Text, event, func, inspect
from sqlalchemy.orm import DeclarativeBase, Mapper, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

int_pk = Annotated[int, mapped_column(BigInteger, primary_key=True, autoincrement=True)]
created_at = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)]
timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True))]
short_text = Annotated[str, mapped_column(String(500))]
long_text = Annotated[str, mapped_column(Text)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def nfc_value(value: Any) -> Any:
    """``value`` with every string in it (dict keys too) in Unicode NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc_value(v) for v in value]
    if isinstance(value, dict):
        return {nfc_value(k): nfc_value(v) for k, v in value.items()}
    return value


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _normalize_text_to_nfc(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    # Every stored text is NFC so that equality, indexes and folding agree whatever the
    # keyboard or file produced (macOS and some cameras write NFD). Only loaded values are
    # looked at: reading an unloaded column here would cost a SELECT per column, and a value
    # that was never loaded was never changed. Core UPDATE/INSERT statements bypass this
    # listener: services write through the ORM.
    columns = mapper.column_attrs
    for key, value in list(inspect(target).dict.items()):
        if key in columns and isinstance(value, (str, list, dict)):
            normalized = nfc_value(value)
            if normalized != value:
                setattr(target, key, normalized)
