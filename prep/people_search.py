"""Finding people as an interviewer types: by Chinese name, full pinyin or initials.

"zs" finds 张三, "zhangsan" and "zhangs" too, and so does "san". Every hanzi is read with all its readings
(heteronyms: 曾 is zeng or ceng, 单 is shan, dan or chan), because a surname's reading is exactly where a
single guess goes wrong; matches in a character's usual reading rank first, so the rare readings only add
results at the end. ü is accepted as v or u (吕: lv, lu). A query is matched syllable by syllable, each
character consuming a whole reading or any prefix of it, so full pinyin, initials and mixtures all work.

No Textual here: the TUI builds the index in a worker and asks it on each keystroke.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# A query longer than this is cut: the matcher explores readings per character, and no name is this long.
MAX_QUERY_CHARS = 40


def _is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def _variants(reading: str) -> list[str]:
    return [reading, reading.replace("v", "u"), reading.replace("ü", "v")]


@lru_cache(maxsize=8192)
def readings(char: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a user may type this character: (the character and its usual reading, every reading).

    Non-hanzi characters are typed as themselves (lower-cased)."""
    if not _is_hanzi(char):
        return (char.lower(),), (char.lower(),)
    from pypinyin import Style, pinyin

    found: list[str] = []
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]:
        found.extend(v for v in _variants(reading) if v and v not in found)
    usual = [char, *dict.fromkeys(_variants(pinyin(char, style=Style.NORMAL)[0][0]))]
    return tuple(usual), (char, *found)


def normalise_query(query: str) -> str:
    """What a query is matched as: NFC, lower case, without spaces, apostrophes or the middle dot in names."""
    text = unicodedata.normalize("NFC", query).lower()
    return "".join(c for c in text if c not in " \t'’·•.-")[:MAX_QUERY_CHARS]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One searchable person: the name as stored and, per character, its usual reading and all readings."""

    person_id: int
    name: str
    usual: tuple[tuple[str, ...], ...]
    chars: tuple[tuple[str, ...], ...]


def _consumes(chars: tuple[tuple[str, ...], ...], start: int, query: str) -> bool:
    """True when `query` can be read from chars[start:], each character taking a reading or a prefix of one."""
    failed: set[tuple[int, int]] = set()  # (character, query position) pairs already known not to lead anywhere

    def step(index: int, position: int) -> bool:
        if position == len(query):
            return True
        if index >= len(chars) or (index, position) in failed:
            return False
        rest = query[position:]
        for option in chars[index]:
            for length in range(min(len(option), len(rest)), 0, -1):
                if option[:length] == rest[:length] and step(index + 1, position + length):
                    return True
        failed.add((index, position))
        return False

    return step(start, 0)


def match_rank(candidate: Candidate, query: str) -> int | None:
    """How well a normalised query matches: 0 the exact name, 1 from the first character in usual readings
    ("zs" for 张三), 2 from the first character in a rarer reading (董 read zhong), 3 from a later character
    ("san" for 张三); None: no match."""
    if not query:
        return 1
    if normalise_query(candidate.name) == query:
        return 0
    if _consumes(candidate.usual, 0, query):
        return 1
    if _consumes(candidate.chars, 0, query):
        return 2
    if any(_consumes(candidate.chars, start, query) for start in range(1, len(candidate.chars))):
        return 3
    return None


class PeopleIndex:
    """An in-memory index of names; build it once (in a worker), search it on every keystroke."""

    def __init__(self, people: Iterable[tuple[int, str]]) -> None:
        self.candidates = []
        for person_id, name in people:
            known = [readings(c) for c in normalise_query(name)]
            self.candidates.append(Candidate(person_id, name, tuple(k[0] for k in known), tuple(k[1] for k in known)))

    def __len__(self) -> int:
        return len(self.candidates)

    def ranked(self, query: str, limit: int | None = None) -> list[tuple[int, Candidate]]:
        """(rank, candidate) for each match, best first (see `match_rank`); shorter names and lower ids first
        within a rank."""
        wanted = normalise_query(query)
        found: list[tuple[int, int, int, Candidate]] = []
        for candidate in self.candidates:
            rank = match_rank(candidate, wanted)
            if rank is not None:
                found.append((rank, len(candidate.name), candidate.person_id, candidate))
        found.sort(key=lambda item: item[:3])
        return [(item[0], item[3]) for item in (found if limit is None else found[:limit])]

    def search(self, query: str, limit: int | None = None) -> list[Candidate]:
        """The people matching the query, best first."""
        return [candidate for _, candidate in self.ranked(query, limit)]
