"""The extractor's modules compiled to C with mypyc, and used only while they match the source.

Reading a post is hundreds of small rules, each a few attribute reads and comparisons per
token: the profile is flat, and interpreted the extractor ran at 0.44-0.51 of raw jieba's
rate where the target is 0.5. mypyc compiles the same type-checked modules to C (as black and
mypy ship themselves): the same rules, no second implementation to keep in step, and a post
read in about 60% of the time (bench/extract.py: 0.62-0.67 of jieba). The interpreted modules
stay the reference: a test compares both on every labelled post.

- :func:`build` (``make native``; ``make test`` and ``make demo`` run it after installing,
  and again whenever a module of ``nlp`` changes) compiles ``MODULES`` into ``BUILD``,
  outside the source tree, with a manifest of the sources' digests and the interpreter's
  extension suffix.
- :func:`load`, called by ``nlp/__init__`` before any other submodule is imported, puts
  ``BUILD`` first on the package's path only when the manifest matches the sources as they
  are now. A source edited since, another interpreter, or ``HEISHI_PURE_PYTHON=1`` leaves the
  sources to be imported as usual: an edit is never hidden behind an old build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parent / "build" / "native"
MANIFEST = "manifest.json"
# Compiled together (they call each other natively). Not jieba's wrapper (segment), the lexicon
# and model loaders or the trainer: they run once a process or wait on libraries.
MODULES = ("scan", "normalize", "tables", "redact", "contacts", "classify", "offers")
GROUP = "nlp.native"  # the shared library lands in the package: nlp/native__mypyc
PURE_ENV = "HEISHI_PURE_PYTHON"


def _signature(package: Path) -> dict:
    """What a build must match: each source's digest and the interpreter's extension suffix."""
    return {
        "suffix": EXTENSION_SUFFIXES[0],
        "sources": {
            name: hashlib.sha256((package / f"{name}.py").read_bytes()).hexdigest()
            for name in MODULES
        },
    }


def _manifest(build: Path) -> dict | None:
    try:
        return json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no build (a checkout that never ran make), or one cut short


def current(build: Path = BUILD, package: Path = PACKAGE) -> bool:
    """Whether ``build`` holds every module, compiled from the sources as they are now."""
    return _manifest(build) == _signature(package) and all(
        any((build / "nlp").glob(f"{name}.*")) for name in MODULES
    )


def load(package_path: list[str], build: Path = BUILD) -> bool:
    """Put the compiled modules first on ``package_path`` (``nlp.__path__``) if they are
    current and wanted; whether they were."""
    if os.environ.get(PURE_ENV):
        return False
    if not current(build):
        if _manifest(build) is not None:
            logger.warning(
                "the compiled extractor in %s is not of these sources (one was edited, or "
                "another Python built it); reading posts with the sources, slower: `make "
                "native` rebuilds it",
                build,
            )
        return False
    package_path.insert(0, str(build / "nlp"))
    return True


def active() -> bool:
    """Whether this process reads posts with the compiled modules."""
    offers = sys.modules.get("nlp.offers")
    return offers is not None and not (offers.__file__ or "").endswith(".py")


def describe() -> str:
    """Which modules this process reads posts with, for benchmarks to say what they measured."""
    if active():
        return f"compiled with mypyc ({BUILD})"
    return "the interpreted sources" + (f" ({PURE_ENV} set)" if os.environ.get(PURE_ENV) else "")


def build(target: Path = BUILD) -> Path:
    """Compile ``MODULES`` into ``target`` (replacing what was there) and write its manifest."""
    from mypyc.build import mypycify  # only a build needs mypy and setuptools
    from setuptools import setup

    sources = [str(PACKAGE / f"{name}.py") for name in MODULES]
    signature = _signature(PACKAGE)  # taken first: a source edited during the build fails it
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="heishi-native-") as temp:
        cwd = os.getcwd()
        os.chdir(temp)  # mypyc writes its C sources and mypy its cache under the current folder
        try:
            extensions = mypycify(
                ["--ignore-missing-imports", "--cache-dir", str(Path(temp) / "cache"), *sources],
                group_name=GROUP,
            )
            setup(
                name="heishi-native",
                ext_modules=extensions,
                script_args=["-q", "build_ext", "--build-lib", str(fresh),
                             "--build-temp", str(Path(temp) / "obj")],
            )
        finally:
            os.chdir(cwd)
    if _signature(PACKAGE) != signature:
        raise RuntimeError("a source changed while it was being compiled; build again")
    (fresh / MANIFEST).write_text(json.dumps(signature, indent=1), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    return target
