"""Benchmark of the app's start (tui/app.py, tui/screens/dashboard.py). Run by run.py.

`startup_dashboard`: wall time from spawning a fresh Python process to an interactive 工作台 — the due talks,
follow-ups, coverage and watch list of an organisation of 1,000 people and 20,000 talks on screen (120×36,
headless) — as a ratio to a bare Textual app drawing the same screen: Textual's own widgets (header, four
DataTables, text lines, footer) laid out as 工作台 lays them out (tui/tanxin.tcss), filled with the same rows (as
inert Text cells, as 工作台's are), the same line above the due list, explanation under it and keys in the
footer, all read from a JSON file. The tanxin side opens the encrypted database with its raw key (as after a
keyring unlock; the deliberate ~0.1 s of Argon2 for a typed passphrase is left out), loads the policy packs, and
computes everything; the bare side only draws. Both are spawned alternately and the median of the pairs' ratios is reported (target ≤ 1.5).

Why the bare app draws exactly 工作台's screen (until 2026-12-05 it drew half of it): docs/performance.md.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from org_data import AS_OF, cipher_store, generate  # noqa: E402
from textual.binding import Binding  # noqa: E402

Result = dict[str, Any]
PEOPLE, TALKS = 1_000, 20_000
PACKS = ["suzhou-2018", "cadre-talks", "practice"]
SIZE = (120, 36)

# Each child prints the wall-clock time at which its dashboard is drawn and ready for keys.
TANXIN_CHILD = """
import asyncio, sys, time
from datetime import date
from pathlib import Path
from notes.clock import FixedClock
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.dashboard import DashboardScreen

store = Store.open(Path(sys.argv[1]), bytes.fromhex(sys.argv[2]))
app = TanxinApp(store, clock=FixedClock.on(date.fromisoformat(sys.argv[3])), cursor_blink=False)

async def ready(pilot):
    while not (isinstance(app.screen, DashboardScreen) and app.screen.data is not None):
        await asyncio.sleep(0.002)
    await pilot.pause()
    print(time.monotonic(), app.screen.query_one("#due").row_count, flush=True)
    app.exit()

app.run(headless=True, size=(int(sys.argv[4]), int(sys.argv[5])), auto_pilot=ready)
"""

BARE_CHILD = """
import asyncio, json, sys, time
from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

SCREEN = json.loads(open(sys.argv[1], encoding="utf-8").read())
SECTIONS = SCREEN["sections"]

class Bare(App):
    # 工作台's layout (tui/tanxin.tcss): the due list at full height beside the side lists, a line above it and
    # the highlighted row's explanation under it; the side lists at most 12 rows each.
    CSS = \"\"\"
    #body { layout: horizontal; }
    #left { width: 3fr; height: 100%; }
    #left DataTable { height: 1fr; }
    #detail { height: auto; max-height: 8; padding: 0 1; background: $boost; }
    #side { width: 2fr; height: 100%; border-left: vkey $panel; }
    #side Vertical { height: auto; }
    #side DataTable { max-height: 12; }
    \"\"\"
    # One action per key: the footer shows one key per action (nothing presses them).
    BINDINGS = [Binding(key, f"key({n})", description) for n, (key, description) in enumerate(SCREEN["keys"])]

    def action_key(self, n):
        pass

    def compose(self):
        yield Header()
        with Container(id="body"):
            with Vertical(id="left"):
                yield Static(Content(SCREEN["scope"]))
                yield Static(Content("due"))
                yield DataTable(id="due", cursor_type="row", zebra_stripes=True)
                yield Static(Content(SCREEN["detail"]), id="detail")
            with VerticalScroll(id="side"):
                for name in ("followups", "coverage", "watch"):
                    with Vertical():
                        yield Static(Content(name))
                        yield DataTable(id=name, cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self):
        for name, section in SECTIONS.items():
            table = self.query_one("#" + name, DataTable)
            table.add_columns(*section["columns"])
            # Cells as inert Text, as 工作台 gives them (a string cell would be parsed as markup).
            table.add_rows([[Text(cell, no_wrap=True, end="") for cell in row] for row in section["rows"]])
        self.query_one("#due").focus()
        self.filled = True

app = Bare()

async def ready(pilot):
    while not getattr(app, "filled", False):
        await asyncio.sleep(0.002)
    await pilot.pause()
    print(time.monotonic(), app.query_one("#due").row_count, flush=True)
    app.exit()

app.run(headless=True, size=(int(sys.argv[2]), int(sys.argv[3])), auto_pilot=ready)
"""


def _same_screen(store: Any) -> dict[str, Any]:
    """What 工作台 shows, as plain text for the bare app (computed here, outside the timing): the rows of its four
    lists, the line above the due list, the first row's explanation under it and the keys in its footer."""
    from prep.packs import load_policy
    from tui.app import TanxinApp
    from tui.screens.dashboard import (
        MAX_DUE_ROWS,
        MAX_FOLLOWUP_ROWS,
        SECTION_COLUMNS,
        DashboardScreen,
        coverage_cells,
        due_cells,
        followup_cells,
        load_dashboard,
        row_explanation,
        scope_line,
        watch_cells,
    )

    data = load_dashboard(store, load_policy(PACKS), AS_OF)
    rows = {
        "due": [due_cells(r) for r in data.rows[:MAX_DUE_ROWS]],
        "followups": [followup_cells(i) for i in data.followups[:MAX_FOLLOWUP_ROWS]],
        "coverage": [coverage_cells(c) for c in data.coverage],
        "watch": [watch_cells(w) for w in data.watch],
    }
    # The keys 工作台's footer shows with a full list (导入花名册 is offered only while the list is empty).
    keys = [(b.key, b.description) for b in [*DashboardScreen.BINDINGS, *TanxinApp.BINDINGS]
            if isinstance(b, Binding) and b.show and b.action != "import_roster"]
    return {
        "sections": {name: {"columns": list(SECTION_COLUMNS[name]), "rows": [[c.plain for c in row] for row in rows[name]]}
                     for name in SECTION_COLUMNS},
        "scope": scope_line(data).plain,
        "detail": row_explanation(data.rows[0], AS_OF).plain,
        "keys": keys,
    }


def _child_env(folder: Path) -> dict[str, str]:
    """The children's environment with a bytecode cache of their own. An installed app runs from compiled
    bytecode; with PYTHONDONTWRITEBYTECODE set (as in the shared dev shells) tanxin's side would compile its
    sources on every start, while the bare side's library came with its bytecode: the warm-up spawn of each
    side fills this cache, outside the working tree."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def _spawn(env: dict[str, str], code: str, *args: str) -> float:
    # CLOCK_MONOTONIC is system-wide, so the child's moment of first draw compares with the parent's start.
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                            check=False, env=env)
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"child failed: {result.stderr[-2000:]}")
    ready_at, rows = result.stdout.split()[:2]
    if int(rows) == 0:
        raise RuntimeError("the dashboard showed no due talks: nothing was measured")
    return float(ready_at) - started


def startup_dashboard(quick: bool) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="tanxin-bench-tui-"))
    try:
        store = cipher_store(folder / "org.db", generate(PEOPLE, TALKS))
        store.set_setting("active_packs", PACKS)
        sections = folder / "rows.json"
        sections.write_text(json.dumps(_same_screen(store), ensure_ascii=False), encoding="utf-8")
        key, path = store.key.hex(), str(store.path)
        store.close()
        size = (str(SIZE[0]), str(SIZE[1]))
        env = _child_env(folder)
        tanxin_args = (env, TANXIN_CHILD, path, key, AS_OF.isoformat(), *size)
        bare_args = (env, BARE_CHILD, str(sections), *size)
        _spawn(*tanxin_args)  # warm the file cache and the bytecode caches of both sides once
        _spawn(*bare_args)
        pairs = [(_spawn(*tanxin_args), _spawn(*bare_args)) for _ in range(3 if quick else 7)]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ours = statistics.median(p[0] for p in pairs)
    base = statistics.median(p[1] for p in pairs)
    return {
        "name": "startup_dashboard",
        "value": round(ours, 3),
        "baseline_value": round(base, 3),
        "ratio": round(statistics.median(p[0] / p[1] for p in pairs), 3),
        "target": 1.5,
        "baseline": "bare Textual app drawing the same screen",
        "unit": "s",
        "detail": f"{PEOPLE} people / {TALKS} talks, process spawn → 工作台 drawn at {SIZE[0]}×{SIZE[1]}, "
                  f"median of {len(pairs)} alternating pairs",
    }


BENCHMARKS = [startup_dashboard]
