"""One misread character of a place name or an English address word, put back from the vocabulary."""

from ocr import parse_text
from ocr.places import repair_address


def test_a_province_one_character_off_is_settled_by_the_city_after_it():
    # 渭北 is one character from both 湖北 and 河北: the city 武汉 says which.
    assert repair_address("渭北省武汉市洪山区东风路282号") == "湖北省武汉市洪山区东风路282号"
    assert repair_address("渭北省石家庄市长安区中山路8号") == "河北省石家庄市长安区中山路8号"


def test_a_province_is_left_alone_when_the_city_does_not_settle_it():
    assert repair_address("渭北省某某市东风路282号") == "渭北省某某市东风路282号"
    assert repair_address("河北省武汉市东风路1号") == "河北省武汉市东风路1号"  # a real province is never changed


def test_a_city_and_a_district_one_character_off_are_put_back():
    assert repair_address("湖北省武汊市江汉区") == "湖北省武汉市江汉区"
    assert repair_address("湖南省长沙市岳区区新华街522号7楼") == "湖南省长沙市岳麓区新华街522号7楼"
    assert repair_address("重庆市九龙玻区民生路1号") == "重庆市九龙坡区民生路1号"
    assert repair_address("重庆市渝牛区民生路1号") == "重庆市渝牛区民生路1号"  # 渝中 or 渝北: left alone
    assert repair_address("湖南省长沙市芙蓉区") == "湖南省长沙市芙蓉区"


def test_english_address_words_and_numbers_lose_their_misread_letters():
    assert repair_address("9F, Goiden Eagle Tower, No. 148 Hubin Avenue") == "9F, Golden Eagle Tower, No. 148 Hubin Avenue"
    assert repair_address("1SF, Innovation Park, No. $17 Xinhua Road") == "15F, Innovation Park, No. 517 Xinhua Road"
    assert repair_address("Room B2, 12F, Block C") == "Room B2, 12F, Block C"


def test_the_parser_repairs_the_address_it_reports():
    fields = parse_text("王芳\n地址: 渭北省武汉市洪山区东风路282号").fields
    assert fields["address"] == "湖北省武汉市洪山区东风路282号"
