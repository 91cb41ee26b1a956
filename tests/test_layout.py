"""The layout is the architecture: these checks keep the boundaries of architecture.md."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawlers", "nlp", "index", "ops")

# What each package may import of ours (itself always).
ALLOWED = {
    "nlp": set(),
    "index": {"nlp"},
    "crawlers": {"nlp", "index"},
    "ops": {"nlp", "index", "crawlers"},
    "bench": {"nlp", "index", "crawlers"},
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_the_architecture_allows(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_modules(path) & set(PACKAGES) - ALLOWED[package] - {package}:
            wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_nlp_does_not_import_scrapy():
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "nlp").rglob("*.py"))
        for name in imported_modules(path) & {"scrapy", "twisted", "scrapy_playwright"}
    ]
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_imports():
    assert {"index", "ops"} <= imported_modules(ROOT / "ops" / "cli.py") | imported_modules(
        ROOT / "ops" / "commands" / "stats.py"
    )
