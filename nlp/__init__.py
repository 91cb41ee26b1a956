"""Turn a seller's post into offers, contacts and a listing-or-not verdict.

The public surface is small and stable; everything else in ``nlp`` may change::

    extract(text, context=None) -> {"is_listing": bool, "offers": [...], "contacts": [...]}
    tokens(text)  -> search tokens (the index stores and queries with these)
    redact(text, key) -> text with victims' personal data replaced
    EXTRACTOR_VERSION -> stored with every offer so offers can be rebuilt when rules change

``nlp`` imports nothing else of the project (not Scrapy, not the store).
"""

from __future__ import annotations

from nlp.classify import load_model
from nlp.contacts import find_contacts
from nlp.errors import InputError
from nlp.lexicon import load_lexicon
from nlp.offers import read_post
from nlp.segment import tokens

# Bump CODE_VERSION whenever a rule changes the output for some text. The listing model's
# version (a digest of its weights) changes by itself when ``heishi train`` writes new ones.
CODE_VERSION = "10"
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
    post = read_post(text, context)
    return {
        "is_listing": post.is_listing,
        "offers": [offer.as_dict() for offer in post.offers],
        "contacts": find_contacts(text),
    }


# Imported, not wrapped: importing the submodule ``nlp.redact`` anywhere (nlp.contacts does)
# rebinds the package attribute ``redact`` to that module, so a wrapper defined here would be
# replaced by a module and ``nlp.redact(text, key)`` would fail with "not callable".
from nlp.redact import redact  # noqa: E402
