"""The compiled extractor (nlp/native.py): the same records as the sources give, and never an
old build read in place of an edited source."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nlp import extract, native, redact
from nlp.train import corpus_posts
from ops.commands.train import DEFAULT_DATA

ROOT = Path(__file__).resolve().parents[2]
KEY = b"test-key"
WHAT_EACH_GIVES = """
import json, sys
from nlp import extract, native, redact
texts, form, key = sys.argv[1], sys.argv[2], sys.argv[3].encode()
assert native.active() == (form == "compiled"), native.active()
for line in open(texts, encoding="utf-8"):
    text = json.loads(line)
    print(json.dumps([extract(text), redact(text, key)], ensure_ascii=False))
"""

built = pytest.mark.skipif(
    not native.current() or bool(os.environ.get(native.PURE_ENV)),
    reason="no current compiled build here (make native builds it; make test does so first)",
)


def _texts() -> list[str]:
    """Every labelled post of the project (what ``heishi train`` reads) and the dev set."""
    paths = list(DEFAULT_DATA)
    dev = ROOT.parent / "shared" / "data" / "dev_posts.jsonl"
    if dev.exists():
        paths.append(dev)
    return [post["text"] for post in corpus_posts(paths)]


def _python(code: str, *args: str, cwd: Path, pure: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != native.PURE_ENV}
    env["PYTHONPATH"] = str(cwd)
    if pure:
        env[native.PURE_ENV] = "1"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True,
        text=True, timeout=240,
    )


@built
def test_posts_are_read_with_the_compiled_modules():
    assert native.active()


@built
def test_compiled_and_interpreted_give_the_same_records(tmp_path):
    texts = _texts()
    assert len(texts) > 15_000
    listed = tmp_path / "texts.jsonl"
    listed.write_text(
        "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
    )
    done = _python(WHAT_EACH_GIVES, str(listed), "interpreted", KEY.decode(), cwd=ROOT, pure=True)
    assert done.returncode == 0, done.stderr[-2000:]
    interpreted = done.stdout.splitlines()
    assert len(interpreted) == len(texts)
    for text, line in zip(texts, interpreted, strict=True):
        compiled = json.dumps([extract(text), redact(text, KEY)], ensure_ascii=False)
        assert compiled == line, text


@built
def test_an_edited_source_is_read_instead_of_its_old_build(tmp_path):
    shutil.copytree(
        ROOT / "nlp", tmp_path / "nlp", ignore=shutil.ignore_patterns("data", "__pycache__")
    )
    shutil.copytree(native.BUILD, tmp_path / "build" / "native")
    where = "import nlp, nlp.native as n; print(n.active(), nlp.offers.__file__)"

    done = _python(where, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    compiled = next((native.BUILD / "nlp").glob("offers.*")).name
    assert done.stdout.split() == ["True", str(tmp_path / "build" / "native" / "nlp" / compiled)]

    done = _python(where, cwd=tmp_path, pure=True)  # asked for the sources
    assert done.stdout.split() == ["False", str(tmp_path / "nlp" / "offers.py")]

    with (tmp_path / "nlp" / "offers.py").open("a", encoding="utf-8") as source:
        source.write("\n# edited after the build\n")
    done = _python(where, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", str(tmp_path / "nlp" / "offers.py")]
    assert "not of these sources" in done.stderr


def test_no_build_means_the_sources(tmp_path):
    """Without a build (a checkout that never ran make), the sources are read, silently."""
    shutil.copytree(
        ROOT / "nlp", tmp_path / "nlp", ignore=shutil.ignore_patterns("data", "__pycache__")
    )
    done = _python(
        "import nlp, nlp.native as n; print(n.active(), nlp.offers.__file__)", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", str(tmp_path / "nlp" / "offers.py")]
    assert done.stderr == ""
