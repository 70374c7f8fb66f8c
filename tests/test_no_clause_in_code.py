"""No Python string in notes/, prep/ or tui/ cites a clause of a seed document ("000 二(二)6", "001 第十七条",
"〔004 三.1〕", "篇7"): what users see is cited from the active packs only, so a Party database never cites the
民进 rules and a 民进 database never cites 003. Comments and docstrings may cite clauses to explain the code,
except the docstrings of CLI commands (tui/commands/), which click prints as help."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A seed id (000–004) followed by a clause (二, 第十七条, 篇6), or a 篇 number on its own.
CLAUSE = re.compile(r"(?<![0-9A-Za-z:])00[0-4]\s?[一二三四五六七八九十第篇]|篇\s?[0-9]")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def clause_citations() -> dict[tuple[str, str], list[int]]:
    """(file, cited text) → the lines of every string that cites a seed clause."""
    found: dict[tuple[str, str], list[int]] = {}
    for top in ("notes", "prep", "tui"):
        for path in sorted((ROOT / top).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skipped = set() if name.startswith("tui/commands/") else _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
                    for match in CLAUSE.finditer(node.value):
                        found.setdefault((name, match.group(0)), []).append(node.lineno)
    return found


def test_no_python_string_cites_a_seed_clause() -> None:
    """Citations come from the active packs (or through PolicyFacts), never from the code."""
    found = {f"{name}:{lines[0]} {text}" for (name, text), lines in clause_citations().items()}
    assert not found, "cite from the packs instead: " + "; ".join(sorted(found))


def test_the_pattern_catches_the_citations_it_is_for() -> None:
    for cited in ("000 二(二)6", "001 第十七条", "003 三", "〔004 三.1〕", "002 篇7", "篇7"):
        assert CLAUSE.search(f"见{cited}。"), cited
    for plain in ("2026-11-22 10:00", "编号 1001", "第 3 次", "TX-2026-0003"):
        assert not CLAUSE.search(plain), plain
