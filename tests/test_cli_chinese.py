"""The command line speaks Chinese, click's own messages included (tui/click_chinese.py)."""

from __future__ import annotations

import re

import pytest
from conftest import run_cli

# Option names, metavars and values the user typed are quoted in messages; anything else in Latin letters is an
# untranslated click message.
_QUOTED = re.compile(r"'[^']*'|--?[\w-]+|\b[A-Z][A-Z_]*\b|tanxin")


def _english_words(text: str) -> list[str]:
    # The usage line names the program and the command as typed.
    lines = [line for line in text.splitlines() if not line.startswith("用法：")]
    return re.findall(r"[A-Za-z]{3,}", _QUOTED.sub("", "\n".join(lines)))


@pytest.mark.parametrize(
    "args",
    [
        ["nosuch"],
        ["due", "--as-of"],
        ["due", "多余"],
        ["people", "--bogus"],
        ["event", "1"],
        ["talk", "new"],
        ["due", "--as-of", "2026-02-30"],
        # Refusals that say which part of the date is wrong (notes/dates.py) are Chinese too.
        ["due", "--as-of", "2026-12"],
        ["due", "--as-of", "2026-12-01 09:30"],
        ["talk", "new", "张三", "--type", "routine", "--interviewer", "李四", "--at", "2026-12-01 25:00"],
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_are_chinese(args: list[str]) -> None:
    result = run_cli(args)
    assert result.exit_code == 2, result.output
    assert _english_words(result.output) == [], result.output
