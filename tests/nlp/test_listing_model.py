"""The trained listing-vs-talk model: its file, its training, its place in extraction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nlp
from nlp import extract
from nlp.classify import MODEL_PATH, ListingModel, load_model, read_model
from nlp.offers import read
from nlp.train import corpus_posts, fit, split, training_rows, write_model
from ops.cli import main

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "nlp" / "data" / "corpus"
EXTRA = REPO / "tests" / "nlp" / "data" / "extra_posts.jsonl"


def test_model_version_is_part_of_the_extractor_version():
    assert f"+{load_model().version}+" in nlp.EXTRACTOR_VERSION


def test_packaged_model_is_small_plain_json():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["format"] == "heishi-listing-model/1"
    assert MODEL_PATH.stat().st_size < 500_000
    assert all(isinstance(w, float | int) for w in data["weights"].values())


def test_a_model_file_of_another_format_is_refused(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a listing model"):
        read_model(bad)


def test_probability_follows_the_weights():
    model = ListingModel("t", bias=0.0, weights={"w:出": 3.0, "w:骗子": -5.0})
    assert model.probability(["w:出"]) > 0.9
    assert model.probability(["w:出", "w:骗子"]) < 0.2
    assert model.probability(["unknown"]) == 0.5


@pytest.mark.parametrize(
    "text",
    [
        "曝光一个骗子，说卖微信老号300一个，钱转过去就拉黑了",
        "据警方通报，该团伙以每条0.3元的价格出售公民信息，涉案金额20余万元",
        "【订单通知】您购买的QQ会员包月已支付15元，订单号20261130",
    ],
)
def test_talk_quoting_goods_and_prices_yields_no_offers(text):
    assert read(text).offers  # the rules alone would have made an offer of it
    result = extract(text)
    assert result["is_listing"] is False
    assert result["offers"] == []


@pytest.mark.parametrize("text", ["出微信老号 380一个 V：laohao_66", "收实名卡 25一张 长期要"])
def test_listings_keep_their_offers(text):
    assert extract(text)["is_listing"] is True


def test_split_is_fixed_by_the_post_alone():
    post = {"id": "wa-0001", "text": "x"}
    assert split(post, "writer-a") == split(dict(post, text="changed"), "writer-a")
    assert split({"id": "anything"}, "writer-c") == "test"
    assert split({"id": "anything"}, "writer-d") == "test"
    parts = [split({"id": f"wa-{n:04d}"}, "writer-a") for n in range(400)]
    assert 0.15 < parts.count("test") / len(parts) < 0.35


def test_training_reads_only_the_training_split():
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    train = list(corpus_posts([CORPUS], part="train"))
    test = list(corpus_posts([CORPUS], part="test"))
    assert train and test
    assert not {p["id"] for p in train} & {p["id"] for p in test}
    assert all(not p["id"].startswith(("wc-", "wd-", "ac-", "ad-", "ae-")) for p in train)
    assert {p["id"][:3] for p in test} >= {"ac-", "ad-", "ae-"}


def test_fit_and_reload_gives_the_same_verdicts(tmp_path):
    posts = list(corpus_posts([EXTRA]))[:400]
    posts += [
        {"text": f"曝光骗子：卖微信号{n}0元一个，收钱就拉黑", "is_listing": False}
        for n in range(1, 30)
    ]
    rows, labels = training_rows(posts)
    model = fit(rows, labels)
    path = tmp_path / "m.json"
    write_model(model, path)
    again = read_model(path)
    assert again.version == model.version
    assert [again.is_listing(r) for r in rows] == [model.is_listing(r) for r in rows]
    assert not again.is_listing(read("曝光骗子：卖微信号40元一个，收钱就拉黑").features())


def test_train_command_writes_a_model(tmp_path, capsys):
    out = tmp_path / "listing.json"
    assert main(["train", str(EXTRA), "--out", str(out)]) == 0
    assert "trained m" in capsys.readouterr().out
    assert read_model(out).weights


def test_eval_prints_the_confusion_by_kind(tmp_path, capsys):
    scorer = REPO / ".." / "shared" / "eval" / "score_offers.py"
    if not scorer.is_file():
        pytest.skip("shared scorer not present")
    gold = tmp_path / "writer-x.jsonl"
    rows = [
        {"id": "1", "text": "出微信老号 380一个", "kind": "listing", "is_listing": True},
        {
            "id": "2",
            "text": "曝光一个骗子，说卖微信老号300一个，钱转过去就拉黑了",
            "kind": "warning",
        },
        {"id": "3", "text": "今天吃了顿火锅", "kind": "chat"},
    ]
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    assert main(["eval", str(gold)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert lines["listing"][:3] == ["1", "1", "0"]
    assert lines["warning"][:3] == ["1", "0", "1"]
    assert lines["chat"][:3] == ["1", "0", "1"]
