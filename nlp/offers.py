"""Offers: which good, whose platform, bought or sold, at what price per how many of what.

A post is read once, left to right, as a token stream (see ``nlp.scan``). Between two prices the
reader collects a *segment*: the goods words, platform names and period words written since the
last price. The rules, in the order a reader meets them:

- A price binds to its segment. When the segment names nothing (心级45元,钻级180元 / 量大0.5一张)
  it binds to what the previous price was for, so a header (接码今日报价:) or a first item
  carries over a list; a new good of another kind drops the carried platform.
- Several platforms in one segment (美团、滴滴、京东接码 / 探探陌陌各1元) give one offer each; a
  platform list in a clause of its own is a header for the items that name them again.
- Several goods words in one segment give the one that ranks first in GOODS_PRECEDENCE; words
  after 带/含/+ are attributes (一类卡带手机卡 is a bank card).
- A number is a price when a currency, a per-one marker (一个, /条, 每次) or a period (日租,
  包月) is written against it, or when it stands alone after goods. A number before a classifier
  is a count: a batch when a price follows (1000条300), a minimum before 起 or after 满.
- Sizes, times, ages, codes, deposits and capacities (64口, 2小时, 10年以上, +86, 押金, 日出3000)
  are not prices; contacts and sample records were masked before reading.
- A price written before any goods is held until the goods are named (【80元】QQ老号).
- A platform named only after the prices fills the offers it fits (收号80出号100,微信号…).
- A currency stated once (接码价格（单位U）) prices the rows after it that state none; the page a
  post was found on (``Page``: 接码平台 项目价格表) gives goods, platform, side and currency for
  what the post leaves unsaid, but only to offers the post makes by itself.
- A count is part of the item for hardware (箱子 40台 一万八), a batch for engagement and records
  (抖音 1w 80), a grade for account ages and followers (八年 30, 10w粉 号); a span with a count
  after it is a capacity (每天500精准粉 包月3000), not the unit of a price.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass

from nlp import classify
from nlp import scan as sc
from nlp.lexicon import load_lexicon
from nlp.listing import is_question
from nlp.normalize import clean, write_numbers
from nlp.tables import CODE_TABLE, rewrite_tables

# When one segment names goods of several kinds, the first kind here wins. The taxonomy's
# precedence: a rented internal system is insider_access, a returned ID photo is id_document;
# a rental beats a plain account; the bare word 号 (account) is the weakest of all.
GOODS_PRECEDENCE = (
    "insider_access",
    "id_document",
    "bank_card",  # 对公账户出租: a rented bank account is still a bank account
    "account_rental",
    "verification_service",
    "lookup_service",
    "sms_code",
    "hardware",
    "sim_card",
    "personal_data",
    "fake_engagement",
    "other",
    "account",
)
_RANK = {goods: n for n, goods in enumerate(GOODS_PRECEDENCE)}
# Goods that are always about some platform's accounts, so a platform named after the prices
# (收号80出号100,微信号一手渠道) is theirs.
PLATFORM_BOUND = frozenset(
    ["account", "account_rental", "sms_code", "verification_service", "fake_engagement"]
)
# Goods counted in bulk: a bare round number before a price is the batch it buys (抖音 1w 80,
# 评论 100 20); for other goods a number before the price is part of the item (箱子 40台 一万八).
BATCH_GOODS = frozenset(["fake_engagement", "personal_data"])
# Spans an output is counted in (每天500精准粉, 一天能出三百个); not a year: 一年老号 is an age.
PERIODS = frozenset(["day", "week", "month"])
# An account priced per day or week is rented (一天给60); per month it may be a service (养号).
RENTAL_PERIODS = frozenset(["day", "week"])
# Words after which "NUM左右" is the price asked (价格两百左右), not an estimate of something else.
# Measures that size a device only when written on the number (128卡); 月租 15 卡费 is a fee.
WRITTEN_ON = frozenset(["卡", "路"])
# Words ending in 私 that ask nothing (隐私: privacy).
NOT_ASKING = frozenset(("隐私", "走私", "自私", "公私"))
# Words before the apps a number or card was registered on (注册过微信的不要): not what is sold.
REGISTERED_ON = ("注册过", "没注册", "未注册", "注册了", "注过", "绑过", "绑定过")
# Words between a per-one or period word and its price (一天 保底 300, 一个给5块, 包月 只要 99).
LEAD_WORDS = frozenset(
    ["给", "我给", "我出", "保底", "只要", "仅需", "低至", "价格", "价", "出价", "预算", "租金"]
)
# Words before the price of a whole batch (100万条 预算三万); 十个 价格两百 is per piece.
TOTAL_WORDS = ("预算", "总价", "一共", "打包价", "打包", "共")
# Words opening a tier of the item before (量大0.5, 单拿 40), never the name of an app.
TIER_WORDS = tuple(
    "量大 批量 单拿 零售 整拿 散拿 大量 少量 首单 首次 新客 老客 "
    "单个 单买 另外 其他 其它 价格 单价 现价 原价 特价 活动 以上".split()
)
# 普通 20 / vip 45 / svip 70: Latin words that name a grade of the goods, not an app.
LATIN_GRADES = frozenset((
    "vip", "svip", "plus", "pro", "max", "premium", "gold", "lite",
    "tdata", "session", "json", "api", "fresh", "aged", "new", "old",
))  # fmt: skip
# 接码 美国 0.6U 印尼 0.3U: the country of the number, not an app we do not list.
REGIONS = frozenset((
    "美国", "英国", "印尼", "越南", "泰国", "日本", "韩国", "巴西", "菲律宾", "马来", "马来西亚",
    "缅甸", "柬埔寨", "香港", "台湾", "澳门", "国内", "国外", "海外", "全球", "欧洲", "东南亚",
    "加拿大", "德国", "法国", "印度", "俄罗斯", "新加坡",
))  # fmt: skip
# After a count and its 起/以上: what makes it no minimum order of the rows (see _minimum_aside).
MINIMUM_ASIDES = ("送", "赠", "充", "优先", "另有", "另价", "更便宜", "更优惠", "有优惠")
# 100个起拿 2.5U: the verb a tier's minimum may take before its price.
TAKE_WORDS = ("拿", "批", "订", "购", "租", "走")
# Platforms that are also means of payment, and the words of a line that names them as such.
PAYMENT_PLATFORMS = frozenset(("wechat", "alipay"))
# 收寄件人, 收货人: who receives a parcel; the 收 is no buyer's.
NOT_BOUGHT_AFTER = ("寄件", "件人", "货人", "货地址", "件地址")
PAYMENT_MEANS = ("usdt", "支付宝", "zfb", "现金", "人民币", "rmb", "trc", "银行卡")
PAYMENT_CUES = ("接受", "付款", "支付方式", "收款方式", "结算方式", "payment")
_BARE_DIGIT = re.compile("(?<![a-z])[0-9]")  # trc20 names a network, not a price
# 一台 16 口 的 600: measures that size the goods (秒 in 一次 60 秒过 is how fast, after a price).
SIZES = frozenset(("口", "寸", "级", "层", "楼", "岁", "星", "钻", "倍", "g", "gb", "m", "mb"))
# 1000粉, 1k followers, 飞机频道 1万订阅: counted fans
FOLLOWER_WORDS = frozenset(("粉", "粉丝", "订阅", "followers", "fans", "subs", "subscribers"))
# What an account has, not how much of it (带橱窗120 is the price of one with a shop window).
FEATURES = frozenset(
    ("橱窗", "蓝v", "认证", "实名", "会员", "大会员", "超级会员", "vip", "svip", "直播", "人脸",
     "权限", "小黄车")  # fmt: skip
)
# 四件套(姓名+身份证+手机+照片): bundles whose bracketed contents say what they are.
BUNDLE_WORDS = frozenset(("四件套", "三件套", "五件套", "套餐", "全套"))
# 对公 带U盾 八千: things that come with the goods; the number after them is the price, not an
# amount the goods hold (带粉5万, 带余额300).
THINGS_BUNDLED = frozenset(("bank_card", "hardware", "sim_card", "id_document"))
# 过脸另加 100, 照片另算 50: the price of a service added to the goods.
ADDON_WORDS = ("另加", "另算", "另收", "另外加", "加收")
# 出价120 有的私聊, 每天要三千 有渠道的私聊: those who have it are to reach the poster.
_HAVE_IT = re.compile("有[\u4e00-\u9fff]{0,3}的$")
# The per-one marker a price was written with (8/次 中通私: the label starts after it).
_PER_MARK = re.compile(r"^ ?(?:/ ?[^\s\d]|[一每][^\s\d])")
# 一周的, 三天内, 一周以上: a span followed by these grades records by their age.
GRADE_TAILS = ("的", "内", "以上", "以前", "以内")
# Words whose number, written against them, is an id (工号211824), not a price.
ID_WORDS = ("工号", "编号", "学号", "单号")  # 订单号 ends with 单号
# Goods rented out by the day or month, whose rows under one period share it.
RENTED_BY_PERIOD = frozenset(("insider_access", "account_rental"))
# Goods written after 带 that are a service added to a look-up or an account, not a grade of it.
ADDED_SERVICES = frozenset(("id_document", "verification_service"))
# The units a price can be per span of time (rentals, memberships, licences).
TIME_UNITS = frozenset(("day", "week", "month", "year"))
# Goods a 出租 rents without making them an account rental (对公户 出租 包月 5000).
RENTED_NOT_ACCOUNTS = frozenset(("bank_card", "insider_access", "hardware", "sim_card"))
# The badges a platform verifies an account with (抖音 蓝V 认证 一次 500).
BADGES = ("蓝v", "黄v", "金v", "橙v", "红v")
# An Apple ID named in a code list is the code to register one (接码 … 苹果ID 2U).
APPLE_IDS = frozenset(("apple id", "苹果id", "苹果 id", "appleid"))
SHOP_GRADES = frozenset(("皇冠", "金冠", "蓝冠", "双皇冠"))  # a marketplace shop's levels
UNIFORM_WORDS = frozenset(("统一", "一律", "都是", "均"))  # one price for all the rest
# A row priced for "the rest" (顺丰 十块 圆通 六块 其他 五块) names no platform.
OTHER_ROWS = frozenset(
    ("其他", "其它", "其余", "别的", "其他平台", "其它平台", "其他项目", "其它项目", "其余项目")
)
# 其他统一, 其它项目统一 written as one word: the rest, at one price.
THE_REST = OTHER_ROWS | {rest + uniform for rest in OTHER_ROWS for uniform in UNIFORM_WORDS}
# Words after a price that say how to buy or what else there is, not one more variant priced
# on asking (包邮 私聊, 看行 私聊, 其他私聊, 大额 私).
NOT_VARIANTS = (
    *OTHER_ROWS, "包", "看", "大额", "量大", "更多", "详", "价", "有意", "需要", "要的", "欢迎",
    "有货", "卡商", "能做", "试料",
    "可", "请", "老板", "直接", "联系", "批量", "全部", "剩下", "以上", "以下", "起", "有的", "都",
    "定制", "另", "批发", "样", "一个", "一张", "一条", "一套", "一次", "每",
)  # fmt: skip
# Platforms a code list's rows name by one character or a nickname (接码 V 4.5 抖 0.8 扣 1.3).
ROW_ABBREVIATIONS = {
    "v": "wechat", "扣": "qq", "企": "qq", "抖": "douyin", "快": "kuaishou", "陌": "momo",
    "探": "tantan", "灵魂": "soul", "红书": "xiaohongshu", "淘": "taobao", "拼": "pinduoduo",
    "微": "wechat",
}  # fmt: skip
# 9位数的3块8位数的20, 4 位 300U 5 位 80U: counts that grade the next item, not the batch a
# price before them buys.
GRADE_CLASSIFIERS = frozenset(("位", "人", "members"))
# What an account is counted by: its followers or its members (1k fans 12U, 2000 members 25U).
WHAT_ACCOUNTS_COUNT = FOLLOWER_WORDS | GRADE_CLASSIFIERS
# 要的私 after prices: how to buy, not a price withheld for the goods last named.
CALLS_TO_ACTION = frozenset(("要的私", "需要的私", "有需要私"))
# 能私聊陌生人: before a withheld-price word, what makes it something the goods can do.
CAPABILITY_WORDS = ("能", "可", "可以", "能够")  # 不能 ends with 能
# Words around the price of a whole lot (50个 打包2000全拿走): per piece it is price / count.
LOT_WORDS = ("全拿走", "全拿", "全出", "全要", "全部", "打包走", "一起走", "一起拿", "一起", "整体")
# Words before the minimum order of a row (微信 4元 起量100, 起订: 50个).
ORDER_MINIMUM_WORDS = ("起订", "起量", "起订量", "起购", "起批", "起拿", "起售", "起步")
# How a buyer's post opens (求 X 多少钱, 收 X 价格私聊): asking the price of what it wants is
# still a request; 谁出/有没有 questions are not these.
BUYER_OPENINGS = ("求", "收", "蹲", "高价收", "长期收", "急收", "大量收")
# Words written against a bare price (20统一价, 400有的私, 80需要的来): what follows a price.
PRICE_TAILS = (
    "统一价", "一律", "都是", "有的", "要的", "需要", "不议价", "不刀", "可小刀", "包邮", "自提",
    "能做", "能出", "做不做",  # 0.6能做就来, 200能出吗: a buyer's bid
    "不变",  # 陌陌1.5不变: the price holds
)  # fmt: skip
# Words before the price a buyer pays (一个给5块, 预算300).
BID_WORDS = ("给", "给到", "预算")
# Memberships: sold as such they are `other`, but an account that has one is an account.
MEMBERSHIP_WORDS = frozenset(["会员", "大会员", "premium", "vip", "svip", "超级会员"])
# Words that make a post about look-ups only where nothing else is checked (毕业证 可查).
LOOKUP_VERBS = ("可查", "能查", "可以查", "都能查")
_PAYMENT_CHANNEL = re.compile("跑分|支付|代收|代付|收款|四方|三方|费率|码商")
# 公众号 出售 5000 粉 1200: a channel sold with its followers is an account, not fans.
_CHANNEL = re.compile("公众号|订阅号|服务号|视频号|频道")
_GAME_CHEAT = re.compile("外挂|天卡|周卡|卡密|永久版|封号包赔|不封号|透视|自瞄|吃鸡|游戏")
_NO_CARD_INSIDE = re.compile(r"\s*[(（](?![^)）]*(?:卡|盾|银行|bank|card))[^)）]*[)）]")
_DIPLOMA = re.compile("毕业证|学位证|学历|文凭|证书|假证")
# Numbers that are never a price: a count wanted or held (数量30, 库存500), a card's face value
# (面值1000), a balance (余额 0.00 U), a deposit (押金 2000, 上押 1w U), a rate (U价 7.28), a
# level, a model or a rank (等级55, 安卓12, iPhone 13, 前 10), a bonus (送 50), a top-up (充 500),
# a rate of exchange (换算 按 7.2, USDT 按 7.1 结算), a credit line (额度 3000), a minimum spend
# (起步50块) and the number a group member replies with (要的扣1).
NOT_PRICE_WORDS = (
    "数量", "库存", "存货", "需要量", "面值", "余额", "押", "汇率", "u价",
    "等级", "安卓", "iphone", "ios", "版本", "送", "赠", "换算", "换算按", "换算 按", "折算",
    "额度", "起步", "低消", "费率", "点位", "原", "年龄", "used", "usdt at", "汇率按",
    "usdt 按", "usdt按", "u 按", "u按", "日流水", "月流水", "限额", "减", "lvl", "level", "评分",
)  # fmt: skip
# 日量800, 日量要5000, 量大 每天三四千, 上限3000, 试料 5 条, 批量(≥500): how many, not what
# they cost; 每张少2块, 各减2: a discount.
# 押金统一300, U结算按7.2, 最低下单10元, min deposit $10: a deposit, a rate of exchange, a
# least order (of the eight characters before a number, deposit $ leaves posit $).
_NOT_PRICE_BEFORE = re.compile(
    "(?:日量要?|日要|上限|每[个张条套]少|量大? ?每天|试料|≥|>="
    f"|押金(?:{'|'.join(UNIFORM_WORDS)})|结算 ?按|最低下单|posit ?\\$?)$"
)
# 带CS库存, 带 CS2 库存: a game's items an account has (of 8 characters, 带 may be cut off)
_INVENTORY_HAD = re.compile("(?:带 ?|^ ?)[a-z][a-z0-9]{0,5} ?库存$")
_NEW_PRICE_AFTER = re.compile(r" ?改为 ?\d")  # 1.5→1.4; 460→ alone says the price holds
_AGED = re.compile("aged|注册|老号")  # posts about accounts by the year they were made
_YEAR_BEFORE = re.compile("(?:aged|since|reg|created|registered) ?$")  # US Gmail aged 2018
_YEAR_AFTER = re.compile("年(?![卡费租包])")  # 2019年注册: when, not 2019 years (2000年卡 is)
_REPLY_ASKED = re.compile("(?:要的|想要|需要|的|就|请|评论区)扣$")  # 要的扣1: the digit to reply
_FACE_VALUE_BEFORE = re.compile(r"\d ?面值$")  # 100 面值 85: the face value came first
# 五十万流水, 100 面值, 5 个点, 2k min, 10U起充, 带20刀余额: turnover, a card's face value, a
# percentage, the least order or top-up, a balance
NOT_PRICE_AFTER = ("流水", "面值", "个点", "min", "起充", "余额", " in stock")
_LIST_RANK = re.compile("(?<![天周月年日内点之以])前$")  # 前 10 一万二: a rank, not 10 yuan
TOP_UP_WORDS = ("代充", "充值", "直充")
ONLINE_WORDS = frozenset(("在线", "同时在线"))  # 100人 在线 一小时: viewers, for a span of time
DEALER_SELLS = ("出", "直销", "直出", "直供", "自营")  # 卡商出货: a card dealer selling
# 群控 … 单 软件 年费 1200: what runs the devices (群发软件 is software of its own)
SOFTWARE = frozenset(("软件", "脚本", "系统", "工具"))
SCREENING = ("筛选", "检测", "过滤", "筛号")  # 空号 筛选: numbers screened, not sold
_TOP_UP = re.compile("(?<![代直])充$")  # 充 500 送 50: a top-up offer, not a price (代充 24 is)
PRICE_WORDS = ("价格", "价钱", "价位", "预算", "出价", "单价", "价", "大概", "大约")
# Second-hand marketplaces: named as where a post is listed far more often than as the platform
# of the goods (闲鱼号 信用极好 300).
MARKETPLACES = frozenset(["xianyu"])
OTHER_MARKETPLACES = frozenset(["转转"])  # not in the platform list, but a place all the same
_PLACE_AFTER = ("标题", ":", "：", "】", "]", "同款", "爆款", "出", "上", "|", "｜")
CARRIERS = frozenset(["china_mobile", "china_unicom", "china_telecom"])
COURIERS = frozenset(["yto", "sf"])
# Periods the taxonomy has no unit for, as a number of months: 季卡 400 is 400 per 3 months.
MONTH_SPANS = {"quarter": 3, "halfyear": 6}
# A price per 次 is a query only for look-ups; 解封一次 is one unban, an item.
QUERY_GOODS = frozenset(["lookup_service", "id_document"])
# Hard cap on offers per post: a 1 MB paste of numbers must not explode the output.
MAX_OFFERS = 500
MAX_PRICE = 1e9
# A currency stated once for a list (接码价格（单位U）, 价格表(USDT), 以下均为u) prices every row
# below it that names none of its own.
_HEADER_CURRENCY = re.compile(
    r"(?:单位|币种|计价|结算)[:： ]*(usdt|u|美金|美元|usd|rmb|人民币|元|块)(?![a-z盾])"
    r"|\((usdt|u|美金|美元|usd|rmb|人民币)(?:/[条个次张])?\)"  # 价格（U/条）
    r"|(?:均为|都是|统一)[ ]?(usdt|u|美金|美元|rmb|人民币)(?![a-z盾])"
    r"|(?<![a-z])(usdt|u) ?(?:结算|计价|价格|报价|价)"
    r"|(?:价格|报价|价目|price|prices)[:： ]*(usdt|美金|usd)(?![a-z])"
)
_CURRENCY_CODES = {
    "usdt": "USDT",
    "u": "USDT",
    "美金": "USD",
    "美元": "USD",
    "usd": "USD",
    "rmb": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "块": "CNY",
}


def header_currencies(text: str) -> list[tuple[int, str]]:
    """(Where, currency) of each header stating the currency of the prices written after it.

    One search per line, so a long paste costs one pass."""
    found: list[tuple[int, str]] = []
    if _HEADER_CURRENCY.search(text) is None:
        return found  # most posts: one search, no split
    offset = 0
    for line in text.split("\n"):
        m = _HEADER_CURRENCY.search(line)
        if m is not None:
            found.append((offset + m.start(), _CURRENCY_CODES[next(g for g in m.groups() if g)]))
        offset += len(line) + 1
    return found


@dataclass(slots=True)
class Offer:
    goods: str
    platform: str | None
    side: str
    price: float | None
    price_max: float | None = None
    currency: str = "CNY"
    per_qty: int = 1
    unit: str = "item"
    min_qty: int | None = None

    def key(self) -> tuple:
        unit_price = None if self.price is None else round(self.price / (self.per_qty or 1), 6)
        return (self.goods, self.platform, self.side, self.unit, self.currency, unit_price)

    def as_dict(self) -> dict:
        return {
            "goods": self.goods,
            "platform": self.platform,
            "side": self.side,
            "price": _plain(self.price),
            "price_max": _plain(self.price_max),
            "currency": self.currency,
            "per_qty": self.per_qty,
            "unit": self.unit,
            "min_qty": self.min_qty,
        }


@dataclass(frozen=True, slots=True)
class Page:
    """What the place a post was found in says about every post there, as a header line would:
    a code platform's price table is about SMS codes, a channel titled 收号 buys."""

    goods: str | None = None
    platforms: tuple[str, ...] = ()
    side: str | None = None
    currency: str | None = None


NO_PAGE = Page()


@dataclass(slots=True)
class Post:
    is_listing: bool
    offers: list[Offer]


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 6)


def _count(value: float) -> int | None:
    if value != int(value) or not 0 < value < 1e12:
        return None
    return int(value)


class _Reader:
    """One pass over a post's tokens; see the module docstring for the binding rules."""

    def __init__(
        self,
        tokens: list[sc.Token],
        has_contact: bool = False,
        text: str = "",
        page: Page = NO_PAGE,
        code_table: bool = False,
    ):
        self.t = tokens
        self.code_table = code_table
        self.page = page
        self.text = text
        self.n_chars = len(text)
        self.brackets = "(" in text or "（" in text
        self.has_contact = has_contact  # a seller's contact: a post naming goods advertises them
        self.n = len(tokens)
        self._index_words()
        self.offers: list[Offer] = []
        self.keys: dict[tuple, Offer] = {}
        self.cues: set[str] = set()
        self.side = page.side or "sell"
        self.explicit_side = False
        self.ctx_goods: list[str] = []
        self.ctx_defaulted = False  # ctx_goods were guessed from a platform alone
        self.ctx_plats: list[str | None] = []
        self.ctx_unit: str | None = None
        self.last_batch: list[Offer] = []
        self.last_line = -1
        self.pending_min: int | None = None
        self.pending_qty: tuple[int | None, str, int] | None = None  # (qty, unit, price index)
        self.held: tuple | None = None  # a price written before its goods
        self.held_line = 0  # the line the held price was written on
        self.lot: int | None = None  # a count that a whole-lot price may follow
        self.price_first = False
        self.defaulted: list[Offer] = []  # offers whose goods only their platform suggested
        self.first_offer_line: int | None = None
        self.late_side: str | None = None
        self.last_per_one: int | None = None  # see _price_per_one_follows
        self.last_min: tuple[int, int] | None = None  # (minimum, offers made before it)
        self.unlisted_named = False  # a row named an app we do not list (钉钉 0.8)
        self.addons: set[int] = set()  # ids of offers priced as add-ons (过脸另加 100)
        self.codes_named: bool | None = None  # see _names_codes
        self.names_listed: bool | None = None  # see _lists_names
        self.abbreviated = False  # a row named its platform by one character (扣 1.3)
        self.priced_end: int | None = None  # where the last price emitted is written
        self.side_word: str | None = None  # the word that set the side
        self.goods_ending: dict[int, sc.Token] | None = None  # see _listed_contents
        self.payment_lines: dict[int, bool] = {}  # see _payment_line
        self.line = 0
        self.line_currency: dict[int, set[str]] = {}
        self.line_first_currency: dict[int, int] = {}
        self.header_currency = header_currencies(text) if text else []
        self.default_currency = page.currency or "CNY"  # the page's, unless a header says
        self._reset_segment()

    # -- segment -------------------------------------------------------------------------------

    def _reset_segment(self) -> None:
        self.seg_goods: list[tuple[str, bool]] = []  # (goods, is an attribute: 带U盾)
        self.seg_plats: list[str] = []
        self.seg_periods: list[str] = []
        self.seg_counted: set[str] = set()  # goods named by a count: 1000赞, 1万播放
        self.seg_rent = False  # 日租/月租 written: an account on offer is rented
        self.seg_sep_after_plat = False  # a clause ended after the segment named a platform
        self.seg_line_after_plat = False  # …and a line ended after it
        self.seg_each = False
        self.seg_variant = False  # 十年以上的: an age or grade of the goods named before
        self.seg_head: str | None = None  # 教程: the head noun names the goods
        self.seg_with = False  # 带芝麻分的: a grade of the goods before, by what it has
        self.seg_defaulted = False  # the goods were guessed from the platform alone
        self.seg_membership = False  # 会员, premium: what an account has, or is sold as
        self.seg_photo_lookup = False  # 返照, 网纹照: an ID photo looked up, not one taken (手持)
        self.seg_returned = False  # 返照 1.2: a look-up's photo, priced per query even bare
        self.seg_card = False  # the last period named is a card's (月卡 9.9 一个)
        self.seg_span: str | None = None  # the unit of a span counted (三天), for a rental
        self.seg_elements = False  # 四要素 named: the 身份证, 银行卡 after it are its fields
        self.seg_line: int | None = None  # the line the segment's goods or platform begin on

    def _header_to_context(self) -> None:
        """高价收 抖音 快手 千粉号，抖音 100 快手 80: a list of platforms in a clause with no
        price is a header; the platforms named again after it start the priced items."""
        goods = [g for g, attr in self.seg_goods if not attr]
        if goods:
            self.ctx_goods = [self._choose(goods, None)]
            self.ctx_defaulted = False
        self.ctx_plats = list(self.seg_plats)
        rent = self.seg_rent
        self._reset_segment()
        self.seg_rent = rent

    def _has_subject(self) -> bool:
        return bool(self.seg_plats) or any(not attr for _, attr in self.seg_goods)

    def _prev(self, i: int) -> int:
        if 0 <= i <= self.n:
            return self.prev_word[i]
        i -= 1
        while i >= 0 and self.t[i].kind == sc.SPACE:
            i -= 1
        return i

    def _next(self, i: int) -> int:
        if -1 <= i < self.n:
            return self.next_word[i + 1]
        return i + 1

    def _index_words(self) -> None:
        """prev_word[i]: the token before ``i`` that is not a space (-1 if none); next_word[i +
        1]: the one after ``i`` (n if none). The rules ask these at every turn."""
        prev_word = [-1] * (self.n + 1)
        last = -1
        for k, tok in enumerate(self.t):
            prev_word[k] = last
            if tok.kind != sc.SPACE:
                last = k
        prev_word[self.n] = last
        next_word = [self.n] * (self.n + 1)
        nxt = self.n
        for k in range(self.n - 1, -2, -1):
            next_word[k + 1] = nxt
            if k >= 0 and self.t[k].kind != sc.SPACE:
                nxt = k
        self.prev_word = prev_word
        self.next_word = next_word

    def _kind(self, i: int) -> str | None:
        return self.t[i].kind if 0 <= i < self.n else None

    # -- main loop -----------------------------------------------------------------------------

    def read(self) -> list[Offer]:
        self._collect_currencies()
        i = 0
        while i < self.n and len(self.offers) < MAX_OFFERS:
            tok = self.t[i]
            kind = tok.kind
            if kind == sc.SEP:
                if tok.value == "\n":
                    self.line += 1
                if self.seg_plats:
                    self.seg_sep_after_plat = True
                    self.seg_line_after_plat = tok.value == "\n" or self.seg_line_after_plat
                i += 1
            elif kind == sc.NUM:
                i = self._number(i)
            elif kind == sc.NULLP:
                self._null_price(i)
                i += 1
            elif kind == sc.SPACE:
                i += 1
            elif kind == sc.OTHER:
                word = self.text[tok.start : tok.end]
                if word[-1] in "%‰" and self._percent_fee(i):
                    # 跑分 费率2%: a fee that cannot be priced; the good is on offer, price null
                    self._make(None, None, "CNY", 1, None)
                elif word[0] in "码的" and self._platform_code(i):
                    self.seg_goods.append(("sms_code", False))  # 微信码 3元: a code, not an account
                elif word[-1] == "私" and word not in NOT_ASKING and self._withheld_variant(i):
                    # 工行私, 64口私; 韵达日租400 顺丰私: by the day as the variants before it
                    self._make(None, None, "CNY", 1, self._unpriced_unit() or self.offers[-1].unit)
                elif (
                    word == "认证"
                    and self._before(tok.start).rstrip().endswith(BADGES)
                    and all(g != "account" for g, _ in self.seg_goods)  # 企业号蓝V认证: it has one
                ):
                    self.seg_goods.append(("verification_service", False))  # 蓝V 认证 一次 500
                elif (
                    word in THE_REST
                    and (
                        self._kind(self._next(i)) == sc.NUM
                        or (  # 其余项目 统一 0.5
                            self._word_at(self._next(i)) in UNIFORM_WORDS
                            and self._kind(self._next(self._next(i))) == sc.NUM
                        )
                    )
                    and not self.seg_plats
                ):
                    self.seg_plats.append("none")  # 顺丰 十块 圆通 六块 其他 五块: the rest
                    self.unlisted_named = True
                elif (
                    word in UNIFORM_WORDS
                    and not self.seg_plats
                    and self._kind(self._next(i)) == sc.NUM
                    and len(named := list(dict.fromkeys(o.platform for o in self.offers))) > 1
                    and None not in named
                ):
                    # 探探 女号 35，Soul 女号 30，男号 都是 12: one price for every platform above
                    self.seg_plats.extend(filter(None, named))
                elif word in SHOP_GRADES:
                    self.seg_variant = True  # 一钻 2000 三钻 6500 皇冠 私聊: a shop's grade
                elif sc.RENT in tok.roles:
                    self.seg_rent = True  # 一天 租金 十块: a word of renting that is no other
                elif (platform := self._row_abbreviation(i, word)) is not None:
                    # 接码 扣 1.3 陌 1.4: a code list's rows name platforms by one character
                    roles = {sc.PLAT: platform}
                    self.abbreviated = True
                    self.t[i] = sc.Token(sc.PLAT, tok.start, tok.end, platform, None, roles)
                    self._word(i)
                elif (
                    self.ctx_plats
                    and not self.seg_plats
                    and (self._unlisted_platform(i) or self._unlisted_app(i))
                ):
                    self.seg_plats.append("none")
                    self.unlisted_named = True
                i += 1
            else:
                self._word(i)
                i += 1
        self._finish()
        if self.late_side:
            for offer in self.offers:
                offer.side = self.late_side
        self._list_minimum()
        self._codes_for_platforms()
        self._one_platform_throughout()
        self._addons_per_query()
        self._addons_platform()
        self._cards_of_carriers()
        return self.offers

    def _cards_of_carriers(self) -> None:
        """收 wx 的 手机卡, 能收短信 未注册过 dy ks: a SIM card's platform is its carrier; the
        apps it is wanted for are not, and one card offer stands for them all. Devices (苹果 手机
        改机 软件) have no platform: the name is their maker's."""
        changed = set()
        for offer in self.offers:
            if offer.goods == "hardware":
                offer.platform = None
            elif offer.goods == "sim_card" and offer.platform not in CARRIERS:
                offer.platform = None
                changed.add(id(offer))
        self._drop_repeats(changed)

    def _addons_per_query(self) -> None:
        """户籍 40一次，照片另加 20: a photo added to look-ups priced per query comes with each
        look-up, so it is priced per query too."""
        if not self.addons:
            return
        if any(o.goods == "lookup_service" and o.unit == "query" for o in self.offers):
            for offer in self.offers:
                if id(offer) in self.addons and offer.goods in QUERY_GOODS and offer.unit == "item":
                    offer.unit = "query"

    def _addons_platform(self) -> None:
        """收实名微信 800 一个，需要过脸的另加 100 / 代实名 支付宝 80 微信 120，过脸另算 50: a
        service added to the goods is for the one platform the post sells; for several, the
        add-on names none of them."""
        if not self.addons:
            return
        plats = {o.platform for o in self.offers if id(o) not in self.addons and o.platform}
        platform = next(iter(plats)) if len(plats) == 1 else None
        for offer in self.offers:
            if id(offer) in self.addons and _fits(offer.goods, platform):
                offer.platform = platform
        self._drop_repeats(self.addons)  # 抖音 / 快手 / 小红书 每个 40，过脸另加 20: one add-on

    def _drop_repeats(self, changed: set[int]) -> None:
        """Of the offers in ``changed`` (ids) that a platform set afresh made the same, keep
        the first: the same good at the same price twice in one post is one offer."""
        seen = set()
        kept = []
        for offer in self.offers:
            if id(offer) in changed:
                if offer.key() in seen:
                    continue
                seen.add(offer.key())
            kept.append(offer)
        self.offers[:] = kept

    def _one_platform_throughout(self) -> None:
        """小红书业务 / 点赞 100个 2.5 / … / 千粉号出售 85, 飞机号 协议号 1u tdata 1.5u: in a post
        that names one platform and no other, the rows of goods that belong to a platform are
        its, though a row names none. A post naming two platforms, or a company we do not
        list, leaves such rows without one."""
        if self.unlisted_named:
            return
        named = {o.platform for o in self.offers if o.platform}
        if len(named) != 1:
            return
        (platform,) = named
        for tok in self.t:
            if tok.roles.get(sc.PLAT, platform) != platform:
                return
        for offer in self.offers:
            if offer.platform is None and offer.goods in PLATFORM_BOUND:
                offer.platform = platform

    def _codes_for_platforms(self) -> None:
        """陌陌 探探 soul 都是1块 接码 / 抖音 快手 都是3块一个码: platforms priced with no goods
        word by them are accounts by default, but in a post whose only goods word is a code's,
        or in a table headed 项目 (see ``nlp.tables.CODE_TABLE``), the rows are codes' prices."""
        if not self.defaulted:
            return
        if not self.code_table:
            guessed = {id(o) for o in self.defaulted}
            if any(
                o.goods not in ("account", "sms_code")
                or (o.goods == "account" and id(o) not in guessed)
                for o in self.offers
            ):
                return  # KS 0.6/条，SOUL码0.9: codes named beside the guessed rows are fine
            named = {t.roles[sc.GOODS] for t in self.t if sc.GOODS in t.roles}
            if named - {"sms_code"}:
                return
            codes = named or any(o.goods == "sms_code" for o in self.offers)
            # 扣 1.3 陌 1.4 灵魂 0.9: platforms called by one character are a code list's idiom
            if not codes and not _PER_CODE.search(self.text) and not self.abbreviated:
                return
        for offer in self.defaulted:
            offer.goods, offer.unit = "sms_code", "item"

    def _collect_currencies(self) -> None:
        """The currencies each line writes; a line that writes one reads bare numbers in it.
        The U of a price given twice (包月 15000 / 2100U) says the line's bare numbers are
        yuan, so it does not count."""
        line = 0
        for k, tok in enumerate(self.t):
            if tok.kind == sc.SEP and tok.value == "\n":
                line += 1
            elif tok.kind == sc.NUM and tok.currency and not self._second_currency(k):
                self.line_currency.setdefault(line, set()).add(tok.currency)
                self.line_first_currency.setdefault(line, tok.start)

    def _second_currency(self, k: int) -> bool:
        """15000 / 2100U: the USDT at ``k`` gives the price before the slash again."""
        slash = self._prev(k)
        if self.t[k].currency != "USDT" or self._kind(slash) != sc.SLASH:
            return False
        first = self.t[self._prev(slash)] if self._prev(slash) >= 0 else None
        return (
            first is not None
            and first.kind == sc.NUM
            and first.currency is None
            and _at_exchange_rate(first.value, self.t[k].value)
        )

    def _word(self, i: int) -> None:
        tok = self.t[i]
        roles = tok.roles
        word = self.text[tok.start : tok.end]
        if sc.CUE in roles:
            self.cues.add(roles[sc.CUE])
        side = roles.get(sc.SIDE)
        if side == "sell" and self.side == "buy" and self._bid(i):
            side = None  # 有没有能查定位的？出500: the buyer's bid
        elif side == "sell" and self.side_word == "谁有" and word == "出":
            side = None  # 谁有soul号出，预算30: asked to sell, the poster buys
        elif side == "buy" and self._charge(i):
            side = None  # 砍价群 每单收2块: what the seller charges
        elif side == "buy" and word in ("收", "也收") and self._not_buying(tok, word):
            side = None
        elif word == "批量租" and (self.explicit_side or self.offers):
            side = None  # QQ号出租 … 批量租100个 一天150: the seller's bulk price
        elif (side == "sell" or sc.RENT in roles or roles.get(sc.GOODS) == "account_rental") and (
            self.text.startswith(("你的", "您的", "给我"), tok.end)
        ):
            # 出租你的闲置VX 一天30, 有闲置QQ号的出租给我们: the poster rents the reader's account
            side = "buy"
        if side in ("sell", "buy"):
            if not self.explicit_side and self.offers and all(o.side != side for o in self.offers):
                self.late_side = side  # steam 号 200-300 收: the side written after the prices
            self.side = side
            self.side_word = word
            self.explicit_side = True
        after_attr = (
            self._kind(self._prev(i)) == sc.ATTR
            or (sc.GOODS in roles and self._what_it_can_do(tok, word))
            or (  # 带 身份证 正反面: every goods word after 带 until the price
                self._kind(self._prev(i)) == sc.GOODS
                and bool(self.seg_goods)
                and self.seg_goods[-1][1]
                and word not in ("号", "账号")  # 带粉号: the account that has them
            )
        ) and (self._has_subject() or bool(self.ctx_goods))
        goods = roles.get(sc.GOODS)
        if (
            goods
            and sc.PERIOD in roles
            and (any(not attr for _, attr in self.seg_goods) or self.ctx_goods)
        ):
            goods = None  # 群控软件 年卡1200 季卡400: the period of the goods named before
        elif goods:
            goods = self._goods_in_context(goods, word, tok.start)
        if goods and (
            self._listed_contents(tok.start)
            or (self.seg_elements and goods in ("bank_card", "id_document"))
        ):
            goods = None  # 四要素（姓名 身份证 手机 银行卡）, 四要素 ，姓名 身份证: what it holds
        if goods == "personal_data" and "要素" in word:
            self.seg_elements = True
        if goods:
            self.seg_goods.append((goods, after_attr))
            if goods == "id_document" and any(w in word for w in "返网"):
                self.seg_photo_lookup = True
                self.seg_returned = "返" in word
            if goods == "other" and word in MEMBERSHIP_WORDS:
                self.seg_membership = True
        platform = roles.get(sc.PLAT)
        if platform and self._before(tok.start).rstrip().endswith("到"):
            platform = None  # 引流到 wx: where the traffic is sent, not whose it is
        elif platform and self._registered_on(i):
            platform = None  # 未注册过wx dy ks的 卡: what a card was used for, not what is sold
        elif platform in PAYMENT_PLATFORMS and self._payment_line(tok.start):
            platform = None  # 本店接受 USDT / 微信 / 支付宝: how to pay, not what is sold
        elif (
            platform in MARKETPLACES or word in OTHER_MARKETPLACES
        ) and tok.kind == sc.PLAT and self._names_the_place(tok):
            platform = None  # 闲鱼标题：虚拟 秒发: where the post is, not what it sells
        if platform and not after_attr:
            named_again = tok.kind == sc.PLAT and platform in self.seg_plats
            if (
                named_again
                or (self.seg_sep_after_plat and any(not attr for _, attr in self.seg_goods))
                # TG频道出售\n微信老号 55U: a line of its own named where, not what
                or (self.seg_line_after_plat and not self.seg_goods and tok.kind == sc.PLAT)
            ):
                self._header_to_context()  # the platform named again starts the priced items
            if platform not in self.seg_plats:
                self.seg_plats.append(platform)
        if self.seg_line is None and (self.seg_goods or self.seg_plats):
            self.seg_line = self.line
        if sc.PERIOD in roles:
            self.seg_periods.append(roles[sc.PERIOD])
            self.seg_card = self.text.endswith("卡", 0, tok.end)  # 月卡, 年卡: a card of a period
        if sc.RENT in roles:
            self.seg_rent = True
        if tok.kind == sc.PER and tok.value in TIME_UNITS:
            self.seg_span = tok.value  # 求租 抖音号 一周，价格好说: wanted for a week
        if (
            sc.HEAD in roles
            and self._kind(self._prev(i)) != sc.ATTR
            and not self._runs_devices(word, tok.start)
        ):
            self.seg_head = roles[sc.HEAD]
            self.seg_goods.append((roles[sc.HEAD], False))
        if tok.kind == sc.GE:
            self.seg_each = True
        if tok.kind == sc.ATTR and tok.value in ("带", "含"):
            self.seg_with = True

    def _listed_contents(self, at: int) -> bool:
        """Inside brackets written against a goods word (四要素（姓名 身份证 手机 银行卡）), the
        words list what the goods hold. A bundle's (四件套(姓名+身份证+手机+照片)) say what
        it is, so they count."""
        if not self.brackets:
            return False
        opened = max(self.text.rfind("(", 0, at), self.text.rfind("（", 0, at))
        if opened <= 0 or max(self.text.rfind(")", 0, at), self.text.rfind("）", 0, at)) > opened:
            return False
        if self.goods_ending is None:  # where each goods word ends: found once a post
            self.goods_ending = {t.end: t for t in self.t if sc.GOODS in t.roles}
        tok = self.goods_ending.get(opened)
        return tok is not None and self.text[tok.start : tok.end] not in BUNDLE_WORDS

    def _year_in_brackets(self, tok: sc.Token) -> bool:
        """老号 (2019) 15U, (2019-2021), (2015 and older): when the goods were made."""
        return (
            _is_year(tok)
            and (
                self.text[tok.start - 1 : tok.start] in ("(", "（")
                or self.text[tok.end : tok.end + 1] in (")", "）")
            )
        )

    def _row_abbreviation(self, i: int, word: str) -> str | None:
        platform = ROW_ABBREVIATIONS.get(word)
        if platform is None or self._kind(self._next(i)) != sc.NUM:
            return None
        p = self._prev(i)
        if not (
            self._kind(p) in (None, sc.SEP, sc.NUM)
            or (self._kind(p) == sc.GOODS and self.t[p].roles[sc.GOODS] == "sms_code")  # 接码 V 4.5
        ):
            return None
        return platform if self._names_codes() or self._lists_names() else None

    def _lists_names(self) -> bool:
        """扣 1.3 陌 1.4 灵魂 0.9 / 小号批发 抖 1.2 快 1 微博 2.5: three names or more, each
        priced at once, make a list of platforms, even where no word says what is sold."""
        if self.names_listed is None:
            priced = sum(
                (tok.kind == sc.PLAT or self.text[tok.start : tok.end] in ROW_ABBREVIATIONS)
                and self._kind(self._next(k)) == sc.NUM
                for k, tok in enumerate(self.t)
            )
            self.names_listed = priced >= 3
        return self.names_listed

    def _names_codes(self) -> bool:
        """Whether a goods word of the post names SMS codes (asked once a post)."""
        if self.codes_named is None:
            self.codes_named = any(t.roles.get(sc.GOODS) == "sms_code" for t in self.t)
        return self.codes_named

    def _payment_line(self, at: int) -> bool:
        """A line that says how to pay (本店接受 …, 付款方式：…) and prices nothing."""
        if self.line not in self.payment_lines:  # asked once a line, however many names
            start = self.text.rfind("\n", 0, at) + 1
            end = self.text.find("\n", at)
            line = self.text[start : end if end >= 0 else self.n_chars]
            above = self.text[self.text.rfind("\n", 0, max(start - 1, 0)) + 1 : start]
            if len(above.strip()) <= 8:
                line = above + line  # ━ 付款 ━\n USDT / 支付宝 / 微信: the heading says how
            self.payment_lines[self.line] = any(w in line for w in PAYMENT_CUES) and not (
                _BARE_DIGIT.search(line)
            )
        return self.payment_lines[self.line]

    def _unlisted_platform(self, i: int) -> bool:
        """，Microsoft 0.3U: a Latin name opening a clause and priced is a platform we do not
        list; it must not inherit the platform of the item before. The caller checks first that
        a platform is carried and the clause names none (most OTHER tokens stop there)."""
        tok = self.t[i]
        word = self.text[tok.start : tok.end]
        return (
            len(word) >= 3
            and word.isascii()
            and word.isalpha()
            and word not in LATIN_GRADES
            and self._kind(self._prev(i)) in (None, sc.SEP, sc.NUM, sc.PER)
            and self._kind(self._next(i)) == sc.NUM
        )

    def _percent_fee(self, i: int) -> bool:
        tok = self.t[i]
        return (
            self.text[tok.end - 1 : tok.end] in ("%", "‰")
            and _PERCENT.fullmatch(self.text, tok.start, tok.end) is not None
            and self._before(tok.start).rstrip(" :：").endswith(FEE_WORDS)
            and self._has_subject()
        )

    def _platform_code(self, i: int) -> bool:
        """微信码, QQ码, 探探 码: a platform's name with 码 after it names SMS codes for it."""
        tok = self.t[i]
        if not self.text.startswith(("码", "的码"), tok.start):  # 陌陌 探探 的 码: theirs
            return False
        if self.text.startswith(("码子", "码农", "码数", "码字"), tok.start):
            return False
        p = self._prev(i)
        if self._kind(p) != sc.PLAT or tok.start - self.t[p].end > 1:
            return False
        # 支付宝码, 跑分 微信码: a payment QR code (bank_card), not an SMS code
        payment = self.t[p].value == "alipay" or "bank_card" in self.ctx_goods
        return not payment and all(g != "bank_card" for g, _ in self.seg_goods)

    def _unlisted_app(self, i: int) -> bool:
        """钉钉 0.8/条, 得物码 0.6, 叮咚-0.1: a Chinese name opening a priced row of a code
        platform's list is an app we do not list; it must not inherit the platform of the row
        before. Tier words (量大 0.5, 单拿 40) are not names."""
        tok = self.t[i]
        word = self.text[tok.start : tok.end].removesuffix("码")
        if not 2 <= len(word) <= 4 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            return False
        if word.startswith(TIER_WORDS) or self._kind(self._prev(i)) not in (None, sc.SEP):
            return False
        if word in REGIONS or word.endswith("区"):
            return False
        if "sms_code" not in self.ctx_goods:
            return False  # rows of an account list are variants (普通 20, 印尼 1.5U), not apps
        j = self._next(i)
        if self._kind(j) == sc.RANGE:
            j = self._next(j)
        return self._kind(j) == sc.NUM

    def _charge(self, i: int) -> bool:
        tok = self.t[i]
        return (
            self.text[tok.start : tok.end] == "收"
            and self._kind(self._next(i)) == sc.NUM
            and self._before(tok.start).rstrip()[-1:] in ("单", "次", "个", "人", "天", "每")
        )

    def _not_buying(self, tok: sc.Token, word: str) -> bool:
        """可查单号收寄件人: a recipient, not a buyer; USDT / 支付宝 都收, USDT也收: how the
        seller is paid."""
        if word == "收" and self.text.startswith(NOT_BOUGHT_AFTER, tok.end):
            return True
        line = self.text[self.text.rfind("\n", 0, tok.start) + 1 : tok.start].rstrip()
        return (
            (word == "也收" or line.endswith(("都", "均", "皆")))
            and not self.seg_goods  # 支付宝码 微信码都收: the codes are what is bought
            and (any(w in line for w in PAYMENT_MEANS) or line.endswith("u"))
        )

    def _bid(self, i: int) -> bool:
        return (
            self.side == "buy"
            and self.explicit_side
            and self.text[self.t[i].start : self.t[i].end] == "出"
            and self._kind(self._next(i)) == sc.NUM
        )

    def _goods_here(self) -> set[str]:
        """The goods the segment names, else those of the rows before it."""
        return {g for g, attr in self.seg_goods if not attr} or set(self.ctx_goods)

    def _batch_goods(self) -> bool:
        goods = self._goods_here()
        return bool(goods) and goods <= BATCH_GOODS

    def _rented(self) -> bool:
        """Accounts rented here: a rental word, or rented goods named."""
        return self.seg_rent or "account_rental" in self._goods_here()

    def _account_goods(self) -> bool:
        return self._goods_here() == {"account"}

    def _priced_each_before(self, i: int, cls_tok: sc.Token) -> bool:
        """一台三百五 十台三千: after a price for one device, a count of the same devices and a
        price is a lot (or a tier), not what one device holds."""
        if not self.offers or self.offers[-1].per_qty != 1 or self.offers[-1].price is None:
            return False
        word = self.text[cls_tok.start : cls_tok.end]
        before = self.text[max(0, self.t[i].start - 16) : self.t[i].start]
        return any(f"{one}{word}" in before for one in "一单每")

    def _counts_the_account(self, k: int) -> bool:
        """Kuaishou accounts 1k fans 12U, QQ groups 2000 members 25U: the word at ``k`` counts
        what an account on sale has (followers, members), not a batch of it."""
        return self._word_at(k) in WHAT_ACCOUNTS_COUNT and "account" in self._goods_here()

    def _bundle(self) -> bool:
        """箱子 40台 一万八: a count written with hardware says what the one item holds."""
        return "hardware" in self._goods_here()

    def _is_period_span(self, i: int) -> bool:
        tok = self.t[i] if 0 <= i < self.n else None
        return (
            tok is not None and tok.kind == sc.PER and sc.SPAN in tok.roles and tok.value in PERIODS
        )

    def _span_is_capacity(self, i: int) -> bool:
        """一天能出三百个 / 每天500精准粉: a span that says how many, not what a price is per."""
        if not self._is_period_span(i):
            return False
        k = self._next(i)
        if self._kind(k) == sc.CAP:
            return True
        if self._kind(k) != sc.NUM or self.t[k].currency is not None:
            return False
        m = self._next(k)
        return (
            m < self.n
            and self.t[m].kind != sc.PER
            and (sc.GOODS in self.t[m].roles or sc.CLS in self.t[m].roles)
            # 账号 一天 300 可查订单: what the account can do follows its daily price
            and self._word_at(m) not in LOOKUP_VERBS
        )

    def _year_labels_price(self, i: int, j: int) -> bool:
        """Gmail aged accounts: 2015 $5, 2018 $2.5: a year names the accounts the price after
        it is for (of a post about aged accounts)."""
        if not _is_year(self.t[i]) or j >= self.n or not _AGED.search(self.text):
            return False
        if self.t[j].kind == sc.NUM:
            return self.t[j].currency is not None
        # the sign of the price after it, read as a word (2018 $2.5)
        return self._word_at(j) in sc.CURRENCY_PREFIXES and self._kind(self._next(j)) == sc.NUM

    def _range_of_whom(self, j: int) -> bool:
        """要 18-25 的: a range of ages (or grades) a buyer wants, not a price range."""
        if self._kind(j) != sc.RANGE or self._kind(self._next(j)) != sc.NUM:
            return False
        return self.text.startswith("的", self.t[self._next(j)].end) or (
            self._word_at(self._next(self._next(j))) == "的"
        )

    def _count_after_price_each(self, i: int, p: int) -> bool:
        """快递面单 0.9一单 每天两三千: a day's count right after a price each, far above it,
        says how many the seller has, not a day's price."""
        q = self._prev(p)
        if not (
            self.offers
            and self.t[i].currency is None
            and self._is_period_span(p)
            and self._kind(q) == sc.PER
            and self.t[q].value == "item"
            and q > 0
            and self.t[self._prev(q)].end == self.priced_end
        ):
            return False
        last = self.offers[-1]
        return last.unit == "item" and last.price is not None and self.t[i].value >= 20 * last.price

    def _after_attribute(self, i: int) -> bool:
        """带粉5万: the number right after a goods word that follows 带/含; written apart, only
        a count of followers with a price after it (带粉 一千 二十, but 带 橱窗 1100)."""
        p = self._prev(i)
        apart = p != i - 1
        if apart and not (
            "粉" in self._word_at(p)
            and self._kind(self._next(i)) == sc.NUM
        ):
            return False
        return (
            p > 0
            and self.t[p].kind == sc.GOODS
            and self.t[p].roles[sc.GOODS] not in THINGS_BUNDLED
            and self._word_at(p) not in FEATURES  # 一级号带橱窗120: the price of the one with it
            and self._kind(self._prev(p)) == sc.ATTR
            and self.t[self._prev(p)].value in ("带", "含")
        )

    def _before(self, pos: int) -> str:
        """The few characters before ``pos``: enough for a word, and no copy of a long post."""
        return self.text[max(0, pos - 8) : pos]

    def _after_price_word(self, i: int) -> bool:
        return self._before(self.t[i].start).rstrip(" :：").endswith(PRICE_WORDS)

    # -- numbers -------------------------------------------------------------------------------

    def _number(self, i: int) -> int:
        tok = self.t[i]
        j = self._next(i)
        nxt = self.t[j] if j < self.n else None
        p = self._prev(i)
        p_kind = self.t[p].kind if p >= 0 else None
        counted_before = (  # 带20刀余额 20U: the balance came first; what follows is the price
            p_kind == sc.CAP
            and self._kind(self._prev(p)) == sc.NUM
            and self._word_at(p) == "余额"
        ) or (  # 三个还剩 280一个: the count came first, then the price
            p_kind == sc.CAP
            and self._kind(self._prev(p)) == sc.CLS
            and self._kind(self._prev(self._prev(p))) == sc.NUM
        )
        has_it = p_kind == sc.CAP and (  # what the account has, then the price
            (  # 白条号 带额度 180一个: a credit line, then a price each
                i > p + 1
                and self._kind(self._prev(p)) == sc.ATTR
                and j == i + 1
                and nxt is not None
                and nxt.kind == sc.PER
                and nxt.value == "item"
            )
            # Steam号 带CS库存 200-300: a game's inventory, not stock held
            or _INVENTORY_HAD.search(self._before(tok.start).rstrip()) is not None
        )
        if (p_kind == sc.CAP and not (counted_before or has_it)) or self._beside_plus(i):
            if (
                p_kind == sc.CAP
                and nxt is not None
                and nxt.kind == sc.CLS
                and nxt.roles[sc.CLS] == "item"
            ):
                self.lot = _count(tok.value)  # 还剩3个 … 打包800: what is left, as a lot
            if p_kind == sc.CAP and self._kind(j) == sc.RANGE:
                if self._kind(self._next(j)) == sc.NUM:
                    return self._next(j) + 1  # 每天能出三四千: both ends of the capacity
            return i + 1  # +86, 700+, 日出3000: a code, a floor or a capacity, never a price
        before = self._before(tok.start).rstrip(" :：")
        if (
            _NEW_PRICE_AFTER.match(self.text, tok.end)  # 陌陌1.5→1.4: the old price
            or (before.endswith(" -") and not tok.currency)  # 男号 -20: a discount
            or (_is_year(tok) and _YEAR_BEFORE.search(before))
            or self._year_of(tok)  # 2019年注册 12U
            # 工号211824: an employee's number, written against its word
            or (before.endswith(ID_WORDS) and tok.start == self.t[p].end and tok.value >= 10_000)
            or self._year_labels_price(i, j)  # aged accounts: 2015 $5, 2018 $2.5
        ):
            return i + 1
        if (
            before.endswith(("年", "到"))
            and nxt is not None
            and nxt.kind == sc.CLS
            and nxt.roles[sc.CLS] == "month"
            and j == i + 1
        ):
            return j + 1  # 会员到明年6月 45: a date, not six months
        if self._years(i, j):
            return self._next(j) + 1  # 车主 2022-2024 0.25/条: the years the records are from
        if self._year_in_brackets(tok):
            return i + 1  # Telegram 老号 (2019) 15U: when it was made
        if self.text.startswith(NOT_PRICE_AFTER, tok.end) or (
            nxt is not None and self.text.startswith(NOT_PRICE_AFTER, nxt.start)
        ):
            return i + 1  # 能过五十万流水: the turnover a card can take, not its price
        if (
            nxt is not None
            and not tok.currency
            and self._word_at(j) in TOP_UP_WORDS
            and self._kind(self._next(j)) == sc.NUM
            and self.t[self._next(j)].value < tok.value  # not 0.9 充值 100 起
        ):
            return i + 1  # 648 代充 480: the top-up's face value, then its lower price
        if (
            (
                before.endswith(NOT_PRICE_WORDS)
                and not _FACE_VALUE_BEFORE.search(before)
                and not (counted_before or has_it)
                and not (before.endswith("年龄") and nxt is not None and nxt.kind == sc.CLS)
                # 带等级 18 一个: a grade of accounts (with levels) and its price, not a level
                and not (before.endswith("带等级") and self._kind(j) != sc.MEASURE)
            )
            or _LIST_RANK.search(before)
            or _NOT_PRICE_BEFORE.search(before)
            or (  # 只要18-25的, 只要200个: who or how many; 一年 只要120 is the price
                before.endswith("只要")
                and (self._kind(j) in (sc.RANGE, sc.CLS) or self.text.startswith("的", tok.end))
            )
            or (before.endswith("要") and self._range_of_whom(j))  # 实名号 35 要 18-25 的
            or _TOP_UP.search(before)
            or (tok.value < 10 and tok.value == int(tok.value) and _REPLY_ASKED.search(before))
        ):
            if self._kind(j) == sc.RANGE and self._kind(self._next(j)) == sc.NUM:
                return self._next(j) + 1  # 安卓 10-14: both ends
            return i + 1  # 数量30, 余额 0.00 U, 充 500: not what anything costs
        if (
            nxt is not None
            and (nxt.value == "=" or self._word_at(j) == "for")
            and self._kind(self._next(j)) == sc.NUM
            and not tok.currency
            and _count(tok.value)
        ):
            self.pending_qty = (_count(tok.value), "item", self._next(j))  # 1w = 60U, 1000 for 35
            return j + 1
        if self._word_of_next_number(i, j):
            return self._emit(i, i) if (self._has_subject() or self.ctx_goods) else i + 1
        if (
            p_kind == sc.PER
            and sc.SPAN not in self.t[p].roles
            and nxt is not None
            and j > i + 1
            and nxt.kind not in (sc.PER, sc.SLASH, sc.NUM, sc.CLS, sc.QI, sc.MINQ)
            and not (nxt.kind == sc.MEASURE and self.text[nxt.start : nxt.end] in SIZES)
            and (self._has_subject() or self.ctx_goods)
        ):
            return self._emit(i, i)  # 一个30 粉越多价越高, 一次 60 秒过: a price per one
        added = before.endswith(ADDON_WORDS)
        if added and self._service_with():
            # 户籍 40一次，带照片 另加 20: the photo is a service added on, priced of its own
            self.seg_goods = [(goods, False) for goods, _ in self.seg_goods]
        elif before.endswith(("加", "加价")) and self._surcharge(added):
            self._reset_segment()
            return i + 1
        if (
            tok.currency is None
            and before.endswith(ORDER_MINIMUM_WORDS)
            and not self._tier_taken(p)  # 100个起批 40: the tier's price
            and not self._lot_price(i)  # 50个 一起拿 2000: the whole lot's price
        ):
            return self._order_minimum(i, j)
        if p_kind == sc.PER and self._count_after_price_each(i, p):
            if self._kind(j) == sc.RANGE and self._kind(self._next(j)) == sc.NUM:
                return self._next(j) + 1  # 0.9一单 每天两三千: both ends of the day's count
            return i + 1
        if (p_kind == sc.PER and self._span_is_capacity(p)) or (
            p_kind == sc.GOODS
            and not tok.currency
            and self._is_period_span(self._prev(p))
            and (nxt is None or nxt.kind not in (sc.PER, sc.SLASH))
        ):
            return i + 1  # 每天500精准粉 / 每天加粉300: how many a day, not a price a day
        if (
            nxt is not None
            and nxt.kind == sc.MEASURE
            and tok.currency is None
            # 心级30 钻级120: 钻级 is the next grade, not thirty diamonds
            and not (j > i + 1 and self.text.startswith("级", nxt.end))
            and (
                j == i + 1
                or self.text[nxt.start : nxt.end] not in WRITTEN_ON
                # 卡池 二手 128 卡 4500, 32 卡 一台 1500 ，128 卡 4800: the slots of a device
                or any(g == "hardware" for g, _ in self.seg_goods)
                or (not self.seg_goods and "hardware" in self.ctx_goods)
            )
        ):
            if self._kind(self._next(j)) in (sc.MINQ, sc.NULLP):
                self.seg_variant = True  # 7级以上 价格私聊, 128口 私聊: a grade of the goods
            return j + 1  # 2 小时, 64口, 6 级: a size or a time
        if (
            p_kind == sc.GOODS
            and tok.currency is None
            and self._after_attribute(i)
            and (nxt is None or nxt.kind not in (sc.PER, sc.SLASH))
        ):
            return i + 1  # 带粉5万, 带余额300: how much the item has, not its price
        left = self.t[i - 1] if i > 0 else None
        if left is not None and left.kind == sc.ATTR and left.value in ("送", "赠"):
            return i + 1  # 注册送10元: a gift, not a price
        if (
            tok.currency is None
            and nxt is not None
            and nxt.kind == sc.OTHER
            and self.text.startswith("的", nxt.start)
            and self._kind(self._next(j)) == sc.NUM
        ):
            return i + 1  # 带粉 1000 的 30: what the item has, then its price
        if nxt is not None and nxt.kind == sc.QI and tok.currency is None:
            return self._number_qi(i, j)
        if nxt is not None and nxt.kind == sc.MINQ and nxt.value == "after" and not tok.currency:
            bound = self._word_at(j)
            if bound in ("左右", "以内", "以下") and (
                self._after_price_word(i)
                # 月租 一千左右, 一个月 1000 左右: the price of a period, roughly
                or (
                    bound == "左右"
                    and p_kind in (sc.PERIOD, sc.PER)
                    and self.t[p].value in TIME_UNITS
                )
                or (
                    self.explicit_side
                    and self.side == "buy"
                    and (
                        not self.offers
                        or self._after_grade(p)  # 七位 800左右
                        # 陌陌 1.2 以下 探探 1 以下: each named, each bid
                        or (self._has_subject() and bound != "左右")
                    )
                )
            ):  # 价格两百左右 / 收 猫池 800 左右: the price asked or bid, roughly
                if self._has_subject() or self.ctx_goods:
                    self._emit(i, i)  # 价格两百左右: the price asked, roughly
            elif bound == "以上" and (
                self._after_price_word(i)
                or (p_kind in (sc.PERIOD, sc.PER) and self.t[p].value in TIME_UNITS)
            ):  # 日租300以上可谈, 价格300以上: the least price, as 300起 is
                if self._has_subject() or self.ctx_goods:
                    self._emit(i, i)
            return j + 1  # 额度5000以上, 300左右: a threshold or an estimate
        if (
            p_kind == sc.MINQ
            and self.t[p].value == "before"
            and (nxt is None or sc.CLS not in nxt.roles)
        ):
            return i + 1  # 余额从来没超过800: a threshold
        if (
            p_kind == sc.MINQ
            and self.t[p].value == "before"
            and nxt is not None
            and nxt.roles.get(sc.CLS) in TIME_UNITS
            and self._kind(self._next(j)) == sc.NUM
        ):
            return j + 1  # 超过 7 天 0.1 一条: how old the data is, then its price
        if self._lot_price(i) and (self._has_subject() or self.ctx_goods):
            self.pending_qty = (self.lot, "item", i)
            self.lot = None
            return self._emit(i, i)
        if self.pending_qty is not None and self.pending_qty[2] == i and self._priced(i, i):
            return self._emit(i, i)  # 点赞 1k 12 收藏: the price of the batch, not 12 收藏
        if (
            p_kind == sc.PERIOD
            and self._word_at(j) == "号"
            and (self._has_subject() or self.ctx_goods)
        ):
            return self._emit(i, i)  # 包月 700 号都是一年以上的: the month's price, then 号
        if (
            tok.currency is None
            and nxt is not None
            and nxt.kind != sc.PER
            and sc.CLS in nxt.roles
            and not self._alone_after(j)
        ):
            return self._quantity(i, j)
        if nxt is not None and nxt.kind == sc.RANGE:
            k = self._next(j)
            if k < self.n and self.t[k].kind == sc.NUM and self.t[k].value > tok.value:
                after = self._next(k)
                if self._kind(after) == sc.MEASURE:
                    return after + 1  # 1-3级 20: a range of grades, then the price
                if (
                    self._kind(after) == sc.CLS
                    and self.t[after].roles[sc.CLS] in ("item", "query")
                    and self._kind(self._next(after)) == sc.NUM
                ):
                    return after + 1  # 1-99个 1.5 / 100-999个 1.3: a tier of counts, then its price
                if (
                    after >= self.n
                    or sc.CLS not in self.t[after].roles
                    or self.t[after].kind == sc.PER
                ):
                    if self._priced(i, k, is_range=True):
                        return self._emit(i, k)
                    return k + 1
        if self._batch_before_price(i) and (self._has_subject() or self.ctx_goods):
            self.pending_qty = (_count(tok.value), "item", i + 2)
            return i + 1
        price = self._audience_price(i)
        if price is not None and (self._has_subject() or self.ctx_goods):
            self.pending_qty = (_count(tok.value), "item", price)
            return price
        if self._priced(i, i):
            return self._emit(i, i)
        return i + 1

    def _after_grade(self, p: int) -> bool:
        """收 QQ 靓号 六位数 五千起收 七位 800左右: a grade (七位) before the number bid for it."""
        return (
            self._kind(p) == sc.CLS
            and self._word_at(p) in GRADE_CLASSIFIERS
            and self._kind(self._prev(p)) == sc.NUM
        )

    def _word_at(self, k: int) -> str:
        """The text of token ``k`` ("" past the end)."""
        return self.text[self.t[k].start : self.t[k].end] if 0 <= k < self.n else ""

    def _tier_taken(self, p: int) -> bool:
        """100个起批 / 100个起拿 before a number: a count, 起 and the verb of taking them."""
        if self._kind(p) != sc.QI:
            p = self._prev(p)
        return self._kind(p) == sc.QI and self._kind(self._prev(p)) == sc.CLS

    def _order_minimum(self, i: int, j: int) -> int:
        """起量100 / 起订: 50个: the minimum order of the offers just made on this line, or of
        the next one."""
        qty = _count(self.t[i].value)
        if qty is not None:
            self._minimum(qty, tier=False, at=self.t[i].start)
        if j < self.n and sc.CLS in self.t[j].roles and self.t[j].kind != sc.PER:
            return j + 1
        return i + 1

    def _minimum(self, qty: int, tier: bool, at: int) -> None:
        """A minimum order: of the offers just made on this line, or (a tier, 100个起 5元) of the
        next one. Written after every price it is every row's (see ``_list_minimum``), unless
        it is in brackets after one of them (批量 $2.5（50个起）)."""
        if not tier and self.last_batch and self.last_line == self.line:
            for offer in self.last_batch:
                if offer.min_qty is None:
                    offer.min_qty = qty
            whole_list = (
                self.first_offer_line == self.line  # 探探1.2 陌陌1.5 起订100
                and not self._before(at).rstrip().endswith(("(", "["))
            )
        else:
            self.pending_min = qty
            whole_list = not tier
        self.last_min = (qty, len(self.offers)) if whole_list else None

    def _minimum_aside(self, k: int) -> bool:
        """满200个 送10个, 100次起充, 批发50个起另议 after priced rows: a bonus, a top-up or a
        tier whose price is withheld. None of these is the minimum order of the rows above."""
        rest = self.text[self.t[k].end : self.t[k].end + 6].lstrip(" ")
        if rest.startswith(MINIMUM_ASIDES):
            return True
        m = self._next(k)
        return (
            self._kind(m) == sc.NULLP
            and self.t[m].start - self.t[k].end <= 1
            and any(o.price is not None for o in self.offers)
        )

    def _count_not_price(self, i: int) -> bool:
        """Whether N起 after a list is its minimum order: alone on its line, or a round number
        far above the prices (…新号 0.8U 带辅助邮箱 五百起), not a price from (带Q龄的 35起)."""
        p = self._prev(i)
        if p < 0 or self.t[p].kind == sc.SEP:
            return True
        prices = [o.price for o in self.offers if o.price]
        value = self.t[i].value
        return (
            self.t[p].kind != sc.PER
            and bool(prices)
            and value % 10 == 0
            and value >= 10 * max(prices)
        )

    def _list_minimum(self) -> None:
        """淘宝号 / 普通号 25 / 一心号 45 / 起量10个: a minimum written once, below or after every
        price of a list, is the minimum of each of its rows."""
        if self.last_min is None or self.last_min[1] != len(self.offers):
            return  # no minimum, or offers came after it (they took it as theirs)
        for offer in self.offers:
            if offer.min_qty is None:
                offer.min_qty = self.last_min[0]

    def _surcharge(self, added: bool) -> bool:
        """女号另加20, 满一年 加50, 有U盾 加200 (a number after 加): what a grade of the goods adds
        to their price is no offer of its own; 照片另加50, 人脸另加40 name a service of their own,
        and are."""
        named = {g for g, attr in self.seg_goods if not attr}
        # 带图好评 另加 2: a grade of the engagement too (加200人 adds followers, 带图 追评 加五块
        # prices a review of its own)
        return named <= ({"account", "other", "fake_engagement"} if added else {"account", "other"})

    def _service_with(self) -> bool:
        """带照片, 带人脸 after look-ups: the goods after 带 are a service (a photo, a face check)
        of their own; after accounts (婚恋号 … 带照片的另加20) they are a grade."""
        return (
            bool(self.seg_goods)
            and all(attr and goods in ADDED_SERVICES for goods, attr in self.seg_goods)
            and (
                all(goods == "verification_service" for goods, _ in self.seg_goods)
                or any(o.goods in QUERY_GOODS for o in self.offers)
            )
        )

    def _beside_plus(self, i: int) -> bool:
        tok = self.t[i]
        before = self.t[i - 1] if i > 0 else None
        after = self.t[i + 1] if i + 1 < self.n else None
        return (
            before is not None
            and before.kind == sc.ATTR
            and before.end == tok.start
            and before.roles.get(sc.ATTR) == "+"
        ) or (
            after is not None
            and after.kind == sc.ATTR
            and after.start == tok.end
            and after.roles.get(sc.ATTR) == "+"
        )

    def _number_qi(self, i: int, j: int) -> int:
        """NUM起 without a classifier: a starting price (解封200起) or, after one, a minimum."""
        qty = _count(self.t[i].value)
        if not self._has_subject() and self.last_batch and self.last_line == self.line:
            if qty is not None:
                self._minimum(qty, tier=False, at=self.t[i].start)
            return j + 1
        if (
            not self._has_subject()
            and self.offers
            and qty is not None
            and self._kind(self._next(j)) not in (sc.NUM, sc.NULLP)
            and self._count_not_price(i)
        ):
            self._minimum(qty, tier=False, at=self.t[i].start)  # …\n ZFB 2.5\n 100起
            return j + 1
        if self._has_subject() or self.ctx_goods or self.ctx_plats:
            self._emit(i, i)
        return j + 1

    def _tier_of_counts(self, qty: int, k: int) -> bool:
        """注册卡 9块 ，1000张 7.5: a count, then a price near the price each before it, is a tier
        (from that many on, each), not that many for the price (一次 2.5 一百次 200 is)."""
        goods = self._goods_here()  # 微信号 30一个 ，抖音点赞 1000个 25: other goods, a batch
        each = [
            o.price
            for o in self.last_batch
            if o.price is not None and o.per_qty == 1 and o.goods in goods
        ]
        return qty >= 10 and bool(each) and 0.3 * each[-1] <= self.t[k].value <= 1.5 * each[-1]

    def _year_of(self, tok: sc.Token) -> bool:
        """2019年注册: the year something was made, not 2019 years."""
        return _is_year(tok) and _YEAR_AFTER.match(self.text, tok.end) is not None

    def _registered_on(self, i: int) -> bool:
        """注册过微信的不要, 未注册过wx dy ks的: the apps a number or card was (not) registered
        on, the first of them after 注册 and the rest listed after it."""
        first = i
        for _ in range(8):  # a few apps; a post of thousands of names is not walked back
            if self._kind(self._prev(first)) != sc.PLAT:
                break
            first = self._prev(first)
        return self._before(self.t[first].start).rstrip().endswith(REGISTERED_ON)

    def _alone_after(self, j: int) -> bool:
        """全套4500 单卡300: 单 written onto the goods after it says "alone", not "orders"."""
        return (
            self.text[self.t[j].start : self.t[j].end] == "单"
            and j + 1 < self.n
            and self.t[j + 1].kind == sc.GOODS
        )

    def _quantity(self, i: int, j: int) -> int:
        """NUM + classifier: a count (200个), a minimum (100个起) or a batch (1000条300)."""
        qty = _count(self.t[i].value)
        cls_tok = self.t[j]
        unit = cls_tok.roles[sc.CLS]
        goods = cls_tok.roles.get(sc.GOODS)
        k = self._next(j)
        named = {g for g, attr in self.seg_goods if not attr}
        if unit in TIME_UNITS:
            self.seg_span = unit
        if (
            self.side == "buy"
            and unit in ("item", "query")
            and self._before(self.t[i].start).rstrip().endswith(("要", "需要", "收"))
            and self._kind(self._next(j)) not in (sc.QI, sc.MINQ)
            and self._word_at(k) not in BID_WORDS  # 要1w条 给500: the batch a bid buys
        ):
            return j + 1  # 有没有出探探女号的 要 20 个 30 左右: how many the buyer wants
        if self.text[cls_tok.start : cls_tok.end] in FOLLOWER_WORDS and (
            "account" in named
            or (not named and self.ctx_goods == ["account"])
            or (not named and _CHANNEL.search(self.text, 0, cls_tok.start) is not None)
        ):
            return (k if self._kind(k) == sc.MINQ else j) + 1  # 收快手号 1000粉以上: followers
        audience = self._kind(k) in (sc.SLASH, sc.PER)  # 100人/小时 8元, 1000人 一场 100
        grade_word = self.text[cls_tok.start : cls_tok.end] in GRADE_CLASSIFIERS and not audience
        if grade_word and "fake_engagement" not in named and (
            self.text.startswith("数", cls_tok.end)
            or "account" in named
            or (not named and self.ctx_goods == ["account"])
            or (not named and self.seg_plats and self._kind(k) == sc.NUM)
        ):
            self.seg_variant = True  # 9位数的 3块, 1000人 40: the number's length, a group's size
            return j + 1
        if goods and goods != "account":
            self.seg_goods.append((goods, False))  # 1000粉: the count names the good
            self.seg_counted.add(goods)
        if (
            j > i + 1
            and self.text[cls_tok.start : cls_tok.end] in ("个", "张", "条", "套")
            and self._kind(k) not in (sc.NUM, sc.QI, sc.MINQ, sc.PER, sc.SLASH)
            and self._word_at(k) != "="  # 1w 条 = 120U: the batch a price buys
            and self._has_subject()
            and self._kind(self._prev(i)) not in (sc.CAP, sc.MINQ, sc.ATTR)
            and not self._lot_follows(k)
            and not self._price_per_one_follows(k)  # 出售白卡 200 张，12 一张: 200 is how many
        ):
            self._emit(i, i)  # 满月号 220 个,: a price per piece, written apart from its 个
            return j + 1
        if unit not in ("item", "query") and self._kind(k) == sc.MINQ:
            self.seg_variant = True
        minimum = (
            unit in ("item", "query")
            and not grade_word  # 满500人的群, 1万人以上: the size of a group, not an order
            and (self._kind(self._prev(i)) == sc.MINQ or self._kind(k) == sc.MINQ)
        )
        if minimum or self._kind(k) == sc.QI:
            if self._kind(k) not in (sc.QI, sc.MINQ):
                k = j  # 满100张 9元: the minimum is written before the count
            if self._minimum_aside(k):
                return k + 1
            m = self._next(k)
            if m < self.n and self.text[self.t[m].start : self.t[m].end] in TAKE_WORDS:
                m = self._next(m)  # 100个起拿 2.5U: the tier's price follows its verb
            if qty is not None:
                tier = m < self.n and self.t[m].kind == sc.NUM and self._next_is_not_count(m)
                self._minimum(qty, tier, at=self.t[i].start)
            return k + 1
        p = self._prev(i)
        if self._kind(p) == sc.PER and (
            self._kind(self._prev(p)) != sc.NUM or unit not in ("item", "query")
        ):
            # 一箱 20台 9000: what one box holds, not how many the price buys; after a price's
            # 一个, 一万条 2500 is the next batch but 3年 80 is the next grade
            return j + 1
        if unit == "year" and self._account_goods():
            self.seg_variant = True
            return j + 1  # 八年 30: an account's age, a grade, not a batch of years
        if (
            self.text.startswith("的", cls_tok.end)
            and self.text[cls_tok.end + 1 : cls_tok.end + 4].lstrip().startswith("预算")
            and self._bundle()
        ):
            return j + 1  # 群控系统 20台的 预算5000: what the one system holds
        if self._word_at(k) in ONLINE_WORDS:
            k = self._next(k)  # 100人 在线 一小时 15: how the audience is, then for how long
        if k < self.n and self.t[k].kind == sc.PER and sc.SPAN in self.t[k].roles:
            rented = (
                self.seg_rent
                or any(o.goods == "account_rental" for o in self.last_batch)
                or "account_rental" in self._goods_here()  # 批量出租 微信号 一百个 一天 200
            )
            if rented and self.t[k].value in PERIODS and unit == "item":
                unit = self.t[k].value  # 批量租 100个 一天 100: a hundred rented by the day
            k = self._next(k)  # 1000人 一场 100: the batch, per one show, at a price
            if self._kind(k) == sc.OTHER and self._word_at(k) in TOTAL_WORDS + BID_WORDS:
                k = self._next(k)  # 1000人一小时 预算40: the buyer's bid for the batch
        elif self._kind(k) == sc.SLASH and self._kind(self._next(k)) == sc.MEASURE:
            k = self._next(self._next(k))  # 100人/小时 8元: the batch, for an hour, at a price
        elif self._kind(k) == sc.SEP and self.t[k].value == "=":
            k = self._next(k)  # 1w 条 = 120U: the batch, then what it costs
        elif self._kind(k) == sc.OTHER and (
            self._word_at(k) in TOTAL_WORDS + BID_WORDS
            or (goods and self._word_at(k) in PRICE_WORDS)
        ):
            # 100万条 预算3万, 1w条给500: the batch, then what all of it costs; 1000 粉 价格 50
            # (a count that names the good); but 十个 价格两百 is two hundred each
            k = self._next(k)
        elif self._kind(k) == sc.NUM and self._kind(self._next(k)) == sc.MEASURE:
            k = self._next(self._next(k))  # 100人 1小时 30: the batch, for an hour, at a price
        if (
            qty is not None
            and k < self.n
            and self.t[k].kind == sc.NUM
            and self._next_is_not_count(k)
            and not (self._bundle() and not self._priced_each_before(i, cls_tok))
        ):
            if self._tier_of_counts(qty, k):
                self._minimum(qty, tier=True, at=self.t[i].start)
                return j + 1
            self.pending_qty = (qty, unit, k)
            if self._kind(self._next(k)) == sc.PER and qty > 1 and unit == "item":
                self.lot = qty  # 八个 二十八一个 全要 两百: 28 each, 200 for the eight
        elif (
            qty is not None
            and qty > 1
            and unit == "item"
            and self.text[cls_tok.start : cls_tok.end] not in FOLLOWER_WORDS
        ):
            self.lot = qty  # 微信老号50个，打包2000: the count a whole-lot price buys
        return j + 1

    def _priced_batch(self, c: int) -> bool:
        """10块 / 千人 在线 一小时 90: the count after a slash is the next tier's batch, priced
        after how the audience is and for how long."""
        k = self._next(c)
        for _ in range(3):
            if self._kind(k) == sc.NUM:
                return True
            span = self._kind(k) == sc.PER and sc.SPAN in self.t[k].roles
            if not (span or self._word_at(k) in ONLINE_WORDS):
                return False
            k = self._next(k)
        return False

    def _lot_follows(self, k: int) -> bool:
        """200 个 打包 1000: the count is the lot the next price buys."""
        if k >= self.n:
            return False
        after = self.text[self.t[k].start : self.t[k].start + 4]
        return after.startswith(TOTAL_WORDS + LOT_WORDS)

    def _lot_price(self, i: int) -> bool:
        """打包2000全拿走 / 一共600全出 after a count: the price of the whole lot."""
        if self.lot is None:
            return False
        before = self._before(self.t[i].start).rstrip(" :：").removesuffix("的话")
        before = before.removesuffix("给")  # 100张 打包给1800: the buyer's bid for the lot
        if before.endswith(LOT_WORDS):
            return True  # 还剩8000条 … 全拿走的话1200: all of it, whatever the sum
        after = self.text[self.t[i].end : self.t[i].end + 4]
        return self.t[i].value > self.lot and (
            before.endswith(TOTAL_WORDS) or after.lstrip().startswith(LOT_WORDS)
        )

    def _batch_before_price(self, i: int) -> bool:
        """``1万 300元``: a bare whole number, a space, then a number with its currency."""
        tok = self.t[i]
        if tok.currency is not None or _count(tok.value) is None or tok.value < 2:
            return False
        if i + 2 >= self.n or self.t[i + 1].kind != sc.SPACE:
            return False
        price = self.t[i + 2]
        follower = self.t[i + 3] if i + 3 < self.n else None
        if price.kind != sc.NUM:
            return False
        if price.currency is not None or (follower is not None and follower.kind == sc.PER):
            return True
        if (
            self._batch_goods()
            and tok.value >= 100
            and tok.value % 100 == 0
            and price.value < tok.value
            and (follower is None or follower.kind in (sc.SEP, sc.SPACE))
        ):
            return True  # 抖音 1w 80 快手 1w 70: fans or records come in batches
        # 粉丝 1万 150: a round thousand, then a smaller bare number ending the clause
        after = self._next(i + 2)
        return (
            tok.value >= 1000
            and tok.value % 100 == 0
            and price.value < tok.value
            and (after >= self.n or self.t[after].kind == sc.SEP)
        )

    def _audience_price(self, i: int) -> int | None:
        """直播人气 1000 一小时 25: an audience in hundreds kept for an hour or a show, then
        the price of the whole audience; where that price is."""
        span = self._next(i)
        if not (
            self._batch_goods()
            and self.t[i].currency is None
            and self.t[i].value >= 100
            and self.t[i].value % 100 == 0
            and self._kind(span) == sc.PER
            and sc.SPAN in self.t[span].roles
            and self.t[span].value == "item"
        ):
            return None
        price = self._next(span)
        if self._kind(price) != sc.NUM or self.t[price].value >= self.t[i].value:
            return None
        return price

    def _next_is_not_count(self, i: int) -> bool:
        j = self._next(i)
        return (
            self.t[i].currency is not None
            or j >= self.n
            or sc.CLS not in self.t[j].roles
            or self.t[j].kind == sc.PER
            or (j > i + 1 and self.t[j].kind == sc.GOODS)  # 100条 30 转发: the next item
            or self._word_of_next_number(i, j)
        )

    def _word_of_next_number(self, i: int, j: int) -> bool:
        """日 50 周 280, 转发1000个15 阅读10w个20: a period or a counted word written apart
        from the number ``i`` and before another number goes with that next number."""
        nxt = self.t[j] if j < self.n else None
        tok = self.t[i]
        if (
            self._kind(self._prev(i)) in (None, sc.SEP)
            and tok.currency is None
            and tok.value == int(tok.value)
            and tok.value <= 90
            and nxt is not None
            and sc.CLS in nxt.roles
            and nxt.roles[sc.CLS] in TIME_UNITS
        ):
            return False  # ⌚ 3 天 80: a row's count of days, then their price
        if self._kind(self._prev(i)) == sc.MINQ:
            return False  # 超过 7 天 0.1: a threshold, read as one below
        if self._counts_the_account(j):
            return False
        return (
            nxt is not None
            and j > i + 1
            and self._kind(self._next(j)) == sc.NUM
            and (self._lone_period(j) or (nxt.kind == sc.CLS and nxt.end - nxt.start > 1))
        )

    def _priced(self, i: int, last: int, is_range: bool = False) -> bool:
        """Is the number at ``i`` (range ending at ``last``) an amount asked or bid?"""
        tok, end = self.t[i], self.t[last]
        if tok.value > MAX_PRICE or end.value > MAX_PRICE:
            return False
        if tok.currency or end.currency:
            return True
        follower = self.t[last + 1] if last + 1 < self.n else None
        if follower is not None and follower.kind in (sc.PER, sc.SLASH):
            return True
        if self.pending_qty is not None and self.pending_qty[2] == i:
            return True
        if self._kind(self._prev(i)) in (sc.PER, sc.PERIOD):
            return True
        if self._after_price_word(i) or (
            follower is not None
            and follower.kind == sc.OTHER
            and self.text.startswith(PRICE_TAILS, follower.start)
        ):
            return self._has_subject() or bool(self.ctx_goods or self.ctx_plats)  # 预算400有的私
        bare_ok = follower is None or follower.kind in (
            sc.SEP,
            sc.SPACE,
            sc.LIST,
            sc.GOODS,
            sc.PLAT,
            sc.SIDE,
            sc.NULLP,
            sc.ATTR,
            sc.CUE,
        )
        if (
            not bare_ok
            and follower is not None
            and follower.kind == sc.OTHER
            and self.text[follower.start : follower.end] in ("男", "女")
            and self._kind(self._next(last + 1)) == sc.NUM
        ):
            bare_ok = True  # 男15女18: a variant's price, then the next variant's label
        if not bare_ok and not is_range:
            return False
        if follower is not None and follower.kind == sc.SPACE:
            # 给 50 一个 收 淘宝号, 100 收B站号: a price each, or a side, written apart (a count
            # of goods apart is no price: 40 Gmail accounts, 1688 商家号)
            apart = self._next(last)
            if self._kind(apart) == sc.PER:
                return True
            if self._kind(apart) == sc.SIDE:
                follower = self.t[apart]
        if follower is not None and follower.kind in (sc.SIDE, sc.GOODS, sc.PLAT):
            return tok.value < 100_000  # 300出微信老号: the goods follow; 100万游戏币 is a count
        return self._has_subject() or bool(self.ctx_goods or self.ctx_plats)

    def _emit(self, i: int, last: int) -> int:
        lo, hi = self.t[i], self.t[last]
        price = lo.value
        price_max = hi.value if last != i else None
        currency = lo.currency or hi.currency or self._line_default_currency(last)
        if currency == "USDT" and not lo.currency and self._usdt_beside(last):
            currency = "CNY"  # 包月 12000 / 1700U: the same thing's price in yuan, then in U
        per_qty = 1
        unit = None
        spanned = each = False
        consumed = last + 1
        a = self._next(last)
        p = self._prev(i)
        if self._kind(p) == sc.SIDE and self._bid(p):
            p = self._prev(p)  # 求租 一天出100: the buyer's bid per day
        elif self._kind(p) in (sc.OTHER, sc.SIDE) and self._word_at(p) in LEAD_WORDS:
            p = self._prev(p)  # 一天 保底 300 / 一个给5块 / 一周 出价200: the period before
        if not self.explicit_side and self._before(lo.start).rstrip(" :：").endswith(BID_WORDS):
            self.side, self.explicit_side = "buy", True  # 一个给5块, 预算300: what a buyer pays
        per_card = (
            self._kind(p) == sc.PERIOD
            and sc.GOODS in self.t[p].roles  # 年卡 198 一张: a yearly card, priced per card
            and self._kind(a) == sc.PER
            and self.t[a].value == "item"
        )
        counted_period = (  # 三个月 120 一年 350: 120 is for the three months before it
            self._kind(p) == sc.CLS
            and self.t[p].roles[sc.CLS] in TIME_UNITS
            and self._kind(self._prev(p)) == sc.NUM
        )
        per_before = (self._kind(p) in (sc.PER, sc.PERIOD) or counted_period) and not per_card
        per_before_close = per_before and p == i - 1
        # A per-one marker after the price wins when written against it (0.5一张) or when none
        # is written before; 日租 80 一周 450 reads 一周 as the next price's.
        if (
            a < self.n
            and self.t[a].kind == sc.PER
            and (a == last + 1 or not per_before)
            and not self._span_is_capacity(a)
            # 三天内 0.3 一周的 0.15: how old the next records are, not what 0.3 is per
            and not self.text.startswith(GRADE_TAILS, self.t[a].end)
        ):
            unit = self.t[a].value
            consumed = a + 1
            each = unit == "item" and sc.SPAN not in self.t[a].roles  # 9.9 一个, 198 一张
            if sc.SPAN in self.t[a].roles and unit == "item":
                spanned = True  # 1000人 15元 一小时: per a span of time, the batch stands
            elif each and per_before and self._rented() and self.t[p].value in TIME_UNITS:
                unit = self.t[p].value  # 批量租 一天0.5一个: each account, by the day
        elif a < self.n and self.t[a].kind == sc.SLASH:
            b = self._next(a)
            c = self._next(b)
            if (
                b < self.n
                and self.t[b].kind == sc.NUM
                and c < self.n
                and sc.CLS in self.t[c].roles
                and self._kind(self._next(c)) not in (sc.NUM, sc.QI, sc.MINQ)
                and not self._priced_batch(c)
            ):  # not 1.8 / 1000个起 1.5, 700U / 100个 80U: a slash between tiers
                per_qty = _count(self.t[b].value) or 1
                unit = self.t[c].roles[sc.CLS]
                consumed = c + 1
        elif (
            a < self.n
            and (lo.currency or hi.currency)
            and self.t[a].kind == sc.NUM
            and self.t[a].currency is None
            and not (self.pending_qty is not None and self.pending_qty[2] == i)
            and not per_before  # 一次 两块五 一百次 二百: priced per one, then the next tier
            and not self._year_of(self.t[a])  # 12U 2022年的 6U: the next item's year
        ):
            c = self._next(a)
            q = self._next(c)
            if (
                c < self.n
                and self.t[c].kind != sc.PER
                and sc.CLS in self.t[c].roles
                and self._word_at(c) not in GRADE_CLASSIFIERS
                and not self._counts_the_account(c)  # 5k粉25U 1w粉45U: the next one's fans
                and self._kind(q) not in (sc.QI, sc.MINQ)  # 380蚊 两年以上 450蚊: a grade
                and not self._lot_follows(q)  # 6块 50个打包250: the next item's lot
            ):
                per_qty = _count(self.t[a].value) or 1  # 20元1000个
                unit = self.t[c].roles[sc.CLS]
                consumed = c + 1
        if (
            unit in (None, "item", "query")
            and self._kind(p) == sc.PERIOD
            and (unit is None or sc.GOODS not in self.t[p].roles)  # 年卡 198 一张: per card
        ):
            unit = self.t[p].value  # 云手机 月付 60 一台: the period says more than the classifier
        elif (
            unit in ("item", "query")
            and self.seg_periods
            and not per_before_close
            and not per_card
            and not (each and self.seg_card)  # 会员 月卡 都是 9.9 一个: priced per card
        ):
            unit = self.seg_periods[-1]
        if self.pending_qty is not None and self.pending_qty[2] == i and (unit is None or spanned):
            count, unit, _ = self.pending_qty
            per_qty = 1 if count is None else count  # a count too large to be one (1e12) is none
        self.pending_qty = None
        if unit is None:
            if self._kind(p) in (sc.PER, sc.PERIOD):
                unit = self.t[p].value
            elif self._lone_period(p):
                unit = self.t[p].roles[sc.CLS]  # 日 50 周 280 月 900: a rental's periods
            elif self.seg_periods:
                unit = self.seg_periods[-1]
            elif self.seg_rent and self.seg_span:
                unit = self.seg_span  # 求租 QQ 号 一周 能登就行 预算 50: the span wanted
            elif (
                self.seg_plats
                and self.ctx_unit in TIME_UNITS
                and self.ctx_goods
                and set(self.ctx_goods) <= RENTED_BY_PERIOD
                and not any(not attr for _, attr in self.seg_goods)
            ):
                unit = self.ctx_unit  # 申通 日租三百五 韵达 四百: the next platform, by the day
            elif not self._has_subject():
                unit = self.ctx_unit  # a tier (量大0.2) is priced per what the item before was
        if unit in ("year", "halfyear") and self._account_goods() and not self.seg_rent:
            unit = "item"  # soul 号 满月 8 半年 20 一年 35: the account's age, a grade
        elif unit == "month" and per_qty > 1 and self._account_goods() and not self.seg_rent:
            unit, per_qty = "item", 1  # WeChat accounts 1 year+ 65U / 6 months 45U: an age
        if per_qty == 1 and self._batch_in_other_currency(price, currency):
            per_qty = self.last_batch[0].per_qty  # 1w = 80U ｜ 560元: the same batch in yuan
        made = len(self.offers)
        self._make(price, price_max, currency, per_qty, unit)
        self.priced_end = hi.end
        if self._before(lo.start).rstrip(" :：").endswith(ADDON_WORDS):
            self.addons.update(id(o) for o in self.offers[made:])
        return consumed

    def _names_the_place(self, tok: sc.Token) -> bool:
        """闲鱼标题：, 【闲鱼】出, 在闲鱼上: the marketplace a post is listed on, not the platform
        of its goods (闲鱼码 0.5, 闲鱼 鱼小铺 号 120)."""
        after = self.text[tok.end : tok.end + 4].lstrip()
        return after.startswith(_PLACE_AFTER) or self._before(tok.start).endswith(("在", "【", "["))

    def _goods_in_context(self, goods: str, word: str, start: int) -> str | None:
        """Goods words whose sense the words around them decide."""
        before = self._before(start)
        if word == "学历" and "查" in before and not before.rstrip().endswith(LOOKUP_VERBS):
            return "lookup_service"  # 查学历 80一次: a look-up of a degree (可查 学历 passes one)
        end = start + len(word)
        if word == "空号" and self.text[end : end + 4].lstrip().startswith(SCREENING):
            return "other"  # 空号 筛选: screening numbers for dead ones, a service, not SIM cards
        if (
            word == "空号"
            and (
                (self.ctx_goods == ["account"] and not self.seg_goods)
                or any(g == "account" for g, _ in self.seg_goods)  # steam 账号 空号 15
            )
            and "张" not in self.text[end : end + 8]  # 空号 10元一张: SIM cards
        ):
            return "account"  # 苹果 ID 带余额的 二十 U，空号 三 U: an account with nothing on it
        if word in APPLE_IDS and self.ctx_goods == ["sms_code"] and not self.seg_goods:
            return "sms_code"  # 接码 … TG 1.2U / 苹果ID 2U: a code to register an Apple ID
        if word == "单号" and ("查" in before or self._rows_of_look_ups()):
            return "lookup_service"  # 查 韵达 单号: a waybill look-up, not a single account
        if (
            word == "号"
            and self._rows_of_look_ups()
            and bool(self.seg_plats)
            and self.seg_plats[-1] in CARRIERS
        ):
            return "lookup_service"  # 定位查询 移动号400 联通号350: numbers of a carrier
        if word in LOOKUP_VERBS and _DIPLOMA.search(self.text):
            return None  # 毕业证 学信网可查: a fake diploma that passes a check, not a look-up
        if word == "通道" and "码" in self.text and not _PAYMENT_CHANNEL.search(self.text):
            return None  # 接码 VIP 通道: a code platform's channel, not a payment channel
        if word.startswith("辅助") and _GAME_CHEAT.search(self.text):
            return "other"  # 三角洲 辅助 天卡 8: a game cheat, not a WeChat verification helper
        if word in ("辅助", "辅助注册") and "接码" in self.text:
            return "sms_code"  # 接码 … 微信 辅助 注册 一个 8 块: what a code platform sells
        if (
            goods == "hardware"
            and self.text.startswith("用的", end)
            and any(g != "hardware" for g, _ in self.seg_goods)  # 苹果XR 做群控用的: devices
        ):
            return None  # 收 物联卡 猫池用的: cards for a cat pool, not the pool
        if word == "出租" and self.text.startswith("的也", end):
            return None  # 收 骑手号 出租的也要: rented ones will do too; the accounts are bought
        if word in ("一类", "二类") and before.endswith(("这", "那", "同", "哪", "某", "第")):
            return None  # 这一类人: a kind of people, not a bank card's class
        if word == "卡商" and (
            self.text[end : end + 3].lstrip().startswith(DEALER_SELLS)
            or before.rstrip().endswith(("本人", "我是"))
        ):
            return None  # 卡商出货 移动白卡12, 本人卡商: who sells, not the codes they deliver
        if word in BUNDLE_WORDS and goods == "bank_card" and _NO_CARD_INSIDE.match(self.text, end):
            return None  # 四件套(姓名+身份证+手机+照片): what the brackets list is what it is
        if goods == "other" and self._runs_devices(word, start):
            return "hardware"
        return goods

    def _rows_of_look_ups(self) -> bool:
        """快递查询 价目表\n顺丰 单号 12/次\n圆通 单号 6/次: the rows below a look-up."""
        return not self.seg_goods and self.ctx_goods == ["lookup_service"]

    def _runs_devices(self, word: str, start: int) -> bool:
        """改机 脚本 年卡 299, 猫池 收码 管理软件 680, 配套软件 800 under a cat pool: the taxonomy
        files the software of group-control, cat-pool and phone-modding devices with them."""
        return word in SOFTWARE and any(
            t.roles.get(sc.GOODS) == "hardware" for t in self.t if t.end <= start
        )

    def _price_per_one_follows(self, k: int) -> bool:
        """A number at or after ``k`` priced per one (12 一张, 12/张, 每个 2.5U)."""
        if self.last_per_one is None:  # found once per post: asked of every count in it
            self.last_per_one = max(
                (m for m in range(self.n) if self._priced_per_one(m)), default=-1
            )
        return k <= self.last_per_one

    def _priced_per_one(self, m: int) -> bool:
        after = self._kind(self._next(m))
        kind = self.t[m].kind
        return (kind == sc.NUM and after in (sc.PER, sc.SLASH)) or (
            kind == sc.PER and after == sc.NUM
        )

    def _lone_period(self, k: int) -> bool:
        """日 / 周 / 月 / 年 written alone before a price (not against a count: 3月, 30天)."""
        tok = self.t[k] if 0 <= k < self.n else None
        return (
            tok is not None
            and tok.kind == sc.CLS
            and tok.end - tok.start == 1
            and tok.roles[sc.CLS] in TIME_UNITS
            and (
                k == 0
                or self.t[k - 1].kind in (sc.SPACE, sc.SEP, sc.GOODS, sc.PLAT)
                or (self.t[k - 1].kind == sc.OTHER and self.text[self.t[k - 1].end - 1] == "版")
            )
        )

    def _years(self, i: int, j: int) -> bool:
        """2022-2024 0.25/条: a range of whole years before a price, when the goods are from."""
        k = self._next(j)
        return (
            self._kind(j) == sc.RANGE
            and self._kind(k) == sc.NUM
            and _is_year(self.t[i])
            and _is_year(self.t[k])
            and self._kind(self._next(k)) == sc.NUM
        )

    def _batch_in_other_currency(self, price: float, currency: str) -> bool:
        """The batch priced just before on this line, priced again in yuan or USDT at about
        the exchange rate (一万条 600U 或者 4200元)."""
        if not self.last_batch or self.last_line != self.line:
            return False
        before = self.last_batch[0]
        if before.per_qty == 1 or before.price is None or {currency, before.currency} != {
            "CNY",
            "USDT",
        }:
            return False
        if currency == "CNY":
            return _at_exchange_rate(price, before.price)
        return _at_exchange_rate(before.price, price)

    def _usdt_beside(self, last: int) -> bool:
        """The next number, two or three tokens on, is in USDT at about the exchange rate's
        fraction of this one (350 / 50U, 月付12000 U结也行1800U)."""
        price = self.t[last].value
        k = last
        for _ in range(4):
            k = self._next(k)
            if self._kind(k) == sc.NUM:
                other = self.t[k]
                return other.currency == "USDT" and _at_exchange_rate(price, other.value)
        return False

    def _line_default_currency(self, last: int) -> str:
        """The currency of a bare price ending at token ``last``: the one its line writes, read
        forward (TG老号 20U 新号 8) and onto the number just before (TG号 1.2 2u), not back
        over a variant (国区 15 美区 3刀: the dollars are the US store's); else a header's."""
        pos = self.t[last].start
        explicit = self.line_currency.get(self.line, set())
        if len(explicit) == 1 and (
            pos > self.line_first_currency[self.line]
            or (self._kind(self._next(last)) == sc.NUM and self.t[self._next(last)].currency)
        ):
            return next(iter(explicit))
        n = bisect.bisect_left(self.header_currency, (pos, ""))
        return self.header_currency[n - 1][1] if n else self.default_currency

    # -- binding -------------------------------------------------------------------------------

    def _choose(self, goods: list[str], unit: str | None, per_qty: int = 1) -> str:
        """The one good a segment with several goods words is about."""
        if self.seg_head:
            return self.seg_head  # 接码教程: a tutorial
        kinds = set(goods)
        if unit == "query" and kinds == {"personal_data"} and "要素" not in self.text:
            return "lookup_service"  # 车主信息 15/次: records looked up one by one
        if unit in TIME_UNITS and {"insider_access", "lookup_service"} <= kinds:
            kinds.discard("lookup_service")  # 内部 后台 查订单 包月 5000: the access, by the month
        if unit == "query" and kinds == {"other"} and self.ctx_goods == ["lookup_service"]:
            return "lookup_service"  # 户籍 50/次 婚姻 80/次 学历 40/次: records looked up
        if unit == "query" and "lookup_service" in kinds and "bank_card" in kinds:
            return "lookup_service"  # 查名下 银行卡 一次 150: the cards looked up, per query
        if unit == "query" and "insider_access" in kinds:
            kinds.discard("insider_access")  # 后台查机主 一次120: a look-up, from an insider
            kinds.add("lookup_service")
        if "account_rental" in kinds and kinds & RENTED_NOT_ACCOUNTS:
            kinds.discard("account_rental")  # 对公户 出租 包月: 出租 says how, the 对公户 is what
        if {"sms_code", "account_rental"} <= kinds and "account" not in kinds:
            kinds.discard("account_rental")  # 手机号码出租 接短信: codes received on a number
        if "account" in kinds and "other" in kinds:
            # B站号 大会员 120: an account with a membership; VPN账号 包年 60: the account is
            # the service's
            kinds.discard("other" if self.seg_membership else "account")
        if {"account", "verification_service"} <= kinds and _VERIFIED_ACCOUNT.search(self.text):
            kinds.discard("verification_service")  # verified accounts (KYC done), 人脸过的号
        if "account" in kinds and ("fake_engagement" not in self.seg_counted or per_qty == 1):
            kinds.discard("fake_engagement")  # 10w粉 号 1.5w: fans describe the account
        chosen = min(kinds, key=_RANK.__getitem__)
        if chosen == "account" and (self.seg_rent or unit in RENTAL_PERIODS):
            return "account_rental"  # 骑手号日租40
        return chosen

    def _subject(
        self, unit: str | None = None, per_qty: int = 1
    ) -> tuple[list[str], list[str | None]] | None:
        goods = [g for g, attr in self.seg_goods if not attr]
        if set(goods) == {"account_rental"} and set(self.ctx_goods) & RENTED_NOT_ACCOUNTS:
            goods = []  # 对公户 一套 一万 出租的话 包月五千: the same bank account, rented
        plats: list[str | None] = list(self.seg_plats)
        if goods:
            if self.seg_each:
                chosen = list(dict.fromkeys(goods))
            else:
                chosen = [self._choose(goods, unit, per_qty)]
        elif self.ctx_goods:
            chosen = list(self.ctx_goods)
            self.seg_defaulted = self.ctx_defaulted  # 微信 4.2 / 抖音 0.7: as the row before
            if chosen == ["account"] and (self.seg_rent or unit in RENTAL_PERIODS):
                chosen = ["account_rental"]
            elif chosen == ["verification_service"] and self.seg_rent:
                chosen = ["account_rental"]  # 代实名 60 / 日租 28: a service is not rented
        elif self.seg_rent:
            chosen = ["account_rental"]  # 日租 50: renting, though the thing is not named
        elif plats or self.ctx_plats:
            chosen = [self.page.goods or _default_goods(plats or self.ctx_plats)]
            if chosen == ["sim_card"] and unit == "query":
                chosen = ["lookup_service"]  # 查 移动 机主 15元/次: a carrier's records looked up
            self.seg_defaulted = not self.page.goods and chosen == ["account"]
        elif self.explicit_side:
            chosen = ["other"]
        else:
            return None
        if not plats:
            if goods and (
                set(chosen) != set(self.ctx_goods)
                or (self.line != self.last_line and not set(chosen) <= PLATFORM_BOUND)
            ):
                # Rows under a platform stay its own (QQ老号 10 / 白号 5, 点赞 / 播放量); rows
                # naming other goods on lines of their own (查顺丰单号 10 / 查出险记录 35,
                # 联通注册卡 / 物联卡) are items of their own.
                plats = [None]
            else:
                plats = list(self.ctx_plats) or [None]
        if plats == [None] and self.page.platforms:
            page_plats = [p for p in self.page.platforms if all(_fits(g, p) for g in chosen)]
            plats = list(page_plats) or plats  # 老号 300 in a channel about Douyin accounts
        return chosen, plats

    def _make(
        self,
        price: float | None,
        price_max: float | None,
        currency: str,
        per_qty: int,
        unit: str | None,
    ) -> None:
        """Bind a price to the segment, or hold it when the post names goods after prices."""
        terms = (price, price_max, currency, per_qty, unit)
        if self.held is not None and self._has_subject():
            held, self.held = self.held, None
            *_, held_unit = held
            orphan = self.held_line != self.seg_line == self.line or (
                held_unit is not None and unit is not None  # 查X 30一次 查户籍 45一次
            )
            self._bind(*held)  # 【80元】QQ老号: the segment names what the held price was for
            if not orphan:
                self.held = terms
                self.held_line = self.line
                return
            # 车主姓名+电话 0.2/条\n车辆保单数据 0.5/条: the line above named its goods in words
            # the lexicon lacks; its price shares this line's goods, and this line's price is
            # this line's, not held for the line below
            self._bind(*terms)
            return
        if (
            not self._has_subject()
            and not self.seg_rent
            and (self.price_first or not (self.ctx_goods or self.ctx_plats))
        ):
            self.price_first = True  # 300出微信老号: a price before anything is named
            self.held = terms
            self.held_line = self.line
            self._reset_segment()
            return
        self._bind(*terms)

    def _bind(
        self,
        price: float | None,
        price_max: float | None,
        currency: str,
        per_qty: int,
        unit: str | None,
    ) -> None:
        subject = self._subject(unit, per_qty)
        defaulted = self.seg_defaulted
        # 返照 1.2一次 … 量大 0.8: a tier with no goods of its own is priced as the look-up above
        returned = self.seg_returned
        looked_up = self.seg_photo_lookup or (
            not self.seg_goods and any(o.unit == "query" for o in self.last_batch)
        )
        self._reset_segment()
        if subject is None:
            return
        goods_list, plats = subject
        plats = [None if p == "none" else p for p in plats]
        if (
            len(plats) > 1
            and any(p in CARRIERS for p in plats)
            and not any(g in ("sim_card", "insider_access", "lookup_service") for g in goods_list)
        ):
            # 收卡商 移动联通都要 陌陌码 1.2: the carriers of the dealers' cards, not whose codes
            plats = [p for p in plats if p not in CARRIERS] or [None]
        batch = []
        if unit in MONTH_SPANS:
            per_qty, unit = per_qty * MONTH_SPANS[unit], "month"
        for goods in goods_list:
            offer_unit = unit or "item"
            if offer_unit == "query" and goods not in QUERY_GOODS:
                offer_unit = "item"
            elif offer_unit == "item" and goods == "lookup_service":
                offer_unit = "query"
            elif (
                unit is None
                and goods == "id_document"
                and (returned or (looked_up and self._queried(goods)))
            ):
                offer_unit = "query"  # 返照 1.2; 返照 一次 1.5 / 网纹照 2 块: as the look-up above
            for platform in plats:
                offer = Offer(
                    goods, platform, self.side, price, price_max, currency, per_qty, offer_unit
                )
                if self.pending_min is not None:
                    offer.min_qty = self.pending_min
                key = offer.key()
                if key in self.keys:
                    batch.append(self.keys[key])
                    continue
                self.keys[key] = offer
                self.offers.append(offer)
                if self.first_offer_line is None:
                    self.first_offer_line = self.line
                if defaulted:
                    self.defaulted.append(offer)
                batch.append(offer)
        self.pending_min = None
        self.last_batch = batch
        self.last_line = self.line
        self.ctx_goods = goods_list
        self.ctx_defaulted = defaulted
        self.ctx_plats = plats
        self.ctx_unit = unit

    def _what_it_can_do(self, tok: sc.Token, word: str) -> bool:
        """收 实名 支付宝 三十 要能刷脸的 四十, 有会员 三百: what the goods can do or have, a
        grade of them, not a service or a membership on sale."""
        before = self._before(tok.start).rstrip()
        # 要能刷脸的, 可以刷脸的, 能加好友: what the account can do
        can = (before.endswith(("能", "可以")) and self.text.startswith("的", tok.end)) or (
            before.endswith("能") and tok.roles.get(sc.GOODS) == "fake_engagement"
        )
        if tok.roles.get(sc.GOODS) == "verification_service" and before.endswith(("没", "未")):
            return True  # 人脸过的 80，没过脸的 35: accounts that have not passed one
        return can or (word in MEMBERSHIP_WORDS and before.endswith(("有", "开了", "已开")))

    def _queried(self, goods: str) -> bool:
        return any(o.goods == goods and o.unit == "query" for o in self.offers)

    def _null_price(self, i: int) -> None:
        if self._before(self.t[i].start).endswith(CAPABILITY_WORDS):
            return  # 能私聊陌生人: what the account can do, not a price withheld
        tok = self.t[i]
        if (
            self.text[tok.start : tok.end] in CALLS_TO_ACTION
            or _HAVE_IT.search(self._before(tok.start).rstrip()) is not None  # 有渠道的私聊
        ) and any(o.price is not None for o in self.offers):
            return  # …一千条 两百 / 珍爱 佳缘 的 都有 / 要的私: how to buy what was priced
        variant = self.seg_variant or (
            self.offers
            and (
                self.seg_with
                or self._before(self.t[i].start).endswith("的")
                or self._withheld_variant(i)
                # 日租 20一个 ，月租 私聊: a period of the goods before, priced on asking
                or (self._kind(self._prev(i)) == sc.PERIOD and bool(self.seg_periods))
            )
        )
        if (
            self._has_subject()
            or (variant and self.ctx_goods)  # 5元一个，十年以上的价格私聊 / 带芝麻分的另议
            or (not self.offers and (self.ctx_goods or self.ctx_plats))
        ):
            self._make(None, None, "CNY", 1, self._unpriced_unit())

    def _withheld_variant(self, i: int) -> bool:
        """工行1600 建行1500 农行私聊, 32口1400 64口私, 男10 女私: the last of a list's variants,
        named right after the price before it and priced on asking. Not what comes after a price
        to say how to buy (包邮 私聊, 看行 私聊, 其他私聊)."""
        tok = self.t[i]
        if (
            self.priced_end is None
            or tok.start - self.priced_end > 12  # too far for a label; and no long slices
            or not self.offers
            or self.offers[-1].price is None
        ):
            return False
        label = self.text[self.priced_end : tok.start]
        if tok.kind == sc.OTHER:
            label += self.text[tok.start : tok.end - 1]  # 工行私: the label written onto 私
        label = _PER_MARK.sub("", label).strip(" ,，、;；|/").removeprefix("起").strip(" ")
        # 韵达 日租 350\n中通 私, QQ 白号 0.9\nQQ 等级号 私: a row of its own; DY 万粉 私: a label
        # written in words apart
        row = label.removeprefix("\n").lstrip(" ")
        p = self._prev(i)
        return (
            0 < len(row.replace(" ", "")) <= 6
            and "\n" not in row
            and (
                row == label or self._kind(p) in (sc.PLAT, sc.GOODS) or self._word_at(p) in REGIONS
            )
            and row.count(" ") <= 1
            and (  # 日租 28 / 包周 160 / 包月 私: a period, though 包 starts 包邮 too
                self._kind(p) == sc.PERIOD or not any(word in label for word in NOT_VARIANTS)
            )
        )

    def _unpriced_unit(self) -> str | None:
        """An offer without a price has the period stated (日租), or the span a rental is
        wanted for (求租扣扣号 三天 价格好说: by the day)."""
        if self.seg_periods:
            return self.seg_periods[-1]
        return self.seg_span if self.seg_rent else None

    def _finish(self) -> None:
        if self.held is not None:
            held, self.held = self.held, None
            if self._has_subject() or self.explicit_side:
                self._bind(*held)  # the goods came last, or only a side word: 出 50一个
            return
        if not self._has_subject():
            return
        if not self.offers:
            if self.explicit_side or self.has_contact:
                self._make(None, None, "CNY", 1, self._unpriced_unit())
            return
        # A platform named only after the prices belongs to the offers that named none.
        trailing_goods = {g for g, attr in self.seg_goods if not attr}
        plats = [None if p == "none" else p for p in self.seg_plats]
        if not plats or not trailing_goods <= {o.goods for o in self.offers}:
            return
        filled: list[Offer] = []
        for offer in self.offers:
            if offer.platform is None and all(_fits(offer.goods, p) for p in plats):
                for platform in plats:  # 一次100,支付宝微信都行: one offer per platform
                    copy = dataclasses.replace(offer, platform=platform)
                    if copy.key() not in {o.key() for o in filled}:
                        filled.append(copy)
            else:
                filled.append(offer)
        self.offers[:] = filled


def _fits(goods: str, platform: str | None) -> bool:
    """Whether a platform named after the prices can be the platform of an offer of ``goods``."""
    if platform in CARRIERS:
        return goods in ("sim_card", "insider_access", "lookup_service")
    if platform in COURIERS:
        return goods in ("insider_access", "lookup_service", "personal_data")
    return goods in PLATFORM_BOUND


def _is_year(tok: sc.Token) -> bool:
    """A whole number a year could be (2019), written without a currency."""
    return tok.currency is None and 1990 <= tok.value <= 2035 and tok.value.is_integer()


def _at_exchange_rate(yuan: float, usdt: float) -> bool:
    """The two are one price in yuan and in USDT: a USDT is worth 6 to 8 yuan."""
    return usdt > 0 and 6 <= yuan / usdt <= 8


def _default_goods(plats: list) -> str:
    if plats and all(p in CARRIERS for p in plats):  # 联通 15 移动 18
        return "sim_card"
    if plats and all(p in COURIERS for p in plats):
        return "insider_access"
    return "account"


# A code platform's API page (SMS API price list, API 价格 单位 U/条): the platforms it prices
# with no goods word are the codes it receives for them.
_CODE_API = re.compile(r"(?i)(?<![a-z])api(?![a-z])")
# Accounts sold verified already, not the service of verifying them (a KYC verification service).
_VERIFIED_ACCOUNT = re.compile(
    r"verified (?:[a-z]+ ){0,2}accounts?|kyc done|已过 ?kyc|(?:人脸|过脸|刷脸) ?(?:已)?过 ?的"
    # 车主号 实名 过脸 350, 抖音号 过脸的 45: an account that passed, not the service (代实名,
    # 过脸的另加 30)
    r"|(?<!代)实名 ?过脸|号 ?过脸的(?!另)"
)
# A price per code written without a goods word: 3块一个码, 0.5/码.
_PER_CODE = re.compile(r"(?:[个条/]|每)码(?![a-z0-9])")

# Words before a percentage that is the price of a service (跑分 费率2%, 担保费3%), not a rate of
# something the goods have (好评率99%).
FEE_WORDS = ("费率", "费", "点位", "手续费", "佣金", "抽成", "收费", "汇率")
_PERCENT = re.compile(r"\d+(?:\.\d+)?[%‰]")
# English ads: what a price is per, and the yuan, written the way the rules read them.
_ENGLISH_UNIT = re.compile(
    r"(?:(?<![a-z])(?:per|a|(by)) ?|/ ?)"
    r"(day|week|month|year|query|lookup|code|sms|piece|pc|account|set|card)(?![a-z])"
    r"|(?<![a-z])(?:(each|apiece)|(cny|yuan)|(daily|weekly|monthly|yearly|annually)"
    r"|per (\d[\d.]*k?)(?![\d.a-z])"
    r"|(?<![\w@./:-])(\d+) ?(?:(y|yrs?|years?)|mos?|months?)(?!\w))(?![a-z])"
)
_ENGLISH_PER = {"day": "每天", "week": "每周", "month": "每月", "year": "每年", "query": "每次",
                "lookup": "每次", "code": "一个码", "sms": "一个码", "daily": "每天",
                "weekly": "每周", "monthly": "每月", "yearly": "每年",
                "annually": "每年"}  # fmt: skip
_BY_PERIOD = {"day": "按天", "week": "按周", "month": "按月", "year": "按年"}


def _english_unit(match: re.Match) -> str:
    """60U/day, per query, rent by day: 55, monthly 30U, each, $1.5 per 1k (a batch after a
    slash), aged 10y and 6 months (a count of years and months)."""
    by, unit, _, cny, every, batch, count, years = match.groups()
    if cny:
        return "元"
    if every:
        return _ENGLISH_PER[every]
    if batch:
        return f"/{batch}个"
    if count:
        aged = match.string.endswith("aged ", 0, match.start())  # QQ aged 10y: a 10-year account
        return count + ("年" if years else "个月") + ("号" if aged else "")
    if by and unit in _BY_PERIOD:
        return _BY_PERIOD[unit]  # rent by day: 55 USDT, as 按天：55
    return _ENGLISH_PER.get(unit or "", "一个")


# VX-5.2r, Soul-0.15: a platform's name, a dash and its price, which would read as one id.
_ALIAS_DASH = re.compile(r"(?<![a-z0-9_@./])([a-z]{2,10})-(?=\d)")


@functools.cache
def _latin_platforms() -> frozenset[str]:
    return frozenset(a for a in load_lexicon().platform_aliases if a.isascii())


def _alias_dash(match: re.Match) -> str:
    name = match.group(1)
    return f"{name} " if name in _latin_platforms() else match.group()


def prepare(text: str) -> tuple[str, bool]:
    """The text the offer rules read (normalised, tables rewritten, samples and contacts masked)
    and whether it gives a seller's contact.

    Contacts are masked before Chinese numerals and 万 become digits, so that 100万 is never
    taken for a seven-digit QQ number.
    """
    text = clean(text)
    text = sc.drop_sample_lines(text)
    text = rewrite_tables(text)
    if "-" in text:
        text = _ALIAS_DASH.sub(_alias_dash, text)
    if _ENGLISH_UNIT.search(text):
        text = _ENGLISH_UNIT.sub(_english_unit, text)
    text, has_contact = sc.mask_contacts(text)
    return write_numbers(text), has_contact


@functools.lru_cache(maxsize=256)
def read_page(context: str) -> Page:
    """The defaults a page's description gives its posts; a crawl passes the same few often."""
    prepared, _ = prepare(context[:500])
    goods: list[str] = []
    plats: list[str] = []
    side = None
    for tok in sc.scan(prepared):
        roles = tok.roles
        if sc.GOODS in roles:
            goods.append(roles[sc.GOODS])
        if sc.HEAD in roles:
            goods.append(roles[sc.HEAD])
        if roles.get(sc.PLAT) not in (None, "none") and roles[sc.PLAT] not in plats:
            plats.append(roles[sc.PLAT])
        if roles.get(sc.SIDE) in ("sell", "buy"):
            side = roles[sc.SIDE]
    chosen = min(goods, key=_RANK.__getitem__) if goods else None
    headers = header_currencies(prepared)
    currency = headers[-1][1] if headers else None
    if currency is None and any(w in prepared for w in ("usdt", "泰达")):
        currency = "USDT"
    return Page(chosen, tuple(plats), side, currency)


@dataclass(slots=True)
class Reading:
    """What the offer rules made of a post, before the listing model has its say."""

    text: str  # as the rules read it: normalised, tables rewritten, contacts masked
    tokens: list
    offers: list[Offer]
    cues: set[str]
    explicit_side: bool
    has_contact: bool

    def unpriced_talk(self) -> bool:
        """Goods named without a price in a question, a warning or a rule (有人收银行卡的吗?,
        谁出快手号了 多少钱一个) ask or tell, they offer nothing: talk before any model."""
        if any(o.price is not None for o in self.offers):
            return False
        if self.text.lstrip().startswith(BUYER_OPENINGS) and not self.cues:
            return False  # 求 代挂 王者 多少钱 有的报个价: a buyer asking for offers
        return bool(self.cues) or is_question(self.text)

    def features(self) -> list[str]:
        priced = sum(o.price is not None for o in self.offers)
        return classify.features(
            self.text,
            self.tokens,
            priced,
            len(self.offers) - priced,
            self.cues,
            self.explicit_side,
            self.has_contact,
        )


def read(text: str, context: str | None = None) -> Reading:
    """The offers the rules find in a post, listing or not; ``context`` describes where it was
    found (see ``read_page``)."""
    prepared, has_contact = prepare(text)
    page = read_page(context) if context else NO_PAGE
    tokens = sc.scan(prepared)
    reader = _Reader(
        tokens,
        has_contact=has_contact,
        text=prepared,
        page=page,
        code_table=("项目" in text and CODE_TABLE.search(text) is not None)
        or _CODE_API.search(text) is not None,
    )
    offers = reader.read()
    return Reading(prepared, tokens, offers, reader.cues, reader.explicit_side, has_contact)


def read_post(text: str, context: str | None = None) -> Post:
    """The offers of a post, kept only when the listing model says it offers or asks for
    something: talk that quotes prices yields none."""
    reading = read(text, context)
    if not reading.offers or reading.unpriced_talk():
        return Post(False, [])
    if not classify.load_model().is_listing(reading.features()):
        return Post(False, [])
    return Post(True, reading.offers)
