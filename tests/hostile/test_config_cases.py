"""Each configuration case of issue 13 is one line naming file, line and field, and exit 2."""

from __future__ import annotations

import textwrap

import pytest

from ops.cli import main

SOURCE = """\
sources:
  - name: board
    start_urls: ["http://127.0.0.1:9/board/"]
    selectors:
      post: div.thread
      fields:
        text: div.body
"""


def with_line(line: str, after: str = "    start_urls") -> str:
    """SOURCE with ``line`` added after the line starting with ``after``."""
    out = []
    for existing in SOURCE.splitlines():
        if existing.startswith(after) and line.startswith(after):
            out.append(line)
            continue
        out.append(existing)
        if existing.startswith(after) and not line.startswith(after):
            out.append(line)
    return "\n".join(out) + "\n"


CASES = [
    ("timezone", with_line("    timezone: Asia"), 4, "timezone"),
    ("date name", with_line("  - name: 2024-02-30", "  - name"), 2, "name"),
    ("huge recrawl_age", with_line("    recrawl_age: 99999999999d"), 4, "recrawl_age"),
    ("float recrawl_age", with_line("    recrawl_age: 1.0e+300"), 4, "recrawl_age"),
    ("!!int tag", with_line("    politeness: {concurrency: !!int abc}"), 4, "concurrency"),
    ("!!timestamp tag", with_line("    context: !!timestamp nope"), 4, "context"),
    ("unknown tag", with_line("    context: !!python/name:os.system x"), 4, "context"),
    ("no host", with_line('    start_urls: ["http://"]'), 3, "start_urls"),
    ("bad port", with_line('    start_urls: ["http://127.0.0.1:99999/"]'), 3, "start_urls"),
    ("port not a number", with_line('    start_urls: ["http://127.0.0.1:abc/"]'), 3, "start_urls"),
    ("open bracket", with_line('    start_urls: ["http://[::1/"]'), 3, "start_urls"),
    ("rot13", with_line("    encoding: rot13"), 4, "encoding"),
    ("delay .inf", with_line("    politeness: {delay: .inf}"), 4, "delay"),
    ("delay .nan", with_line("    politeness: {delay: .nan}"), 4, "delay"),
    ("timeout huge", with_line("    politeness: {timeout: 9999999w}"), 4, "timeout"),
    ("page size 1e400", with_line(f"    politeness: {{max_page_size: {'9' * 400}MB}}"), 4,
     "max_page_size"),
    ("huge concurrency", with_line(f"    politeness: {{concurrency: {'9' * 30}}}"), 4,
     "concurrency"),
]


@pytest.mark.parametrize(("case", "text", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_sources_file_is_one_line_with_file_line_and_field(case, text, line, field,
                                                                  tmp_path, capsys):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    assert main(["sources", "check", "--sources-file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"{path}:{line}: " in err and field in err.split(f"{path}:{line}: ")[1], err


def test_the_base_file_is_valid(tmp_path, capsys):
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCE, encoding="utf-8")
    assert main(["sources", "check", "--sources-file", str(path)]) == 0
