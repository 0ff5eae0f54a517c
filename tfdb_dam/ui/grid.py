"""The thumbnail grid in browse mode: ONE HTML element holding every card (a link to the asset,
the small thumb, a status badge, the title), instead of a container, an image and a caption per card.

Why: the browser re-renders each Streamlit element as the script's deltas arrive, so a page of 60
widget cards costs the browser seconds of JavaScript; one element costs a parse of plain HTML.
Thumbs are served the way ``st.image`` serves a file: registered with the session's media files
(Streamlit forgets them once a later run no longer shows them) and fetched from its media URL,
which is derived from the content; the app's start-up (bootstrap) has that endpoint tell browsers
to keep images (server_tuning.cache_media_images), so a thumb seen once is not fetched again.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from streamlit import runtime

THUMB_WIDTH, THUMB_HEIGHT = 512, 384  # the `thumb` rendition's box; only sets the aspect before load


@dataclass(frozen=True)
class Card:
    """What one card shows, in the reader's language."""

    asset_id: int
    link: str
    caption: str            # "[kind · ]title · #id"
    title: str              # the whole title, as a tooltip (the caption is cut to two lines)
    status: str | None      # drives the badge colour; None hides the badge
    status_label: str
    thumb: Path | None
    kind_label: str         # shown in place of a missing thumb


def media_url(path: Path, coordinates: str) -> str:
    """The URL Streamlit serves ``path`` at during this run (what ``st.image`` does with a file)."""
    return runtime.get_instance().media_file_mgr.add(str(path), "image/jpeg", coordinates)


def _card_html(card: Card, url: str | None) -> str:
    badge = (f'<span class="tfdb-badge tfdb-badge-{card.status}">{html.escape(card.status_label)}</span>'
             if card.status else "")
    picture = (f'<img src="{html.escape(url)}" alt="" width="{THUMB_WIDTH}" height="{THUMB_HEIGHT}">' if url
               else f'<span class="tfdb-nothumb"><span>{html.escape(card.kind_label)}</span></span>')
    return (f'<a class="tfdb-card" href="{html.escape(card.link)}" target="_blank" data-asset="{card.asset_id}" '
            f'title="{html.escape(card.title)}">{badge}{picture}'
            f'<span class="tfdb-caption">{html.escape(card.caption)}</span></a>')


def grid_html(cards: Sequence[Card], key: str, columns: int) -> str:
    """The grid's markup; each thumb gets its own media coordinates under ``key``."""
    parts = [_card_html(card, media_url(card.thumb, f"tfdb.{key}.{index}") if card.thumb else None)
             for index, card in enumerate(cards)]
    return f'<div class="tfdb-grid" style="--tfdb-cols: {int(columns)}">{"".join(parts)}</div>'
