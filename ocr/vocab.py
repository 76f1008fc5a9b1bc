"""Word lists the card parser relies on: surnames, titles, company suffixes, labels."""

from __future__ import annotations

import re

# ~100 most common Chinese surnames (single character).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付傅方邹熊白孟秦邱侯江尹薛闫阎段雷龙黎史陶贺毛郝"
    "顾龚邵万覃武钱戴严欧莫孔向常汤易乔赖文"
    # The next hundred or so, by frequency.
    "康庞樊兰殷施洪翟安颜倪牛温季俞章鲁葛伍申尤毕聂柴焦柳祝凌霍包左邢滕裴荣翁甄储靳井巫谷车宫宁仇栾甘厉"
    "祖符景詹卓屠蒙池胥党冉桑桂濮寿扈燕冀浦尚农庄晏瞿慕连茹艾容古戈庾居衡耿满匡寇阙沃蔚巩晁敖冷辛简饶沙"
    "鞠丰巢关荆游竺权盖芦柏苗岳单查谈佟窦鄢卞麦"
)
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯", "长孙", "宇文"]
)

# Longest first so "股份有限公司" wins over "有限公司" when reporting the match.
ZH_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司",
                       "事务所", "研究院", "工作室", "厂", "银行", "商行", "中心")
EN_COMPANY_SUFFIX = re.compile(
    r"\b(co\.?,?\s*l[ti1]d\.?|l[ti1]d\.?|limited|inc\.?|incorporated|gmbh|llc|l\.l\.c\.|corporation|corp\.?|"
    r"company|group|plc|s\.a\.|ag|pte\.?)\s*$",
    re.IGNORECASE,
)

ZH_TITLES = ("首席执行官", "首席技术官", "首席财务官", "董事长", "副董事长", "总经理", "副总经理", "总裁", "副总裁",
             "总监", "经理", "主管", "主任", "工程师", "助理", "专员", "顾问", "代表", "秘书", "会计",
             "设计师", "律师", "合伙人", "创始人", "店长", "厂长", "部长", "科长", "组长", "董事")
# Modifiers that prefix a base title: 高级工程师, 华东区销售总监, 副总经理 ...
ZH_TITLE_MODIFIERS = ("高级", "资深", "首席", "副", "区域", "大区", "销售", "市场", "营销", "技术", "客户", "大客户",
                      "项目", "采购", "财务", "人事", "行政", "产品", "运营", "研发", "质量", "生产", "部门",
                      "商务", "业务", "华东", "华南", "华北", "西南", "区", "总", "执行")
ZH_TITLE = re.compile(
    "(?:" + "|".join(ZH_TITLE_MODIFIERS) + ")*(?:" + "|".join(sorted(ZH_TITLES, key=len, reverse=True)) + ")$"
)
EN_TITLE_WORDS = re.compile(
    r"\b(ceo|cto|cfo|coo|vp|president|chairman|founder|partner|director|manager|engineer|supervisor|"
    r"officer|executive|head|lead|consultant|representative|specialist|assistant|accountant|designer|"
    r"architect|analyst|coordinator|sales|marketing|owner)\b",
    re.IGNORECASE,
)

# Field labels as printed on cards. Order matters: longer alternatives first.
LABELS: dict[str, tuple[str, ...]] = {
    "mobile": ("移动电话", "手机号", "手机", "mobile phone", "mobile", "mob", "cell", "m"),
    "fax": ("传真", "fax", "f"),
    "tel": ("电话", "座机", "办公电话", "telephone", "tel", "phone", "office", "ph", "t", "p"),
    "email": ("电子邮箱", "电子邮件", "邮箱", "电邮", "e-mail", "email", "mail", "e"),
    "web": ("网址", "网站", "主页", "website", "web", "url", "w"),
    "address": ("公司地址", "地址", "address", "addr", "add", "a"),
}
