"""A small hand-built registry of names for the matcher's unit tests (independent of the bundled data)."""

from __future__ import annotations

from schoon.names import NameRecord

_ROWS: list[tuple[str, str, str, str, str]] = [
    # entity, group, name, kind, script
    ("hikvision", "hikvision", "Hangzhou Hikvision Digital Technology Co., Ltd.", "legal", "latin"),
    ("hikvision", "hikvision", "Hikvision", "common", "latin"),
    ("hikvision", "hikvision", "Hangzhou Hikvision Digital Technology Company", "legal", "latin"),
    ("hikvision", "hikvision", "杭州海康威视数字技术股份有限公司", "legal", "han"),
    ("hikvision", "hikvision", "海康威视", "short", "han"),
    ("hikvision", "hikvision", "Haikang Weishi", "pinyin", "latin"),
    ("hikvision", "hikvision", "Hangzhou Haikang Weishi Shuzi Jishu", "pinyin", "latin"),
    ("hikvision", "hikvision", "HIK", "weak", "latin"),
    ("hikvision-usa", "hikvision", "Hikvision USA Inc.", "legal", "latin"),
    ("hikvision-usa", "hikvision", "Hikvision USA", "common", "latin"),
    ("ezviz", "hikvision", "Hangzhou EZVIZ Network Co., Ltd.", "legal", "latin"),
    ("ezviz", "hikvision", "EZVIZ", "brand", "latin"),
    ("hikmicro", "hikvision", "HIKMICRO", "brand", "latin"),
    ("prama-hikvision-india", "hikvision", "Prama Hikvision India Private Limited", "legal", "latin"),
    ("dahua", "dahua", "Zhejiang Dahua Technology Co., Ltd.", "legal", "latin"),
    ("dahua", "dahua", "Dahua", "common", "latin"),
    ("dahua", "dahua", "Dahua Technology", "common", "latin"),
    ("dahua", "dahua", "浙江大华技术股份有限公司", "legal", "han"),
    ("dahua", "dahua", "大华", "short", "han"),
    ("dahua", "dahua", "DH", "weak", "latin"),
    ("dahua-usa", "dahua", "Dahua Technology USA Inc.", "legal", "latin"),
    ("dahua-zhilian", "dahua", "Zhejiang Dahua Zhilian Co., Ltd.", "legal", "latin"),
    ("lorex", "lorex", "Lorex Technology Inc.", "legal", "latin"),
    ("lorex", "lorex", "Lorex", "common", "latin"),
    ("zte", "zte", "ZTE Corporation", "legal", "latin"),
    ("zte", "zte", "ZTE", "common", "latin"),
    ("zte", "zte", "中兴通讯股份有限公司", "legal", "han"),
    ("zte-usa", "zte", "ZTE USA Inc.", "legal", "latin"),
    ("dji", "dji", "SZ DJI Technology Co., Ltd.", "legal", "latin"),
    ("dji", "dji", "DJI", "common", "latin"),
    ("dji", "dji", "Da-Jiang Innovations", "common", "latin"),
    ("huawei", "huawei", "Huawei Technologies Co., Ltd.", "legal", "latin"),
    ("huawei", "huawei", "Huawei", "common", "latin"),
    ("huawei-device", "huawei", "Huawei Device Co., Ltd.", "legal", "latin"),
    ("megvii", "megvii", "Beijing Megvii Technology Co., Ltd.", "legal", "latin"),
    ("megvii", "megvii", "Megvii", "common", "latin"),
    ("megvii", "megvii", "Face++", "brand", "latin"),
    ("hytera", "hytera", "Hytera Communications Corporation Limited", "legal", "latin"),
    ("hytera", "hytera", "Hytera", "common", "latin"),
    ("uniview", "uniview", "Zhejiang Uniview Technologies Co., Ltd.", "legal", "latin"),
    ("uniview", "uniview", "Uniview", "common", "latin"),
    ("uniview", "uniview", "UNV", "weak", "latin"),
    ("cetc", "cetc", "China Electronics Technology Group Corporation", "legal", "latin"),
    ("cetc", "cetc", "CETC", "short", "latin"),
    ("swann", "swann", "Swann Communications Pty Ltd", "legal", "latin"),
    ("empiretech", "empiretech", "EmpireTech", "common", "latin"),
    ("empiretech", "empiretech", "Empire Tech", "common", "latin"),
    ("ff-1", "", "Shanghai Dahua Scale Factory", "false_friend", "latin"),
    ("ff-2", "", "Hikari Co.,Ltd.", "false_friend", "latin"),
]


def records() -> list[NameRecord]:
    """The hand-built records; false friends get ids starting with ``false-friend-``."""
    out = []
    for entity, group, name, kind, script in _ROWS:
        if kind == "false_friend":
            entity = f"false-friend-{entity}"
        out.append(NameRecord(entity, group, name, kind, script))
    return out
