"""Only the settings that apply to the organisation are offered: a 民进 database keeps no 《党员手册》, so 设置 and
`tanxin config list` leave its template out; `config get/set` of it still work by name and say why it has no
effect; a Party database lists it as before."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli
from textual.css.query import NoMatches
from tui_talk_helpers import drive, wait_for

from notes.resources import templates_dir
from notes.settings import SETTINGS, load_settings, save_texts, template_key
from notes.store import Store
from notes.unlock import init_database
from tui.app import TanxinApp
from tui.screens.settings import SettingsScreen, field_id
from tui.widgets.safe_input import SafeInput

MINJIN_PACKS = ["minjin-cq-2023", "cadre-talks", "practice"]
HANDBOOK = template_key("handbook")
NOT_APPLICABLE = "不适用于本单位"


@pytest.fixture
def minjin_db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "minjin.db"
    init_database(path, PASSPHRASE, MINJIN_PACKS).store.close()
    yield path


@pytest.fixture
def handbook_template(tmp_path: Path) -> Path:
    own = tmp_path / "模板" / "手册.docx"
    own.parent.mkdir()
    shutil.copy(templates_dir() / "docx" / "handbook.docx", own)
    return own


def test_config_list_leaves_out_what_does_not_apply(minjin_db: Path, store: Store, db_path: Path) -> None:
    minjin = run_cli(["--db", str(minjin_db), "config", "list"])
    assert minjin.exit_code == 0, minjin.stderr
    assert HANDBOOK not in minjin.output and "fonts.body" in minjin.output and "templates.record" in minjin.output
    rows = json.loads(run_cli(["--db", str(minjin_db), "config", "list", "--json"]).stdout)
    assert [row["id"] for row in rows] == [key for key in SETTINGS if key != HANDBOOK]
    party = run_cli(["--db", str(db_path), "config", "list"])
    assert HANDBOOK in party.output


def test_a_setting_that_does_not_apply_is_still_kept_and_says_so(minjin_db: Path, handbook_template: Path) -> None:
    db = ["--db", str(minjin_db)]
    done = run_cli([*db, "config", "set", HANDBOOK, str(handbook_template)])
    assert done.exit_code == 0, done.stderr
    assert f"已设置：模板：《党员手册》其他情况记录（{HANDBOOK}）为 {handbook_template}。" in done.stdout
    assert NOT_APPLICABLE in done.stderr and "没有规定记录谈心谈话的会员手册" in done.stderr
    got = run_cli([*db, "config", "get", HANDBOOK])
    assert got.exit_code == 0 and got.stdout == f"{handbook_template}\n"  # stdout stays the bare value
    assert NOT_APPLICABLE in got.stderr
    back = run_cli([*db, "config", "unset", HANDBOOK])
    assert back.exit_code == 0 and "已恢复默认" in back.output and not back.stderr
    fonts = run_cli([*db, "config", "get", "fonts.body"])
    assert fonts.exit_code == 0 and not fonts.stderr


def test_a_party_database_gets_no_such_note(db_path: Path, store: Store, handbook_template: Path) -> None:
    done = run_cli(["--db", str(db_path), "config", "set", HANDBOOK, str(handbook_template)])
    assert done.exit_code == 0 and not done.stderr
    assert not run_cli(["--db", str(db_path), "config", "get", HANDBOOK]).stderr


@drive
async def test_the_settings_screen_of_a_minjin_database(minjin_db: Path, handbook_template: Path) -> None:
    """No handbook field; the other fields are there and save; the handbook value stored earlier is kept."""
    from conftest import TEST_TODAY, clock_on

    from notes.unlock import open_database

    store = open_database(minjin_db, passphrase=PASSPHRASE, use_keyring=False)
    try:
        save_texts(store, {HANDBOOK: str(handbook_template)})
        app = TanxinApp(store, clock=clock_on(TEST_TODAY), cursor_blink=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.push_screen(SettingsScreen())
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SettingsScreen)
            with pytest.raises(NoMatches):
                screen.query_one(f"#{field_id(HANDBOOK)}", SafeInput)
            for key in SETTINGS:
                if key != HANDBOOK:
                    assert screen.query_one(f"#{field_id(key)}", SafeInput) is not None
            screen.query_one(f"#{field_id('fonts.body')}", SafeInput).value = "宋体"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not isinstance(app.screen, SettingsScreen))  # saved and closed
        saved = load_settings(store)
        assert saved.font("body") == "宋体" and saved.template("handbook") == str(handbook_template)
    finally:
        store.close()
