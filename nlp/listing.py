"""Questions: a clause asking something (有没有, 多少钱, 吗?) rather than offering it.

Whether a post as a whole offers or asks for something is decided by the listing model
(``nlp.classify``); a question is one of the things it weighs, together with the lexicon's talk
cues (news, warning, rule, chatter in ``lexicon/nonlisting.txt``).
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
