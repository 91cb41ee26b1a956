"""Turn a seller's post into offers, contacts and a listing-or-not verdict.

The public surface is small and stable; everything else in ``nlp`` may change::

    extract(text, context=None) -> {"is_listing": bool, "offers": [...], "contacts": [...]}
    tokens(text)  -> search tokens (the index stores and queries with these)
    redact(text, key) -> text with victims' personal data replaced
    EXTRACTOR_VERSION -> stored with every offer so offers can be rebuilt when rules change

``nlp`` imports nothing else of the project (not Scrapy, not the store).
"""

from __future__ import annotations

import functools

from nlp import native

# Before any other submodule: the compiled rules, where they match the sources (nlp/native.py).
native.load(__path__)

from nlp import normalize, segment
from nlp.classify import load_model
from nlp.contacts import find_contacts
from nlp.errors import InputError
from nlp.lexicon import load_lexicon
from nlp.normalize import REMEMBERED_CHARS
from nlp.offers import read_post
from nlp.redact import phone_digits
from nlp.segment import tokens

# Bump CODE_VERSION whenever a rule changes the output for some text. The listing model's
# version (a digest of its weights) changes by itself when ``heishi train`` writes new ones.
CODE_VERSION = "15"
EXTRACTOR_VERSION = f"x{CODE_VERSION}+{load_model().version}+{load_lexicon().version}"

__all__ = ["EXTRACTOR_VERSION", "InputError", "extract", "redact", "tokens"]


def extract(text: str, context: str | None = None) -> dict:
    """The contract record of one post (see taxonomy.md), without its ``id``.

    ``context`` is a short description of where the post was found (a channel's title, "接码平台
    项目价格表"). A price table's row "微信 3.6元" does not say it prices SMS codes; the page does.
    The context gives the goods, platform, currency and side a header line would, for what the
    post leaves unsaid; it never makes an offer by itself nor turns talk into a listing.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs str, not {type(text).__name__}")
    if context is not None and not isinstance(context, str):
        raise TypeError(f"extract() needs context str or None, not {type(context).__name__}")
    read = _record if len(text) > REMEMBERED_CHARS else _extracted
    is_listing, offers, contacts = read(text, context)
    return {
        "is_listing": is_listing,
        "offers": [dict(offer) for offer in offers],
        "contacts": [dict(contact) for contact in contacts],
    }


# Chats and channels repeat themselves: bots post the same ad every few minutes, sellers paste
# one price list into many groups, members answer 收到 and 1 (a sixth of the real QQ export's
# messages repeat one before them). A post read once is not read again while it is among the
# last few thousand seen; a long paste is read each time (normalize.REMEMBERED_CHARS).


def _record(text: str, context: str | None) -> tuple[bool, tuple, tuple]:
    """The record of ``extract`` as tuples of pairs, so that no caller can change what the
    next caller of the same text gets."""
    post = read_post(text, context)
    offers = tuple(tuple(offer.as_dict().items()) for offer in post.offers)
    contacts = tuple(tuple(contact.items()) for contact in find_contacts(text))
    return post.is_listing, offers, contacts


_extracted = functools.lru_cache(maxsize=4096)(_record)


def clear_caches() -> None:
    """Forget every post, folded text, piece of text and phone number read so far (for
    measurements that must not be helped by repeats)."""
    _extracted.cache_clear()
    normalize.clear_caches()
    segment.clear_caches()
    phone_digits.cache_clear()


# Imported, not wrapped: importing the submodule ``nlp.redact`` anywhere (nlp.contacts does)
# rebinds the package attribute ``redact`` to that module, so a wrapper defined here would be
# replaced by a module and ``nlp.redact(text, key)`` would fail with "not callable".
from nlp.redact import redact  # noqa: E402
