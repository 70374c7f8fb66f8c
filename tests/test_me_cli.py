"""本人 from the command line: `tanxin me` sets, shows and clears who uses the database (audited, through the
settings registry), and `tanxin due --mine` shows that person's talks — or refuses, saying how to set 本人."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from worklist_helpers import make_unit, plan_talk

from notes.owner import owner
from notes.settings import DASHBOARD_SCOPE, OWNER, load_settings
from notes.store import Store


def test_me_sets_shows_and_clears_the_owner_with_an_audit(store: Store, db_path: Path) -> None:
    unit = make_unit(store)
    db = ["--db", str(db_path)]
    shown = run_cli([*db, "me"])
    assert shown.exit_code == 0 and "尚未设定本人" in shown.output and "tanxin me 姓名" in shown.output
    assert json.loads(run_cli([*db, "me", "--json"]).output) == []

    done = run_cli([*db, "me", "赵书记"])
    assert done.exit_code == 0, done.stderr
    assert "本人已设为 赵书记（第一党支部）" in done.output
    assert load_settings(store).value(OWNER) == unit.secretary
    assert run_cli([*db, "me"]).output == "本人：赵书记（第一党支部）\n"
    assert json.loads(run_cli([*db, "me", "--json"]).output) == [
        {"id": unit.secretary, "name": "赵书记", "unit": "第一党支部", "active": True}]
    audited = store.query("SELECT action, detail FROM audit_log WHERE action = 'settings' ORDER BY id")
    assert audited and "owner" in json.loads(audited[-1]["detail"])["names"]

    cleared = run_cli([*db, "me", "--clear"])
    assert cleared.exit_code == 0 and "已清除本人设定" in cleared.output
    assert owner(store) is None
    assert store.scalar("SELECT count(*) FROM audit_log WHERE action = 'settings'") == len(audited) + 1


def test_me_refuses_unknown_and_departed_people_and_both_a_person_and_clear(store: Store, db_path: Path) -> None:
    unit = make_unit(store)
    db = ["--db", str(db_path)]
    unknown = run_cli([*db, "me", "钱七"])
    assert unknown.exit_code == 1 and "钱七" in unknown.stderr
    store.execute("UPDATE people SET status = 'left' WHERE id = ?", [unit.other])
    left = run_cli([*db, "me", str(unit.other)])
    assert left.exit_code == 1 and "已不在册" in left.stderr
    assert owner(store) is None  # nothing was written
    both = run_cli([*db, "me", "赵书记", "--clear"])
    assert both.exit_code == 2 and "只能选一" in both.stderr


def test_config_set_owner_takes_an_id_and_checks_it(store: Store, db_path: Path) -> None:
    unit = make_unit(store)
    db = ["--db", str(db_path)]
    assert run_cli([*db, "config", "set", "owner", str(unit.deputy)]).exit_code == 0
    assert load_settings(store).value(OWNER) == unit.deputy
    wrong = run_cli([*db, "config", "set", "owner", "999"])
    assert wrong.exit_code == 1 and "没有编号为 999 的人员" in wrong.stderr
    assert run_cli([*db, "config", "set", "dashboard_scope", "全部"]).exit_code == 0
    assert load_settings(store).value(DASHBOARD_SCOPE) == "all"


def test_due_mine_lists_the_owners_talks_and_json_names_the_planned_talk(store: Store, db_path: Path) -> None:
    unit = make_unit(store)
    db = ["--db", str(db_path)]
    refused = run_cli([*db, "due", "--mine"])
    assert refused.exit_code == 1 and "尚未设定本人" in refused.stderr and "tanxin me 姓名" in refused.stderr
    planned = plan_talk(store, unit.secretary, unit.other, "member_talk")
    assert run_cli([*db, "me", "赵书记"]).exit_code == 0
    mine = json.loads(run_cli([*db, "due", "--mine", "--json"]).output)
    everyone = json.loads(run_cli([*db, "due", "--json"]).output)
    assert mine and len(mine) < len(everyone)
    assert {i["person"] for i in mine if i["kind"] != "followup"} == {"李明", "王芳", "孙委员"}
    # The 任职谈话 for 李明 (whose branch the secretary answers for) is his to arrange.
    assert any(i["kind"] == "event" and i["person"] == "李明" for i in mine)
    assert {i["planned_talk_id"] for i in mine if i["person"] == "王芳"} == {planned}
    assert {i["planned_talk_id"] for i in everyone if i["person"] == "王芳" and "赵书记" in i["interviewers"]} == {
        planned}
    text = run_cli([*db, "due", "--mine"]).output
    assert f"已安排谈话 {planned}" in text and "李明" in text and "刘副主任" not in text
    both = run_cli([*db, "due", "--mine", "--interviewer", "陈主任"])
    assert both.exit_code == 2
    store.execute("UPDATE people SET status = 'left' WHERE id = ?", [unit.secretary])
    departed = run_cli([*db, "due", "--mine"])
    assert departed.exit_code == 1 and "已不在册" in departed.stderr
