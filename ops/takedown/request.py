"""The request itself: Markdown in both languages from per-platform jinja2 templates, and an
``.eml`` ready to send to the platform's report address with the evidence bundle attached.

A platform's template (``templates/<platform>.<lang>.md.j2``) extends the common one and
names what that platform should do; any other platform (a site named in the configuration)
uses the common one, citing the terms the configuration names. The subject is the template's
first heading, so one template decides everything the platform reads.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

from ops.takedown.config import LANGUAGES, Platform, Requester

TEMPLATES = Path(__file__).with_name("templates")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")  # what acts inside a line
_TELEGRAM_POST = re.compile(r"^/(?:s/)?([A-Za-z0-9_]{4,})/(\d+)/?$")


def telegram_message(url: str | None) -> tuple[str, str] | None:
    """``(channel, message id)`` of a Telegram post URL (``t.me/<channel>/<id>``), else None.
    Any host: a configured mirror of t.me is read the same way."""
    found = _TELEGRAM_POST.match(urlsplit(url or "").path or "")
    return (found.group(1), found.group(2)) if found else None

GOODS_ZH = {
    "sms_code": "接码（短信验证码）", "account": "账号", "account_rental": "账号出租",
    "insider_access": "内部系统账号", "lookup_service": "查询服务", "id_document": "身份证件照片",
    "verification_service": "代实名 / 过脸", "personal_data": "公民个人信息",
    "sim_card": "电话卡", "hardware": "猫池 / 群控设备", "bank_card": "银行卡 / 支付账户",
    "fake_engagement": "刷量引流", "other": "其他",
}  # fmt: skip
UNIT_ZH = {"item": "个", "query": "次", "day": "天", "week": "周", "month": "月", "year": "年"}
CURRENCY_ZH = {"CNY": "元", "USDT": "USDT", "USD": "美元"}


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,  # a field the template names and the code forgot: an error
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML: text goes through the filters below
    )
    env.filters["inline"] = inline
    env.filters["fence"] = fence
    return env


def inline(value) -> str:
    """Seller-written text on one Markdown line: line breaks folded, markup characters
    escaped, so a title cannot turn into a link, a heading or HTML."""
    text = " ".join(str(value or "").split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def fence(value) -> str:
    """Seller-written text verbatim in a fenced block longer than any backtick run in it."""
    text = str(value or "").rstrip("\n")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}text\n{text}\n{marks}"


def template_name(platform_id: str, language: str) -> str:
    own = f"{platform_id}.{language}.md.j2"
    return own if (TEMPLATES / own).exists() else f"request.{language}.md.j2"


def offer_lines(offer: dict) -> dict[str, str]:
    """One offer as a line in each language."""
    goods, platform = offer.get("goods") or "other", offer.get("platform")
    price = offer.get("price")
    unit, per = offer.get("unit") or "item", offer.get("per_qty") or 1
    currency = offer.get("currency") or "CNY"
    if price is None:
        zh_price, en_price = "价格未标明", "no price given"
    else:
        amount = f"{price:g}" + (f"-{offer['price_max']:g}" if offer.get("price_max") else "")
        zh_price = f"{amount} {CURRENCY_ZH.get(currency, currency)} / {per if per != 1 else ''}" \
                   f"{UNIT_ZH.get(unit, unit)}"
        en_price = f"{amount} {currency} per {f'{per} ' if per != 1 else ''}{unit}"
    side_zh = "求购" if offer.get("side") == "buy" else "出售"
    side_en = "buying" if offer.get("side") == "buy" else "selling"
    on = f"（{platform}）" if platform else ""
    return {
        "zh": f"{side_zh}{GOODS_ZH.get(goods, goods)}{on}：{zh_price}",
        "en": f"{side_en} {goods.replace('_', ' ')}{f' ({platform})' if platform else ''}: "
              f"{en_price}",
    }


def post_view(post: dict, capture_time: str | None = None) -> dict:
    """What the templates show of one stored post."""
    url = post.get("url")
    channel, message_id = post.get("channel"), None
    found = telegram_message(url)
    if found and (urlsplit(url).hostname or "").endswith(("t.me", "telegram.me")):
        channel, message_id = channel or found[0], found[1]
    key = str(post.get("key") or "")
    if message_id is None and key and not key.startswith(("http://", "https://", "/")):
        message_id = key
    return {
        "id": post["id"],
        "url": url,
        "channel": channel,
        "message_id": message_id,
        "author": post.get("author"),
        "title": post.get("title") or "",
        "text": post.get("text") or "",
        "posted_at": post.get("posted_at"),
        "captured_at": capture_time or post.get("fetched_at"),
        "sha256": post.get("evidence_sha256"),
        "offers": [offer_lines(o) for o in post.get("offers") or []],
        "contacts": [f"{c['type']}:{c['value']}" for c in post.get("contacts") or []],
    }


def render(case: dict, platform: Platform, requester: Requester, posts: list[dict],
           bundle_name: str) -> dict[str, str]:
    """``{"zh": markdown, "en": markdown}`` of one case."""
    env = environment()
    out = {}
    for language in LANGUAGES:
        try:
            template = env.get_template(template_name(platform.id, language))
        except TemplateNotFound as exc:  # a broken installation, not a user's mistake
            raise RuntimeError(f"takedown template {exc.name} is missing") from None
        out[language] = template.render(case=case, platform=platform, requester=requester,
                                        posts=posts, bundle_name=bundle_name)
    return out


def subject_of(markdown: str) -> str:
    first = markdown.lstrip().splitlines()[0] if markdown.strip() else ""
    return " ".join(first.lstrip("#").split())


def email(case: dict, platform: Platform, requester: Requester, requests: dict[str, str],
          attachment: tuple[str, bytes] | None, when: datetime) -> bytes:
    """The request as an RFC 5322 message: the platform's language first, the other after,
    the evidence bundle attached."""
    first = platform.language
    order = [first] + [language for language in LANGUAGES if language != first]
    message = EmailMessage()
    message["From"] = f"{requester.name} <{requester.email}>"
    if platform.report_to:
        message["To"] = platform.report_to
    message["Subject"] = subject_of(requests[first])
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(idstring=case["id"], domain=requester.email.split("@")[1])
    message["X-Heishi-Case"] = case["id"]
    divider = "\n\n" + "-" * 72 + "\n\n"
    message.set_content(divider.join(requests[language] for language in order),
                        subtype="plain", charset="utf-8", cte="quoted-printable")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype="application", subtype="zip", filename=name)
    return message.as_bytes()
