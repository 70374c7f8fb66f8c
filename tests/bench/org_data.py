"""A large fictional organisation for benchmarks, written with bulk inserts into SQLCipher or plain SQLite.

`generate(people, talks)` draws the rows once (seeded, so every run and both databases hold the same data):
a 机关党委 with a leadership team, branches of 40 (a secretary who is also 支委, four 支委, members of every
kind), role history, events, three years of talks (most sealed), follow-ups, 十个清楚 entries and watch flags.
`cipher_store` and `plain_store` load the same rows — executemany in one transaction per database — into an
encrypted tanxin database and into a stdlib sqlite3 database with the same schema, each wrapped in a Store, so
a benchmark can run the very same code on both and report the ratio.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from notes.keys import new_database_key
from notes.store import Store, load_migrations

BRANCH_SIZE = 40
TEAM_SIZE = 9
YEAR = 2026
AS_OF = date(YEAR, 11, 30)
FIRST_DAY = date(YEAR - 2, 1, 1)
TALK_TYPES = ("routine", "member_talk", "care", "reminder", "daily")
EVENT_TYPES = ("appointment_decision", "removal_decision", "retirement", "family_misfortune", "post_changed")
PROFILE_DIMENSIONS = ("basic", "political", "habits", "performance", "difficulties", "family", "social", "economic")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国志强秀英海燕丽华文静晓明国华建华玉兰春梅立新红梅俊杰雪梅振华永刚桂芳淑珍宏伟子涵欣怡浩然思远"


@dataclass
class OrgData:
    """Rows per table (columns, tuples) in insert order, and who is worth asking about."""

    people: int
    talks: int
    tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = field(default_factory=dict)
    sealed_talks: list[int] = field(default_factory=list)
    secretaries: list[int] = field(default_factory=list)
    busiest: int = 0  # the interviewee with the most talks (the heaviest brief)

    def add(self, table: str, columns: tuple[str, ...], row: tuple[Any, ...]) -> None:
        self.tables.setdefault(table, (columns, []))[1].append(row)


def _day(rng: random.Random, start: date = FIRST_DAY, end: date = AS_OF) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def generate(people: int, talks: int, seed: int = 7) -> OrgData:
    rng = random.Random(seed)
    data = OrgData(people, talks)
    unit_cols = ("id", "parent_id", "name", "kind", "sort_order")
    data.add("units", unit_cols, (1, None, "某市级机关党委", "机关党委", 0))
    branches = max(1, (people - TEAM_SIZE) // BRANCH_SIZE)
    for index in range(branches):
        data.add("units", unit_cols, (index + 2, 1, f"机关第{index + 1}党支部", "党支部", index + 1))
    person_cols = ("id", "name", "gender", "birth_date", "joined_date", "unit_id", "membership", "position",
                   "identity_key")
    role_cols = ("person_id", "unit_id", "role", "title", "start_date", "end_date", "source")
    members_of: dict[int, list[int]] = {}
    team: list[int] = []
    committee_of: dict[int, list[int]] = {}
    for person_id in range(1, people + 1):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        born = f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}"
        in_team = person_id <= TEAM_SIZE
        unit = 1 if in_team else 2 + (person_id - TEAM_SIZE - 1) % branches
        data.add("people", person_cols, (person_id, name, rng.choice("男女"), born, f"{int(born[:4]) + 25}-07", unit,
                                         "正式党员", "科员", f"{name}|{born}#{person_id}"))

        def role(name: str, start: str | None = None, end: str | None = None, at: int = unit,
                 who: int = person_id) -> None:
            data.add("roles", role_cols, (who, at, name, "", start, end, "基准数据"))

        role("党员")
        if in_team:
            team.append(person_id)
            role("班子成员")
            if person_id == 1:
                role("主要负责同志")
            else:
                for branch in range(2 + (person_id - 2), branches + 2, TEAM_SIZE - 1):
                    role("分管", at=branch)
            continue
        members = members_of.setdefault(unit, [])
        members.append(person_id)
        position = len(members)
        if position == 1:
            role("支部书记", f"{YEAR - rng.randint(0, 5)}-0{rng.randint(1, 9)}-01")
            role("支委")
            role("部门负责人")
            data.secretaries.append(person_id)
        elif position <= 5:
            role("支委")
            committee_of.setdefault(unit, []).append(person_id)
        elif position % 13 == 0:
            role("流动党员")
        elif position % 17 == 0:
            role("生病住院")
        if rng.random() < 0.05:  # role history: a former 支委 of another branch
            role("支委", f"{YEAR - 4}-03-01", f"{YEAR - 1}-03-01", at=2 + rng.randrange(branches))

    talk_cols = ("id", "code", "talk_type", "category", "form", "channel", "status", "unit_id", "planned_at",
                 "started_at", "ended_at", "summary", "statement", "cancel_reason", "created_at", "updated_at")
    part_cols = ("talk_id", "person_id", "role", "position")
    branch_units = sorted(members_of)
    talks_with: dict[int, int] = {}
    # Who talks with whom, as in a real organisation: the team with each other and with the branch heads they
    # oversee a couple of times a year, the branch secretaries and committees with their members the rest.
    years = YEAR - FIRST_DAY.year + 1
    specs: list[tuple[int, int, str, int]] = []  # interviewer, interviewee, type, unit
    for index, first in enumerate(team):
        for second in team[index + 1:]:
            specs += [(first, second, "mutual", 1)] * rng.randint(years, 2 * years)
    for overseer, branch in zip((team[1:] * len(branch_units))[:len(branch_units)], branch_units, strict=True):
        specs += [(overseer, members_of[branch][0], "routine", branch)] * rng.randint(years, 2 * years)
    while len(specs) < talks:
        unit = rng.choice(branch_units)
        members = members_of[unit]
        interviewer = rng.choice([members[0], *committee_of.get(unit, [])])
        interviewee = rng.choice(members)
        if interviewee == interviewer:
            interviewee = members[-1] if interviewer != members[-1] else members[0]
        specs.append((interviewer, interviewee, rng.choice(TALK_TYPES), unit))
    rng.shuffle(specs)
    # Talks are recorded as they happen: ids grow with the date, as in a real database.
    days = sorted(_day(rng) for _ in range(talks))
    for talk_id, (day, (interviewer, interviewee, talk_type, unit)) in enumerate(
            zip(days, specs[:talks], strict=True), start=1):
        status = rng.choices(("sealed", "held", "planned", "cancelled"), (80, 15, 3, 2))[0]
        start = f"{day.isoformat()}T{rng.randint(8, 17):02d}:00:00"
        end = f"{day.isoformat()}T{rng.randint(18, 19):02d}:00:00"
        held = status in ("sealed", "held")
        data.add("talks", talk_cols, (
            talk_id, f"TX-{day.year}-{talk_id:06d}", talk_type, "日常工作类", "个别", "面对面",
            "held" if status == "sealed" else status, unit, start, start if held else None, end if held else None,
            "谈话气氛坦诚，对象思想稳定，主要情况已记录。" if held else "", "表示接受组织意见。" if held else "",
            "对象出差，改期" if status == "cancelled" else "", start, start,
        ))
        if status == "sealed":
            data.sealed_talks.append(talk_id)
        data.add("talk_participants", part_cols, (talk_id, interviewer, "interviewer", 0))
        data.add("talk_participants", part_cols, (talk_id, interviewee, "interviewee", 0))
        talks_with[interviewee] = talks_with.get(interviewee, 0) + 1
        if held and rng.random() < 0.05:
            kind = rng.choice(("整改", "帮扶"))
            due = (day + timedelta(days=30)).isoformat()
            data.add("followups", ("talk_id", "person_id", "owner_id", "kind", "title", "due_on", "status",
                                   "created_at", "updated_at"),
                     (talk_id, interviewee, interviewer if kind == "帮扶" else interviewee, kind, "按期整改落实", due,
                      rng.choice(("open", "in_progress", "done", "verified")), start, start))
    data.busiest = max(talks_with, key=lambda p: (talks_with[p], -p))

    event_cols = ("person_id", "event_type", "occurred_on", "note")
    for _ in range(max(1, people // 5)):
        data.add("events", event_cols, (rng.randint(TEAM_SIZE + 1, people), rng.choice(EVENT_TYPES),
                                        _day(rng, date(YEAR, 1, 1), AS_OF).isoformat(), "基准数据"))
    entry_cols = ("person_id", "dimension", "text", "observed_on", "source")
    for person_id in range(1, people + 1):
        for dimension in rng.sample(PROFILE_DIMENSIONS, rng.randint(2, 6)):
            data.add("profile_entries", entry_cols, (person_id, dimension, "情况正常，表现良好。",
                                                     _day(rng).isoformat(), "支部书记反映"))
        if rng.random() < 0.02:
            data.add("watch_flags", ("person_id", "reason", "since", "source"),
                     (person_id, "近期情绪波动较大", _day(rng).isoformat(), "支部研究确定"))
    return data


def load(connection: Any, data: OrgData) -> None:
    """All rows in one transaction with executemany; sealed talks are marked sealed last (the triggers forbid
    adding participants to a sealed talk, as they should)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        for table, (columns, rows) in data.tables.items():
            marks = ", ".join("?" for _ in columns)
            connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        connection.executemany("UPDATE talks SET status = 'sealed' WHERE id = ?", [(i,) for i in data.sealed_talks])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("ANALYZE")


def cipher_store(path: Path, data: OrgData) -> Store:
    """An encrypted tanxin database (WAL, synchronous FULL, foreign keys on) holding the data."""
    store = Store.create(path, new_database_key())
    load(store.conn, data)
    return store


def plain_store(path: Path, data: OrgData) -> Store:
    """The same schema and rows in a plain stdlib sqlite3 file with the same pragmas, wrapped in a Store so the
    same code runs on it; the only difference left is the encryption (and sqlcipher3 vs sqlite3)."""
    connection = sqlite3.connect(str(path), isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        connection.execute(f"PRAGMA {pragma}")
    for migration in load_migrations():
        connection.execute("BEGIN")
        for statement in migration.statements:
            connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {migration.version}")
        connection.execute("COMMIT")
    load(connection, data)
    return Store(path, b"", connection)
