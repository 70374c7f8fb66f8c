"""Control characters in user text: visible on display, dropped from input, never altered in storage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.text import cap_paste, clean_input, visible

HOSTILE = "[/]x[@click=app.quit]y[/]$accent\x1b[2J\x1b]0;title\x07\x00\u202eevil\x85\ud800"


def test_visible_replaces_every_control_character() -> None:
    shown = visible(HOSTILE)
    assert all(not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in shown)
    assert "\u202e" not in shown and "\ud800" not in shown
    assert "␛[2J" in shown and "␀" in shown and "⟨U+202E⟩" in shown
    # Markup characters are not controls: they stay as typed (widgets never parse them).
    assert "[@click=app.quit]" in shown and "$accent" in shown


def test_newlines_kept_only_when_asked() -> None:
    assert visible("a\nb") == "a␊b"
    assert visible("a\nb", keep_newlines=True) == "a\nb"


def test_clean_input_and_paste_cap() -> None:
    assert clean_input("张三\x1b[2J\x00李四\n") == "张三[2J李四\n"
    text, cut = cap_paste("字" * 30, limit=10)
    assert text == "字" * 10 and cut
    assert cap_paste("short") == ("short", False)


@given(st.text())
def test_visible_never_emits_a_control(text: str) -> None:
    shown = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in shown)
    assert visible(shown) == shown
