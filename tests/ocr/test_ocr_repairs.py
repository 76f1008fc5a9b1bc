"""Repairs where one field vouches for another, and misreadings of labels and addresses."""

import pytesseract
from PIL import Image, ImageDraw, ImageFont

from ocr import parse_text
from ocr.addresses import _lost_at, _page_domain
from ocr.crosscheck import check_email, check_hosts
from ocr.engine import Word, uncompressed
from ocr.fields import find_email, find_website, tidy_zh_address


def test_company_address_and_mobile_number_labels_leave_no_stray_words():
    fields = parse_text("王芳\n手机号：139 1234 5678\n公司地址：湖北省武汉市洪山区东风路282号22楼").fields
    assert fields["name"] == "王芳" and fields["mobile"] == "+8613912345678"
    assert fields["address"] == "湖北省武汉市洪山区东风路282号22楼"
    # "公司" (left over from "公司地址") is not taken for a name.
    assert parse_text("公司地址：湖北省武汉市洪山区东风路282号22楼").fields["name"] is None


def test_an_email_domain_a_misreading_away_from_the_web_host_takes_the_host():
    assert check_hosts("renz98@dingshenggroup.cxample.net", "www.dingshenggroup.example.net") == (
        "renz98@dingshenggroup.example.net", "www.dingshenggroup.example.net", 1.0)
    # A dot lost in one of them: the reading with the dot wins, whichever it is.
    assert check_hosts("li@haina.example.com.cn", "www.hainaexample.com.cn") == (
        "li@haina.example.com.cn", "www.haina.example.com.cn", 1.0)
    assert check_hosts("li@x.example.com", "www.x.example.com")[2] == 1.0
    # A personal mailbox elsewhere is left alone, and says the check failed.
    assert check_hosts("li@mail.example.org", "www.haina.example.com") == (
        "li@mail.example.org", "www.haina.example.com", None)
    assert check_hosts("li@x.example.com", None)[2] == 0.0
    fields = parse_text("邮箱：renz98@dingshenggroup.cxample.net\n网址：www.dingshenggroup.example.net").fields
    assert fields["email"] == "renz98@dingshenggroup.example.net"


def test_short_and_rn_handles_are_repaired_from_the_name():
    assert check_email("ztaco@x.example.com", "陶子轩") == ("ztao@x.example.com", 0.9)
    assert check_email("lucasthomton@x.example.com", "Lucas Thornton") == ("lucasthornton@x.example.com", 1.0)
    assert check_email("info@x.example.com", "陶子轩") == ("info@x.example.com", None)


def test_a_spaced_out_handle_and_a_word_run_into_the_domain():
    assert find_email("tangwe i 57@dingsheng.example.com.cn") == "tangwei57@dingsheng.example.com.cn"
    assert find_email("Mail: li 57@x.example.com") == "57@x.example.com"  # a short first piece may be a label
    assert find_email("willam@tiancheng.example.com.cn williamyardley") == "willam@tiancheng.example.com.cn"
    assert find_email("a@b.example.co") == "a@b.example.co"


def test_a_stray_letter_before_www_and_www_read_as_wew():
    assert find_website("http://awww.tianchengchem.example.net") == "www.tianchengchem.example.net"
    assert find_website("wew .dingsheng.example.com.cn") == "www.dingsheng.example.com.cn"
    assert find_website("www.wanda.example.com") == "www.wanda.example.com"


def test_address_commas_read_as_stops_and_the_floor_character():
    assert tidy_zh_address("9F Eagle Tower, No. 148 Hubin Avenue. Xiangcheng District, Suzhou") == (
        "9F, Eagle Tower, No. 148 Hubin Avenue, Xiangcheng District, Suzhou")
    assert tidy_zh_address("88 Keji Rd. Pudong") == "88 Keji Rd. Pudong"
    assert tidy_zh_address("山东省青岛市黄岛区新华街482号环球中心18搂") == "山东省青岛市黄岛区新华街482号环球中心18楼"


def test_an_email_read_without_its_at_is_sent_for_a_closer_reading():
    def words(*texts):
        return tuple(Word(t, 0.8, (i * 100, 0, i * 100 + 90, 30)) for i, t in enumerate(texts))
    assert _lost_at(words("电子邮箱:", "ztaocehongdatech", ".example.com"), 1) == (1, 3)
    assert _lost_at(words("邮箱:xicngxehaina.example.com"), 0) == (0, 1)
    assert _lost_at(words("www.haina.example.com"), 0) is None
    assert _lost_at(words("Tel", "021-62345678"), 1) is None
    assert _lost_at(words("abc.example.com"), 0) is None  # too short for a handle and a brand
    # The page reading still votes on the domain, with the closer reading's handle.
    page = "xicngxehaina.example.com"
    assert _page_domain(page, [None, "xiongx@haina.cxample.com"]) == "xiongx@haina.example.com"
    assert _page_domain("xicngx", ["xiongx@haina.cxample.com"]) is None



def test_a_page_goes_to_tesseract_uncompressed_and_reads_as_from_a_png():
    page = Image.new("L", (900, 160), 250)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    ImageDraw.Draw(page).text((30, 50), "Mobile 139 1234 5678", fill=20, font=font)
    as_png = page.copy()
    as_png.format = "PNG"
    png_text = pytesseract.image_to_string(as_png, lang="eng")
    assert pytesseract.image_to_string(uncompressed(page), lang="eng") == png_text
    assert page.format == "PPM" and "5678" in png_text
