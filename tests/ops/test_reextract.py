"""``heishi reextract`` applies the current extractor to stored posts, without crawling."""

import nlp
from index import Post, open_store
from ops.cli import main

POST = "出微信老号，带朋友圈，一年以上，420一个，包登录 V：laohao_7788"
CHATTER = "今天群里好安静，大家都去哪了"


def _store_with_stale_offers(path):
    with open_store(str(path)) as store:
        posts = [Post(source="forum", key="t1", text=POST), Post(source="forum", key="t2",
                                                                   text=CHATTER)]
        store.upsert_posts(posts)
        for post in posts:  # what an older extractor made of them: nothing
            store.put_extraction(post.id, {"is_listing": False, "offers": [], "contacts": []},
                                 "x0+lex-old")
    return posts


def test_reextract_rebuilds_offers_of_stale_posts(tmp_path, capsys):
    path = tmp_path / "store.db"
    listing, chatter = _store_with_stale_offers(path)

    assert main(["reextract", "--store", str(path)]) == 0
    assert "re-extracted 2 of 2 posts" in capsys.readouterr().err

    with open_store(str(path), create=False) as store:
        offers = list(store.iter_offers())
        assert [(o["post_id"], o["goods"], o["platform"], o["price"]) for o in offers] == [
            (listing.id, "account", "wechat", 420)
        ]
        assert store.get_post(listing.id)["extractor_version"] == nlp.EXTRACTOR_VERSION
        assert store.get_post(chatter.id)["extractor_version"] == nlp.EXTRACTOR_VERSION
        assert store.seller("wechat:laohao_7788") is not None


def test_reextract_skips_current_posts_unless_all(tmp_path, capsys):
    path = tmp_path / "store.db"
    _store_with_stale_offers(path)
    main(["reextract", "--store", str(path)])
    capsys.readouterr()

    main(["reextract", "--store", str(path)])
    assert "re-extracted 0 of 2 posts" in capsys.readouterr().err
    main(["reextract", "--store", str(path), "--all"])
    err = capsys.readouterr().err
    assert "re-extracted 2 of 2 posts" in err and "offers 1 -> 1" in err


def test_reextract_on_a_missing_store_is_a_clear_error(tmp_path, capsys):
    assert main(["reextract", "--store", str(tmp_path / "nothing.db")]) == 2
    assert "nothing.db" in capsys.readouterr().err


def test_reextract_reads_title_and_source_context_as_the_crawl_did(tmp_path):
    path = tmp_path / "store.db"
    row = Post(source="sms", key="r1", text="微信 3.6元 库存3641",
               extra={"context": "接码平台 项目价格表"})
    titled = Post(source="market", key="m1", title="出抖音白号", text="批量有货，一个1.2元")
    with open_store(str(path)) as store:
        store.upsert_posts([row, titled])

    assert main(["reextract", "--store", str(path)]) == 0

    with open_store(str(path), create=False) as store:
        offers = {o["post_id"]: o for o in store.iter_offers()}
    assert (offers[row.id]["goods"], offers[row.id]["platform"]) == ("sms_code", "wechat")
    assert (offers[titled.id]["goods"], offers[titled.id]["platform"]) == ("account", "douyin")
