"""The few style rules config.toml cannot express: thumbnail cards, the brand line, compact tables."""

from __future__ import annotations

import streamlit as st

# Keyed containers get the class ``st-key-<key>``; the rules below target only those keys.
_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
.st-key-thumbgrid img, .st-key-similar img, .st-key-duplicates img, .st-key-recent img,
.st-key-keyframes img, .tfdb-nothumb {
  aspect-ratio: 4 / 3; object-fit: cover; border-radius: 6px; background: #EEE9F3; width: 100% !important;
}
.tfdb-nothumb { display: flex; align-items: center; justify-content: center; font-size: 1rem;
  font-weight: 600; color: #5B2C83; text-decoration: none; }
[class*="st-key-card-"] { position: relative; gap: 0.35rem; }
[class*="st-key-card-"] [data-testid="stImageCaption"], [class*="st-key-card-"] .tfdb-caption {
  width: 100% !important; }
[class*="st-key-card-"] [data-testid="stCaptionContainer"] p, [class*="st-key-card-"] .tfdb-caption {
  color: #1F1B24; font-weight: 600; font-size: 0.85rem; line-height: 1.25; text-align: left; margin: 0;
  overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
[class*="st-key-card-"]::before {
  position: absolute; top: 0.9rem; left: 0.9rem; z-index: 3; font-size: 0.72rem; font-weight: 600;
  padding: 0.05rem 0.5rem; border-radius: 999px; box-shadow: 0 1px 2px rgba(0,0,0,0.15); }
[class*="st-key-card-"] [data-testid="stElementToolbar"] { display: none; }
.tfdb-grid { display: grid; grid-template-columns: repeat(var(--tfdb-cols, 6), minmax(0, 1fr)); gap: 0.75rem; }
@media (max-width: 1100px) { .tfdb-grid { grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); } }
.tfdb-card { position: relative; display: flex; flex-direction: column; gap: 0.4rem; padding: 0.6rem;
  border: 1px solid #E4DFEA; border-radius: 0.5rem; background: #FFF; color: #1F1B24 !important;
  text-decoration: none !important; transition: border-color 0.15s, box-shadow 0.15s; }
.tfdb-card:hover, .tfdb-card:focus-visible { border-color: #5B2C83; box-shadow: 0 2px 8px rgba(91, 44, 131, 0.18);
  outline: none; }
.tfdb-card img, .tfdb-card .tfdb-nothumb { display: flex; width: 100%; height: auto; aspect-ratio: 4 / 3;
  object-fit: cover; border-radius: 6px; background: #EEE9F3; }
.tfdb-card .tfdb-caption { font-weight: 600; font-size: 0.85rem; line-height: 1.25; overflow: hidden;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; }
.tfdb-badge { position: absolute; top: 0.9rem; left: 0.9rem; z-index: 1; font-size: 0.72rem; font-weight: 600;
  padding: 0.05rem 0.5rem; border-radius: 999px; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.15); }
.st-key-preview img { max-height: 70vh; object-fit: contain; border-radius: 8px; }
.tfdb-brand { font-weight: 700; font-size: 1.15rem; color: #5B2C83; letter-spacing: 0.02em; }
.tfdb-brand small { display: block; font-weight: 400; font-size: 0.78rem; color: #6B6475; }
[data-testid="stMetricValue"] { color: #5B2C83; }
</style>
"""
STATUSES = ("draft", "submitted", "approved", "rejected", "published", "archived")
# Badge colours per status (background, text), matching widgets.STATUS_COLOURS.
_BADGES = {"draft": ("#ECEAEF", "#4A4453"), "submitted": ("#DCEBFB", "#1D4F91"),
           "approved": ("#EDE3F7", "#5B2C83"), "rejected": ("#FBE1E1", "#A32020"),
           "published": ("#DDF3E6", "#1B6B3A"), "archived": ("#FCEBD7", "#8A4B08")}


# Streamlit draws the file picker's button and hint, and the "press Enter" hint of inputs, in
# English; these rules put the reader's language in their place (texts from the catalogue).
_LOCALE_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "%(button)s"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "%(hint)s"; font-size: 0.875rem; }
[data-testid="InputInstructions"] > span { font-size: 0; }
[data-testid="InputInstructions"] > span:first-child::after { content: "%(enter)s"; font-size: 0.75rem; }
</style>
"""


def apply(texts: dict[str, str] | None = None, statuses: dict[str, str] | None = None) -> None:
    """``texts``: button, hint (file picker) and enter (inputs' submit hint); ``statuses``: the
    status names for the card badges — all in the reader's language."""
    css = _CSS
    if texts:
        css += _LOCALE_CSS % {name: _css_text(value) for name, value in texts.items()}
    css += "<style>" + "".join(f".tfdb-badge-{status} {{ background: {back}; color: {fore}; }}"
                               for status, (back, fore) in _BADGES.items()) + "</style>"
    if statuses:
        css += "<style>" + "".join(
            f'[class*="st-key-card-{status}-"]::before {{ content: "{_css_text(label)}"; '
            f"background: {_BADGES[status][0]}; color: {_BADGES[status][1]}; }}"
            for status, label in statuses.items() if status in _BADGES) + "</style>"
    st.html(css)


def _css_text(text: str) -> str:
    return text.replace("\\", "").replace('"', "'").replace("<", "").replace(">", "")


def brand(subtitle: str) -> None:
    st.html(f'<div class="tfdb-brand">TFDB DAM<small>{subtitle}</small></div>')
