"""The one settings registry (notes/settings.py): checks, fallbacks, old keys, and that what 设置 saves is what
the documents use — a record exported after choosing 宋体 is read back with python-docx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import Org, make_org, rich_talk
from docx import Document
from docx.oxml.ns import qn
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph
from textual.widgets import Static
from tui_talk_helpers import drive

from notes.documents.docxfile import TEMPLATE_FILES, DocumentFonts, choose_template, document_fonts
from notes.errors import InvalidInput, NotFound
from notes.resources import templates_dir
from notes.settings import (
    FONT_FACES,
    SETTINGS,
    Settings,
    load_settings,
    save_settings,
    save_texts,
    unset_settings,
)
from notes.store import Store
from tui.app import TanxinApp
from tui.screens.settings import SettingsScreen, field_id
from tui.widgets.safe_input import SafeInput


def _stored_keys(store: Store) -> dict[str, str]:
    return {str(row["key"]): str(row["value"]) for row in store.query("SELECT key, value FROM settings")}


def _export_record(store: Store, db_path: Path, talk_id: int, out: Path) -> Path:
    """The record exported the way a user does it (the CLI, its own connection), so the settings reach the
    document through the same path as in real use."""
    code = str(store.scalar("SELECT code FROM talks WHERE id = ?", [talk_id]))
    result = run_cli(["--db", str(db_path), "export", "record", code, "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def _east_asian(style: CharacterStyle | None) -> str | None:
    """The East Asian font a paragraph style sets, following its base styles."""
    while style is not None:
        r_pr = style.element.rPr
        fonts = None if r_pr is None else r_pr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return str(fonts.get(qn("w:eastAsia")))
        style = style.base_style
    return None


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


# -- the registry ------------------------------------------------------------------------------------------


def test_registry_covers_every_template_and_font_with_chinese_help() -> None:
    assert {f"templates.{kind}" for kind in TEMPLATE_FILES} <= set(SETTINGS)
    assert {f"fonts.{face}" for face in FONT_FACES} <= set(SETTINGS)
    assert set(FONT_FACES) == set(DocumentFonts.__slots__)  # the renderer reads exactly these faces
    assert {"idle_lock_minutes", "keymap"} <= set(SETTINGS)
    for setting in SETTINGS.values():
        assert setting.label and setting.help
        assert any("\u4e00" <= char <= "\u9fff" for char in setting.label + setting.help)
    for kind, name in TEMPLATE_FILES.items():
        assert (templates_dir() / "docx" / name).is_file(), kind


def test_defaults_without_a_database_are_the_built_in_faces_and_templates() -> None:
    assert document_fonts(None) == DocumentFonts()
    assert document_fonts(None).body == "仿宋_GB2312"
    choice = choose_template(None, "record")
    assert not choice.user_supplied and choice.path.name == "record.docx"


# -- the body font reaches the document --------------------------------------------------------------------


def test_body_font_chosen_in_settings_is_the_font_of_the_exported_record(
    store: Store, db_path: Path, org: Org, tmp_path: Path
) -> None:
    talk = rich_talk(store, org)
    save_texts(store, {"fonts.body": "宋体"})  # what 设置 calls when it saves
    out = _export_record(store, db_path, talk, tmp_path / "record.docx")
    document = Document(str(out))
    for name in ("公文正文", "表格文字", "表头信息"):
        assert _east_asian(document.styles[name]) == "宋体", name
    assert _east_asian(document.styles["公文标题"]) == "方正小标宋简体"  # the other faces stay as they were
    body_paragraphs = [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]
    cells = [p for p in body_paragraphs if p.style is not None and p.style.name == "表格文字" and p.text.strip()]
    assert cells, "the record has filled-in table text"
    for paragraph in cells:
        for run in paragraph.runs:
            fonts = None if run.element.rPr is None else run.element.rPr.find(qn("w:rFonts"))
            own = None if fonts is None else fonts.get(qn("w:eastAsia"))
            assert (own or _east_asian(paragraph.style)) == "宋体", paragraph.text
    every_face = {element.get(qn("w:eastAsia")) for element in document.element.iter(qn("w:rFonts"))}
    every_face |= {element.get(qn("w:eastAsia")) for element in document.styles.element.iter(qn("w:rFonts"))}
    assert "仿宋_GB2312" not in every_face


def test_template_setting_renders_from_the_units_own_copy(
    store: Store, db_path: Path, org: Org, tmp_path: Path
) -> None:
    talk = rich_talk(store, org)
    own = tmp_path / "本单位记录表.docx"
    shutil.copy(templates_dir() / "docx" / "record.docx", own)
    template = Document(str(own))
    template.add_paragraph("本单位自制记录表·标记 7Q")
    template.save(str(own))
    save_texts(store, {"templates.record": str(own)})
    out = _export_record(store, db_path, talk, tmp_path / "record.docx")
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "本单位自制记录表·标记 7Q" in texts
    # and back to the built-in one: the marker is gone
    unset_settings(store, ["templates.record"])
    again = _export_record(store, db_path, talk, tmp_path / "builtin.docx")
    assert "本单位自制记录表·标记 7Q" not in [p.text for p in Document(str(again)).paragraphs]


def test_a_template_that_disappeared_is_reported_with_what_to_do(store: Store, tmp_path: Path) -> None:
    own = tmp_path / "own.docx"
    shutil.copy(templates_dir() / "docx" / "record.docx", own)
    save_texts(store, {"templates.record": str(own)})
    own.unlink()
    with pytest.raises(NotFound) as missing:
        choose_template(store, "record")
    assert "tanxin config unset templates.record" in missing.value.message


# -- checks ------------------------------------------------------------------------------------------------


def test_wrong_values_are_named_in_chinese_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    before = _stored_keys(store)
    text_file = tmp_path / "记录表.txt"
    text_file.write_text("不是模板", encoding="utf-8")
    not_a_docx = tmp_path / "假的.docx"
    not_a_docx.write_text("也不是", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        save_texts(store, {
            "idle_lock_minutes": "十分钟",
            "fonts.body": "宋体",  # right, but not saved either: all or nothing
            "templates.record": str(tmp_path / "没有.docx"),
            "templates.notice": str(text_file),
            "templates.inquiry": str(not_a_docx),
            "keymap": "tanxin.lock",
        })
    message = refused.value.message
    assert message.startswith("未保存")
    for part in ("空闲自动锁定", "找不到文件", "应为 .docx 文件", "不是可用的 Word 文档", "按键编号=按键"):
        assert part in message, part
    assert _stored_keys(store) == before
    for wrong in (-1, 24 * 60 + 1, True, "10"):
        with pytest.raises(InvalidInput, match="0 到 1440"):
            save_settings(store, {"idle_lock_minutes": wrong})
    with pytest.raises(InvalidInput, match="字体名称"):
        save_settings(store, {"fonts.body": "宋\x1b[2J体"})


def test_saving_audits_and_empty_text_returns_to_the_default(store: Store) -> None:
    saved = save_texts(store, {"idle_lock_minutes": "5", "keymap": "tanxin.lock=ctrl+k，tanxin.blank=f11"})
    assert saved.idle_lock_minutes == 5 and saved.keymap == {"tanxin.lock": "ctrl+k", "tanxin.blank": "f11"}
    audit = store.query("SELECT action, detail FROM audit_log WHERE action = 'settings'")
    assert audit and "idle_lock_minutes" in audit[-1]["detail"]
    back = save_texts(store, {"idle_lock_minutes": ""})
    assert back.idle_lock_minutes == 10 and back.is_default("idle_lock_minutes")
    assert "idle_lock_minutes" not in _stored_keys(store)


def test_wrong_stored_values_fall_back_to_the_defaults_and_are_named(store: Store) -> None:
    store.set_setting("idle_lock_minutes", "ten")
    store.set_setting("keymap", ["tanxin.lock", "ctrl+k"])
    store.set_setting("fonts.body", "")
    store.set_setting("templates.record", 42)
    store.execute("INSERT INTO settings (key, value) VALUES ('fonts.title', '{not json')")
    settings = load_settings(store)
    assert settings.idle_lock_minutes == 10 and settings.keymap == {}
    assert settings.font("body") == "仿宋_GB2312" and settings.font("title") == "方正小标宋简体"
    assert settings.template("record") == ""
    assert set(settings.problems) == {"idle_lock_minutes", "keymap", "fonts.body", "templates.record", "fonts.title"}
    assert document_fonts(store) == DocumentFonts()  # the renderer does not stop either


# -- databases of older versions ---------------------------------------------------------------------------


def test_old_font_keys_are_read_then_moved_to_the_new_keys(store: Store) -> None:
    # Before the registry, 设置 wrote document_body_font (never read by the renderer) and the renderer read the
    # document_fonts dict (set by hand).
    store.set_setting("document_body_font", "宋体")
    store.set_setting("document_fonts", {"body": "仿宋", "title": "思源宋体", "kaiti": "楷体"})
    settings = load_settings(store)
    assert settings.font("body") == "宋体"  # what the user chose on the 设置 screen wins
    assert settings.font("title") == "思源宋体" and settings.font("kaiti") == "楷体"
    assert settings.sources["fonts.body"] == "document_body_font"
    assert document_fonts(store) == DocumentFonts(title="思源宋体", body="宋体", kaiti="楷体")
    assert "document_fonts" not in SETTINGS and "document_body_font" not in SETTINGS

    save_texts(store, {"idle_lock_minutes": "7"})  # any save moves the old values and drops the old keys
    stored = _stored_keys(store)
    assert not {"document_body_font", "document_fonts"} & set(stored)
    assert load_settings(store).font("body") == "宋体" and load_settings(store).font("kaiti") == "楷体"
    unset_settings(store, ["fonts.body"])
    assert load_settings(store).font("body") == "仿宋_GB2312"  # no old key brings it back


def test_a_damaged_old_key_is_dropped_and_never_stops_a_save(store: Store) -> None:
    store.execute("INSERT INTO settings (key, value) VALUES ('document_fonts', '{bad')")
    assert load_settings(store).font("body") == "仿宋_GB2312"
    save_texts(store, {"idle_lock_minutes": "5"})
    assert load_settings(store).idle_lock_minutes == 5
    assert "document_fonts" not in _stored_keys(store)


def test_settings_value_object_defaults() -> None:
    defaults = Settings()
    assert defaults.idle_lock_minutes == 10 and defaults.keymap == {}
    defaults.keymap["x"] = "y"  # a copy: the registry's default stays empty
    assert Settings().keymap == {}


# -- the 设置 screen ---------------------------------------------------------------------------------------


def _app(store: Store) -> TanxinApp:
    from conftest import TEST_TODAY, clock_on

    return TanxinApp(store, clock=clock_on(TEST_TODAY), cursor_blink=False)


@drive
async def test_settings_screen_lists_the_registry_and_saves_the_body_font(store: Store) -> None:
    app = _app(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        for key in SETTINGS:
            assert screen.query_one(f"#{field_id(key)}", SafeInput) is not None
        body = screen.query_one(f"#{field_id('fonts.body')}", SafeInput)
        body.focus()
        await pilot.pause()
        assert "仿宋" in str(screen.query_one("#setting-help", Static).render())  # the field's help shows
        body.value = "宋体"
        await pilot.press("ctrl+s")
        for _ in range(200):
            if not isinstance(app.screen, SettingsScreen):
                break
            await pilot.pause(0.02)
        assert not isinstance(app.screen, SettingsScreen)
        assert app.settings.font("body") == "宋体"
    assert load_settings(store).font("body") == "宋体"


@drive
async def test_settings_screen_shows_the_refusal_and_saves_nothing(store: Store) -> None:
    app = _app(store)
    before = _stored_keys(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.push_screen(SettingsScreen())
        await pilot.pause()
        screen = app.screen
        screen.query_one(f"#{field_id('fonts.body')}", SafeInput).value = "宋体"
        screen.query_one(f"#{field_id('templates.record')}", SafeInput).value = "/没有/这个.docx"
        await pilot.press("ctrl+s")
        message = screen.query_one("#message", Static)
        for _ in range(200):
            if "未保存" in str(message.render()):
                break
            await pilot.pause(0.02)
        shown = str(message.render())
        assert "未保存" in shown and "找不到文件" in shown
        assert app.screen is screen
    assert _stored_keys(store) == before
