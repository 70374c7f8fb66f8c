"""The one settings registry: every setting tanxin has, with its key, type, default, check, label and help.

Settings live in the encrypted database's `settings` table (one JSON value per key), not in a config file, so
they travel with the records (backups, a new machine) and nothing about the user's work is written in
plaintext. The 设置 screen, `tanxin config` and the document renderer all go through this module, so a value
chosen in one place is the value used everywhere.

Reading never stops the app: a stored value of the wrong type or out of range (an older version, a hand edit,
damaged JSON) falls back to the default and is named in `Settings.problems`, which `tanxin config list` and
设置 show. Writing checks every value first and writes nothing when one is wrong.

Older databases keep working: the fonts used to be kept under `document_fonts` (a dict the renderer read) and
under `document_title_font`, `document_body_font`, `document_heading_font` (what 设置 wrote but the renderer never
read). Both are read as fallbacks — the 设置 keys first, since they are what the user chose on screen. Only the
new keys are ever written; the first save moves the old values to the new keys and removes the old keys, so
that an `unset` afterwards really returns to the default.

No Textual and nothing from prep/ or notes/documents here: the documents read this module, not the reverse.
"""

from __future__ import annotations

import json
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from notes.errors import InvalidInput
from notes.keymap import check_keymap
from notes.store import Store

MAX_IDLE_LOCK_MINUTES = 24 * 60
MAX_FONT_NAME_CHARS = 64
MAX_PATH_CHARS = 4_096

SettingKind = Literal["minutes", "font", "template", "keymap", "person", "choice"]

# The documents tanxin renders from a template in templates/docx/<kind>.docx, with the name a user knows them
# by. notes/documents/docxfile.py takes its template files from here: one list of kinds.
DOCUMENT_KINDS: dict[str, str] = {
    "record": "谈心谈话记录表",
    "reminder": "提醒谈话记录表",
    "admonition": "诫勉谈话记录",
    "notice": "诫勉通知书",
    "inquiry": "函询通知书",
    "brief": "谈话提纲",
    "report": "年度工作情况报告",
    "handbook": "《党员手册》其他情况记录",
}

# The four faces of GB/T 9704 documents. The defaults are the names the built-in templates are made with
# (templates/docx/build_templates.py); the renderer swaps each for the configured name.
FONT_FACES: dict[str, tuple[str, str, str]] = {
    # face: (label, default, help)
    "title": ("文书标题字体", "方正小标宋简体",
              "生成的文书中标题所用的中文字体（GB/T 9704：2 号方正小标宋简体）。本机没有该字体时，填写一个已安装的"
              "字体名，如“宋体”。"),
    "body": ("文书正文字体", "仿宋_GB2312",
             "正文、表格文字所用的中文字体（GB/T 9704：3 号仿宋_GB2312）。本机没有时可填“仿宋”或“宋体”。"),
    "heading": ("文书一级标题字体", "黑体", "一级标题所用的中文字体（GB/T 9704：黑体）。"),
    "kaiti": ("文书二级标题字体（楷体）", "楷体_GB2312",
              "二级标题等处所用的楷体（GB/T 9704：楷体_GB2312）。本机没有时可填“楷体”。"),
}


def font_key(face: str) -> str:
    return f"fonts.{face}"


def template_key(kind: str) -> str:
    return f"templates.{kind}"


@dataclass(frozen=True, slots=True)
class Legacy:
    """Where an older version kept a setting: a key of its own, or one item of a dict under `key`."""

    key: str
    item: str | None = None


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting. `help` says, in the user's language, what it does and what to write."""

    key: str
    kind: SettingKind
    default: Any
    label: str
    help: str
    legacy: tuple[Legacy, ...] = ()
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # a "choice" setting's (value, label) pairs

    def default_value(self) -> Any:
        """The default, as a fresh object (a dict default must not be shared and changed)."""
        return dict(self.default) if isinstance(self.default, dict) else self.default


OWNER = "owner"  # 本人: the person using this database (people.id)
DASHBOARD_SCOPE = "dashboard_scope"  # 工作台: "mine" (本人's talks) or "all" (the whole organisation)
KEYMAP = "keymap"  # binding id → key (notes/keymap.py)


def _registry() -> dict[str, Setting]:
    settings = [
        # 本人 first: who uses the database decides what 工作台 shows.
        Setting(
            OWNER, "person", None, "本人",
            "使用这个数据库的人（本人）。工作台先列出本人要谈的和要负责安排的谈话（本人是规则所指的谈话人，或是负责人，"
            "如支部书记之于本支部的谈话）。在设置或工作台中按姓名选择；命令行用 tanxin me 姓名，"
            "或 tanxin config set owner 人员编号（见 tanxin people），留空为未设定。",
            placeholder="未设定",
        ),
        Setting(
            DASHBOARD_SCOPE, "choice", "mine", "工作台范围",
            "工作台列出谁的应谈谈话：“本人”只列本人要谈、要安排的；“全部”列整个组织的（如组织员为几位领导记台账）。"
            "未设定本人时总是列出全部。在工作台按 ctrl+a 切换，会记住所选。",
            choices=(("mine", "本人"), ("all", "全部")),
        ),
        Setting("idle_lock_minutes", "minutes", 10, "空闲自动锁定（分钟，0 为不锁定）",
                f"多少分钟没有按键、点击或粘贴，界面就自动锁定，需输入口令才能继续。填 0 到 {MAX_IDLE_LOCK_MINUTES} "
                "之间的整数；0 为不自动锁定（不建议：谈话记录可能被旁人看到）。"),
        Setting("talk_lock_minutes", "minutes", 30, "谈话中锁定（分钟，0 为只隐藏屏幕）",
                "谈话进行中，空闲到上一项的时间只隐藏屏幕（按任意键恢复，不必当着谈话对象输入口令）；空闲满这里的"
                f"分钟数才锁定、需输入口令。填 0 到 {MAX_IDLE_LOCK_MINUTES} 之间的整数；0 为谈话中只隐藏屏幕、不锁定。"),
    ]
    for face, (label, default, help_text) in FONT_FACES.items():
        legacy = [Legacy(f"document_{face}_font")] if face != "kaiti" else []
        legacy.append(Legacy("document_fonts", face))
        settings.append(Setting(font_key(face), "font", default, label, help_text, tuple(legacy)))
    for kind, name in DOCUMENT_KINDS.items():
        settings.append(Setting(
            template_key(kind), "template", "", f"模板：{name}",
            f"生成“{name}”所用的本单位模板（.docx 文件的完整路径）。留空则使用内置模板。模板可用的变量见 "
            "templates/docx/README.md；导出时 --template 优先于此项。",
            placeholder="留空：使用内置模板",
        ))
    settings.append(Setting(
        KEYMAP, "keymap", {}, "自定义按键",
        "把某个功能换到另一个键上。在设置中按“按键一览…”选择功能、按下新键即可；命令行写成“按键编号=按键”，"
        "多个用逗号分开，如 tanxin.lock=ctrl+k, tanxin.blank=f11（编号见按键一览）。只能用 ctrl+ 组合键或 f1 到 f24，"
        "不能与同一界面的其他按键重复。",
        placeholder="如 tanxin.lock=ctrl+k",
    ))
    return {setting.key: setting for setting in settings}


# Every setting, in the order 设置 and `tanxin config list` show them.
SETTINGS: dict[str, Setting] = _registry()


def known_keys() -> str:
    return "、".join(SETTINGS)


def unknown_setting_message(key: str) -> str:
    return f"没有名为“{key}”的设置。可用的设置：{known_keys()}。"


# -- checking values ---------------------------------------------------------------------------------------


def _has_controls(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in text)


def parse_keymap(text: str) -> dict[str, str]:
    """"tanxin.lock=ctrl+k, tanxin.blank=f11" → {"tanxin.lock": "ctrl+k", "tanxin.blank": "f11"}."""
    keymap: dict[str, str] = {}
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        binding_id, sep, keys = (s.strip() for s in part.partition("="))
        if not sep or not binding_id or not keys:
            raise InvalidInput(f"按键设置“{part}”看不懂：应写成“按键编号=按键”，如 tanxin.lock=ctrl+k。")
        keymap[binding_id] = keys
    return keymap


def _check_minutes(setting: Setting, value: Any) -> int:
    # bool is an int to Python, but `true` in the database is a hand edit, not a number of minutes.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_IDLE_LOCK_MINUTES:
        return value
    raise InvalidInput(f"“{setting.label}”应为 0 到 {MAX_IDLE_LOCK_MINUTES} 之间的整数，如 10；"
                       f"收到的是“{_shown(value)}”。")


def _check_font(setting: Setting, value: Any) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > MAX_FONT_NAME_CHARS or _has_controls(name):
        raise InvalidInput(f"“{setting.label}”应为一个字体名称（不超过 {MAX_FONT_NAME_CHARS} 个字符），"
                           f"如“{setting.default}”；收到的是“{_shown(value)}”。")
    return name


def _check_template(setting: Setting, value: Any, *, stored: bool) -> str:
    if not isinstance(value, str) or len(value) > MAX_PATH_CHARS or _has_controls(value):
        raise InvalidInput(f"“{setting.label}”应为 .docx 模板文件的路径，或留空使用内置模板；"
                           f"收到的是“{_shown(value)}”。")
    text = value.strip()
    if not text:
        return ""
    path = Path(text).expanduser()
    if stored:
        # A file that was there when it was set may have been moved since: the renderer says so when it is
        # used, instead of silently printing a signed record on another form.
        return str(path)
    if path.suffix.lower() != ".docx":
        raise InvalidInput(f"“{setting.label}”应为 .docx 文件（用 Word 或 WPS 另存为 .docx）；{path.name} 不是。")
    if not path.is_file():
        raise InvalidInput(f"“{setting.label}”：找不到文件 {path}。请检查路径。")
    # A cheap look inside (no python-docx here): a DOCX is a zip with word/document.xml.
    try:
        with zipfile.ZipFile(path) as archive:
            is_docx = "word/document.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        is_docx = False
    if not is_docx:
        raise InvalidInput(f"“{setting.label}”：{path} 不是可用的 Word 文档（.docx）。请用 Word 或 WPS 另存为 .docx 后重试。")
    return str(path.absolute())  # a relative path given on the command line must mean the same file later


def _check_keymap(setting: Setting, value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        for binding_id, keys in value.items():
            if not (isinstance(binding_id, str) and isinstance(keys, str)):
                break
            if not _plain_ascii(binding_id) or not _plain_ascii(keys):
                break
        else:
            # Ids, keys, reserved keys and clashes: the same check as 设置's 按键一览 (notes/keymap.py).
            return check_keymap({str(k): str(v) for k, v in value.items()})
    raise InvalidInput(f"“{setting.label}”应写成“按键编号=按键”，多个用逗号分开，如 tanxin.lock=ctrl+k；"
                       f"收到的是“{_shown(value)}”。")


def _check_person(setting: Setting, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise InvalidInput(f"“{setting.label}”应为人员编号（见 tanxin people），或用 tanxin me 姓名 设定；"
                       f"收到的是“{_shown(value)}”。")


def _check_choice(setting: Setting, value: Any) -> str:
    for choice, label in setting.choices:
        if value in (choice, label):
            return choice
    allowed = "、".join(label for _, label in setting.choices)
    raise InvalidInput(f"“{setting.label}”应为 {allowed} 之一；收到的是“{_shown(value)}”。")


def _plain_ascii(text: str) -> bool:
    """Binding ids and key names are printable ASCII without blanks (tanxin.lock, ctrl+k, f9)."""
    return bool(text) and text.isascii() and text.isprintable() and " " not in text


def _shown(value: Any) -> str:
    """A value quoted in a message: short, and with control characters spelled out."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = "".join(f"\\u{ord(c):04x}" if _has_controls(c) else c for c in text)
    return text if len(text) <= 80 else text[:77] + "…"


def check_value(setting: Setting, value: Any, *, stored: bool = False) -> Any:
    """The value, normalised, or InvalidInput naming the setting, what it should be and what was given.
    `stored`: a value read back from the database, checked for its shape only (see _check_template)."""
    if setting.kind == "minutes":
        return _check_minutes(setting, value)
    if setting.kind == "font":
        return _check_font(setting, value)
    if setting.kind == "template":
        return _check_template(setting, value, stored=stored)
    if setting.kind == "person":
        return _check_person(setting, value)
    if setting.kind == "choice":
        return _check_choice(setting, value)
    return _check_keymap(setting, value)


def parse_text(setting: Setting, text: str) -> Any:
    """A value typed in 设置 or given to `tanxin config set`, checked. Empty text stands for the default."""
    text = text.strip()
    if not text:
        return setting.default_value()
    if setting.kind in ("minutes", "person"):
        try:
            number: Any = int(text)
        except ValueError:
            number = text
        return check_value(setting, number)
    if setting.kind == "keymap":
        if text.startswith("{"):
            try:
                return check_value(setting, json.loads(text))
            except ValueError:
                pass
        return check_value(setting, parse_keymap(text))
    return check_value(setting, text)


def format_value(setting: Setting, value: Any) -> str:
    """A value as 设置 shows it and `tanxin config set` takes it back."""
    if setting.kind == "keymap":
        return ", ".join(f"{binding_id}={keys}" for binding_id, keys in value.items())
    if setting.kind == "choice":
        return dict(setting.choices).get(value, str(value))
    return "" if value is None else str(value)


# -- reading -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """Every setting's value as tanxin uses it: what the database holds when it is right, else the default.

    `sources` names the database key each non-default value came from (an old key for a migrated database);
    `problems` maps a database key whose value was ignored to why.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    problems: Mapping[str, str] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        if key in self.values:
            found = self.values[key]
            return dict(found) if isinstance(found, dict) else found
        return SETTINGS[key].default_value()

    def is_default(self, key: str) -> bool:
        return key not in self.values

    @property
    def idle_lock_minutes(self) -> int:
        minutes: int = self.value("idle_lock_minutes")
        return minutes

    @property
    def talk_lock_minutes(self) -> int:
        minutes: int = self.value("talk_lock_minutes")
        return minutes

    @property
    def keymap(self) -> dict[str, str]:
        keymap: dict[str, str] = self.value("keymap")
        return keymap

    def font(self, face: str) -> str:
        name: str = self.value(font_key(face))
        return name

    def template(self, kind: str) -> str:
        """The unit's own template for `kind`, or "" for the built-in one."""
        path: str = self.value(template_key(kind))
        return path


_MISSING = object()


def _stored(store: Store, key: str, problems: dict[str, str]) -> Any:
    """The JSON value stored under `key`, or _MISSING; damaged JSON counts as missing and is reported."""
    try:
        return store.get_setting(key, _MISSING)
    except ValueError:  # json.JSONDecodeError: a hand edit
        problems[key] = "不是有效的 JSON，已忽略。"
        return _MISSING


def _resolve(store: Store, setting: Setting, problems: dict[str, str]) -> tuple[Any, str] | None:
    """(value, database key) for a setting, from its own key or else an old one; None for the default."""
    candidates: list[tuple[str, Any]] = [(setting.key, _stored(store, setting.key, problems))]
    for legacy in setting.legacy:
        raw = _stored(store, legacy.key, problems)
        if legacy.item is not None and raw is not _MISSING:
            if not isinstance(raw, dict):
                problems[legacy.key] = "应为对象（如 {\"body\": \"仿宋\"}），已忽略。"
                continue
            unknown = sorted(set(raw) - set(FONT_FACES))
            if unknown:
                problems[legacy.key] = f"含未知的项 {'、'.join(map(str, unknown))}，已忽略这些项。"
            raw = raw.get(legacy.item, _MISSING)
        label = legacy.key if legacy.item is None else f"{legacy.key}.{legacy.item}"
        candidates.append((label, raw))
    for key, raw in candidates:
        if raw is _MISSING:
            continue
        try:
            return check_value(setting, raw, stored=True), key
        except InvalidInput as exc:
            problems[key] = f"{exc.message}已改用默认值。"
            return None  # a wrong newer value is not overridden by an older one: the default is safer
    return None


def load_settings(store: Store) -> Settings:
    """Every setting's value for this database (never raises for a wrong stored value)."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems: dict[str, str] = {}
    for setting in SETTINGS.values():
        found = _resolve(store, setting, problems)
        if found is not None:
            values[setting.key], sources[setting.key] = found
    return Settings(values, sources, problems)


def setting_value(store: Store | None, key: str) -> Any:
    """One setting's value (the default without a database), read as `load_settings` reads it."""
    setting = SETTINGS[key]
    if store is None:
        return setting.default_value()
    found = _resolve(store, setting, {})
    return setting.default_value() if found is None else found[0]


# -- writing -----------------------------------------------------------------------------------------------


def _legacy_keys() -> set[str]:
    return {legacy.key for setting in SETTINGS.values() for legacy in setting.legacy}


def save_settings(store: Store, changes: Mapping[str, Any]) -> Settings:
    """Check every changed value, then write them all in one transaction and audit it; returns the settings.

    A value of None (or the default itself) removes the key, so the setting follows the default. Every wrong
    value is named in one InvalidInput, and then nothing is written. Unknown keys raise KeyError.
    """
    checked: dict[str, Any] = {}
    errors: list[str] = []
    for key, value in changes.items():
        setting = SETTINGS[key]
        if value is None:
            checked[key] = None
            continue
        try:
            checked[key] = check_value(setting, value)
        except InvalidInput as exc:
            errors.append(exc.message)
    errors += [_missing_person(store, SETTINGS[key], value) for key, value in checked.items()
               if SETTINGS[key].kind == "person" and value is not None]
    errors = [error for error in errors if error]
    if errors:
        raise InvalidInput("未保存：" + "\n".join(errors))
    with store.transaction():
        moved = _move_legacy_values(store, set(checked))
        for key, value in checked.items():
            if value is None or value == SETTINGS[key].default:
                store.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                store.set_setting(key, value)
        detail: dict[str, Any] = {"names": sorted(checked)}
        if moved:
            detail["moved"] = moved
        store.audit("settings", "settings", None, **detail)
    return load_settings(store)


def _missing_person(store: Store, setting: Setting, person_id: int) -> str:
    """Why a person cannot be this setting's value ("" when they can): unknown, or no longer on the roster."""
    status = store.scalar("SELECT status FROM people WHERE id = ?", [person_id])
    if status is None:
        return f"“{setting.label}”：没有编号为 {person_id} 的人员（见 tanxin people）。"
    if status != "active":
        return f"“{setting.label}”：编号 {person_id} 的人员已不在册，不能设为{setting.label}。"
    return ""


def _move_legacy_values(store: Store, changing: set[str]) -> list[str]:
    """Write what old keys still say under the new keys (those not being changed now), then drop the old keys:
    from here on the database holds only new keys. Returns the old keys removed."""
    # Whether an old key is there, not what it holds: a damaged value (which load_settings ignores) must be
    # dropped too, never stop the save.
    present = [key for key in sorted(_legacy_keys())
               if store.scalar("SELECT 1 FROM settings WHERE key = ?", [key]) is not None]
    if not present:
        return []
    current = load_settings(store)
    for setting in SETTINGS.values():
        source = current.sources.get(setting.key, setting.key)
        if setting.key not in changing and source != setting.key:
            store.set_setting(setting.key, current.values[setting.key])
    for key in present:
        store.execute("DELETE FROM settings WHERE key = ?", [key])
    return present


def save_texts(store: Store, texts: Mapping[str, str]) -> Settings:
    """Settings as typed in 设置 or given to `tanxin config set` (empty text: back to the default). Every text is
    checked before anything is written."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    for key, text in texts.items():
        try:
            values[key] = parse_text(SETTINGS[key], text)
        except InvalidInput as exc:
            errors.append(exc.message)
    if errors:
        raise InvalidInput("未保存：" + "\n".join(errors))
    return save_settings(store, values)


def unset_settings(store: Store, keys: list[str]) -> Settings:
    """Back to the default: the keys are removed from the database (old keys too, see _move_legacy_values)."""
    return save_settings(store, dict.fromkeys(keys))
