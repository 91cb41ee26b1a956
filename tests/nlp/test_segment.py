"""Segmentation and search tokens."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from nlp import tokens
from nlp.normalize import fold
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


def _whole_text_tokens(text: str) -> list[str]:
    """The tokens of ``text`` segmented in one jieba call (what the index always stored)."""
    words = (word.strip() for word in tokenizer().cut_for_search(fold(text), HMM=False))
    return [word for word in words if word and any(ch.isalnum() for ch in word)]


SELLER_TEXT = st.lists(
    st.sampled_from([*"出售收微信老号接码平台四件套实名卡abcXYZ019._%#&+-—，。：！@ \n\r\t\u3000",
                     *"１２ＶＸ繁體號碼😀ⓐ²İß", "\r\n", "猫池"]),
    max_size=80,
).map("".join)


@given(st.one_of(SELLER_TEXT, st.text(max_size=150).filter(lambda t: t.isprintable())))
@example("出v信号和微Ｘ，sim卡 58同城 代理ip.苹果id")  # lexicon words of letters and hanzi
@example("C#和c++教程 AT&T卡 vip_c#1 x.c++y huahua_10 170-0000-1091")  # jieba's ASCII words
@settings(max_examples=300, deadline=None)
def test_tokens_piece_by_piece_are_the_whole_texts(text):
    # tokens() segments a text piece by piece and remembers pieces it has seen; the index
    # and its queries must still get exactly what one jieba call on the whole text gives.
    assert tokens(text) == _whole_text_tokens(text)
    assert tokens(text) == _whole_text_tokens(text)  # again, from the remembered pieces


@given(SELLER_TEXT)
@example("出v信号和微x，sim卡 58同城\r\n代理ip.苹果id")
@example("C#和c++教程 AT&T卡 vip_c#1 x.c++y huahua_10 170-0000-1091")  # jieba's ASCII words
@settings(max_examples=200, deadline=None)
def test_words_piece_by_piece_are_the_whole_texts(text):
    assert cut(text) == tokenizer().lcut(text, HMM=False)
    assert cut(text) == tokenizer().lcut(text, HMM=False)


def test_runs_of_ascii_characters_are_split_as_jieba_splits_them():
    # Sellers' ids and numbers are split without jieba's dictionary look-ups, except where
    # they hold one of its few ASCII words, which jieba keeps whole.
    for text in ("wxid_abc123", "3600002343", "170-0000-1091", "t.me/xyz_88", "a%b&c",
                 "c#", "C#", "c++", "C++", "AT&T", "at&t", "vip_c#1", "x.c++y", "c+", "++"):
        assert cut(text) == tokenizer().lcut(text, HMM=False), text
        assert tokens(text) == _whole_text_tokens(text), text
    assert cut("vip_c#1") != ["vip", "_", "c", "#", "1"]  # c# is one of jieba's words


def test_a_long_run_is_segmented_whole_and_the_same():
    text = "出售微信老号" * 40 + "，接码平台" * 3
    assert tokens(text) == _whole_text_tokens(text)
    assert cut(text) == tokenizer().lcut(text, HMM=False)
