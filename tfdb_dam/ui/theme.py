"""The few style rules config.toml cannot express: thumbnail cards, the brand line, compact tables."""

from __future__ import annotations

import streamlit as st

# Keyed containers get the class ``st-key-<key>``; the rules below target only those keys.
_CSS = """
<style>
.st-key-thumbgrid img, .st-key-similar img, .st-key-keyframes img {
  aspect-ratio: 4 / 3; object-fit: cover; border-radius: 6px; background: #EEE9F3; width: 100%;
}
[class*="st-key-card-"] { gap: 0.3rem; }
[class*="st-key-card-"] p { margin-bottom: 0; }
[class*="st-key-card-"] [data-testid="stPageLink"] a { padding: 0; }
[class*="st-key-card-"] [data-testid="stPageLink"] p {
  font-weight: 600; overflow: hidden; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; line-height: 1.25; min-height: 2.5em; white-space: normal;
}
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stSidebarUserContent"] { padding-top: 0.5rem; }
.st-key-preview img { max-height: 70vh; object-fit: contain; border-radius: 8px; }
.tfdb-brand { font-weight: 700; font-size: 1.15rem; color: #5B2C83; letter-spacing: 0.02em; }
.tfdb-brand small { display: block; font-weight: 400; font-size: 0.78rem; color: #6B6475; }
[data-testid="stMetricValue"] { color: #5B2C83; }
</style>
"""


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


def apply(texts: dict[str, str] | None = None) -> None:
    """``texts``: button, hint (file picker) and enter (inputs' submit hint), translated."""
    css = _CSS
    if texts:
        css += _LOCALE_CSS % {name: _css_text(value) for name, value in texts.items()}
    st.html(css)


def _css_text(text: str) -> str:
    return text.replace("\\", "").replace('"', "'").replace("<", "").replace(">", "")


def brand(subtitle: str) -> None:
    st.html(f'<div class="tfdb-brand">TFDB DAM<small>{subtitle}</small></div>')
