"""Sources as a reader can look them up: 《关于……的实施意见》三（六）, not the packs' internal "000 三(六)".

A pack cites its documents by a short id and a clause ("000 五(一)", "004 三.1", "002 篇6 三(一)"); the id
means nothing on paper. Documents print each citation with the document's name (the pack's `sources` metadata,
its 文号 or note in brackets left off) and the clause written the Chinese way. A citation whose document is not
known is left out rather than printed as a code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_CITATION = re.compile(r"^\s*(\d{3})\s+(.*?)\s*$")
# A trailing bracket that is not part of a document's name: its 文号, a date, a count of articles, a note.
_TRAILING_NOTE = re.compile(r"（[^（）]*(?:〔|号|篇|，|仅|\d)[^（）]*）\s*$")
_SECTION_ITEM = re.compile(r"^([一二三四五六七八九十]+)\.(\d+)")
_ARTICLE = re.compile(r"^篇(\d+)\s*")
CITATION_SEPARATOR = "；"


def document_name(title: str) -> str:
    """《name》 of a source's title, without the trailing brackets that hold its 文号 or a note."""
    name = title.strip()
    while True:
        shorter = _TRAILING_NOTE.sub("", name).strip()
        if shorter == name:
            break
        name = shorter
    return f"《{name}》" if name else ""


def clause_text(clause: str) -> str:
    """三(六)1 → 三（六）1; 三.2⑷ → 第三部分第2项⑷; 篇6 三(一) → 第6篇三（一）; 第九条(一) → 第九条（一）."""
    text = clause.strip()
    article = _ARTICLE.match(text)
    prefix = ""
    if article:
        prefix = f"第{article.group(1)}篇"
        text = text[article.end():]
    text = _SECTION_ITEM.sub(lambda m: f"第{m.group(1)}部分第{m.group(2)}项", text)
    return prefix + text.replace("(", "（").replace(")", "）").replace(" ", "")


def official_source(citation: str, titles: Mapping[str, str]) -> str:
    """One or more citations ("000 三(六)1；000 二(二)6；004 三.1") in official words, each document named once
    with its clauses after it; '' when none of their documents is known."""
    clauses: dict[str, list[str]] = {}
    for part in citation.split(CITATION_SEPARATOR):
        match = _CITATION.match(part)
        title = titles.get(match.group(1)) if match else None
        if match and title:
            known = clauses.setdefault(document_name(title), [])
            clause = clause_text(match.group(2))
            if clause not in known:
                known.append(clause)
    return CITATION_SEPARATOR.join(name + "、".join(parts) for name, parts in clauses.items())
