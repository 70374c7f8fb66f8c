"""A unit built the way a real one is (roster, roles, events, talks written up with `tanxin talk`), for the tests
of the compliance record and the due engine's semantics (docs/compliance.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from conftest import PASSPHRASE, clock_on, run_cli

from notes.clock import NOW_VARIABLE
from notes.store import Store
from notes.unlock import init_database
from prep.events import record_event
from prep.packs import Policy, load_policy

DEFAULT = ["suzhou-2018", "cadre-talks", "practice"]


@dataclass
class Unit:
    """A database created on a given day (it answers for its duties from then on: prep.due.tracking_start)."""

    db: Path
    store: Store
    policy: Policy

    def unit(self, name: str, parent: int | None = None) -> int:
        return self.store.insert("units", {"name": name, "parent_id": parent})

    def person(self, name: str, unit: int, *roles: str, start: str | None = None) -> int:
        person = self.store.insert("people", {"name": name, "unit_id": unit})
        for role in roles:
            self.role(person, unit, role, start)
        return person

    def role(self, person: int, unit: int, role: str, start: str | None = None) -> None:
        self.store.insert("roles", {"person_id": person, "unit_id": unit, "role": role, "start_date": start})

    def event(self, person: int, event: str, day: str, note: str = "") -> int:
        return record_event(self.store, self.policy, person, event, day, note).id

    def cli(self, *args: str, now: str = "2026-11-22T10:00") -> Any:
        result = run_cli(["--db", str(self.db), *args], env={NOW_VARIABLE: now})
        assert result.exit_code == 0, result.output + result.stderr
        return result

    def talk(self, person: int, talk_type: str, day: str, *interviewers: int, form: str = "个别",
             others: tuple[int, ...] = ()) -> str:
        """A talk held on `day`, written up the day after with the talk CLI (补录); its code."""
        typed = date.fromisoformat(day).toordinal() + 1
        now = f"{date.fromordinal(typed).isoformat()}T18:00"
        args = ["talk", "new", str(person), "--type", talk_type, "--at", f"{day} 09:00", "--form", form]
        for interviewer in interviewers:
            args += ["--interviewer", str(interviewer)]
        for other in others:
            args += ["--with", str(other)]
        started = self.cli(*args, now=now).output
        code: str = started.split("已开始 ", 1)[1].split("（", 1)[0].split("：", 1)[0]
        self.cli("talk", "end", code, "--at", f"{day} 10:00", now=now)
        return code

    def talk_id(self, code: str) -> int:
        return int(self.store.scalar("SELECT id FROM talks WHERE code = ?", [code]))

    def due(self, as_of: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(self.cli("due", "--as-of", as_of, "--json", now=f"{as_of}T10:00").output)
        return found

    def due_text(self, as_of: str) -> str:
        return str(self.cli("due", "--as-of", as_of, now=f"{as_of}T10:00").output)

    def compliance(self, year: int, as_of: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(
            self.cli("compliance", "--year", str(year), "--as-of", as_of, "--json", now=f"{as_of}T10:00").output)
        return found


def make_unit(folder: Path, created: str = "2025-12-01", packs: list[str] | None = None) -> Unit:
    """A fresh encrypted database created on `created` with the packs (default: the default packs)."""
    chosen = packs or DEFAULT
    path = folder / "unit.db"
    made = init_database(path, PASSPHRASE, chosen, clock=clock_on(date.fromisoformat(created)))
    return Unit(path, made.store, load_policy(chosen))


def by_id(rows: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["id"].startswith(prefix)]
