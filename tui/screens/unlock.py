"""Unlocking: the first run (set a passphrase, name the organisation, create the database, see the recovery key
once), the unlock form, and the lock screen that covers the app after idle minutes or on request.

Key derivation (Argon2id, ~0.1 s) and database creation run in thread workers, so the form never freezes;
the worker opens and closes its own connection and hands the raw key to the app, which reopens the database
on the main thread. A wrong passphrase is a message under the field: the database is not touched and what
was typed elsewhere is not lost. The lock screen is an opaque screen pushed over the current stack, so
unlocking uncovers exactly what was there.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Checkbox, RadioButton, RadioSet, Static

from tui.messages import KeyringAvailable, Unlocked, UnlockFailed
from tui.safe import labelled, safe
from tui.screens.base import TanxinScreen
from tui.widgets.check_marks import MarkedCheckbox, MarkedRadioButton
from tui.widgets.footer import TanxinFooter
from tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from notes.clock import Clock

MINJIN_PACKS = ("minjin-cq-2023",)


def _trusted_keyring() -> str | None:
    from notes.keycache import trusted_backend_name

    return trusted_backend_name()


def _keyring_label(backend: str) -> str:
    return f"在本机钥匙串中记住密钥（{backend.rsplit('.', 2)[-2]}），下次无需输入口令"


class _PassphraseScreen(TanxinScreen[None]):
    """What the three screens share: a centred card, a message line, the keyring offer when there is one."""

    blocks_navigation: ClassVar[bool] = True
    AUTO_FOCUS = "SafeInput"

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    @property
    def clock(self) -> Clock:
        """The app's clock: the database opened here stamps with it."""
        return self.tanxin.clock

    @property
    def passphrase_field(self) -> SafeInput:
        return self.query_one("#passphrase", SafeInput)

    @property
    def remember_box(self) -> Checkbox:
        """The offer to keep the key in the keyring: shown only once a trusted keyring is found."""
        return self.query_one("#remember", Checkbox)

    def show_message(self, text: str, *, error: bool = True) -> None:
        message = self.query_one("#message", Static)
        message.update(safe(text))
        message.set_class(error, "error")

    def set_busy(self, busy: bool, text: str = "") -> None:
        for widget in self.query("SafeInput, Button, Checkbox, RadioSet"):
            widget.disabled = busy
        if busy:
            self.show_message(text, error=False)
        else:
            self.query_one(SafeInput).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="keyring")
    def look_for_keyring(self) -> None:
        self.post_message(KeyringAvailable(_trusted_keyring()))

    @on(KeyringAvailable)
    def offer_keyring(self, message: KeyringAvailable) -> None:
        if message.backend is None:
            return
        self.remember_box.label = _keyring_label(message.backend)
        self.remember_box.display = True

    @on(UnlockFailed)
    def show_failure(self, message: UnlockFailed) -> None:
        self.set_busy(False)
        self.show_message("" if message.quiet else message.message)
        if not message.quiet:
            self.passphrase_field.value = ""

    def remember_requested(self) -> bool:
        return bool(self.remember_box.display and self.remember_box.value)


class UnlockScreen(_PassphraseScreen):
    """打开数据库: tries the keyring and TANXIN_PASSPHRASE first, then asks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "解锁", show=True, id="unlock.submit", tooltip="输入口令后按 enter 解锁"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="card"):
            yield Static("谈心 · 解锁", classes="card-title")
            yield Static(labelled("数据库：", str(self.db_path)), classes="hint")
            yield SafeInput(placeholder="口令（忘记时可输入恢复密钥）", password=True, id="passphrase")
            yield MarkedCheckbox("", id="remember")
            yield Static("", id="message")
            yield Button("解锁", id="submit", variant="primary", compact=True)
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.remember_box.display = False
        self.set_busy(True, "正在打开…")
        self.open_without_asking()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def open_without_asking(self) -> None:
        """The keyring cache, then TANXIN_PASSPHRASE: if either opens the database, no question is asked."""
        from notes.errors import PassphraseRequired, TanxinError
        from notes.unlock import open_database

        try:
            store = open_database(self.db_path, clock=self.clock)
        except PassphraseRequired:
            self.post_message(UnlockFailed("", quiet=True))
            self.look_for_keyring()
            return
        except TanxinError as exc:
            self.post_message(UnlockFailed(exc.message))
            self.look_for_keyring()
            return
        key = store.key
        store.close()
        self.post_message(Unlocked(self.db_path, key))

    @on(SafeInput.Submitted)
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        passphrase = self.passphrase_field.value
        if not passphrase:
            self.show_message("请输入口令。")
            return
        self.set_busy(True, "正在验证口令…")
        self.unlock(passphrase, self.remember_requested())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def unlock(self, secret: str, remember: bool) -> None:
        from notes.errors import TanxinError
        from notes.keys import parse_recovery_key
        from notes.unlock import offer_keyring, open_database

        try:
            try:
                parse_recovery_key(secret)
            except TanxinError:
                store = open_database(self.db_path, passphrase=secret, use_keyring=False, clock=self.clock)
            else:
                store = open_database(self.db_path, recovery_key=secret, use_keyring=False, clock=self.clock)
        except TanxinError as exc:
            self.post_message(UnlockFailed(exc.message))
            return
        try:
            if remember and not offer_keyring(store):
                self.app.call_from_thread(
                    self.app.notify, "钥匙串没有保存密钥，下次仍需输入口令。", severity="warning"
                )
            key = store.key
        finally:
            store.close()
        self.post_message(Unlocked(self.db_path, key))


class FirstRunScreen(_PassphraseScreen):
    """首次使用: choose a passphrase (twice), name the organisation (the top of the unit tree; blank gives
    DEFAULT_ORGANISATION) and the policy packs; the database is created encrypted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "创建", show=True, id="first_run.create",
                tooltip="各项填好后创建加密数据库（tab 移到下一项，shift+tab 回到上一项）"),
    ]

    def compose(self) -> ComposeResult:
        from notes.organisation import DEFAULT_ORGANISATION, MAX_UNIT_CHARS

        with Vertical(classes="card"):
            yield Static("谈心 · 首次使用", classes="card-title")
            yield Static(labelled("将创建加密数据库：", str(self.db_path)), classes="hint")
            yield SafeInput(placeholder="设置口令（至少 8 个字符）", password=True, id="passphrase")
            yield SafeInput(placeholder="再次输入口令", password=True, id="repeat")
            # Compact: with the passphrase fields, the packs and the button it still fits a 24-line terminal.
            yield SafeInput(placeholder=f"组织名称，如 市财政局机关党委（不填为“{DEFAULT_ORGANISATION}”，可再改）",
                            id="organisation", max_length=MAX_UNIT_CHARS, compact=True)
            with RadioSet(id="packs", compact=True):
                yield MarkedRadioButton("党组织（苏州 2018 实施意见 + 干部谈话 + 谈心实践）", value=True, id="party")
                yield MarkedRadioButton("民进组织（民进重庆市委 2023 办法）", id="minjin")
            yield MarkedCheckbox("", id="remember")
            yield Static("", id="message")
            yield Button("创建数据库", id="submit", variant="primary", compact=True)
        yield TanxinFooter()

    @property
    def repeat_field(self) -> SafeInput:
        return self.query_one("#repeat", SafeInput)

    def on_mount(self) -> None:
        self.remember_box.display = False
        self.look_for_keyring()

    @on(SafeInput.Submitted, "#passphrase")
    def next_field(self) -> None:
        self.repeat_field.focus()

    @on(SafeInput.Submitted, "#repeat")
    @on(SafeInput.Submitted, "#organisation")
    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        from notes.errors import InvalidInput
        from notes.organisation import DEFAULT_ORGANISATION, check_unit_name
        from notes.unlock import check_new_passphrase

        passphrase = self.passphrase_field.value
        if passphrase != self.repeat_field.value:
            self.show_message("两次输入的口令不一致，请重新输入。")
            self.repeat_field.value = ""
            self.repeat_field.focus()
            return
        try:
            check_new_passphrase(passphrase)
        except InvalidInput as exc:
            self.show_message(exc.message)
            return
        field = self.query_one("#organisation", SafeInput)
        try:
            organisation = check_unit_name(field.value.strip() or DEFAULT_ORGANISATION, "组织名称")
        except InvalidInput as exc:
            self.show_message(exc.message)
            field.focus()
            return
        minjin = self.query_one("#minjin", RadioButton).value
        self.set_busy(True, "正在创建加密数据库…")
        self.create(passphrase, organisation, minjin, self.remember_requested())

    @work(thread=True, exclusive=True, exit_on_error=False)
    def create(self, passphrase: str, organisation: str, minjin: bool, remember: bool) -> None:
        from notes.errors import TanxinError
        from notes.organisation import name_organisation
        from notes.unlock import init_database, offer_keyring
        from prep.packs import DEFAULT_PACKS

        packs = list(MINJIN_PACKS if minjin else DEFAULT_PACKS)
        try:
            created = init_database(self.db_path, passphrase, packs, clock=self.clock)
        except TanxinError as exc:
            self.post_message(UnlockFailed(exc.message))
            return
        try:
            name_organisation(created.store, organisation)
            if remember:
                offer_keyring(created.store)
            key = created.store.key
        finally:
            created.store.close()
        self.post_message(Unlocked(self.db_path, key, recovery_key=created.recovery_key))


class RecoveryKeyScreen(TanxinScreen[None]):
    """The recovery key, shown once; the user confirms by typing its last group, proving it was copied."""

    blocks_navigation: ClassVar[bool] = True
    AUTO_FOCUS = "SafeInput"

    def __init__(self, recovery_key: str) -> None:
        super().__init__()
        self.recovery_key = recovery_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="card wide"):
            yield Static("恢复密钥（只显示这一次）", classes="card-title")
            yield Static(
                "请抄写或打印后交组织存入保险柜。忘记口令时，凭它打开数据库（tanxin --recovery-key）。",
                classes="hint",
            )
            yield Static(self.recovery_key, id="recovery-key")
            yield SafeInput(placeholder="抄好后，输入最后一组的 8 个字符以确认", id="confirm", max_length=20)
            yield Static("", id="message")
        yield TanxinFooter()

    @on(SafeInput.Submitted)
    def confirm(self, event: SafeInput.Submitted) -> None:
        last_group = self.recovery_key.rsplit("-", 1)[-1]
        if event.value.strip().upper() == last_group:
            self.dismiss()
            return
        message = self.query_one("#message", Static)
        message.update("与恢复密钥最后一组不符，请对照抄写的内容再输入一次。")
        message.add_class("error")


class LockScreen(_PassphraseScreen):
    """已锁定: covers everything until the passphrase (or the recovery key) of this database is given."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "解锁", show=True, id="unlock.submit", tooltip="输入口令后按 enter 解锁"),
    ]

    def __init__(self, db_path: Path, db_key: bytes, *, demo: bool = False) -> None:
        super().__init__(db_path)
        self._db_key = db_key
        self.demo = demo

    def compose(self) -> ComposeResult:
        with Vertical(classes="card"):
            yield Static("谈心 · 已锁定", classes="card-title")
            hint = "演示模式：直接按回车解锁。" if self.demo else "输入口令继续（忘记时可输入恢复密钥）。"
            yield Static(hint, classes="hint")
            yield SafeInput(placeholder="口令", password=True, id="passphrase")
            yield MarkedCheckbox("", id="remember")
            yield Static("", id="message")
        yield TanxinFooter()

    def on_mount(self) -> None:
        self.remember_box.display = False

    @on(SafeInput.Submitted)
    def action_submit(self) -> None:
        secret = self.passphrase_field.value
        if self.demo:
            self.dismiss()
            return
        if not secret:
            self.show_message("请输入口令。")
            return
        self.set_busy(True, "正在验证口令…")
        self.check(secret)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def check(self, secret: str) -> None:
        from notes.errors import TanxinError
        from notes.keys import key_file_for, parse_recovery_key, unwrap_key

        try:
            try:
                candidate = parse_recovery_key(secret)
            except TanxinError:
                candidate = unwrap_key(key_file_for(self.db_path), secret)
        except TanxinError as exc:
            self.post_message(UnlockFailed(exc.message))
            return
        if hmac.compare_digest(candidate, self._db_key):
            self.app.call_from_thread(self.dismiss)
        else:
            self.post_message(UnlockFailed("口令与当前数据库不符，请重新输入。"))
