"""重点人员: flagging and ending a flag (prep/profile.py), `tanxin watch add|end|list`, and the person form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TEST_TODAY, clock_on, run_cli
from textual.widgets import Static
from tui_talk_helpers import drive

from notes.errors import InvalidInput
from notes.store import Store
from prep.active import active_policy
from prep.profile import add_profile_entry, end_watch, flag_person, list_watch_flags, watch_list
from tui.app import TanxinApp
from tui.screens.person_forms import WatchFlagForm
from tui.widgets.safe_input import SafeInput, SafeTextArea


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    with store.transaction():
        unit = store.insert("units", {"name": "机关第一党支部", "kind": "党支部"})
        return {name: store.insert("people", {"name": name, "unit_id": unit, "position": "科员"})
                for name in ("张三", "李四", "王五")}


# -- the core ----------------------------------------------------------------------------------------------


def test_ending_keeps_the_flags_with_date_and_reason(store: Store, people: dict[str, int]) -> None:
    person = people["张三"]
    first = flag_person(store, person, "近期与同事关系紧张", "2026-03-01", "支部研究确定")
    second = flag_person(store, person, "家庭变故", "2026-05-01")
    assert end_watch(store, person, "2026-09-30", "考察期满，表现良好") == [first, second]
    flags = list_watch_flags(store, person)
    assert [(f.id, f.ended_on, f.end_reason) for f in flags] == [
        (first, "2026-09-30", "考察期满，表现良好"), (second, "2026-09-30", "考察期满，表现良好")]
    assert list_watch_flags(store, person, open_only=True) == []
    assert watch_list(store, TEST_TODAY) == []
    assert [w.name for w in watch_list(store, TEST_TODAY.replace(month=6))] == ["张三"]  # history kept
    audited = store.scalar("SELECT count(*) FROM audit_log WHERE subject = 'watch_flag' AND action = 'update'")
    assert audited == 2


def test_ending_is_all_or_nothing_and_explains_refusals(store: Store, people: dict[str, int]) -> None:
    person = people["李四"]
    flag_person(store, person, "早的原因", "2026-01-10")
    flag_person(store, person, "晚的原因", "2026-08-01")
    with pytest.raises(InvalidInput, match="早于列入日期"):
        end_watch(store, person, "2026-06-01")  # before the second flag began
    assert len(list_watch_flags(store, person, open_only=True)) == 2  # the first one was not ended either
    with pytest.raises(InvalidInput, match="目前没有列为重点人员"):
        end_watch(store, people["王五"], "2026-06-01")
    policy = active_policy(store)
    add_profile_entry(store, policy, people["王五"], "重点人员", "受到诫勉，需重点关注", "2026-10-01")
    with pytest.raises(InvalidInput, match="记一条新情况"):
        end_watch(store, people["王五"], "2026-11-01", policy=policy)


# -- the CLI -----------------------------------------------------------------------------------------------


def test_watch_add_list_end_from_the_command_line(store: Store, db_path: Path, people: dict[str, int]) -> None:
    db = ["--db", str(db_path)]
    added = run_cli([*db, "watch", "add", "张三", "--reason", "近期情绪波动较大", "--source", "支部反映"])
    assert added.exit_code == 0, added.stderr
    assert f"已将 张三 列为重点人员（自 {TEST_TODAY.isoformat()}）" in added.output  # today by the one clock
    dated = run_cli([*db, "watch", "add", str(people["李四"]), "--reason", "信访反映", "--since", "2026-10-01"])
    assert dated.exit_code == 0, dated.stderr

    listed = run_cli([*db, "watch", "list"])
    assert listed.exit_code == 0
    assert "张三" in listed.output and "近期情绪波动较大（支部反映）" in listed.output and "共 2 人" in listed.output
    rows = json.loads(run_cli([*db, "watch", "list", "--json"]).output)
    assert {row["id"] for row in rows} == {people["张三"], people["李四"]}
    zhang = next(row for row in rows if row["name"] == "张三")
    assert zhang["reasons"][0]["since"] == TEST_TODAY.isoformat() and zhang["reasons"][0]["flag_id"]
    earlier = json.loads(run_cli([*db, "watch", "list", "--as-of", "2026-10-15", "--json"]).output)
    assert [row["name"] for row in earlier] == ["李四"]

    ended = run_cli([*db, "watch", "end", "李四", "--reason", "问题已查清"])
    assert ended.exit_code == 0, ended.stderr
    assert f"已解除 李四 的重点人员标记（1 项），解除日期 {TEST_TODAY.isoformat()}" in ended.output
    [flag] = list_watch_flags(store, people["李四"])
    assert flag.ended_on == TEST_TODAY.isoformat() and flag.end_reason == "问题已查清"
    assert [row["name"] for row in json.loads(run_cli([*db, "watch", "list", "--json"]).output)] == ["张三"]


def test_watch_refusals_and_usage_errors(store: Store, db_path: Path, people: dict[str, int]) -> None:
    db = ["--db", str(db_path)]
    not_listed = run_cli([*db, "watch", "end", "王五"])
    assert not_listed.exit_code == 1 and "目前没有列为重点人员" in not_listed.stderr
    nobody = run_cli([*db, "watch", "add", "赵六", "--reason", "x"])
    assert nobody.exit_code == 1 and "名册中没有“赵六”" in nobody.stderr
    blank = run_cli([*db, "watch", "add", "张三", "--reason", "  "])
    assert blank.exit_code == 1 and "原因不能为空" in blank.stderr
    bad_date = run_cli([*db, "watch", "end", "张三", "--on", "2026-13-01"])
    assert bad_date.exit_code == 2 and "不是有效日期" in bad_date.stderr
    no_reason = run_cli([*db, "watch", "add", "张三"])
    assert no_reason.exit_code == 2
    assert list_watch_flags(store, people["张三"]) == []
    for args in (["watch", "--help"], ["watch", "add", "--help"], ["watch", "end", "--help"]):
        assert "重点人员" in run_cli(args).output


# -- the form on a person's page ---------------------------------------------------------------------------


@drive
async def test_watch_form_flags_then_ends(store: Store, people: dict[str, int]) -> None:
    person = people["张三"]
    app = TanxinApp(store, clock=clock_on(TEST_TODAY), cursor_blink=False)
    results: list[str | None] = []
    async with app.run_test(size=(120, 36)) as pilot:
        form = WatchFlagForm(person, "张三")
        await app.push_screen(form, results.append)
        await pilot.pause()
        assert not form.ending
        assert form.query_one("#since", SafeInput).value == TEST_TODAY.isoformat()
        form.query_one("#reason", SafeTextArea).load_text("近期与同事关系紧张")
        form.query_one("#source", SafeInput).value = "支部研究确定"
        await pilot.press("ctrl+s")
        for _ in range(200):
            if results:
                break
            await pilot.pause(0.02)
        assert results == ["已列为重点人员。"]
        [flag] = list_watch_flags(store, person, open_only=True)
        assert (flag.reason, flag.since, flag.source) == ("近期与同事关系紧张", TEST_TODAY.isoformat(), "支部研究确定")

        form = WatchFlagForm(person, "张三")
        await app.push_screen(form, results.append)
        await pilot.pause()
        assert form.ending
        assert "近期与同事关系紧张" in str(form.query_one("#open-flags", Static).render())
        form.query_one("#ended_on", SafeInput).value = "2026-01-01"  # before the flag began: refused in the form
        await pilot.press("ctrl+s")
        message = form.query_one("#message", Static)
        for _ in range(200):
            if "早于列入日期" in str(message.render()):
                break
            await pilot.pause(0.02)
        assert "早于列入日期" in str(message.render()) and app.screen is form
        form.query_one("#ended_on", SafeInput).value = TEST_TODAY.isoformat()
        form.query_one("#end_reason", SafeInput).value = "考察期满"
        await pilot.press("ctrl+s")
        for _ in range(200):
            if len(results) == 2:
                break
            await pilot.pause(0.02)
        assert results[1] == "已解除重点人员标记（1 项）。"
    [ended] = list_watch_flags(store, person)
    assert ended.ended_on == TEST_TODAY.isoformat() and ended.end_reason == "考察期满"
