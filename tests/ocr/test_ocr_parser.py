"""Card parser on plain text: Chinese, English, bilingual, labels, phone kinds."""

from ocr import FIELD_NAMES, parse_text
from ocr.engine import join_words
from ocr.parser import TextLine, parse_lines

ZH_CARD = """\
上海星辰科技有限公司
张伟
销售经理
手机：138 1234 5678
电话：021-6234 5678
传真：021-6234 5679
邮箱：zhang.wei@xingchen.example.cn
网址：www.xingchen.example.cn
地址：上海市浦东新区科技路88号1203室
"""

EN_CARD = """\
Emily Carter
Regional Sales Manager
Bluesea Trading Co., Ltd.
M: +86 139-1111-2222
T: +86 10 8765 4321
E: emily@bluesea.example.com
W: http://www.bluesea.example.com
Add: Room 1203, No. 88 Renmin Road, Chaoyang, Beijing
"""

BI_CARD = """\
欧阳明华 Ouyang Minghua
总经理 General Manager
深圳博达电子股份有限公司
Shenzhen Broadreach Electronics Co., Ltd.
手机 Mobile: 186-0755-1234
电话 Tel: (0755) 2345 6789 传真 Fax: 0755-2345 6780
E-mail: info@boda.example.cn
地址 Add: 深圳市南山区科技路 8 号
"""


def test_result_has_exactly_the_documented_keys():
    result = parse_text("")
    assert tuple(result.fields) == FIELD_NAMES
    assert result.fields["phones"] == [] and result.fields["name"] is None


def test_chinese_card():
    r = parse_text(ZH_CARD)
    assert r.fields == {
        "name": "张伟", "title": "销售经理", "company": "上海星辰科技有限公司",
        "mobile": "+8613812345678", "phones": ["+862162345678"], "fax": "+862162345679",
        "email": "zhang.wei@xingchen.example.cn", "website": "www.xingchen.example.cn",
        "address": "上海市浦东新区科技路88号1203室",
    }
    assert set(r.confidence) == {k for k, v in r.fields.items() if v}
    assert all(0.0 <= c <= 1.0 for c in r.confidence.values())


def test_english_card():
    r = parse_text(EN_CARD)
    assert r.fields["name"] == "Emily Carter"
    assert r.fields["title"] == "Regional Sales Manager"
    assert r.fields["company"] == "Bluesea Trading Co., Ltd."
    assert r.fields["mobile"] == "+8613911112222"
    assert r.fields["phones"] == ["+861087654321"]
    assert r.fields["email"] == "emily@bluesea.example.com"
    assert r.fields["website"] == "www.bluesea.example.com"
    assert r.fields["address"].startswith("Room 1203")


def test_bilingual_card_prefers_chinese_and_splits_shared_lines():
    r = parse_text(BI_CARD)
    assert r.fields["name"] == "欧阳明华"  # compound surname
    assert r.fields["title"] == "总经理"
    assert r.fields["company"] == "深圳博达电子股份有限公司"
    assert r.fields["mobile"] == "+8618607551234"
    assert r.fields["phones"] == ["+8675523456789"]
    assert r.fields["fax"] == "+8675523456780"  # second label on the same line
    assert r.fields["address"] == "深圳市南山区科技路8号"


def test_name_and_title_on_one_line():
    r = parse_text("李娜 市场总监\n杭州云帆贸易有限公司\n13900001111")
    assert (r.fields["name"], r.fields["title"]) == ("李娜", "市场总监")


def test_phone_kinds_follow_numbering_plan_and_fax_label():
    r = parse_text("Tel: 13912345678\nT: 010-62345678\n021 55556666\nFax 021 55557777")
    assert r.fields["mobile"] == "+8613912345678"  # "Tel" label, but a mobile number
    assert r.fields["phones"] == ["+861062345678", "+862155556666"]
    assert r.fields["fax"] == "+862155557777"


def test_labelled_phone_is_surer_than_unlabelled():
    labelled, bare = parse_text("手机：13912345678"), parse_text("13912345678")
    assert labelled.evidence["mobile"][0] > bare.evidence["mobile"][0]  # raw score
    # Calibrated, both may land in the same measured bin, never the other way round.
    assert labelled.confidence["mobile"] >= bare.confidence["mobile"]


def test_invalid_numbers_are_ignored():
    r = parse_text("电话：021-123\n手机：1391234")
    assert r.fields["mobile"] is None and r.fields["phones"] == []


def test_region_parameter():
    r = parse_text("Tel: (212) 555-0123\nMobile: (212) 555-7000\nM: +86 139 1234 5678", region="US")
    # The label decides where the numbering plan can't; a second mobile is kept in phones.
    assert r.fields["mobile"] == "+12125557000"
    assert r.fields["phones"] == ["+12125550123", "+8613912345678"]


def test_ocr_spacing_is_repaired():
    assert join_words(["上", "海", "星", "辰", "Co.,", "Ltd."]) == "上海星辰 Co., Ltd."
    r = parse_text("邮箱 : zhang @ xingchen . example . cn\n地址 : 北京市朝阳区建设路 12 号")
    assert r.fields["email"] == "zhang@xingchen.example.cn"
    assert r.fields["address"] == "北京市朝阳区建设路12号"


def test_confidence_uses_ocr_confidence_and_size_picks_the_name():
    lines = [
        TextLine("王芳", conf=0.9, height=90),
        TextLine("李明", conf=0.9, height=30),  # a smaller "name-like" line
        TextLine("星辰科技有限公司", conf=0.5, height=40),
    ]
    r = parse_lines(lines)
    assert r.fields["name"] == "王芳"
    assert r.confidence["company"] < 0.6


def test_email_with_misread_dot_before_the_top_level_domain():
    assert parse_text("E-mail: kevin42@lanhai.example-net").fields["email"] == "kevin42@lanhai.example.net"
    # A hyphen inside a real domain label is kept.
    assert parse_text("Email: a@my-company.example.com").fields["email"] == "a@my-company.example.com"


def test_email_handle_l_after_a_digit_is_a_one():
    assert parse_text("邮箱 : info1l@ruifeng.example.cn").fields["email"] == "info11@ruifeng.example.cn"
    # Before a digit an "l" may be real: left alone.
    assert parse_text("Email: michael63@example.com").fields["email"] == "michael63@example.com"
    assert parse_text("Email: bill@example.com").fields["email"] == "bill@example.com"


def test_website_with_the_dot_after_www_lost():
    assert parse_text("Web https://wwwyunfan.example.com").fields["website"] == "www.yunfan.example.com"
    assert parse_text("W: www.awwwards.example.com").fields["website"] == "www.awwwards.example.com"


def test_dot_read_as_other_punctuation_in_a_host():
    assert parse_text("邮箱 : info52@lanhai.example'cn").fields["email"] == "info52@lanhai.example.cn"
    assert parse_text("网址 : www.lanhai·example.com").fields["website"] == "www.lanhai.example.com"


def test_address_ending_in_a_comma_continues_on_the_next_line():
    r = parse_text("Add: Room 2285, No. 555 Renmin Road,\nTianhe, Guangzhou\nEmily Grant")
    assert r.fields["address"] == "Room 2285, No. 555 Renmin Road, Tianhe, Guangzhou"
    assert r.fields["name"] == "Emily Grant"
    # Without the comma the next line is not part of the address.
    r = parse_text("Add: Room 2285, No. 555 Renmin Road\nEmily Grant")
    assert r.fields["address"] == "Room 2285, No. 555 Renmin Road" and r.fields["name"] == "Emily Grant"


def test_english_repairs_for_dropped_spaces_and_misread_capitals():
    r = parse_text("lrene Sutton\nProject Manager\nTrustway TechnologyLLC\nWeb www.xingchen.exa mple.net")
    assert r.fields["name"] == "Irene Sutton"
    assert r.fields["company"] == "Trustway Technology LLC"
    assert r.fields["website"] == "www.xingchen.example.net"
    # A host that is complete on its own is not joined to the next word.
    assert parse_text("W: www.example.com en").fields["website"] == "www.example.com"


def test_one_letter_labels_with_a_dot_and_office_numbers():
    card = parse_text("Amelia Caldwell\nM. 187-1903-9073\nOffice +86 512 8819 1083\nE. amelia@jiahe.example.net\n"
                      "W. www.jiahe.example.net\nA. Floor 6, No. 63 Xuefu Road, Suzhou")
    assert card.fields["mobile"] == "+8618719039073"
    assert card.fields["phones"] == ["+8651288191083"]
    assert card.fields["email"] == "amelia@jiahe.example.net"
    assert card.fields["website"] == "www.jiahe.example.net"
    assert card.fields["address"] == "Floor 6, No. 63 Xuefu Road, Suzhou"
    # A dotted letter inside a line is no label.
    assert parse_text("Dr. A. Smith").fields["address"] is None


def test_a_label_run_into_its_address_is_dropped():
    assert parse_text("E.jianguojin51@haina.example.com.cn").fields["email"] == "jianguojin51@haina.example.com.cn"
    assert parse_text("Email:amy@yuan.example.net").fields["email"] == "amy@yuan.example.net"
    # A handle of its own that starts with "e." stays whole.
    assert parse_text("邮箱: e.li@yuan.example.net").fields["email"] == "e.li@yuan.example.net"
    assert parse_text("W.www.jiahe.example.net").fields["website"] == "www.jiahe.example.net"


def test_www_with_a_misread_letter():
    assert parse_text("网址 http://wuw.dingsheng.example.com.cn").fields["website"] == "www.dingsheng.example.com.cn"
    assert parse_text("Web: vww.haina.example.com").fields["website"] == "www.haina.example.com"
    assert parse_text("Web: sales.haina.example.com").fields["website"] == "sales.haina.example.com"


def test_company_words_read_with_m_for_rn_and_a_dropped_comma():
    assert parse_text("Haina Intemational Trade Limited").fields["company"] == "Haina International Trade Limited"
    assert parse_text("Yuanhang Auto Parts Co. Ltd.").fields["company"] == "Yuanhang Auto Parts Co., Ltd."
    assert parse_text("Bluesea Trading Co., Ltd.").fields["company"] == "Bluesea Trading Co., Ltd."


def test_a_logo_letter_read_before_the_company_is_dropped():
    assert parse_text("R Runze Chemicals Co., Ltd.").fields["company"] == "Runze Chemicals Co., Ltd."
    assert parse_text("ry Yuanhang Trade Group Co., Ltd.").fields["company"] == "Yuanhang Trade Group Co., Ltd."
    # Initials that belong to the name stay.
    assert parse_text("GE Lighting Co., Ltd.").fields["company"] == "GE Lighting Co., Ltd."
    assert parse_text("A Plus Trading Co., Ltd.").fields["company"] == "A Plus Trading Co., Ltd."


def test_a_label_letter_before_a_scrap_is_no_address():
    # "a 4" (a garbled line read as the label A and a digit) must not stand in for the
    # unlabelled address further down.
    r = parse_text("天津东升环保科技集团有限公司\na 4\n手机: +86 178 5362 2582\n天津市南开区中山北路304号25楼")
    assert r.fields["address"] == "天津市南开区中山北路304号25楼"
    assert parse_text("地址: 北京市朝阳区建国路88号").fields["address"] == "北京市朝阳区建国路88号"
    assert parse_text("A. Floor 6, No. 8 Road").fields["address"] == "Floor 6, No. 8 Road"


def test_a_spaced_bar_parts_two_columns_read_as_one_row():
    r = parse_text("Edward Thornton | srcreapeeewn\nAdministration Supervisor\nTel: +86 532 9362 6167 | Fax: +86 532 9362 6168"
                   "\nAddress | 15F, Global Centre, No. 628 Jiefang Avenue, Qingdao")
    assert r.fields["name"] == "Edward Thornton"
    assert (r.fields["phones"], r.fields["fax"]) == (["+8653293626167"], "+8653293626168")
    assert r.fields["address"] == "15F, Global Centre, No. 628 Jiefang Avenue, Qingdao"


def test_of_two_readings_of_a_company_the_surer_is_taken():
    lines = [TextLine("翟亚楠", 0.95, 60), TextLine("武汉远航次询集团有了公司", 0.62),
             TextLine("手机: 187 1620 6132", 0.95), TextLine("武汉远航咨询集团有限公司", 0.93)]
    assert parse_lines(lines).fields["company"] == "武汉远航咨询集团有限公司"
    # Equally sure: the earlier line, as before.
    same = [TextLine("武汉远航咨询集团有限公司", 0.9), TextLine("北京蓝海科技有限公司", 0.9)]
    assert parse_lines(same).fields["company"] == "武汉远航咨询集团有限公司"


def test_a_country_code_one_digit_off_the_regions_own_is_the_regions():
    # "+85" and "+88" belong to no country; one digit away from China's +86 they are +86.
    assert parse_text("T +85 512 9868 5925").fields["phones"] == ["+8651298685925"]
    assert parse_text("Tel (+88) 21 5555 1234").fields["phones"] == ["+862155551234"]
    # Codes that are some country's stay as read.
    assert parse_text("Tel +81 3 1234 5678").fields["phones"] == ["+81312345678"]
    assert parse_text("Tel +36 1 234 5678").fields["phones"] == ["+3612345678"]


def test_a_latin_company_keeps_ltd_read_as_lid_and_loses_a_bracketed_logo_scrap():
    assert parse_text("Gabriel Gallagher\nDerun Network Technology Co., Lid.").fields["company"] == \
        "Derun Network Technology Co., Ltd."
    assert parse_text("Lucas Thornton\nWw) Wantong Building Materials Ltd.").fields["company"] == \
        "Wantong Building Materials Ltd."
    # A first word that is a name, not a scrap, and "Lid" that is not the suffix stay.
    assert parse_text("Lucas Thornton\nACME (HK) Ltd.").fields["company"] == "ACME (HK) Ltd."
    assert parse_text("Lucas Thornton\nLid Holdings Ltd.").fields["company"] == "Lid Holdings Ltd."
