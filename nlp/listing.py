"""Listing or not: does a post offer or ask for something, or only talk about the market?

Group chats carry far more chatter than listings: greetings, questions, complaints, rules, and
pasted news ("记者调查发现…每条1.2元") that quote real prices. The offer rules find what looks
like an offer; this module decides whether the post as a whole is one.
"""

from __future__ import annotations

import re

# A clause that ends in a question particle, or a question mark anywhere.
_QUESTION = re.compile(
    r"[?？]|[吗嘛呢么][\s,.!，。！~]|[吗嘛呢么]$|有没有|是不是|怎么|咋|哪里|哪家|哪位|哪个|为啥|为什么"
    r"|多少钱|价格多少|多少一|什么价|啥价"
)


# Words that end in a question particle without asking anything.
_NOT_QUESTIONS = ("饿了么", "什么都", "怎么样都")


def is_question(text: str) -> bool:
    for word in _NOT_QUESTIONS:
        text = text.replace(word, " ")
    return _QUESTION.search(text) is not None


def is_listing(
    text: str, priced: bool, unpriced: bool, cues: set[str], explicit_side: bool = True
) -> bool:
    """Whether a post with the given offers (priced or not) and cue words is a listing.

    News and court reports are never listings, even with prices in them. A warning, a rule or a
    question that names goods without a price ("有人收银行卡的吗?") is talk, not an offer; with a
    price and a 出/收 it is a seller's post that happens to say 小心 or end in 吗.
    """
    if not priced and not unpriced:
        return False
    if "news" in cues or "chatter" in cues:
        return False
    if not priced and (cues or is_question(text)):
        return False
    if not explicit_side and is_question(text):
        return False  # 听说接码都涨到2块一条了? quotes a price, offers nothing
    return True
