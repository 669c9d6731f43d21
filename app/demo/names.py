"""Fictional Vietnamese people and company names for the demo dataset."""

import random

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương", "Tạ",
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Tuấn", "Mạnh")
MIDDLE_FEMALE = ("Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương", "Thúy", "Bích", "Kim")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Nam",
    "Phong", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Việt", "Vinh", "Tùng",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Chi", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga",
    "Ngọc", "Nhung", "Phương", "Thảo", "Trang", "Vân", "Yến", "Huyền", "Dung",
)  # fmt: skip

DOMESTIC_WORDS = (
    "Thăng Long", "Hồng Hà", "Sông Đà", "Hà Thành", "Bắc Việt", "Đông Đô", "Kinh Bắc",
    "Tràng An", "Ba Đình", "Tây Hồ", "Hoàng Long", "Minh Phát", "Phú Thịnh", "An Khang",
    "Việt Tiến", "Đại Phát", "Thành Công", "Tân Tiến", "Hưng Thịnh", "Nam Việt",
)  # fmt: skip
DOMESTIC_TRADES = (
    "Cơ khí", "Dệt may", "Bao bì", "Thực phẩm", "Điện tử", "Nhựa", "Dược phẩm", "Vật liệu",
    "In", "Gỗ nội thất", "Thiết bị điện", "Hóa chất",
)  # fmt: skip
FOREIGN_WORDS = {
    "JP": ("Sakura", "Fuji", "Nippon Seiki", "Kansai", "Tokai", "Hoshino", "Yamato", "Kyoei"),
    "KR": ("Hanvina", "Daesung", "Seoul Tech", "Hanil", "Samjin", "Kumho Vina", "Dongyang"),
    "CN": ("Huaxin", "Jinlong", "Tianyu", "Hengtai", "Zhongxing Vina", "Longwei"),
    "TW": ("Formosa Vina", "Taiyang", "Chinfon", "Evertech"),
    "SG": ("Lion City", "Straits", "Marina Tech"),
    "US": ("Pacific", "Liberty", "Summit"),
    "DE": ("Rhein", "Bayer Tech", "Nordwerk"),
    "TH": ("Siam", "Chao Phraya"),
    "MY": ("Petra", "Klang Valley"),
    "FR": ("Lumière", "Provence"),
}
FOREIGN_TRADES = (
    "Electronics", "Precision", "Packaging", "Apparel", "Components", "Plastics",
    "Mechanical", "Foods", "Optics", "Motor Parts",
)  # fmt: skip


def person(rng: random.Random) -> tuple[str, str]:
    """(full name, gender)."""
    if rng.random() < 0.55:
        return (
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}",
            "female",
        )
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}", "male"


def domestic_company(rng: random.Random, n: int, state: bool) -> str:
    kind = "Tổng công ty" if state else rng.choice(("Công ty TNHH", "Công ty Cổ phần"))
    return f"{kind} {rng.choice(DOMESTIC_TRADES)} {rng.choice(DOMESTIC_WORDS)} {n}"


def foreign_company(rng: random.Random, country: str, n: int) -> tuple[str, str]:
    """(Vietnamese name, foreign name)."""
    brand = rng.choice(FOREIGN_WORDS[country])
    trade = rng.choice(FOREIGN_TRADES)
    return (
        f"Công ty TNHH {brand} {trade} Việt Nam {n}",
        f"{brand} {trade} Vietnam Co., Ltd. {n}",
    )
