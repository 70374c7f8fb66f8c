"""The app's settings: one typed field each, kept in the database's `settings` table under the field's name.

They live in the encrypted database, not in a config file, so they travel with the records (backups, a new
machine) and nothing about the user's work is written in plaintext. A stored value of the wrong type (an
older version, a hand edit) falls back to the default instead of stopping the app. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from notes.errors import InvalidInput
from notes.store import Store

MAX_IDLE_LOCK_MINUTES = 24 * 60


@dataclass(frozen=True)
class Settings:
    idle_lock_minutes: int = field(default=10, metadata={"label": "空闲自动锁定（分钟，0 为不锁定）"})
    """Minutes without a key press, click or paste before the lock screen covers the app (0: never)."""

    document_title_font: str = field(default="方正小标宋简体", metadata={"label": "文书标题字体"})
    """East Asian font of titles in generated documents (GB/T 9704: 2号 方正小标宋简体)."""

    document_body_font: str = field(default="仿宋_GB2312", metadata={"label": "文书正文字体"})
    """East Asian font of body text in generated documents (GB/T 9704: 3号 仿宋_GB2312)."""

    document_heading_font: str = field(default="黑体", metadata={"label": "文书一级标题字体"})
    """East Asian font of first-level headings in generated documents (GB/T 9704: 黑体)."""

    keymap: dict[str, str] = field(default_factory=dict, metadata={"label": "自定义按键"})
    """Binding id → keys (e.g. {"tanxin.lock": "ctrl+k"}), applied over the app's own bindings at start."""


def setting_label(name: str) -> str:
    """The Chinese label of a setting, as the settings form shows it."""
    for item in fields(Settings):
        if item.name == name:
            return str(item.metadata["label"])
    raise KeyError(name)


def _checked(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool) or isinstance(value, bool):
        return value if type(value) is type(default) else default
    if isinstance(default, int):
        return value if isinstance(value, int) and 0 <= value <= MAX_IDLE_LOCK_MINUTES else default
    if isinstance(default, str):
        return value if isinstance(value, str) and value.strip() else default
    if isinstance(default, dict):
        ok = isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        return value if ok else default
    raise TypeError(f"setting {name} has an unsupported type")


def load_settings(store: Store) -> Settings:
    defaults = Settings()
    values = {
        item.name: _checked(item.name, store.get_setting(item.name, getattr(defaults, item.name)),
                            getattr(defaults, item.name))
        for item in fields(Settings)
    }
    return Settings(**values)


def save_settings(store: Store, current: Settings, changes: dict[str, Any]) -> Settings:
    """Check every changed value, then store them all in one transaction; returns the updated settings."""
    defaults = Settings()
    for name, value in changes.items():
        if _checked(name, value, getattr(defaults, name)) is not value:
            raise InvalidInput(f"“{setting_label(name)}”的值不合适：{value!r}。请按说明重新填写。")
    with store.transaction():
        for name, value in changes.items():
            store.set_setting(name, value)
        store.audit("settings", "settings", None, names=sorted(changes))
    return replace(current, **changes)
