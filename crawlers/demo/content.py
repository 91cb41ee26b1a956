"""The posts of the demo market, written for heishi and generated from a seed.

Real black-market pages cannot ship with the project, yet the crawlers, the extractor and the
demo need something that reads like them: every good of the taxonomy, prices written the many
ways sellers write them (元/r/块/U, ranges, batches, Chinese numerals), seller contacts and
the chatter, rules and warnings that are not listings at all. Templates plus a seeded
``random.Random`` give that variety while staying byte-for-byte reproducible.

All contacts are invented and recognisably fake: QQ numbers carry ``0000`` in the middle,
phone numbers are ``170 0000 xxxx``, and sample records (样料) are masked.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")

GOODS = (
    "sms_code", "account", "account_rental", "insider_access", "lookup_service", "id_document",
    "verification_service", "personal_data", "sim_card", "hardware", "bank_card",
    "fake_engagement", "other",
)


@dataclass(frozen=True)
class Listing:
    """One post as the demo market serves it: the ground truth a crawl is compared with."""

    tid: str
    section: str
    title: str
    author: str
    posted: str  # as shown on the page, China time: "2026-11-19 14:03"
    posted_iso: str  # "2026-11-19T14:03:00+08:00"
    price: str | None  # the seller's price field as typed, None when the post has none
    text: str
    is_listing: bool
    goods: str | None  # the category the template wrote, None for non-listings
    url: str  # path of the detail page, or of the anchor on the list page


# How sellers write platform names (the first spelling is the plain one).
NAMES = {
    "wechat": ["微信", "V信", "vx", "WX", "卫星", "薇信"],
    "qq": ["QQ", "扣扣", "企鹅"],
    "tantan": ["探探", "TT"],
    "momo": ["陌陌", "MM"],
    "douyin": ["抖音", "DY"],
    "kuaishou": ["快手", "KS"],
    "soul": ["soul", "Soul"],
    "zhenai": ["珍爱"],
    "jiayuan": ["世纪佳缘", "佳缘"],
    "baihe": ["百合"],
    "weibo": ["微博"],
    "xiaohongshu": ["小红书", "小红薯"],
    "bilibili": ["B站"],
    "alipay": ["支付宝", "ZFB"],
    "taobao": ["淘宝"],
    "xianyu": ["闲鱼"],
    "pinduoduo": ["拼多多", "PDD"],
    "meituan": ["美团"],
    "didi": ["滴滴"],
    "jd": ["京东"],
    "telegram": ["电报", "飞机", "TG"],
    "whatsapp": ["WhatsApp", "WS"],
    "tiktok": ["TikTok"],
    "apple": ["苹果ID"],
    "google": ["GV号", "谷歌"],
    "steam": ["steam"],
}
SOCIAL = ["wechat", "qq", "tantan", "momo", "douyin", "kuaishou", "soul", "weibo",
          "xiaohongshu", "telegram", "whatsapp", "zhenai", "jiayuan", "baihe", "bilibili"]
SMS_TARGETS = ["tantan", "momo", "soul", "wechat", "qq", "douyin", "kuaishou", "weibo",
               "xiaohongshu", "alipay", "taobao", "xianyu", "pinduoduo", "meituan", "didi", "jd",
               "zhenai", "baihe", "jiayuan", "bilibili", "telegram", "whatsapp", "tiktok",
               "apple", "google", "steam"]
SHOPS = ["taobao", "pinduoduo", "jd", "douyin", "kuaishou", "xiaohongshu", "meituan"]

INSIDERS = [
    ("圆通网点账号", "可查全国面单 带手机号"), ("顺丰内部员工账号", "查寄件人收件人"),
    ("移动运营商端口", "实时定位 查机主"), ("联通营业厅后台", "查实名 查通话详单"),
    ("电信代理商系统", "补卡 查机主"), ("某车企DMS系统", "查车辆维修记录 查车主"),
    ("保险公司理赔后台", "查出险记录"), ("银行信贷内部系统", "查征信 查流水"),
    ("酒店PMS后台", "查入住记录"), ("社区网格员账号", "查户籍 查住址"),
]
LOOKUPS = [
    ("查档", "户籍档案 全家户"), ("查开房", "全国开房记录 近三年"),
    ("车辆维修记录", "4S店维修保养 全国联网"), ("出险记录", "全国车险出险理赔"),
    ("查快递", "手机号查快递地址"), ("手机定位", "实时定位 误差百米内"),
    ("查户籍", "身份证号查户籍地址"), ("查车主", "车牌查车主姓名电话"),
    ("查婚姻", "婚姻登记状态"), ("查航班", "身份证查出行记录"),
]
DATA_KINDS = ["贷款数据", "逾期数据", "宝妈数据", "车主信息", "股民数据", "快递面单",
              "医美客户", "装修业主", "学生家长", "保险客户", "网贷注册", "高消费人群"]
BANKS = ["工行", "建行", "农行", "中行", "招行", "交行", "邮政", "民生", "兴业", "浦发"]
CITIES = ["广东深圳", "浙江杭州", "江苏南京", "四川成都", "湖北武汉", "河南郑州", "山东济南",
          "福建厦门", "湖南长沙", "陕西西安", "北京朝阳", "上海浦东"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
MOBILE_PREFIXES = ["138", "139", "186", "158", "135", "177", "152", "189", "150", "131"]

HANDLE_HEADS = ["诚信", "老K", "东哥", "卡商", "号商", "阿峰", "小林", "风哥", "花花", "老张",
                "飞哥", "金牌", "一手", "专业", "大熊", "阿杰", "胖虎", "龙哥", "七月", "北辰"]
HANDLE_TAILS = ["接码", "数据", "号铺", "工作室", "科技", "查档", "卡池", "出号", "团队", "代理",
                "实名", "引流", "资源", "总代", "车队", "", "", ""]
CHATTERS = ["路人甲", "小白求带", "潜水员", "吃瓜群众", "新人报到", "夜猫子", "老韭菜",
            "不想上班", "摸鱼王", "围观者"]
ADMINS = ["管理员", "版主-老白", "站务", "防骗小组"]

WX_WORDS = ["haoshang", "jiema", "laok", "shuju", "kashang", "chahao", "xiaolin", "afeng",
            "dongge", "feige", "huahua", "longge", "mao", "zck", "xyz", "vip"]
EMOJI = ["🔥", "✅", "💰", "⚡", "📱", "🚀", "💯", "👉"]

CN_DIGITS = "零一二三四五六七八九"


def cn_amount(value: float) -> str:
    """Write a small price the way sellers type it in words: 3.5 → 三块五, 120 → 一百二."""
    whole = int(value)
    tenth = round((value - whole) * 10)
    if whole >= 100:
        hundreds, rest = divmod(whole, 100)
        words = CN_DIGITS[hundreds] + "百"
        if rest and rest % 10 == 0:
            words += CN_DIGITS[rest // 10]
            return words
        if rest:
            words += ("零" if rest < 10 else CN_DIGITS[rest // 10] + "十") + (
                CN_DIGITS[rest % 10] if rest % 10 else "")
        return words + "块"
    if whole >= 10:
        tens, ones = divmod(whole, 10)
        words = ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    else:
        words = "两" if whole == 2 else CN_DIGITS[whole]
    return words + "块" + (CN_DIGITS[tenth] if tenth else "")


class Writer:
    """Writes one post at a time in the voice of a seller, buyer, admin or bystander."""

    def __init__(self, rng: random.Random, emoji: bool = True):
        self.r = rng
        self.emoji = emoji

    # -- small parts ---------------------------------------------------------------------

    def name(self, platform: str, plain: bool = False) -> str:
        spellings = NAMES[platform]
        if plain or self.r.random() < 0.6:
            return spellings[0]
        return self.r.choice(spellings)

    def qq(self) -> str:
        return f"{self.r.choice('23568')}{self.r.randint(1, 9)}0000{self.r.randint(1000, 9999)}"

    def phone(self) -> str:
        return f"1700000{self.r.randint(1000, 9999)}"

    def wxid(self) -> str:
        return f"{self.r.choice(WX_WORDS)}_{self.r.randint(10, 9999)}"

    def tg(self) -> str:
        return f"{self.r.choice(WX_WORDS)}{self.r.choice(['', '_', 'x'])}{self.r.randint(6, 888)}"

    def contact(self) -> str:
        r = self.r
        kind = r.choice(["qq", "wx", "tg", "tme", "phone", "wx", "qq", "tg"])
        if kind == "qq":
            return r.choice(["QQ ", "Q：", "扣扣", "企鹅："]) + self.qq()
        if kind == "wx":
            return r.choice(["V：", "vx:", "薇：", "微信 ", "+V "]) + self.wxid()
        if kind == "tg":
            return r.choice(["飞机 @", "TG：@", "电报@", "@"]) + self.tg()
        if kind == "tme":
            return r.choice(["频道 ", "联系 ", ""]) + "https://t.me/" + self.tg()
        phone = self.phone()
        if r.random() < 0.4:
            phone = f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"
        return r.choice(["电话 ", "手机 ", "Tel:"]) + phone

    def contacts(self) -> str:
        first = self.contact()
        if self.r.random() < 0.35:
            return f"{first}  {self.contact()}"
        return first

    def cny(self, value: float) -> str:
        text = f"{value:g}"
        return self.r.choice([f"{text}元", f"{text}元", f"{text}r", f"{text}块", f"¥{text}",
                              f"{text}米", f"{text}"])

    def usdt(self, value: float) -> str:
        text = f"{value:g}"
        return self.r.choice([f"{text}U", f"{text}u", f"{text}USDT", f"{text}U"])

    def money(self, value: float, usdt_share: float = 0.2) -> str:
        if self.r.random() < usdt_share:
            return self.usdt(max(1, round(value / 7, 1 if value < 70 else 0)))
        if value < 200 and self.r.random() < 0.12:
            return cn_amount(value)
        return self.cny(value)

    def deco(self, text: str) -> str:
        if self.emoji and self.r.random() < 0.3:
            return f"{self.r.choice(EMOJI)}{text}"
        return text

    def seller(self) -> str:
        r = self.r
        tail = r.choice(["", "", "88", "_v", "01"])
        return f"{r.choice(HANDLE_HEADS)}{r.choice(HANDLE_TAILS)}{tail}"

    def masked_person(self) -> str:
        r = self.r
        return (f"{r.choice(SURNAMES)}*{r.choice('明华强芳丽军伟静敏')} "
                f"{r.choice(MOBILE_PREFIXES)}****{r.randint(1000, 9999)} {r.choice(CITIES)}")

    # -- listings, one method per good -----------------------------------------------------

    def sms_code(self):
        r = self.r
        targets = r.sample(SMS_TARGETS, r.randint(2, 5))
        prices = [round(r.choice([0.8, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]), 1) for _ in targets]
        items = "，".join(
            f"{self.name(t)}{self.cny(p)}" for t, p in zip(targets, prices, strict=True))
        if r.random() < 0.2:
            plat = self.name(targets[0])
            return (f"求稳定{plat}接码 长期合作",
                    f"高价收{plat}验证码，要求秒回不卡码，一个{self.cny(prices[0] + 1)}，"
                    f"有量的私聊。\n{self.contacts()}", None)
        title = r.choice(["接码平台 全网最低价", "稳定接码 秒回", "长期接码 支持API对接",
                          "代收短信验证码", "收码平台招代理"])
        text = (f"{r.choice(['长期稳定接码', '自家卡池直供', '新项目上线'])}：{items}。\n"
                f"{r.choice(['不成功不扣费', '语音码另算', '量大价格可谈', '支持API对接'])}"
                f"，{r.choice(['24小时在线', '白天在线', '客服秒回'])}。\n{self.contacts()}")
        return title, text, f"{self.cny(min(prices))}起"

    def account(self):
        r = self.r
        plat = r.choice(SOCIAL)
        name = self.name(plat)
        years = r.randint(1, 8)
        base = {"wechat": 320, "qq": 60, "telegram": 25, "whatsapp": 30}.get(plat, 45)
        price = round(base * (1 + years / 4) * r.uniform(0.8, 1.3))
        style = r.random()
        if style < 0.2:
            return (f"高价收{name}老号 {years}年以上",
                    f"收{name}老号，{years}年以上，{r.choice(['带实名', '无违规', '有好友'])}，"
                    f"一个{self.money(price)}，长期收。\n{self.contacts()}", None)
        kind = r.choice(["老号", "白号", "实名号", "成品号", "女号", "满月号", "解封号", "带圈号"])
        if style < 0.45:
            low = round(price * 0.8)
            high = price + r.choice([20, 30, 50, 100])
            price_text = f"{low}-{high}"
            text = (f"出{name}{kind}，{r.choice(['一手货源', '自养', '工作室出'])}，"
                    f"价格{price_text}看号龄，{r.choice(['可换绑', '包首登', '送教程'])}。\n"
                    f"{self.contacts()}")
            return f"出{name}{kind} {price_text}", text, price_text
        if style < 0.6:
            batch = r.choice([10, 20, 50, 100])
            unit = self.cny(max(1, round(price / 3)))
            title = f"批发{name}{kind} {batch}个起"
            text = (f"{name}{kind}批发，{batch}个起拿，一个{unit}，量大再优惠。\n"
                    f"{r.choice(['包首登，掉线包换', '24小时内售后', '不包解封'])}\n"
                    f"{self.contacts()}")
            return title, text, f"{unit}/个"
        price_text = self.money(price)
        title = f"出{name}{kind} 满{years}年 {r.choice(['带圈', '有好友', '可换绑', '稳定'])}"
        text = (f"{name}{kind}，满{years}年，{r.choice(['实名', '未实名', '已解封'])}，"
                f"{r.choice(['带朋友圈', '有支付', '带粉丝', '无违规记录'])}，{price_text}一个。\n"
                f"{r.choice(['担保交易', '走中介', '先款后号', '可走平台担保'])}。"
                f"{self.contacts()}")
        return self.deco(title), text, price_text

    def account_rental(self):
        r = self.r
        plat = r.choice(["wechat", "qq", "douyin", "kuaishou", "tantan", "momo", "soul", "steam",
                         "xiaohongshu"])
        name = self.name(plat)
        day = r.choice([8, 10, 15, 20, 30, 50])
        if r.random() < 0.5:
            month = day * r.choice([15, 18, 20])
            text = (f"{name}{r.choice(['号', '会员号', '直播号', '商家号'])}出租，"
                    f"日租{self.cny(day)}，"
                    f"包月{self.cny(month)}，{r.choice(['押金200', '无需押金', '押金面议'])}。\n"
                    f"{self.contacts()}")
            return f"{name}租号 日租{day}", text, f"日租{day}"
        days = r.choice([3, 5, 7])
        total = day * days
        text = (f"出租{name}{r.choice(['老号', '万粉号', '实名号'])}，{days}天{total}，"
                f"到期自动收回，不能改密。\n{self.contacts()}")
        return f"出租{name}号 {days}天{total}", text, f"{days}天{total}"

    def insider_access(self):
        r = self.r
        what, does = r.choice(INSIDERS)
        day = r.choice([300, 500, 500, 800, 1000])
        if r.random() < 0.3:
            price_text = f"{self.usdt(round(day / 7))}/天"
        else:
            price_text = f"{day}元/天"
        text = (f"{what}出租，{does}，{price_text}，"
                f"{r.choice(['先试后买', '需押金', '不退不换'])}。\n"
                f"{r.choice(['内鬼直出', '一手内部资源', '非中介'])}，{self.contacts()}")
        return f"{r.choice(['内鬼直出', '内部账号', '后台出租'])} {what}", text, price_text

    def lookup_service(self):
        r = self.r
        what, scope = r.choice(LOOKUPS)
        price = r.choice([30, 50, 80, 100, 150, 200, 300])
        price_text = self.money(price, usdt_share=0.15)
        text = (f"{what}：{scope}，{price_text}一次，"
                f"{r.choice(['秒出', '十分钟出结果', '当天出'])}，"
                f"{r.choice(['不出不收费', '先查后付', '出了再付'])}。\n{self.contacts()}")
        return self.deco(f"{what} {price_text}/次"), text, f"{price_text}/次"

    def id_document(self):
        r = self.r
        style = r.random()
        if style < 0.5:
            price = r.choice([5, 8, 10, 15])
            text = (f"{r.choice(['返照', '网纹照', '证件照'])}，身份证号直接返照，"
                    f"{self.cny(price)}一张，{r.choice(['秒出', '高清', '带网纹'])}。"
                    f"{r.choice(['100张起', '50张起', ''])}\n"
                    f"{self.contacts()}")
            return f"返照 网纹照 {price}元/张", text, f"{price}元/张"
        price = r.choice([30, 50, 80, 120])
        text = (f"身份证正反面+手持，{r.choice(['男女都有', '各省都有', '年龄可选'])}，"
                f"{self.cny(price)}一套，{r.choice(['量大优惠', '可定制', '支持过审'])}。\n"
                f"{self.contacts()}")
        return f"身份证正反面 手持 {price}一套", text, f"{price}/套"

    def verification_service(self):
        r = self.r
        plat = r.choice(["wechat", "alipay", "douyin", "kuaishou", "qq", "meituan", "didi"])
        name = self.name(plat)
        kind = r.choice(["代实名", "过脸", "人脸辅助", "解封", "代认证"])
        price = r.choice([30, 50, 80, 100, 150, 200])
        price_text = self.money(price)
        text = (f"{name}{kind}，{r.choice(['真人过脸', '成功率高', '不成功退款'])}，"
                f"{price_text}一个，{r.choice(['10个起', '量大优惠', '需提供号'])}。\n"
                f"{self.contacts()}")
        return self.deco(f"{name}{kind} {price_text}"), text, price_text

    def personal_data(self):
        r = self.r
        kind = r.choice(DATA_KINDS + ["四要素", "料子"])
        style = r.random()
        sample = f"\n样料：{self.masked_person()}" if r.random() < 0.4 else ""
        if style < 0.4:
            batch = r.choice([1000, 5000, 10000])
            price = {1000: 300, 5000: 1200, 10000: 2000}[batch] * r.choice([1, 1, 0.8, 1.5])
            batch_text = "1w" if batch == 10000 else str(batch)
            price_text = f"{batch_text}条{price:g}"
            text = (f"出{kind}，{r.choice(['当月新鲜', '实时', '三个月内'])}，{price_text}，"
                    f"{r.choice(['全国', '可分省', '可按城市筛'])}。{sample}\n{self.contacts()}")
            return f"{kind} {price_text}", text, price_text
        if style < 0.75:
            price = r.choice([0.3, 0.5, 1, 2, 3, 5])
            minimum = r.choice([100, 500, 1000])
            text = (f"{kind}按条出，{self.cny(price)}一条，{minimum}条起，"
                    f"{r.choice(['量大0.2', '不重复', '空号率低'])}。{sample}\n{self.contacts()}")
            return self.deco(f"{kind} {price:g}元/条 {minimum}起"), text, f"{price:g}/条"
        text = (f"收{kind}，{r.choice(['要新鲜的', '三个月内', '不要二手'])}，"
                f"价格私聊。\n{self.contacts()}")
        return f"收{kind} 价格私聊", text, "私聊"

    def sim_card(self):
        r = self.r
        kind = r.choice(["物联卡", "注册卡", "白卡", "物联网卡", "流量卡", "实名卡", "黑卡"])
        price = r.choice([10, 10, 12, 12, 15, 25])
        minimum = r.choice(["", "50张起", "100张起", "10张起"])
        price_text = self.money(price, usdt_share=0.1)
        text = (f"{kind}{r.choice(['现货', '大量现货', '长期供应'])}，{price_text}一张，"
                f"{r.choice(['三网都有', '移动联通', '可收短信', '可过注册'])}"
                f"{'，' + minimum if minimum else ''}。\n"
                f"{self.contacts()}")
        return self.deco(f"{kind} {price_text}一张"), text, price_text

    def hardware(self):
        r = self.r
        style = r.random()
        if style < 0.45:
            ports = r.choice([8, 16, 32, 64])
            price = ports * r.choice([45, 60, 80])
            text = (f"{ports}口猫池{r.choice(['二手九成新', '全新', '带卡池'])}，"
                    f"{self.cny(price)}，"
                    f"{r.choice(['包调试', '送软件', '同城可自提'])}。\n{self.contacts()}")
            return f"{ports}口猫池 {price}", text, f"{price}元"
        if style < 0.75:
            phones = r.choice([50, 100, 200])
            price = r.choice([800, 1200, 2000])
            price_text = self.usdt(round(price / 7))
            text = (f"群控系统 {phones}台手机，包年{price_text}，"
                    f"{r.choice(['可试用三天', '支持抖音快手', '一键养号'])}。"
                    f"\n{self.contacts()}")
            return f"群控系统 包年 {price_text}", text, price_text
        price = r.choice([300, 500, 680])
        text = (f"改机软件+卡池，{self.cny(price)}一套，"
                f"{r.choice(['终身更新', '一机多号', '防关联'])}。"
                f"\n{self.contacts()}")
        return f"改机 卡池 {price}一套", text, f"{price}/套"

    def bank_card(self):
        r = self.r
        style = r.random()
        bank = r.choice(BANKS)
        if style < 0.4:
            price = r.choice([1500, 2000, 2500, 3000])
            price_text = self.money(price, usdt_share=0.35)
            text = (f"{bank}四件套（卡+U盾+手机卡+身份证），{price_text}一套，"
                    f"{r.choice(['一类卡', '带网银', '可过流水'])}。\n{self.contacts()}")
            return self.deco(f"{bank}四件套 {price_text}"), text, price_text
        if style < 0.7:
            low = r.choice([6000, 8000, 10000])
            high = low + r.choice([2000, 4000])
            text = (f"对公账户{r.choice(['带执照', '新户', '老户'])}，{low}-{high}，"
                    f"{r.choice(['三证齐全', '可过千万流水'])}。\n{self.contacts()}")
            return f"出对公账户 {low}-{high}", text, f"{low}-{high}"
        day = r.choice([200, 300, 500])
        text = (f"收跑分车队，{r.choice(['支付宝', '微信', '银行卡'])}收款码日结，"
                f"一天{self.cny(day)}，"
                f"{r.choice(['新人带', '安全稳定'])}。\n{self.contacts()}")
        return f"跑分 收款码出租 日结{day}", text, f"{day}/天"

    def fake_engagement(self):
        r = self.r
        style = r.random()
        if style < 0.35:
            plat = r.choice(["douyin", "kuaishou", "xiaohongshu", "weibo", "bilibili", "tiktok"])
            name = self.name(plat)
            batch = r.choice([1000, 10000])
            price = {1000: r.choice([8, 10, 15]), 10000: r.choice([60, 80, 120])}[batch]
            batch_text = "1w" if batch == 10000 else "1000"
            text = (f"{name}刷粉，{batch_text}粉{self.cny(price)}，"
                    f"{r.choice(['真人粉', '不掉粉', '掉粉补'])}，点赞评论另算。\n"
                    f"{self.contacts()}")
            return self.deco(f"{name}刷粉 {batch_text}粉{price}"), text, f"{batch_text}粉{price}"
        if style < 0.65:
            plat = r.choice(SHOPS)
            name = self.name(plat)
            price = r.choice([3, 5, 8])
            price_text = self.money(price)
            text = (f"{name}刷单{r.choice(['补单', '真人单', '带评价'])}，一单{price_text}，"
                    f"{r.choice(['安全不降权', '可开发票', '包好评'])}。\n{self.contacts()}")
            return f"{name}刷单 一单{price_text}", text, f"{price_text}/单"
        kind = r.choice(["宝妈粉", "婚恋粉", "股票粉", "兼职粉", "老年粉"])
        price = r.choice([8, 10, 15, 20, 30])
        minimum = r.choice([50, 100, 200])
        text = (f"精准引流{kind}，加微信{self.cny(price)}一个，{minimum}个起，"
                f"{r.choice(['当天到', '可指定地区', '不实包补'])}。\n{self.contacts()}")
        return f"引流 {kind} {price}元/个", text, f"{price}/个"

    def other(self):
        r = self.r
        kind, unit = r.choice([("代开发票", "点"), ("外挂辅助", "月卡"), ("改IP软件", "年卡"),
                               ("虚拟定位", "月卡"), ("梯子节点", "年卡")])
        price = r.choice([30, 50, 88, 128, 199])
        price_text = self.money(price)
        text = (f"{kind}，{unit}{price_text}，{r.choice(['稳定', '售后有保障', '可试用'])}。\n"
                f"{self.contacts()}")
        return f"{kind} {unit}{price_text}", text, price_text

    # -- posts that are not listings -------------------------------------------------------

    def chatter(self):
        r = self.r
        plat = self.name(r.choice(SOCIAL), plain=True)
        line = r.choice([
            f"今天{plat}又大面积封号了，号商们都小心点",
            "有没有人知道最近物联卡为什么这么难拿，上游说在查",
            f"新人请教一下，{plat}老号一般怎么看号龄？",
            "昨晚卡池炸了，损失惨重，大家有没有靠谱的维修",
            "这个月行情不行啊，价格一天一个样",
            f"有人用过那个新出的{plat}养号脚本吗，效果咋样",
            "周末了，祝各位老板生意兴隆",
            "群里谁有靠谱的担保？上次那个跑路了",
            f"{plat}最近风控升级了，新号三天就封，老号还稳",
            "U价又涨了，出货的兄弟们记得调价",
            "刚入行，接码和卡池到底哪个好做？",
        ])
        return headline(line), line, None

    def rules(self):
        r = self.r
        text = r.choice([
            "【版规】发帖必须标明价格和联系方式；禁止刷屏，同一内容24小时内只能发一次；"
            "交易建议走担保，私下交易被骗本站概不负责。",
            "【公告】本版只允许发布交易信息，闲聊请去水区，违者删帖禁言三天。",
            "【置顶】担保交易流程：买家付款给担保，卖家发货，买家确认后放款，手续费5%。",
        ])
        return text[:4] + headline(text[4:]), text, None

    def warning(self):
        r = self.r
        text = (f"【防骗】{r.choice(['骗子', '黑名单', '曝光'])} {self.contact()}，"
                f"{r.choice(['收了钱不发货', '发的号全是死号', '拿了定金就拉黑'])}，"
                f"大家注意，已经有{r.randint(2, 9)}个人被骗了。")
        return "防骗曝光 " + headline(text[4:]), text, None

    def news(self):
        r = self.r
        text = r.choice([
            "听说某地警方刚打掉一个接码平台团伙，抓了二十多个，最近都低调点。",
            "运营商又开始清理物联卡了，没实名的卡这周陆续停机。",
            "网传某快递公司内部查出一批泄露面单的网点，相关账号全部冻结。",
            "最近U价波动大，收U的注意汇率，别被割。",
            "某银行开始严查对公账户流水，四件套这几天不好出。",
            "听说几个大的料子群被端了，群主已经失联。",
        ])
        return headline(text), text, None

    NON_LISTINGS = ("chatter", "rules", "warning", "news")

    def post(self, kind: str) -> tuple[str, str, str | None]:
        return getattr(self, kind)()


def headline(text: str, limit: int = 18) -> str:
    """A thread title made from the first clause of a post, as forum users title chatter."""
    clause = re.split(r"[，。？！；]", text, maxsplit=1)[0]
    return clause if len(clause) <= limit else clause[:limit] + "…"


def timeline(rng: random.Random, newest: datetime, count: int,
             gaps: tuple[int, int] = (6, 170)) -> list[datetime]:
    """Posting times, newest first, minute precision, strictly decreasing."""
    times, at = [], newest
    for _ in range(count):
        times.append(at)
        at -= timedelta(minutes=rng.randint(*gaps))
    return times


def kinds_for(rng: random.Random, count: int, non_listing_share: float) -> list[str]:
    """Which template writes each post: every good of the taxonomy at least once when there is
    room, the rest at random, non-listings mixed in."""
    non = max(1, round(count * non_listing_share))
    goods = list(GOODS)
    rng.shuffle(goods)
    chosen = goods[: count - non]
    while len(chosen) < count - non:
        chosen.append(rng.choice(GOODS[:-1]))
    chosen += [rng.choice(Writer.NON_LISTINGS) for _ in range(non)]
    rng.shuffle(chosen)
    return chosen


def fits(codec: str | None, *texts: str) -> bool:
    if codec is None:
        return True
    try:
        for text in texts:
            text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Board:
    """How one section of the market is filled and paged."""

    section: str
    count: int
    per_page: int
    tid_base: int
    newest: datetime
    codec: str = "utf-8"  # the bytes on the wire
    traditional: bool = False  # written in traditional characters (the Big5 board)
    emoji: bool = True
    detail: bool = False  # list shows an excerpt, the text is on /<section>/thread/<tid>.html
    non_listing_share: float = 0.2


BOARDS = {
    board.section: board
    for board in (
        Board("forum", 46, 10, 31000, datetime(2026, 11, 21, 9, 58, tzinfo=CHINA), detail=True),
        Board("js", 24, 24, 41000, datetime(2026, 11, 21, 9, 40, tzinfo=CHINA)),
        Board("gbk", 24, 12, 51000, datetime(2026, 11, 20, 23, 12, tzinfo=CHINA), codec="gbk",
              emoji=False),
        Board("big5", 20, 10, 61000, datetime(2026, 11, 20, 21, 5, tzinfo=CHINA), codec="big5",
              traditional=True, emoji=False),
        Board("nocharset", 20, 20, 71000, datetime(2026, 11, 20, 18, 47, tzinfo=CHINA),
              codec="gb18030"),
        Board("slow", 25, 10, 91000, datetime(2026, 11, 21, 8, 31, tzinfo=CHINA)),
        Board("broken", 20, 20, 95000, datetime(2026, 11, 19, 16, 20, tzinfo=CHINA)),
        Board("empty", 0, 10, 99000, datetime(2026, 11, 21, 0, 0, tzinfo=CHINA)),
    )
}
BENCH = Board("bench", 0, 20, 1_000_000, datetime(2026, 11, 21, 10, 0, tzinfo=CHINA))

_TO_TRADITIONAL = None


def traditional(text: str) -> str:
    global _TO_TRADITIONAL
    if _TO_TRADITIONAL is None:
        import opencc

        _TO_TRADITIONAL = opencc.OpenCC("s2tw")
    return _TO_TRADITIONAL.convert(text)


def anchor_url(board: Board, tid: str) -> str:
    if board.detail or board.section == "bench":
        return f"/{board.section}/thread/{tid}.html"
    return f"/{board.section}/#t-{tid}"


def write_listing(board: Board, writer: Writer, kind: str, tid: int, at: datetime) -> Listing:
    """One post of ``kind`` (a good of the taxonomy or a kind of non-listing)."""
    for _ in range(20):
        title, text, price = writer.post(kind)
        listing = kind in GOODS
        if listing:
            author = writer.seller()
        elif kind in ("rules", "warning"):
            author = writer.r.choice(ADMINS)
        else:
            author = writer.r.choice(CHATTERS + ADMINS[:1])
        if board.traditional:
            title, text, author = traditional(title), traditional(text), traditional(author)
            price = traditional(price) if price else price
        if fits(board.codec, title, text, author, price or ""):
            break
    else:  # pragma: no cover - the templates only use characters every codec has
        raise ValueError(f"demo board {board.section}: no {kind} post fits {board.codec}")
    return Listing(
        tid=str(tid), section=board.section, title=title, author=author,
        posted=at.strftime("%Y-%m-%d %H:%M"), posted_iso=at.isoformat(timespec="seconds"),
        price=price, text=text, is_listing=listing, goods=kind if listing else None,
        url=anchor_url(board, str(tid)),
    )


def write_board(board: Board, seed: int) -> list[Listing]:
    """The posts of one board, newest first: higher tid, later time."""
    rng = random.Random(f"{seed}:{board.section}")
    writer = Writer(rng, emoji=board.emoji)
    kinds = kinds_for(rng, board.count, board.non_listing_share) if board.count else []
    times = timeline(rng, board.newest, board.count)
    posts = [
        write_listing(board, writer, kind, board.tid_base + board.count - i, at)
        for i, (kind, at) in enumerate(zip(kinds, times, strict=True))
    ]
    if board.codec == "gb18030":
        # Every third post carries an emoji, which only GB18030 (not GBK) can encode.
        posts = [
            p if i % 3 else Listing(**{**p.__dict__, "text": EMOJI[i % len(EMOJI)] + p.text})
            for i, p in enumerate(posts)
        ]
    return posts


def write_more(board: Board, seed: int, newest: Listing | None, count: int,
               batch: int) -> list[Listing]:
    """``count`` posts newer than ``newest``, for a market that gets new threads while it runs.
    ``batch`` numbers the calls so that each publish writes other posts, reproducibly."""
    rng = random.Random(f"{seed}:{board.section}:more:{batch}")
    writer = Writer(rng, emoji=board.emoji)
    last_tid = int(newest.tid) if newest else board.tid_base
    at = datetime.fromisoformat(newest.posted_iso) if newest else board.newest
    if count > 4:
        kinds = kinds_for(rng, count, board.non_listing_share)
    else:  # a handful of new threads: all of them offers, as a test of "new posts" expects
        kinds = [rng.choice(GOODS[:-1]) for _ in range(count)]
    posts = []
    for i, kind in enumerate(kinds, start=1):
        at += timedelta(minutes=rng.randint(3, 40))
        posts.append(write_listing(board, writer, kind, last_tid + i, at))
    return posts[::-1]


def write_bench_page(seed: int, page: int, pages: int) -> list[Listing]:
    """Page ``page`` of the generated bench forum: 20 threads, newest first, without building
    the pages before it, so that any page can be served first."""
    rng = random.Random(f"{seed}:bench:{page}")
    writer = Writer(rng)
    per = BENCH.per_page
    first = (page - 1) * per
    kinds = [rng.choice(GOODS) if rng.random() < 0.85 else rng.choice(Writer.NON_LISTINGS)
             for _ in range(per)]
    return [
        write_listing(BENCH, writer, kind, BENCH.tid_base + (pages * per - first - i),
                      BENCH.newest - timedelta(minutes=3 * (first + i)))
        for i, kind in enumerate(kinds)
    ]


def write_sms_table(seed: int) -> tuple[str, str, list[Listing]]:
    """The 接码 platform's price table: (site name, updated time, one post per row)."""
    rng = random.Random(f"{seed}:sms")
    site = rng.choice(["飞鱼接码", "蜂巢接码平台", "云码", "闪电收码", "老K接码"])
    updated = datetime(2026, 11, 21, 8, 0, tzinfo=CHINA)
    base = {"wechat": 4, "qq": 1.5, "tantan": 1.2, "momo": 1.5, "soul": 1, "alipay": 3.5,
            "douyin": 1.8, "kuaishou": 1.2, "telegram": 2.5, "whatsapp": 3, "apple": 2,
            "google": 2.2, "tiktok": 2.8, "steam": 1.5}
    notes = ["秒收", "不成功不扣费", "语音码另计", "限新号", "高峰期稍慢", "", "", "支持API"]
    targets = rng.sample(SMS_TARGETS, len(SMS_TARGETS))[:24]
    rows = [(NAMES[t][0], base.get(t, rng.choice([0.6, 0.8, 1, 1.2, 2]))) for t in targets]
    extras = [("探探语音码", 2), ("陌陌(海外号)", 3.5), ("微信(辅助解封)", 12),
              ("QQ(老号换绑)", 6), ("淘宝(商家)", 5), ("美团(骑手)", 4.5)]
    rows += extras
    rng.shuffle(rows)
    listings = []
    for i, (project, value) in enumerate(rows):
        tid = str(81001 + i)
        if rng.random() < 0.1:
            price, stock, note = "—", 0, "维护中"
        else:
            value = round(value * rng.choice([1, 1, 1, 0.9, 1.1]), 1)
            price = f"{value:g}U" if rng.random() < 0.15 else f"{value:g}元"
            stock, note = rng.randint(0, 9000), rng.choice(notes)
        text = f"{project} {price} 库存{stock}" + (f" {note}" if note else "")
        listings.append(Listing(
            tid=tid, section="sms", title=project, author=site,
            posted=updated.strftime("%Y-%m-%d %H:%M"),
            posted_iso=updated.isoformat(timespec="seconds"), price=price, text=text,
            is_listing=price != "—", goods="sms_code" if price != "—" else None,
            url=f"/sms/#t-{tid}",
        ))
    return site, updated.strftime("%Y-%m-%d %H:%M"), listings
