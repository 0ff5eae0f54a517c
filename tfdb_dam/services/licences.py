"""The licences an asset may carry: code, bilingual label and the URL of the licence text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    code: str
    label_vi: str
    label_en: str
    url: str | None

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "label": {"vi": self.label_vi, "en": self.label_en}, "url": self.url}


def _cc(code: str, path: str, vi: str, en: str) -> Licence:
    return Licence(
        code, f"Creative Commons {vi}", f"Creative Commons {en}", f"https://creativecommons.org/{path}/"
    )


LICENCES: dict[str, Licence] = {
    lic.code: lic
    for lic in (
        _cc("CC-BY-4.0", "licenses/by/4.0", "Ghi công 4.0 Quốc tế", "Attribution 4.0 International"),
        _cc(
            "CC-BY-SA-4.0",
            "licenses/by-sa/4.0",
            "Ghi công - Chia sẻ tương tự 4.0 Quốc tế",
            "Attribution-ShareAlike 4.0 International",
        ),
        _cc(
            "CC-BY-ND-4.0",
            "licenses/by-nd/4.0",
            "Ghi công - Không phái sinh 4.0 Quốc tế",
            "Attribution-NoDerivatives 4.0 International",
        ),
        _cc(
            "CC-BY-NC-4.0",
            "licenses/by-nc/4.0",
            "Ghi công - Phi thương mại 4.0 Quốc tế",
            "Attribution-NonCommercial 4.0 International",
        ),
        _cc(
            "CC-BY-NC-SA-4.0",
            "licenses/by-nc-sa/4.0",
            "Ghi công - Phi thương mại - Chia sẻ tương tự 4.0 Quốc tế",
            "Attribution-NonCommercial-ShareAlike 4.0 International",
        ),
        _cc(
            "CC-BY-NC-ND-4.0",
            "licenses/by-nc-nd/4.0",
            "Ghi công - Phi thương mại - Không phái sinh 4.0 Quốc tế",
            "Attribution-NonCommercial-NoDerivatives 4.0 International",
        ),
        _cc(
            "CC0-1.0",
            "publicdomain/zero/1.0",
            "Từ bỏ bản quyền CC0 1.0",
            "CC0 1.0 Universal Public Domain Dedication",
        ),
        Licence("all-rights-reserved", "Bảo lưu mọi quyền", "All rights reserved", None),
    )
}
_BY_FOLDED = {code.lower(): lic for code, lic in LICENCES.items()}


def licence_for(code: str | None) -> Licence | None:
    """The licence named by ``code`` (case-insensitive); an unknown code is shown as it was written."""
    if not code or not code.strip():
        return None
    known = _BY_FOLDED.get(code.strip().lower())
    return known or Licence(code.strip(), code.strip(), code.strip(), None)
