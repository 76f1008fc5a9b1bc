"""Toneless pinyin for the characters common in Chinese personal and company names.

Enough to check a card's fields against each other: an email's local part
is usually the person's name in pinyin ("liu.yang", "yliu", "liuyang88"),
a domain the company's brand ("huaxin.com"). Characters not listed have no
pinyin here and are simply not checked.
"""

from __future__ import annotations

_BY_SOUND = """
a:阿 ai:艾爱 an:安 ao:敖奥
ba:巴 bai:白柏百 ban:班 bang:邦 bao:包鲍宝保 bei:贝北 ben:本 bi:毕碧 bian:卞边 bin:斌彬宾滨 bing:冰兵炳
bo:博波柏 bu:卜步
cai:蔡才彩 cao:曹 cen:岑 chai:柴 chang:常昌长畅 chao:超朝潮 che:车 chen:陈晨辰沈臣 cheng:程成诚承城
chi:池迟 chong:崇 chu:楚储初 chuan:川传 chun:春纯淳 cong:丛聪 cui:崔翠 cun:村
da:达大 dai:戴代岱 dan:丹单 dao:道 de:德 deng:邓登 di:狄迪笛 dian:典 ding:丁鼎定 dong:董东冬栋
dou:窦 du:杜都 duan:段端 
e:鄂 en:恩 er:尔
fan:范樊凡帆繁 fang:方房芳舫 fei:费飞菲 fen:芬 feng:冯封丰峰锋凤风枫 fu:傅付符富福甫复辅
gai:盖 gan:甘干 gang:刚钢 gao:高郜 ge:葛戈格 geng:耿 gong:龚宫巩功 gu:顾古谷 guan:关管冠 guang:广光
gui:桂贵 guo:郭国果 
ha:哈 hai:海 han:韩寒汉涵晗 hang:杭航 hao:郝浩昊皓豪 he:何贺和河荷合 hei:黑 heng:衡恒 hong:洪红宏弘鸿虹
hou:侯 hu:胡虎湖 hua:华花 huai:怀 huan:欢焕 huang:黄皇煌 hui:惠辉慧晖会 hun:浑 huo:霍火
ji:季纪姬吉冀济继基 jia:贾嘉佳家 jian:简剑建坚健 jiang:姜江蒋将疆 jiao:焦娇 jie:杰洁捷介 jin:金晋锦瑾 jing:景井靖静晶婧京
jiu:久 ju:居菊 juan:娟 jun:军君俊骏
kai:凯开 kang:康亢 ke:柯可克科 kong:孔 kuang:匡邝 kun:坤昆
lai:赖来 lan:兰蓝岚澜 lang:郎朗 lei:雷磊蕾 leng:冷 li:李黎丽力立利莉理礼励厉 lian:连莲廉 liang:梁亮良 liao:廖
lin:林琳霖麟 ling:凌玲灵铃 liu:刘柳留 long:龙隆 lou:楼娄 lu:卢陆鲁路露芦璐 lv:吕律绿 luo:罗骆洛
ma:马 mai:麦 man:满曼 mao:毛茂 mei:梅美媚玫 meng:孟蒙梦萌 mi:米宓 miao:苗妙 min:敏民闽 ming:明鸣铭
mo:莫墨 mu:穆木慕牧
na:娜纳 nan:南楠 ni:倪妮 nie:聂 ning:宁凝 niu:牛 nong:农
ou:欧 ouyang:欧阳
pan:潘盼 pang:庞 pei:裴佩沛 peng:彭鹏 ping:平萍 pu:蒲浦朴
qi:齐祁戚琪琦奇启 qian:钱乾倩茜 qiang:强 qiao:乔桥 qin:秦琴勤 qing:青庆清晴卿 qiu:邱秋丘 qu:瞿曲
quan:全权泉 qun:群
ran:冉然 rao:饶 ren:任仁 rong:荣蓉容融 ru:茹如儒 rui:芮瑞蕊锐 ruo:若
sha:沙 shan:单山珊杉 shang:尚商 shao:邵少韶 shen:沈申慎深 sheng:盛胜生圣晟 shi:石史施时诗世士师 shu:舒淑书树
shuang:双爽 shui:水 shun:顺 si:司思斯 song:宋松嵩颂 su:苏素肃 sun:孙 suo:索
tai:台泰太 tan:谭谈覃檀 tang:唐汤棠 tao:陶涛桃 teng:滕腾 tian:田天甜添 ting:婷庭亭廷 tong:童佟彤通同 tu:涂屠
wan:万宛婉晚 wang:王汪 wei:魏韦卫伟薇维威蔚 wen:文温闻雯 weng:翁 wu:吴武伍巫吾 
xi:席奚曦希西熙 xia:夏霞 xian:冼贤娴仙先 xiang:向项香祥翔湘 xiao:萧肖晓小笑 xie:谢 xin:辛新欣心鑫馨信
xing:邢星兴幸 xiong:熊雄 xiu:秀修 xu:徐许胥旭 xuan:宣轩萱璇 xue:薛雪学 xun:荀迅
ya:亚雅 yan:严颜闫阎燕艳彦妍岩言晏 yang:杨阳洋扬 yao:姚耀瑶 ye:叶野 yi:易伊怡宜益义逸艺毅仪一 yin:尹殷银寅
ying:应英颖莹盈瑛影 yong:永勇雍 you:尤游友 yu:于余俞虞喻宇雨玉郁瑜钰 yuan:袁元源远苑媛园 yue:岳乐月悦越
yun:云芸韵运 
zai:宰 zang:臧 zeng:曾 zha:查 zhai:翟 zhan:詹展湛 zhang:张章彰 zhao:赵昭钊 zhe:哲 zhen:甄珍真振震 zheng:郑正政铮
zhi:志智芝治之 zhong:钟仲中忠 zhou:周舟洲 zhu:朱祝诸竹珠 zhuang:庄壮 zhuo:卓 zi:子紫梓 zong:宗 zou:邹 zu:祖
zuo:左佐
"""

PINYIN: dict[str, str] = {}
for _group in _BY_SOUND.split():
    _sound, _chars = _group.split(":")
    if len(_chars) == 2 and _sound in ("ouyang",):
        continue  # compound surnames are spelled from their characters
    for _ch in _chars:
        PINYIN.setdefault(_ch, _sound)
# Characters read differently as surnames than elsewhere.
PINYIN.update({"单": "shan", "曾": "zeng", "覃": "qin", "查": "zha", "解": "xie", "仇": "qiu", "区": "ou"})


def spell(text: str) -> list[str] | None:
    """Pinyin syllables of ``text``, or None when a character is not known."""
    out = []
    for ch in text:
        sound = PINYIN.get(ch)
        if sound is None:
            return None
        out.append(sound)
    return out
