"""Place names that settle one misread character in an address.

A Chinese address names its province, city and district in that order
("湖北省武汉市洪山区…"). OCR misreads one character of them now and then
(`渭北省`, `岳区区`); the name is fixed only when the vocabulary leaves one
choice: a province one character off that the city after it belongs to, a
city one character off in the province read, a district one character off
among the city's districts. English addresses get the common address words
back from a single misread letter (`Goiden`) and digits from their
lookalikes in house and floor numbers (`1SF`, `No. $17`).
"""

from __future__ import annotations

import re

from ocr.fields import CJK

# Province-level divisions and their larger cities (prefecture level), without 省/市.
PROVINCE_CITIES: dict[str, tuple[str, ...]] = {
    "北京": ("北京",), "上海": ("上海",), "天津": ("天津",), "重庆": ("重庆",),
    "河北": ("石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水"),
    "山西": ("太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"),
    "辽宁": ("沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"),
    "吉林": ("长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城", "延吉"),
    "黑龙江": ("哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河", "牡丹江", "黑河", "绥化"),
    "江苏": ("南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁",
           "昆山", "江阴", "张家港", "常熟"),
    "浙江": ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌"),
    "安徽": ("合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安",
           "亳州", "池州", "宣城"),
    "福建": ("福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德"),
    "江西": ("南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"),
    "山东": ("济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州",
           "聊城", "滨州", "菏泽"),
    "河南": ("郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河", "三门峡", "南阳",
           "商丘", "信阳", "周口", "驻马店"),
    "湖北": ("武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州"),
    "湖南": ("长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底"),
    "广东": ("广州", "深圳", "珠海", "汕头", "佛山", "韶关", "湛江", "肇庆", "江门", "茂名", "惠州", "梅州", "汕尾",
           "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮"),
    "海南": ("海口", "三亚", "三沙", "儋州"),
    "四川": ("成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充", "眉山", "宜宾",
           "广安", "达州", "雅安", "巴中", "资阳"),
    "贵州": ("贵阳", "六盘水", "遵义", "安顺", "毕节", "铜仁"),
    "云南": ("昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "大理"),
    "陕西": ("西安", "铜川", "宝鸡", "咸阳", "渭南", "延安", "汉中", "榆林", "安康", "商洛"),
    "甘肃": ("兰州", "嘉峪关", "金昌", "白银", "天水", "武威", "张掖", "平凉", "酒泉", "庆阳", "定西", "陇南"),
    "青海": ("西宁", "海东"),
    "台湾": ("台北", "高雄", "台中", "台南", "新竹", "基隆"),
    "内蒙古": ("呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布"),
    "广西": ("南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色", "贺州", "河池", "来宾", "崇左"),
    "西藏": ("拉萨", "日喀则", "昌都", "林芝", "山南", "那曲"),
    "宁夏": ("银川", "石嘴山", "吴忠", "固原", "中卫"),
    "新疆": ("乌鲁木齐", "克拉玛依", "吐鲁番", "哈密"),
}

# Districts (区) of the larger cities, without 区.
CITY_DISTRICTS: dict[str, tuple[str, ...]] = {
    "北京": ("东城", "西城", "朝阳", "丰台", "石景山", "海淀", "门头沟", "房山", "通州", "顺义", "昌平", "大兴", "怀柔",
           "平谷", "密云", "延庆"),
    "上海": ("黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定", "浦东新", "金山", "松江",
           "青浦", "奉贤", "崇明"),
    "天津": ("和平", "河东", "河西", "南开", "河北", "红桥", "东丽", "西青", "津南", "北辰", "武清", "宝坻", "滨海新",
           "宁河", "静海", "蓟州"),
    "重庆": ("渝中", "江北", "南岸", "九龙坡", "沙坪坝", "大渡口", "渝北", "巴南", "北碚", "万州", "涪陵", "黔江",
           "长寿", "江津", "合川", "永川", "南川", "綦江", "大足", "璧山", "铜梁", "潼南", "荣昌", "开州", "梁平", "武隆"),
    "广州": ("越秀", "海珠", "荔湾", "天河", "白云", "黄埔", "番禺", "花都", "南沙", "从化", "增城"),
    "深圳": ("福田", "罗湖", "南山", "盐田", "宝安", "龙岗", "龙华", "坪山", "光明", "大鹏"),
    "杭州": ("上城", "拱墅", "西湖", "滨江", "萧山", "余杭", "临平", "钱塘", "富阳", "临安"),
    "南京": ("玄武", "秦淮", "建邺", "鼓楼", "浦口", "栖霞", "雨花台", "江宁", "六合", "溧水", "高淳"),
    "苏州": ("姑苏", "虎丘", "吴中", "相城", "吴江"),
    "武汉": ("江岸", "江汉", "硚口", "汉阳", "武昌", "青山", "洪山", "东西湖", "汉南", "蔡甸", "江夏", "黄陂", "新洲"),
    "长沙": ("芙蓉", "天心", "岳麓", "开福", "雨花", "望城"),
    "成都": ("锦江", "青羊", "金牛", "武侯", "成华", "龙泉驿", "青白江", "新都", "温江", "双流", "郫都", "新津"),
    "西安": ("新城", "碑林", "莲湖", "灞桥", "未央", "雁塔", "阎良", "临潼", "长安", "高陵", "鄠邑"),
    "青岛": ("市南", "市北", "黄岛", "崂山", "李沧", "城阳", "即墨"),
    "济南": ("历下", "市中", "槐荫", "天桥", "历城", "长清", "章丘", "济阳", "莱芜", "钢城"),
    "郑州": ("中原", "二七", "管城", "金水", "上街", "惠济"),
    "沈阳": ("和平", "沈河", "大东", "皇姑", "铁西", "苏家屯", "浑南", "沈北新", "于洪", "辽中"),
    "大连": ("中山", "西岗", "沙河口", "甘井子", "旅顺口", "金州"),
    "厦门": ("思明", "海沧", "湖里", "集美", "同安", "翔安"),
    "福州": ("鼓楼", "台江", "仓山", "马尾", "晋安", "长乐"),
    "合肥": ("瑶海", "庐阳", "蜀山", "包河"),
    "昆明": ("五华", "盘龙", "官渡", "西山", "东川", "呈贡", "晋宁"),
    "宁波": ("海曙", "江北", "北仑", "镇海", "鄞州", "奉化"),
    "无锡": ("锡山", "惠山", "滨湖", "梁溪", "新吴"),
    "长春": ("南关", "宽城", "朝阳", "二道", "绿园", "双阳", "九台"),
    "哈尔滨": ("道里", "南岗", "道外", "平房", "松北", "香坊", "呼兰", "阿城", "双城"),
    "石家庄": ("长安", "桥西", "新华", "井陉矿", "裕华", "藁城", "鹿泉", "栾城"),
    "太原": ("小店", "迎泽", "杏花岭", "尖草坪", "万柏林", "晋源"),
    "南昌": ("东湖", "西湖", "青云谱", "青山湖", "新建", "红谷滩"),
    "南宁": ("兴宁", "青秀", "江南", "西乡塘", "良庆", "邕宁", "武鸣"),
    "贵阳": ("南明", "云岩", "花溪", "乌当", "白云", "观山湖"),
    "兰州": ("城关", "七里河", "西固", "安宁", "红古"),
}

_CITIES = {city for cities in PROVINCE_CITIES.values() for city in cities}


def _one_off(a: str, b: str) -> bool:
    """Same length, one character different."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


# "…省…市" at the start of an address: the province and the city as read.
_PROVINCE_CITY = re.compile(r"([\u3400-\u9fff]{2,3})省([\u3400-\u9fff]{2,4}?)市")


def _settle_province(text: str) -> str:
    """`渭北省武汉市` → `湖北省武汉市`: a province one character off, settled by the city read after it."""
    m = _PROVINCE_CITY.match(text)
    if not m or m.group(1) in PROVINCE_CITIES:
        return text
    read, city = m.group(1), m.group(2)
    fits = [p for p in PROVINCE_CITIES if _one_off(p, read) and city in PROVINCE_CITIES[p]]
    return fits[0] + text[len(read):] if len(fits) == 1 else text


def _settle_city(text: str) -> str:
    """A city one character off among the province's cities (`湖北省武汊市` → `湖北省武汉市`)."""
    m = _PROVINCE_CITY.match(text)
    if not m or m.group(1) not in PROVINCE_CITIES or m.group(2) in _CITIES:
        return text
    fits = [c for c in PROVINCE_CITIES[m.group(1)] if _one_off(c, m.group(2))]
    return text[:m.start(2)] + fits[0] + text[m.end(2):] if len(fits) == 1 else text


def _settle_district(text: str) -> str:
    """`长沙市岳区区` → `长沙市岳麓区`: a district one character off among the city's districts."""
    for city, districts in CITY_DISTRICTS.items():
        at = text.find(city + "市")
        if at < 0:
            continue
        start = at + len(city) + 1
        for size in sorted({len(d) for d in districts}):
            read = text[start:start + size]
            if text[start + size:start + size + 1] != "区" or not re.fullmatch(r"[\u3400-\u9fff]+", read):
                continue
            if read in districts:
                return text
            fits = [d for d in districts if _one_off(d, read)]
            if len(fits) == 1:
                return text[:start] + fits[0] + text[start + size:]
        return text
    return text


# Words English addresses on Chinese cards are made of; one misread letter is put back
# when a word is one substitution from exactly one of them and is no word itself.
ADDRESS_WORDS = frozenset({
    "avenue", "road", "street", "lane", "alley", "boulevard", "highway", "district", "county", "province", "city",
    "building", "tower", "plaza", "centre", "center", "park", "garden", "gardens", "square", "mansion", "floor",
    "room", "suite", "block", "unit", "industrial", "science", "technology", "innovation", "international",
    "business", "financial", "trade", "world", "golden", "global", "software", "development", "economic", "zone",
    "new", "east", "west", "south", "north", "middle", "central", "china", "village", "town", "hi-tech", "port",
})


def _word_fix(word: str) -> str:
    lower = word.lower()
    if len(lower) < 5 or lower in ADDRESS_WORDS or not lower.isalpha():
        return word
    fits = [w for w in ADDRESS_WORDS if _one_off(w, lower)]
    if len(fits) != 1:
        return word
    fixed = fits[0]
    return fixed.capitalize() if word[0].isupper() else fixed


# Lookalikes of digits inside a house or floor number ("1SF", "No. $17").
_DIGIT_LOOKS = str.maketrans({"S": "5", "$": "5", "O": "0", "l": "1", "I": "1"})


def _number_fix(token: str) -> str:
    m = re.fullmatch(r"([0-9$][0-9SO$lI]*)(F?)([,.]?)", token)
    if not m or not any(ch.isdigit() for ch in m.group(1)) or len(m.group(1)) < 2:
        return token
    return m.group(1).translate(_DIGIT_LOOKS) + m.group(2) + m.group(3)


def repair_address(text: str | None) -> str | None:
    """An address with one misread character of a place name or an English word put back."""
    if not text:
        return text
    if CJK.search(text):
        return _settle_district(_settle_city(_settle_province(text)))
    tokens = text.split(" ")
    out = []
    for token in tokens:
        m = re.fullmatch(r"([A-Za-z]+)([,.]?)", token)
        out.append(_word_fix(m.group(1)) + m.group(2) if m else _number_fix(token))
    return " ".join(out)
