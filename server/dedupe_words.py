"""Word lists behind duplicate-customer detection (see server/dedupe.py).

Kept apart from the logic so the lists can grow without touching the rules.
Everything here is already in the form the normaliser compares against:
NFKC-normalised, lower-case, without spaces or punctuation.
"""

from __future__ import annotations

# --- Chinese administrative divisions -------------------------------------

COUNTRY_NAMES_ZH: frozenset[str] = frozenset({"中国", "中华人民共和国"})

# All 34 provincial-level divisions, by the name used without its suffix.
PROVINCES_ZH: frozenset[str] = frozenset({
    "北京", "天津", "上海", "重庆",
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建",
    "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
})

# Full official names whose suffix is more than 省/市.
PROVINCE_FULL_NAMES_ZH: dict[str, str] = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}

PROVINCE_SUFFIXES_ZH: tuple[str, ...] = ("省", "市", "自治区", "特别行政区")

# Prefecture-level cities, grouped by province, plus a few county-level
# cities that are trading hubs in their own right (义乌, 昆山…).
# County-level cities are otherwise left out on purpose: many of them are
# also common trade names (瑞丽, 安宁, 长寿…).
CITIES_ZH: frozenset[str] = frozenset("""
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁
呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛
长春 四平 辽源 通化 白山 松原 白城 延边
哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化
南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水
合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德
南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽
郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州
长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮
南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左
海口 三亚 三沙 儋州
成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
贵阳 六盘水 遵义 安顺 毕节 铜仁
昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧
拉萨 日喀则 昌都 林芝 山南 那曲
西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛
兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
西宁 海东
银川 石嘴山 吴忠 固原 中卫
乌鲁木齐 克拉玛依 吐鲁番 哈密
义乌 昆山 江阴 张家港 常熟 太仓 宜兴 晋江 石狮 慈溪 余姚 诸暨
""".split())

CITY_SUFFIXES_ZH: tuple[str, ...] = ("市", "地区", "自治州")

# Districts and counties of the largest cities, keyed by their city.
# Written without 区/县: with the suffix they are recognised anywhere at the
# start of a name, without it only right after their own city
# ("上海浦东…"), because bare names such as 白云, 长安 or 鼓楼 are also
# ordinary trade names.
DISTRICTS_ZH: dict[str, frozenset[str]] = {
    city: frozenset(names.split())
    for city, names in {
        "上海": "黄浦 徐汇 长宁 静安 普陀 虹口 杨浦 闵行 宝山 嘉定 浦东 金山 松江 青浦 奉贤 崇明",
        "北京": "东城 西城 朝阳 丰台 石景山 海淀 门头沟 房山 通州 顺义 昌平 大兴 怀柔 平谷 密云 延庆",
        "天津": "和平 河东 河西 南开 河北 红桥 东丽 西青 津南 北辰 武清 宝坻 滨海 宁河 静海 蓟州",
        "重庆": "渝中 江北 南岸 沙坪坝 九龙坡 大渡口 渝北 巴南 北碚 万州 涪陵 两江",
        "广州": "越秀 海珠 荔湾 天河 白云 黄埔 番禺 花都 南沙 从化 增城",
        "深圳": "福田 罗湖 南山 盐田 宝安 龙岗 龙华 坪山 光明 大鹏 前海",
        "杭州": "上城 拱墅 西湖 滨江 萧山 余杭 临平 钱塘 富阳 临安",
        "南京": "玄武 秦淮 建邺 鼓楼 浦口 栖霞 雨花台 江宁 六合 溧水 高淳",
        "苏州": "姑苏 虎丘 吴中 相城 吴江 昆山 常熟 张家港 太仓",
        "成都": "锦江 青羊 金牛 武侯 成华 龙泉驿 青白江 新都 温江 双流 郫都 天府",
        "武汉": "江岸 江汉 硚口 汉阳 武昌 青山 洪山 东西湖 汉南 蔡甸 江夏 黄陂 新洲",
        "西安": "新城 碑林 莲湖 灞桥 未央 雁塔 阎良 临潼 长安 高陵 鄠邑",
        "佛山": "禅城 南海 顺德 三水 高明",
        "宁波": "海曙 江北 北仑 镇海 鄞州 奉化",
        "厦门": "思明 海沧 湖里 集美 同安 翔安",
        "青岛": "市南 市北 黄岛 崂山 李沧 城阳 即墨",
        "长沙": "芙蓉 天心 岳麓 开福 雨花 望城",
        "郑州": "中原 二七 管城 金水 上街 惠济",
        "无锡": "梁溪 锡山 惠山 滨湖 新吴 江阴 宜兴",
        "东莞": "虎门 长安 松山湖",
        "金华": "婺城 金东 义乌 东阳 永康",
    }.items()
}

ALL_DISTRICTS_ZH: frozenset[str] = frozenset().union(*DISTRICTS_ZH.values())

DISTRICT_SUFFIXES_ZH: tuple[str, ...] = ("新区", "区", "县")

# Development zones: administrative, not part of the company's identity,
# but only recognised right after a place ("苏州工业园区…").
ZONES_ZH: frozenset[str] = frozenset({
    "高新技术产业开发区", "经济技术开发区", "经济开发区", "高新区", "开发区",
    "工业园区", "工业园", "自贸区", "保税区", "新区",
})

# --- Chinese business-form words -------------------------------------------

# Removed from the end of a name, repeatedly, longest first.
# 店 and 事务所 are deliberately absent: 律师事务所 or 花店 say what the
# business does, so they belong to the name.
BUSINESS_FORMS_ZH: tuple[str, ...] = tuple(sorted({
    "集团股份有限公司", "集团有限责任公司", "集团有限公司", "控股集团",
    "股份有限公司", "有限责任公司", "有限公司", "股份公司",
    "分公司", "总公司", "子公司", "公司", "集团", "控股",
    "总厂", "分厂", "工厂", "厂",
    "经营部", "门市部", "营业部", "商行", "工作室", "办事处",
    "有限合伙", "普通合伙", "合伙企业", "个体工商户", "分行", "支行",
}, key=len, reverse=True))

# Forms naming a branch: a place just before them is where the branch is.
BRANCH_FORMS_ZH: frozenset[str] = frozenset({
    "分公司", "分厂", "分行", "支行", "办事处", "营业部",
})

# Words that say what a company does, but not which company it is.
# A name made only of these (after places and business forms are gone)
# keeps its place: 上海服装有限公司 ≠ 北京服装有限公司.
GENERIC_WORDS_ZH: frozenset[str] = frozenset("""
服装 服饰 鞋业 纺织 物流 运输 货运 快递 仓储 供应链 食品 粮油 水产 农产品 饮料
酒业 茶业 茶叶 科技 技术 信息 信息技术 网络 软件 数据 智能 数码 电子 电子商务
电商 电器 电气 电力 家电 机电 机械 设备 仪器 仪表 自动化 模具 五金 精密 重工
贸易 商贸 经贸 外贸 工贸 进出口 国际 实业 产业 投资 控股 金融 银行 保险 证券
资产 管理 咨询 服务 商务 发展 企业 建筑 建设 建材 工程 装饰 装修 安装 园林
绿化 环保 环境 节能 能源 新能源 石油 化工 材料 新材料 塑料 钢铁 有色 金属
医药 制药 药业 医疗 器械 生物 健康 化妆品 日化 美容 汽车 汽配 交通 通信
广告 文化 传媒 传播 影视 设计 营销 策划 教育 培训 印刷 包装 家具 家居 照明
光电 半导体 餐饮 酒店 旅游 旅行社 百货 超市 连锁 批发 零售 销售 供应 礼品
玩具 体育 用品 日用品 母婴 宠物 农业 林业 牧业 渔业 房地产 地产 置业 物业
劳务 人力资源 开发 研发 系统 集成 制造 工业 商业 物资 新型 轻工 市场 饰品
大学 学院 职业技术学院 中学 小学 学校 幼儿园 医院 卫生院 诊所 研究所 研究院
设计院 协会 商会 中心 航空 航运 铁路 港口 机场 电视台 出版社 报社
珠宝 首饰 眼镜 皮革 箱包 陶瓷 玻璃 橡胶 涂料 油漆 木业 纸业 文具 办公
""".split())

# --- English words ------------------------------------------------------------

ENGLISH_PLACES: frozenset[tuple[str, ...]] = frozenset(
    tuple(place.split("_")) for place in """
china prc chinese_mainland mainland_china hong_kong hongkong hk macau macao taiwan
beijing shanghai tianjin chongqing hebei shanxi shaanxi liaoning jilin
heilongjiang jiangsu zhejiang anhui fujian jiangxi shandong henan hubei hunan
guangdong hainan sichuan guizhou yunnan gansu qinghai inner_mongolia
neimenggu guangxi tibet xizang ningxia xinjiang
guangzhou shenzhen hangzhou nanjing suzhou wuxi ningbo xiamen fuzhou qingdao
jinan wuhan changsha chengdu xian dongguan foshan zhuhai zhengzhou hefei
nanchang taiyuan shenyang dalian changchun harbin kunming guiyang nanning
haikou sanya lanzhou xining yinchuan urumqi hohhot shijiazhuang tangshan
wenzhou shaoxing jiaxing jinhua yiwu kunshan changzhou nantong yangzhou
xuzhou zhongshan huizhou shantou jiangmen zhanjiang quanzhou zhangzhou
yantai weifang weihai zibo luoyang yichang xiangyang zhuzhou mianyang baotou
ordos daqing baoding langfang qinhuangdao pudong
""".split()
)

# Matched as whole trailing token sequences, longest first.
BUSINESS_FORMS_EN: tuple[tuple[str, ...], ...] = tuple(sorted({
    tuple(form.split("_")) for form in """
co ltd co_ltd company company_limited limited limited_liability_company
inc incorporated corp corporation llc llp lp gmbh plc ag pte pty
group holding holdings &_co and_co branch branch_office representative_office
""".split()
}, key=len, reverse=True))

BRANCH_FORMS_EN: frozenset[tuple[str, ...]] = frozenset({
    ("branch",), ("branch", "office"), ("representative", "office"),
})

GENERIC_WORDS_EN: frozenset[str] = frozenset("""
trading trade traders import export imp exp logistics shipping freight
transport transportation supply chain garment garments apparel clothing
fashion textile textiles food foods beverage beverages technology technologies
tech electronic electronics electrical machinery machine machines equipment
industrial industries industry international intl services service
consulting consultancy investment investments development enterprise
enterprises manufacturing products product solutions systems software network
information media advertising culture education energy materials chemical
chemicals pharmaceutical pharmaceuticals medical engineering construction
furniture hardware printing packaging plastics steel metal metals cosmetics
agriculture biotech biotechnology auto automotive commerce commercial
ecommerce management and of
""".split())
