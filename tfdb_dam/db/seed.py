"""Reference data the schema starts with: the plan's seven subject areas (157/KH-UBND)."""

CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("doi-ngoai", "Đối ngoại", "Foreign relations"),
    ("dau-tu", "Đầu tư", "Investment"),
    ("van-hoa-di-san", "Văn hóa - Di sản", "Culture and heritage"),
    ("du-lich", "Du lịch", "Tourism"),
    ("bien-gioi-bien-dao", "Biên giới, biển, đảo", "Border, sea and islands"),
    ("bao-chi", "Báo chí", "Press"),
    ("hop-tac-quoc-te", "Hợp tác quốc tế", "International cooperation"),
)
