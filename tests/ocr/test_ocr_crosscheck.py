"""Name and title on one row, fields that vouch for each other, calibrated confidence."""

from ocr import calibration, parse_text
from ocr.crosscheck import check_email, company_agrees, domain_brand, email_from_name, name_spellings
from ocr.engine import Line, Word
from ocr.parser import TextLine, parse_lines
from ocr.pipeline import to_text_lines


def test_english_name_and_title_on_one_row_are_split_by_the_title_words():
    fields = parse_text("Simon Prescott Key Account Manager\nDingsheng Co., Ltd.").fields
    assert (fields["name"], fields["title"]) == ("Simon Prescott", "Key Account Manager")


def test_a_wide_gap_splits_a_name_with_an_unlisted_surname_from_its_title():
    result = parse_lines([TextLine("乜杰高级顾问", 0.95, 60, head="乜杰"), TextLine("鼎盛咨询有限公司", 0.95, 30)])
    assert (result.fields["name"], result.fields["title"]) == ("乜杰", "高级顾问")


def test_a_title_alone_is_never_split_at_a_gap_inside_it():
    result = parse_lines([TextLine("王芳", 0.95, 60), TextLine("销售经理", 0.95, 30, head="销售")])
    assert (result.fields["name"], result.fields["title"]) == ("王芳", "销售经理")
    result = parse_lines([TextLine("Grace Walker", 0.95, 60), TextLine("Sales Manager", 0.95, 30, head="Sales")])
    assert result.fields["title"] == "Sales Manager"


def test_the_head_of_a_row_ends_at_a_wide_gap_or_a_change_of_type_size():
    def word(text, left, right, height):
        return Word(text, 0.9, (left, 100 - height, right, 100))
    gap = Line((word("Grace", 0, 100, 40), word("Walker", 112, 240, 40), word("Sales", 300, 380, 40)), 40, 60)
    assert to_text_lines([gap])[0].head == "Grace Walker"
    size = Line((word("苏", 0, 60, 60), word("杰", 62, 122, 60), word("总", 130, 160, 30)), 60, 40)
    assert to_text_lines([size])[0].head == "苏杰"
    even = Line((word("Grace", 0, 100, 40), word("Walker", 112, 240, 40)), 40, 60)
    assert to_text_lines([even])[0].head == ""


def test_an_email_misread_is_put_right_by_the_name_it_spells():
    assert check_email("yang.1iu@x.example.com", "刘洋") == ("yang.liu@x.example.com", 1.0)
    assert check_email("1iu60@x.example.com", None) == ("liu60@x.example.com", 0.0)
    assert check_email("james.wa1ker@x.example.com", "James Walker") == ("james.walker@x.example.com", 1.0)
    # A handle that is no spelling of the name is left alone and counts as unconfirmed.
    assert check_email("sales@x.example.com", "刘洋") == ("sales@x.example.com", None)
    # A cut-off handle is completed only when one spelling fits.
    assert check_email("ker@x.example.com", "James Walker")[0] == "ker@x.example.com"
    assert "liuyang" in name_spellings("刘洋") and "jwalker" in name_spellings("James Walker")


def test_the_company_is_checked_against_the_domain_brand():
    brand = domain_brand("a@huaxin.example.com", None)
    assert brand == "huaxin" and domain_brand(None, "www.dingsheng.example.cn") == "dingsheng"
    assert company_agrees("南京华信软件有限公司", brand) == 1.0
    assert company_agrees("南京华售软件有限公司", brand) is None  # 华 spells the start, 售 does not
    assert company_agrees("星辰科技有限公司", brand) == 0.0  # nothing to compare
    assert company_agrees("Huaxin Software Co., Ltd.", brand) == 1.0


def test_confidence_is_calibrated_from_the_raw_score_and_the_cross_check(monkeypatch):
    card = "刘洋\n销售经理\n邮箱: liu.yang@huaxin.example.com"
    raw = parse_text(card)
    assert raw.evidence["email"][1] == "agree" and raw.evidence["name"][1] == "agree"
    monkeypatch.setitem(calibration.TABLE, ("name", "agree"), (0.1, 0.2, 0.3, 0.4, 0.55))
    result = parse_text(card)
    assert result.confidence["name"] == 0.55  # a known surname alone on its row: raw 0.9, the top bin
    assert result.evidence["name"] == raw.evidence["name"]


def test_an_email_whose_at_was_read_as_a_letter_is_found_by_the_name():
    # "@" read as G and the dots as spaces; "@" read as e after the handle's digits, "l" as "1".
    assert email_from_name("blackwoodrGhongda example com cn", "Rebecca Blackwood") == "blackwoodr@hongda.example.com.cn"
    assert email_from_name("jing. 1v20eyuanhangprin.example.com.cn", "吕静") == "jing.lv20@yuanhangprin.example.com.cn"


def test_text_that_only_looks_like_a_name_and_a_domain_is_no_email():
    assert email_from_name("rebecca blackwood example com", "Rebecca Blackwood") is None  # two words
    assert email_from_name("rebecca.blackwood example com", "Rebecca Blackwood") is None  # "e" not glued on
    assert email_from_name("blackwoodrGhongda", "Rebecca Blackwood") is None  # no top-level domain
    assert email_from_name("blackwoodr7hongda.example.com", "Rebecca Blackwood") is None  # a digit is no "@"
    assert email_from_name("blackwoodrGhongda.example.com", "Liu Yang") is None  # not this person's name
    assert email_from_name("www.blackwoodrghongda.com", "Rebecca Blackwood") is None  # a web address


def test_an_email_found_by_the_name_is_taken_below_the_review_free_confidence():
    lines = [TextLine("Hongda Printing Co., Ltd.", 0.95), TextLine("Rebecca Blackwood", 0.95, 60),
             TextLine("Administration Supervisor", 0.95), TextLine("+86 173 6408 2165", 0.95),
             TextLine("blackwoodrGhongda example com cn", 0.9)]
    result = parse_lines(lines)
    assert result.fields["email"] == "blackwoodr@hongda.example.com.cn"
    assert result.confidence["email"] < 0.9
    # A labelled row counts too; an email read with its "@" is left alone.
    labelled = parse_lines([TextLine("吕静", 0.95, 60), TextLine("邮箱: jing. 1v20eyuanhangprin.example.com.cn", 0.9)])
    assert labelled.fields["email"] == "jing.lv20@yuanhangprin.example.com.cn"
    read = parse_lines([TextLine("吕静", 0.95, 60), TextLine("邮箱: jing.lv20@yuanhangprin.example.com.cn", 0.9),
                        TextLine("jing.lv21eother.example.com", 0.9)])
    assert read.fields["email"] == "jing.lv20@yuanhangprin.example.com.cn"


def test_a_domain_word_misread_by_one_letter_is_put_right_in_email_and_web_address():
    from ocr.crosscheck import repair_domain
    # Both read the same misreading, so comparing them with each other cannot settle it.
    fields = parse_text("Li Ming\nE: li.ming@lanhai.grovp.com\nW: www.lanhai.grovp.com").fields
    assert (fields["email"], fields["website"]) == ("li.ming@lanhai.group.com", "www.lanhai.group.com")
    assert repair_domain("huaxin.glcbal.com.cn") == "huaxin.global.com.cn"
    assert repair_domain("huaxin.grovp.net") == "huaxin.group.net"
    assert repair_domain("huaxin.groupcom.cn") == "huaxin.group.com.cn"  # a dot lost before the TLD
    assert repair_domain("huaxin.cxample.com") == "huaxin.cxample.com"  # not a word company domains are made of
    assert repair_domain("grovp.com") == "grovp.com"  # the brand is never changed


def test_a_long_handle_a_few_misreadings_from_the_name_takes_the_name():
    assert check_email("gabnicigallagher@derun.com", "Gabriel Gallagher") == ("gabrielgallagher@derun.com", 0.9)
    # Short handles and handles far from every spelling stay as read.
    assert check_email("gabnici@derun.com", "Gabriel Gallagher")[0] == "gabnici@derun.com"
    assert check_email("salesdepartment@derun.com", "Gabriel Gallagher")[0] == "salesdepartment@derun.com"
