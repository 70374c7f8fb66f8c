"""User text made harmless for a terminal, without Textual (the CLI's plain output uses it too).

Names and notes come from people and imports. ESC, C1 controls, NUL and bidi overrides would pass straight to
the terminal (docs/pitfalls.md), so every control character is replaced by a visible placeholder for display, and
dropped from what typed or pasted input may store. Stored text itself is never changed.
"""

from __future__ import annotations

import unicodedata

# Unicode's own "control picture" symbols for C0 controls (␀ ␛ …) keep the character's identity visible.
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_CONTROL_PICTURES[0x7F] = "␡"
# Bidi embeddings/overrides/isolates reorder the rest of the line on screen (U+202E shows text backwards).
_BIDI_CONTROLS = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}

MAX_PASTE_CHARS = 20_000


def _placeholder(char: str, keep_newlines: bool) -> str:
    code = ord(char)
    if char == "\n" and keep_newlines:
        return char
    if char == "\t":
        return "    " if keep_newlines else " "
    if code in _CONTROL_PICTURES:
        return _CONTROL_PICTURES[code]
    if 0x80 <= code <= 0x9F or code in _BIDI_CONTROLS:
        return f"⟨U+{code:04X}⟩"
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate cannot be encoded for the terminal
        return "�"
    return char


def _needs_placeholder(char: str) -> bool:
    code = ord(char)
    return (
        code < 0x20
        or code == 0x7F
        or 0x80 <= code <= 0x9F
        or code in _BIDI_CONTROLS
        or 0xD800 <= code <= 0xDFFF
    )


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """The text with every control character replaced by a visible placeholder (newlines optionally kept)."""
    if not any(_needs_placeholder(c) for c in text):
        return text
    return "".join(_placeholder(c, keep_newlines) if _needs_placeholder(c) else c for c in text)


def clean_input(text: str) -> str:
    """What typed or pasted input may store: control characters other than newline and tab are dropped.

    A paste carrying ESC is split by the terminal into keystrokes; whatever reaches a field must not carry
    control characters either. Printable text, CJK and emoji pass unchanged (NFC, as typed).
    """
    kept = "".join(c for c in text if c in "\n\t" or not _needs_placeholder(c))
    return unicodedata.normalize("NFC", kept)


def cap_paste(text: str, limit: int = MAX_PASTE_CHARS) -> tuple[str, bool]:
    """Cleaned paste text cut to `limit` characters; True when something was cut (the caller says so)."""
    cleaned = clean_input(text)
    return (cleaned[:limit], True) if len(cleaned) > limit else (cleaned, False)
