"""`tanxin config list|get|set|unset`: the settings registry from the command line, on a real database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_cli

from notes.resources import templates_dir
from notes.settings import SETTINGS, load_settings
from notes.store import Store


def _stored(store: Store) -> dict[str, str]:
    return {str(row["key"]): str(row["value"]) for row in store.query("SELECT key, value FROM settings")}


def test_list_names_every_setting_with_its_value_and_help(store: Store, db_path: Path) -> None:
    listed = run_cli(["--db", str(db_path), "config", "list"])
    assert listed.exit_code == 0, listed.stderr
    for setting in SETTINGS.values():
        assert setting.key in listed.output and setting.label in listed.output
    assert "fonts.body  文书正文字体：仿宋_GB2312（默认）" in listed.output
    as_json = run_cli(["--db", str(db_path), "config", "list", "--json"])
    rows = json.loads(as_json.output)
    assert [row["id"] for row in rows] == list(SETTINGS)
    body = next(row for row in rows if row["id"] == "fonts.body")
    assert body["value"] == "仿宋_GB2312" and body["is_default"] and body["source"] == "default"


def test_set_get_unset_round_trip(store: Store, db_path: Path) -> None:
    db = ["--db", str(db_path)]
    done = run_cli([*db, "config", "set", "fonts.body", "宋体"])
    assert done.exit_code == 0, done.stderr
    assert "已设置：文书正文字体（fonts.body）为 宋体" in done.output
    assert run_cli([*db, "config", "get", "fonts.body"]).output == "宋体\n"
    assert load_settings(store).font("body") == "宋体"
    keys = run_cli([*db, "config", "set", "keymap", "tanxin.lock=ctrl+k, tanxin.blank=f11"])
    assert keys.exit_code == 0
    assert run_cli([*db, "config", "get", "keymap"]).output == "tanxin.lock=ctrl+k, tanxin.blank=f11\n"
    listed = json.loads(run_cli([*db, "config", "list", "--json"]).output)
    assert next(r for r in listed if r["id"] == "keymap")["value"] == {"tanxin.lock": "ctrl+k", "tanxin.blank": "f11"}
    back = run_cli([*db, "config", "unset", "fonts.body"])
    assert back.exit_code == 0 and "已恢复默认" in back.output
    assert run_cli([*db, "config", "get", "fonts.body"]).output == "仿宋_GB2312\n"
    assert "fonts.body" not in _stored(store)


def test_a_template_path_is_kept_absolute(store: Store, db_path: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "模板" / "记录表.docx"
    own.parent.mkdir()
    shutil.copy(templates_dir() / "docx" / "record.docx", own)
    monkeypatch.chdir(tmp_path)  # a path relative to where the command was typed must mean that file later
    done = run_cli(["--db", str(db_path), "config", "set", "templates.record", "模板/记录表.docx"])
    assert done.exit_code == 0, done.stderr
    assert load_settings(store).template("record") == str(own)


def test_bad_value_exits_1_in_chinese_and_writes_nothing(store: Store, db_path: Path) -> None:
    before = _stored(store)
    for key, value, expected in (
        ("idle_lock_minutes", "十", "0 到 1440 之间的整数"),
        ("idle_lock_minutes", "99999", "0 到 1440 之间的整数"),
        ("templates.report", "/没有/报告.docx", "找不到文件"),
        ("keymap", "ctrl+k", "按键编号=按键"),
    ):
        result = run_cli(["--db", str(db_path), "config", "set", key, "--", value])
        assert result.exit_code == 1, (key, value)
        assert expected in result.stderr and "错误" in result.stderr
        assert "Traceback" not in result.stderr
    assert _stored(store) == before


def test_unknown_key_is_a_usage_error_naming_the_known_keys(store: Store, db_path: Path) -> None:
    for args in (["get", "fonts.bodyy"], ["set", "document_fonts", "{}"], ["unset", "nope"]):
        result = run_cli(["--db", str(db_path), "config", *args])
        assert result.exit_code == 2, args
        assert "没有名为" in result.stderr and "fonts.body" in result.stderr and "templates.record" in result.stderr


def test_a_wrong_stored_value_is_listed_with_a_warning(store: Store, db_path: Path) -> None:
    store.set_setting("idle_lock_minutes", "ten")
    listed = run_cli(["--db", str(db_path), "config", "list"])
    assert listed.exit_code == 0
    assert "idle_lock_minutes 有误" in listed.stderr and "已改用默认值" in listed.stderr
    assert "空闲自动锁定（分钟，0 为不锁定）：10（默认）" in listed.output


def test_help_is_chinese() -> None:
    for args in (["config", "--help"], ["config", "set", "--help"], ["config", "list", "--help"]):
        result = run_cli(args)
        assert result.exit_code == 0
        assert "设置" in result.output
