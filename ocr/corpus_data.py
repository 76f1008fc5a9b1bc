"""Made-up building blocks for synthetic business cards.

Every name, company, number and address produced from these lists is fake;
domains are kept under the reserved example.com / example.cn / example.net.
"""

from __future__ import annotations

import random

import phonenumbers

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方"]
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰涛明超华平刚桂英玲斌宇浩凯健俊帆鹏辉波宁欣怡佳琪晨阳雪梅婷昊然子涵嘉诚文博志远思源"

EN_FIRST = [
    "James", "Emily", "Daniel", "Olivia", "Michael", "Sophia", "David", "Grace",
    "Kevin", "Laura", "Brian", "Chloe", "Eric", "Hannah", "Steven", "Irene",
    "Peter", "Vivian", "Jason", "Helen", "Andrew", "Rachel", "Thomas", "Fiona",
]
EN_LAST = [
    "Carter", "Walker", "Bennett", "Hughes", "Foster", "Morgan", "Palmer", "Reed",
    "Barnes", "Fisher", "Hayes", "Porter", "Sutton", "Wells", "Lawson", "Grant",
]

CITIES = [("上海", "Shanghai", "021"), ("北京", "Beijing", "010"), ("深圳", "Shenzhen", "0755"),
          ("广州", "Guangzhou", "020"), ("杭州", "Hangzhou", "0571"), ("成都", "Chengdu", "028")]
DISTRICTS = {
    "上海": [("浦东新区", "Pudong"), ("徐汇区", "Xuhui"), ("静安区", "Jing'an")],
    "北京": [("朝阳区", "Chaoyang"), ("海淀区", "Haidian"), ("东城区", "Dongcheng")],
    "深圳": [("南山区", "Nanshan"), ("福田区", "Futian"), ("宝安区", "Bao'an")],
    "广州": [("天河区", "Tianhe"), ("越秀区", "Yuexiu"), ("海珠区", "Haizhu")],
    "杭州": [("西湖区", "Xihu"), ("滨江区", "Binjiang"), ("余杭区", "Yuhang")],
    "成都": [("武侯区", "Wuhou"), ("锦江区", "Jinjiang"), ("高新区", "Gaoxin")],
}
ROADS = [("科技路", "Keji Road"), ("人民路", "Renmin Road"), ("建设路", "Jianshe Road"),
         ("中山路", "Zhongshan Road"), ("创业大道", "Chuangye Avenue"), ("文化路", "Wenhua Road")]

BRANDS = [("星辰", "Xingchen", "Starlight"), ("华远", "Huayuan", "Farview"), ("博达", "Boda", "Broadreach"),
          ("启明", "Qiming", "Dawnstar"), ("云帆", "Yunfan", "Cloudsail"), ("恒信", "Hengxin", "Trustway"),
          ("蓝海", "Lanhai", "Bluesea"), ("智联", "Zhilian", "Smartlink"), ("金桥", "Jinqiao", "Goldbridge"),
          ("瑞丰", "Ruifeng", "Richfield")]
INDUSTRIES = [("科技", "Technology"), ("贸易", "Trading"), ("电子", "Electronics"),
              ("物流", "Logistics"), ("信息技术", "Information Technology"), ("医疗器械", "Medical Devices"),
              ("机械", "Machinery"), ("食品", "Foods")]
ZH_SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司", "有限责任公司"]
EN_SUFFIXES = ["Co., Ltd.", "Inc.", "LLC", "GmbH", "Corporation", "Ltd."]

TITLES = [("销售经理", "Sales Manager"), ("总经理", "General Manager"), ("市场总监", "Marketing Director"),
          ("技术主管", "Technical Supervisor"), ("高级工程师", "Senior Engineer"), ("董事长", "Chairman"),
          ("区域经理", "Regional Manager"), ("客户经理", "Account Manager"), ("销售总监", "Sales Director"),
          ("首席执行官", "CEO"), ("采购经理", "Purchasing Manager"), ("项目经理", "Project Manager")]

DOMAINS = ["example.com", "example.cn", "example.net"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139",
                   "150", "151", "152", "155", "156", "158", "159",
                   "180", "181", "182", "185", "186", "187", "188", "189"]


def zh_name(rng: random.Random) -> str:
    if rng.random() < 0.08:
        surname = rng.choice(COMPOUND_SURNAMES)
    else:
        surname = rng.choice(SURNAMES)
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))


def en_name(rng: random.Random) -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def mobile_number(rng: random.Random) -> str:
    """A valid CN mobile number, national format digits only."""
    while True:
        digits = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "CN")):
            return digits


def landline_number(rng: random.Random, area: str) -> str:
    """A valid CN landline "AREA-SUBSCRIBER" (8-digit subscriber numbers)."""
    while True:
        sub = rng.choice("2345678") + "".join(rng.choice("0123456789") for _ in range(7))
        if phonenumbers.is_valid_number(phonenumbers.parse(area + sub, "CN")):
            return f"{area}-{sub}"


def e164(number: str) -> str:
    parsed = phonenumbers.parse(number, "CN")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
