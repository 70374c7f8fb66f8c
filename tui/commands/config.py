"""`tanxin config`: the settings of 设置 from the command line (list, get, set, unset).

Every setting, its check and its help come from the one registry (notes/settings.py), so a value set here is
exactly what 设置 shows and what the documents use. A wrong value is refused with the registry's message and
nothing is written (exit 1); an unknown key is a usage error naming the known keys (exit 2).

`list` shows the settings that apply to the organisation, as 设置 does (prep.wording.settings_shown). A setting
that does not apply (the 《党员手册》 template of a 民进 database) can still be read and written by its name —
a script that sets it for every database keeps working — and `get` and `set` say on stderr why it has no effect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tui.commands.common import CliState, echo_json, pass_state, visible

if TYPE_CHECKING:
    from notes.documents.policyfacts import Wording
    from notes.settings import Setting, Settings
    from notes.store import Store


def _setting(key: str) -> Setting:
    from notes.settings import SETTINGS, unknown_setting_message

    found = SETTINGS.get(key.strip())
    if found is None:
        raise click.UsageError(unknown_setting_message(key))
    return found


def _shown(setting: Setting, settings: Settings) -> str:
    from notes.settings import format_value

    text = format_value(setting, settings.value(setting.key))
    if setting.kind == "template" and not text:
        return "（内置模板）"
    return visible(text) if text else "（无）"


def _as_json(setting: Setting, settings: Settings) -> dict[str, Any]:
    return {
        "id": setting.key,
        "label": setting.label,
        "value": settings.value(setting.key),
        "default": setting.default_value(),
        "is_default": settings.is_default(setting.key),
        # where the value was read from: the key itself, an older key it was kept under, or "default"
        "source": settings.sources.get(setting.key, "default"),
        "help": setting.help,
    }


def _warn_problems(settings: Settings) -> None:
    for key, why in settings.problems.items():
        click.echo(f"注意：数据库中的设置 {key} 有误，{visible(why)}", err=True)


def _terms(store: Store) -> Wording:
    from prep.active import active_policy, wording

    return wording(active_policy(store))


def _warn_not_applicable(setting: Setting, terms: Wording) -> None:
    from prep.wording import setting_not_applicable

    why = setting_not_applicable(setting, terms)
    if why:
        click.echo(f"注意：设置 {setting.key}（{setting.label}）不适用于本单位（{why}）；值照常保存，但不起作用。",
                   err=True)


@click.group("config")
def config_group() -> None:
    """查看和修改设置（与界面中的“设置”相同）：空闲锁定、文书字体、本单位模板、自定义按键。

    设置保存在加密数据库中，随数据库备份。用 tanxin config list 查看适用于本单位的设置及其说明。
    """


@config_group.command("list")
@click.option("--json", "as_json", is_flag=True,
              help="输出 JSON：适用于本单位的设置数组，每项含 id（设置名）、label、value、default、is_default、source、"
                   "help。")
@pass_state
def list_command(state: CliState, as_json: bool) -> None:
    """列出适用于本单位的设置（与界面中的“设置”相同）：设置名、名称、当前值（未改过的标“默认”）和说明。"""
    from notes.settings import load_settings
    from prep.wording import settings_shown

    with state.store(read_only=True) as store:
        settings = load_settings(store)
        shown = settings_shown(_terms(store))
    _warn_problems(settings)
    if as_json:
        echo_json([_as_json(setting, settings) for setting in shown])
        return
    for setting in shown:
        mark = "（默认）" if settings.is_default(setting.key) else ""
        click.echo(f"{setting.key}  {setting.label}：{_shown(setting, settings)}{mark}")
        click.echo(f"    {setting.help}")


@config_group.command("get")
@click.argument("key", metavar="设置项")
@pass_state
def get_command(state: CliState, key: str) -> None:
    """打印一项设置的当前值（可原样用于 tanxin config set）。设置项见 tanxin config list。"""
    from notes.settings import format_value, load_settings

    setting = _setting(key)
    with state.store(read_only=True) as store:
        settings = load_settings(store)
        terms = _terms(store)
    _warn_problems(settings)
    _warn_not_applicable(setting, terms)
    click.echo(visible(format_value(setting, settings.value(setting.key))))


@config_group.command("set")
@click.argument("key", metavar="设置项")
@click.argument("value", metavar="值")
@pass_state
def set_command(state: CliState, key: str, value: str) -> None:
    """修改一项设置。值先按规则检查，不合适时说明原因、不做任何修改。

    \b
    例：tanxin config set fonts.body 宋体
        tanxin config set idle_lock_minutes 5
        tanxin config set templates.record ~/模板/记录表.docx
        tanxin config set keymap "tanxin.lock=ctrl+k, tanxin.blank=f11"
    值为空字符串时恢复默认（同 tanxin config unset）。
    """
    _save(state, key, value)


@config_group.command("unset")
@click.argument("key", metavar="设置项")
@pass_state
def unset_command(state: CliState, key: str) -> None:
    """把一项设置恢复为默认值。"""
    _save(state, key, "")  # an empty value is the default, as in 设置


def _save(state: CliState, key: str, value: str) -> None:
    from notes.settings import save_texts

    setting = _setting(key)
    with state.store() as store:
        settings = save_texts(store, {setting.key: value})
        terms = _terms(store)
    done = "已恢复默认" if settings.is_default(setting.key) else "已设置"
    click.echo(f"{done}：{setting.label}（{setting.key}）为 {_shown(setting, settings)}。")
    if not settings.is_default(setting.key):  # back to the default, it cannot mislead anyone
        _warn_not_applicable(setting, terms)


COMMANDS = [config_group]
