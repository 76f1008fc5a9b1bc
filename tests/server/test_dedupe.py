"""Table-driven tests of duplicate-customer keys (server/dedupe.py)."""

from __future__ import annotations

import pytest

from server.dedupe import (
    MatchKeys,
    match_keys,
    matched_fields,
    matched_on,
    normalize_company_name,
    normalize_phone,
    phone_keys,
)

# Each row: two names that must be treated as the same company.
SAME_NAMES = [
    ("上海瑞丽服装厂", "上海市瑞丽服装有限公司"),
    ("上海市瑞丽服装有限公司", "瑞丽服装（上海）有限公司"),
    ("上海瑞丽服装厂", "瑞丽服装（上海）有限公司"),
    ("瑞丽服装(上海)有限公司", "瑞丽服装（上海）有限公司"),
    ("上 海 瑞丽 服装 厂", "上海瑞丽服装厂"),
    ("上海·瑞丽服装有限公司。", "上海瑞丽服装有限公司"),
    ("瑞丽服装有限责任公司", "瑞丽服装有限公司"),
    ("瑞丽服装股份有限公司", "瑞丽服装厂"),
    ("瑞丽服装集团有限公司", "瑞丽服装有限公司"),
    ("瑞丽（集团）股份有限公司", "瑞丽集团"),
    ("瑞丽服装有限公司上海分公司", "瑞丽服装有限公司"),
    ("瑞丽服装经营部", "瑞丽服装商行"),
    ("上海市浦东新区瑞丽贸易有限公司", "瑞丽贸易有限公司(上海)"),
    ("上海浦东瑞丽贸易有限公司", "瑞丽贸易有限公司"),
    ("广东省深圳市南山区腾达科技有限公司", "深圳腾达科技有限公司"),
    ("苏州工业园区瑞丽电子有限公司", "苏州瑞丽电子有限公司"),
    ("内蒙古自治区伊利实业集团股份有限公司", "伊利实业"),
    ("中国瑞丽服装有限公司", "瑞丽服装（中国）有限公司"),
    ("瑞丽服装【上海】有限公司", "瑞丽服装有限公司"),
    ("上海服装有限公司", "上海市服装厂"),
    ("服装（上海）有限公司", "上海服装有限公司"),
    ("广州白云山医药集团股份有限公司", "白云山医药"),
    ("ABC服装有限公司", "ａｂｃ服装厂"),
    ("Ruili Garment Co., Ltd.", "RUILI GARMENT"),
    ("Ruili Garment Co., Ltd.", "Ruili Garment Company Limited"),
    ("Ｒｕｉｌｉ　Ｇａｒｍｅｎｔ", "Ruili Garment"),
    ("Rui Li Garment Inc.", "Ruili Garment"),
    ("Shanghai Ruili Garment Co., Ltd.", "Ruili Garment (Shanghai) Co., Ltd."),
    ("Ruili Trading (HK) Ltd", "Hong Kong Ruili Trading Limited"),
    ("The Ruili Group", "Ruili Holdings Ltd"),
    ("Ruili & Co.", "RUILI"),
    ("McDonald's (China) Co., Ltd.", "McDonalds"),
    ("Shanghai Trading Co., Ltd.", "Trading (Shanghai) Co., Ltd."),
    ("Ruili Garment Co., Ltd. Shanghai Branch", "Ruili Garment"),
    ("中国银行股份有限公司上海市分行", "中国银行"),
    ("Ruili Shanghai Branch", "Ruili Ltd"),
    ("海南航空控股股份有限公司", "海南航空"),
]

# Each row: two names that must NOT be treated as the same company.
DIFFERENT_NAMES = [
    ("华南物流有限公司", "华南食品有限公司"),
    ("上海服装有限公司", "北京服装有限公司"),
    ("上海市场营销策划有限公司", "北京市场营销策划有限公司"),
    ("上海服装有限公司", "上海瑞丽服装有限公司"),
    ("上海市浦东新区服装有限公司", "上海服装有限公司"),
    ("瑞丽服装有限公司", "瑞丽食品有限公司"),
    ("瑞丽律师事务所", "瑞丽有限公司"),
    ("Global Trading Co.", "Global Logistics Co."),
    ("Shanghai Trading Co., Ltd.", "Beijing Trading Co., Ltd."),
    ("Ruili Garment", "Ruili Garments Trading"),
    ("上海瑞丽服装厂", "Ruili Garment Co., Ltd."),
    ("老北京餐饮有限公司", "老上海餐饮有限公司"),
    ("老北京有限公司", "老上海有限公司"),
    ("三明治餐饮有限公司", "三明餐饮有限公司"),
    ("中山大学", "北京大学"),
    ("海南航空控股股份有限公司", "四川航空股份有限公司"),
    ("Air China Ltd", "Air Shanghai Ltd"),
]

# Names that carry nothing identifying: their key is "" and matches nothing.
MEANINGLESS_NAMES = [
    "",
    "   ",
    "（）",
    "有限公司",
    "股份有限公司",
    "上海有限公司",
    "服装有限公司",
    "Co., Ltd.",
    "Trading Company Limited",
    "Shanghai Co., Ltd.",
]

# Each row: raw input, expected E.164 key (None: not a usable number).
PHONES = [
    ("+86 21 5888 1234", "+862158881234"),
    ("021-58881234", "+862158881234"),
    ("(021)5888 1234", "+862158881234"),
    ("（021）5888-1234", "+862158881234"),
    ("0086 21 5888 1234", "+862158881234"),
    ("+86 (0)21 5888 1234", "+862158881234"),
    ("021.5888.1234", "+862158881234"),
    ("０２１－５８８８　１２３４", "+862158881234"),
    ("电话：021-58881234", "+862158881234"),
    ("Fax: 021 5888 1234", "+862158881234"),
    ("021-58881234 ext. 801", "+862158881234"),
    ("021-58881234转801", "+862158881234"),
    ("021-58881234-801", "+862158881234"),
    ("021 5888 1234 x12", "+862158881234"),
    ("021-58881234 / 13800138000", "+862158881234"),
    ("0755-8888 8888", "+8675588888888"),
    ("138 0013 8000", "+8613800138000"),
    ("+86 138-0013-8000", "+8613800138000"),
    ("8613800138000", "+8613800138000"),
    ("138.0013.8000", "+8613800138000"),
    ("１３８００１３８０００", "+8613800138000"),
    ("+852 2345 6789", "+85223456789"),
    ("5888 1234", None),
    ("12345", None),
    ("95588", None),
    ("", None),
    ("n/a", None),
    ("------", None),
]


@pytest.mark.parametrize(("left", "right"), SAME_NAMES)
def test_same_company_names_share_a_key(left: str, right: str) -> None:
    key = normalize_company_name(left)
    assert key != ""
    assert key == normalize_company_name(right)


@pytest.mark.parametrize(("left", "right"), DIFFERENT_NAMES)
def test_different_companies_have_different_keys(left: str, right: str) -> None:
    assert normalize_company_name(left) != normalize_company_name(right)


@pytest.mark.parametrize("name", MEANINGLESS_NAMES)
def test_meaningless_names_have_an_empty_key(name: str) -> None:
    assert normalize_company_name(name) == ""


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("上海瑞丽服装厂", "瑞丽服装"),
        ("上海服装有限公司", "上海服装"),
        ("Ruili Garment Co., Ltd.", "ruiligarment"),
        ("Global Trading Co.", "globaltrading"),
        ("三明治餐饮有限公司", "三明治餐饮"),
    ],
)
def test_key_values_are_readable(name: str, key: str) -> None:
    assert normalize_company_name(name) == key


@pytest.mark.parametrize(("raw", "expected"), PHONES)
def test_normalize_phone(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_region_is_configurable() -> None:
    assert normalize_phone("2345 6789", region="HK") == "+85223456789"
    assert normalize_phone("2345 6789", region="hk") == "+85223456789"
    assert normalize_phone("2345 6789") is None
    assert normalize_phone("021-58881234", region="ZZ") is None


def test_phone_keys_skips_missing_and_invalid_numbers() -> None:
    keys = phone_keys("021-58881234", None, "", "123", "+86 138 0013 8000")
    assert keys == {"+862158881234", "+8613800138000"}


def test_match_keys_and_matched_on() -> None:
    query = match_keys("上海瑞丽服装厂", phone="021-58881234")
    fax_only = match_keys("瑞丽服装（上海）有限公司", fax="+86 21 5888 1234")
    other = match_keys("华南物流", phone="138 0013 8000")
    assert query == MatchKeys(name="瑞丽服装", phones=frozenset({"+862158881234"}))
    assert matched_on(query, fax_only) == ["name", "phone"]
    assert matched_on(query, other) == []


def test_empty_keys_never_match() -> None:
    assert matched_on(match_keys("有限公司"), match_keys("公司")) == []
    assert matched_on(match_keys(""), match_keys("")) == []


@pytest.mark.parametrize(
    ("query", "candidate", "expected"),
    [
        (("上海瑞丽服装厂", None, None), ("瑞丽服装有限公司", None, None), ["name"]),
        (("A公司", "021-58881234", None), ("B公司", "+86 21 5888 1234", None), ["phone"]),
        # A fax matches a phone with the same number, in either direction.
        (("A公司", "021-58881234", None), ("B公司", None, "(021)5888 1234"), ["fax"]),
        (("A公司", None, "021-58881234"), ("B公司", "02158881234", None), ["phone"]),
        (
            ("瑞丽服装厂", "021-58881234", "021-58881235"),
            ("瑞丽服装有限公司", "021-58881235", "021-58881234"),
            ["fax", "name", "phone"],
        ),
        (("华南物流", "138 0013 8000", None), ("华南食品", "13800138001", None), []),
        (("有限公司", None, None), ("公司", "bad", "bad"), []),
    ],
)
def test_matched_fields(
    query: tuple[str, str | None, str | None],
    candidate: tuple[str, str | None, str | None],
    expected: list[str],
) -> None:
    assert matched_fields(*query, *candidate) == expected
