"""Synthetic bilingual assets for the search benchmark, bulk-loaded with COPY.

Words follow a Zipf law over a Vietnamese and an English vocabulary, with place names, people and
event codes for a realistic long tail; tags come from a vocabulary of a few hundred, cameras from a
dozen models; documents are written exactly as services.indexing writes them (folded and accented
tokens, weights A–D). Each record also has the passage services.indexing_vectors would embed, so
a sample of them can be embedded with the real model (search_vectors).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from tfdb_dam.search.text import exact_tokens, fold, tokens

VI = (
    "lăng chùa sông hương lễ hội đoàn thăm làm việc tỉnh thành phố huế đại sứ hợp tác đầu tư du lịch "
    "biển đảo biên giới văn hóa di sản nghệ nhân làng nghề thuyền rồng cung điện kinh thành đêm ngày "
    "người dân học sinh trường bệnh viện cầu đường sân bay nhà ga khu công nghiệp dự án khởi công "
    "trao tặng hỗ trợ lũ lụt bão cứu trợ ngư dân tàu cá phóng viên báo chí họp báo triển lãm ảnh "
    "festival nghề truyền thống áo dài nón lá ẩm thực bánh cà phê chợ tết mùa xuân hè thu đông "
    "núi rừng suối hồ đầm phá hải đăng bãi cát mưa nắng sáng chiều lãnh đạo chủ tịch phó ủy ban "
    "nhân dân sở ngoại vụ kế hoạch giáo dục y tế nông nghiệp môi trường năng lượng điện gió "
    "thanh niên phụ nữ tình nguyện quốc tế hữu nghị kết nghĩa ký kết biên bản ghi nhớ"
).split()
EN = (
    "tomb pagoda river perfume festival delegation visit work province city ambassador cooperation "
    "investment tourism sea island border culture heritage artisan craft village dragon boat palace "
    "citadel night day people pupils school hospital bridge road airport terminal industrial park "
    "project groundbreaking donate support flood storm relief fishermen fishing vessel reporter press "
    "conference exhibition photo traditional dress hat food cake coffee market lunar new year spring "
    "summer autumn winter mountain forest stream lake lagoon lighthouse beach rain sun morning evening "
    "leaders chairman vice committee department foreign affairs planning education health agriculture "
    "environment energy wind youth women volunteer international friendship sister signing memorandum"
).split()
PLACES = [
    ("Thuận An", "Thuan An"),
    ("Lăng Cô", "Lang Co"),
    ("A Lưới", "A Luoi"),
    ("Phong Điền", "Phong Dien"),
    ("Chân Mây", "Chan May"),
    ("Kim Long", "Kim Long"),
    ("Phú Vang", "Phu Vang"),
    ("Nam Đông", "Nam Dong"),
    ("Đông Ba", "Dong Ba"),
    ("Thiên Mụ", "Thien Mu"),
    ("Tam Giang", "Tam Giang"),
    ("Bạch Mã", "Bach Ma"),
    ("Vĩ Dạ", "Vi Da"),
    ("Hương Trà", "Huong Tra"),
    ("Phú Lộc", "Phu Loc"),
    ("Quảng Điền", "Quang Dien"),
]
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()
GIVEN = (
    "An Bình Châu Dũng Giang Hà Hải Hạnh Hiền Hùng Hương Khánh Lan Linh Long Mai Minh Nam Ngọc Phúc "
    "Quang Sơn Tâm Thảo Thủy Trang Tuấn Vân Yến"
).split()
SOURCE_UNITS = [f"Sở {w.capitalize()} {i}" for i, w in enumerate(VI[:20])]
CATEGORY_LABELS = [
    ("Đối ngoại", "Foreign relations"),
    ("Đầu tư", "Investment"),
    ("Văn hóa - Di sản", "Culture and heritage"),
    ("Du lịch", "Tourism"),
    ("Biên giới, biển, đảo", "Border, sea and islands"),
    ("Báo chí", "Press"),
    ("Hợp tác quốc tế", "International cooperation"),
]
CAMERAS = [
    ("Canon", "EOS R6"),
    ("Canon", "EOS 5D Mark IV"),
    ("Nikon", "Z 6II"),
    ("Nikon", "D750"),
    ("Sony", "ILCE-7M3"),
    ("Sony", "ILCE-7M4"),
    ("FUJIFILM", "X-T4"),
    ("Apple", "iPhone 13"),
    ("Apple", "iPhone 15 Pro"),
    ("samsung", "SM-S918B"),
    ("DJI", "FC3582"),
    ("Panasonic", "DC-GH5"),
]
WEIGHTS = "ABCD"
TAG_COUNT = 400


def _tag_vocabulary() -> list[str]:
    """Two-word Vietnamese tags, distinct once folded (the tags table is unique on that)."""
    tags: dict[str, str] = {}
    for i, first in enumerate(VI):
        for second in VI[i + 1 :: 7]:
            tags.setdefault(fold(f"{first} {second}"), f"{first} {second}")
    return list(tags.values())[:TAG_COUNT]


TAGS = _tag_vocabulary()


def _zipf(n: int, s: float = 1.0) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


@lru_cache(maxsize=None)
def _toks(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(tokens(text)), tuple(exact_tokens(text))


def tsvector_literals(groups: dict[str, list[str]]) -> tuple[str, str]:
    """The folded and accented tsvector input of one document, as services.indexing makes it."""
    out = []
    for which in (0, 1):
        positions: dict[str, list[str]] = {}
        pos = 0
        for weight in WEIGHTS:
            for value in groups[weight]:
                for token in (t for word in value.split() for t in _toks(word)[which]):
                    pos += 1
                    if pos <= 16383:
                        positions.setdefault(token, []).append(f"{pos}{weight}")
        out.append(" ".join(f"'{lex}':{','.join(ps[:256])}" for lex, ps in positions.items()))
    return out[0], out[1]


def embedding_text(row: dict) -> str:
    """The passage services.indexing_vectors.embedding_text makes of such a record."""
    label_vi, label_en = CATEGORY_LABELS[row["category_index"]]
    parts = [row["title_en"], row["title_vi"], row["description_en"], row["description_vi"], *row["tags"]]
    return ". ".join([*parts, label_en, label_vi, row["source_unit"]])


class Generator:
    """Reproducible rows for ``size`` assets, and queries as people type them."""

    def __init__(self, size: int, seed: int = 20261128):
        self.size = size
        self.rng = np.random.default_rng(seed)
        self.p_vi, self.p_en, self.p_tag = _zipf(len(VI)), _zipf(len(EN)), _zipf(len(TAGS), 0.8)
        self.events = max(50, size // 25)  # event codes: each in about 25 records
        self._pools: dict[int, np.ndarray] = {}
        self._cursor: dict[int, int] = {}

    def _words(self, vocabulary: list[str], p: np.ndarray, low: int, high: int) -> str:
        # Words come from a pool drawn in bulk: one Zipf draw per word would dominate the run.
        pool = self._pools.get(id(vocabulary))
        if pool is None or self._cursor[id(vocabulary)] + high > len(pool):
            pool = self._pools[id(vocabulary)] = self.rng.choice(len(vocabulary), size=200_000, p=p)
            self._cursor[id(vocabulary)] = 0
        count = int(self.rng.integers(low, high))
        start = self._cursor[id(vocabulary)]
        self._cursor[id(vocabulary)] = start + count
        return " ".join(vocabulary[i] for i in pool[start : start + count])

    def row(self, asset_id: int, category_ids: list[int]) -> dict:
        place_vi, place_en = PLACES[int(self.rng.integers(len(PLACES)))]
        event = f"sk{int(self.rng.integers(self.events))}"
        person = f"{FAMILY[int(self.rng.integers(len(FAMILY)))]} {GIVEN[int(self.rng.integers(len(GIVEN)))]}"
        category = int(self.rng.integers(len(category_ids)))
        title_vi = f"{self._words(VI, self.p_vi, 4, 8)} {place_vi} {event}".capitalize()
        title_en = f"{self._words(EN, self.p_en, 4, 8)} {place_en}".capitalize()
        desc_vi = f"{self._words(VI, self.p_vi, 18, 32)} {person} {place_vi}"
        desc_en = f"{self._words(EN, self.p_en, 14, 26)} {place_en}"
        tags = list(dict.fromkeys(TAGS[i] for i in self.rng.choice(len(TAGS), size=3, p=self.p_tag)))
        source = SOURCE_UNITS[int(self.rng.integers(len(SOURCE_UNITS)))]
        credit = f"{person} {GIVEN[int(self.rng.integers(len(GIVEN)))]}"
        filename = f"IMG_{asset_id:07d}.jpg"
        folded, exact = tsvector_literals(
            {
                "A": [title_vi, title_en],
                "B": tags + list(CATEGORY_LABELS[category]),
                "C": [desc_vi, desc_en],
                "D": [source, credit, filename],
            }
        )
        kind = ("photo", "photo", "photo", "photo", "video", "document")[int(self.rng.integers(6))]
        status = ("published", "published", "published", "approved", "submitted", "draft")[
            int(self.rng.integers(6))
        ]
        captured = dt.datetime(2010, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(
            seconds=int(self.rng.integers(5e8))
        )
        located = self.rng.random() < 0.3
        make, model = CAMERAS[int(self.rng.integers(len(CAMERAS)))] if kind == "photo" else (None, None)
        created = captured + dt.timedelta(days=int(self.rng.integers(1, 30)))
        return {
            "id": asset_id,
            "kind": kind,
            "status": status,
            "processing": "ready",
            "sha256": hashlib.sha256(str(asset_id).encode()).hexdigest(),
            "size_bytes": 1_000_000,
            "mime_type": "image/jpeg",
            "ext": "jpg",
            "original_filename": filename,
            "title_vi": title_vi,
            "title_en": title_en,
            "description_vi": desc_vi,
            "description_en": desc_en,
            "category_id": category_ids[category],
            "source_unit": source,
            "credit": credit,
            "captured_at": captured,
            "gps_lat": 16.4 + self.rng.random() * 0.3 if located else None,
            "gps_lon": 107.5 + self.rng.random() * 0.3 if located else None,
            "camera_make": make,
            "camera_model": model,
            "created_at": created,
            "search_folded": folded,
            "search_exact": exact,
            "tags": tags,
            "category_index": category,
        }

    def rows(self, start: int, stop: int, category_ids: list[int]) -> Iterator[dict]:
        for asset_id in range(start, stop):
            yield self.row(asset_id, category_ids)

    def queries(self, count: int) -> list[str]:
        """Queries as people type them: a place, a couple of words, with or without accents, in
        either language; some with an event code or a person."""
        out = []
        for i in range(count):
            place_vi, place_en = PLACES[int(self.rng.integers(len(PLACES)))]
            if i % 4 == 0:
                out.append(f"{self._words(EN, self.p_en, 2, 4)} {place_en}")
            elif i % 4 == 1:
                out.append(f"{self._words(VI, self.p_vi, 2, 4)} {place_vi}")
            elif i % 4 == 2:
                out.append(" ".join(tokens(f"{self._words(VI, self.p_vi, 2, 3)} {place_vi}")))  # no accents
            else:
                out.append(
                    f"sk{int(self.rng.integers(self.events))} {FAMILY[int(self.rng.integers(len(FAMILY)))]}"
                )
        return out
