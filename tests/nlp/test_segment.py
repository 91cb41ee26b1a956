"""Segmentation and search tokens."""

from __future__ import annotations

from nlp import tokens
from nlp.segment import cut, tokenizer


def test_lexicon_words_stay_whole():
    words = cut("出猫池和四件套，网纹照返照都有")
    for word in ("猫池", "四件套", "网纹照", "返照"):
        assert word in words


def test_private_tokenizer_leaves_global_jieba_alone():
    import jieba

    assert tokenizer() is not jieba.dt
    assert tokenizer() is tokenizer()


def test_tokens_are_normalised_without_punctuation():
    toks = tokens("接碼平台：探探１.２元，ＶＸ！！")
    assert "接码平台" in toks and "接码" in toks
    assert "vx" in toks
    assert all(t.strip() and any(ch.isalnum() for ch in t) for t in toks)
    assert all(t == t.lower() for t in toks)


def test_tokens_are_deterministic():
    text = "高价收微信老号，带圈的优先 V: abc_123"
    assert tokens(text) == tokens(text)


def test_tokens_of_nothing():
    assert tokens("") == []
    assert tokens("，。！ ") == []
