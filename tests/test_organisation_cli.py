"""`tanxin init --org`, `org rename`, `unit add|rename`, `units`, `role add|end` and `roles`, run in-process on a
real encrypted database: what is printed, what is written, and that a refusal exits non-zero with nothing
written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import PASSPHRASE, run_cli
from organisation_helpers import ORGANISATION, HandBuilt, hand_built

from notes.organisation import add_person
from notes.store import Store
from notes.unlock import open_database


def tanxin(db: Path, *args: str) -> Result:
    return run_cli(["--db", str(db), *args])


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def org(store: Store) -> HandBuilt:
    return hand_built(store)


def digest(db: Path) -> list[dict[str, Any]]:
    """The organisation as recorded: every unit, person and role, and the audit of their writes (each opening of
    the database adds an unlock row of its own)."""
    with open_database(db, passphrase=PASSPHRASE, use_keyring=False) as store:
        return [row for table in ("units", "people", "roles") for row in store.query(f"SELECT * FROM {table}")] + \
            store.query("SELECT * FROM audit_log WHERE subject IN ('unit', 'person', 'role')")


# -- init --org, org, unit, units --------------------------------------------------------------------------


def test_init_names_the_organisation_and_units_are_added_under_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    created = tanxin(db, "init", "--org", " 市财政局 机关党委 ")
    assert created.exit_code == 0 and "组织名称：市财政局机关党委" in created.stdout
    assert tanxin(db, "unit", "add", "机关第一党支部", "--kind", "党支部").stdout == (
        "已添加单位 市财政局机关党委／机关第一党支部（id 2）。\n")
    assert tanxin(db, "unit", "add", "办公室").exit_code == 0
    assert tanxin(db, "unit", "add", "综合科", "--parent", "办公室").exit_code == 0
    renamed = tanxin(db, "unit", "rename", "综合科", "综合一科")
    assert renamed.stdout == "已将单位“市财政局机关党委／办公室／综合科”改名为“市财政局机关党委／办公室／综合一科”。\n"
    assert tanxin(db, "org", "rename", "市财政局机关委员会").stdout == (
        "已将本组织“市财政局机关党委”改名为“市财政局机关委员会”。\n")
    assert as_json(tanxin(db, "units", "--json")) == [
        {"id": 1, "name": "市财政局机关委员会", "kind": "", "parent_id": None, "depth": 0, "path": "市财政局机关委员会",
         "people": 0},
        {"id": 2, "name": "机关第一党支部", "kind": "党支部", "parent_id": 1, "depth": 1,
         "path": "市财政局机关委员会／机关第一党支部", "people": 0},
        {"id": 3, "name": "办公室", "kind": "", "parent_id": 1, "depth": 1, "path": "市财政局机关委员会／办公室",
         "people": 0},
        {"id": 4, "name": "综合一科", "kind": "", "parent_id": 3, "depth": 2,
         "path": "市财政局机关委员会／办公室／综合一科", "people": 0},
    ]
    assert tanxin(db, "units").stdout.splitlines() == [
        "     1  市财政局机关委员会  0 人",
        "     2      机关第一党支部〔党支部〕  0 人",
        "     3      办公室  0 人",
        "     4          综合一科  0 人",
    ]


def test_a_bad_organisation_name_is_refused_before_the_database_is_created(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    refused = tanxin(db, "init", "--org", "2026")
    assert refused.exit_code == 2 and "组织名称不能只是数字" in refused.stderr
    assert not db.exists()


def test_init_without_a_name_says_how_to_give_one_and_org_rename_names_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert "tanxin org rename" in tanxin(db, "init").stdout
    refused = tanxin(db, "unit", "add", "办公室")
    assert refused.exit_code == 1 and "还没有设定组织名称" in refused.stderr
    assert "没有单位" in tanxin(db, "units").stdout
    assert tanxin(db, "org", "rename", "民进某区基层委员会").stdout == "已设定组织名称：民进某区基层委员会（单位 id 1）。\n"


def test_unit_refusals_exit_1_naming_the_problem_and_write_nothing(db_path: Path, org: HandBuilt) -> None:
    tanxin(db_path, "unit", "add", "综合科", "--parent", "办公室")
    tanxin(db_path, "unit", "add", "综合科", "--parent", "规划发展处")
    before = digest(db_path)
    cases = [
        (["unit", "add", "办公室"], "已有名为“办公室”的单位"),
        (["unit", "add", "档案室", "--parent", "综合科"], "有 2 个单位名为“综合科”"),
        (["unit", "add", "档案室", "--parent", "财务处"], "没有名为“财务处”的单位"),
        (["unit", "rename", "综合科", "综合一科"], "请改用单位 id"),
        (["unit", "rename", "办公室", "  "], "请填写单位名称"),
    ]
    for args, message in cases:
        result = tanxin(db_path, *args)
        assert result.exit_code == 1 and message in result.stderr, (args, result.stderr)
    assert digest(db_path) == before


# -- role add, role end, roles -----------------------------------------------------------------------------


def test_role_add_and_roles_json(db_path: Path, org: HandBuilt) -> None:
    added = tanxin(db_path, "role", "add", "王建国", "主要负责同志", "--from", "2024-03-01", "--source", "发改党〔2024〕3号")
    assert added.exit_code == 0
    assert added.stdout.splitlines()[0].endswith(f"王建国  主要负责同志（{ORGANISATION}）  2024-03-01 至 今  依据：发改党〔2024〕3号")
    assert "班子成员" in added.stdout.splitlines()[1]
    deputy = tanxin(db_path, "role", "add", "李红", "班子成员", "--oversees", "办公室", "--oversees", "规划发展处")
    assert [line.split("  ")[-3] for line in deputy.stdout.splitlines()] == [
        f"班子成员（{ORGANISATION}）", "分管（办公室）", "分管（规划发展处）"]
    tanxin(db_path, "role", "add", "陈静", "部门负责人")  # in her own unit, 办公室
    tanxin(db_path, "role", "add", "周磊", "支部委员", "--unit", "机关第一党支部", "--title", "组织委员")
    rows = as_json(tanxin(db_path, "roles", "李红", "--json"))
    assert [{k: row[k] for k in ("person_id", "person", "role", "unit", "from", "to")} for row in rows] == [
        {"person_id": org.deputy, "person": "李红", "role": role, "unit": unit, "from": None, "to": None}
        for role, unit in (("党员", ORGANISATION), ("班子成员", ORGANISATION), ("分管", "办公室"), ("分管", "规划发展处"))]
    assert set(rows[0]) == {"id", "person_id", "person", "role", "title", "unit_id", "unit", "from", "to", "source"}
    everyone = as_json(tanxin(db_path, "roles", "--json"))
    assert {(row["person"], row["role"], row["title"]) for row in everyone} >= {
        ("王建国", "主要负责同志", ""), ("陈静", "部门负责人", ""), ("周磊", "支委", "组织委员")}
    assert as_json(tanxin(db_path, "roles", "王建国", "--as-of", "2024-02-29", "--json"))[0]["role"] == "党员"


def test_role_end_refuses_to_guess_and_keeps_the_history(db_path: Path, org: HandBuilt) -> None:
    tanxin(db_path, "role", "add", "李红", "分管", "--oversees", "办公室", "--oversees", "规划发展处", "--from",
           "2025-01-01")
    before = digest(db_path)
    ambiguous = tanxin(db_path, "role", "end", "李红", "分管", "--date", "2026-11-01")
    assert ambiguous.exit_code == 1
    assert "李红 有 2 项在任的“分管”：分管（办公室）" in ambiguous.stderr and "请指明单位" in ambiguous.stderr
    assert digest(db_path) == before
    ended = tanxin(db_path, "role", "end", "李红", "分管", "--unit", "规划发展处", "--date", "2026-11-01")
    assert ended.stdout.endswith("李红  分管（规划发展处）  2025-01-01 至 2026-11-01  依据：手工录入\n")
    held = as_json(tanxin(db_path, "roles", "李红", "--json"))
    assert [(row["role"], row["unit"]) for row in held] == [("党员", ORGANISATION), ("分管", "办公室")]
    history = as_json(tanxin(db_path, "roles", "李红", "--history", "--json"))
    assert ("分管", "规划发展处", "2026-11-01") in {(row["role"], row["unit"], row["to"]) for row in history}
    text = tanxin(db_path, "roles", "李红", "--history").stdout
    assert "2025-01-01 至 2026-11-01" in text and "共 3 项（全部职务经历）" in text


@pytest.mark.parametrize(("args", "code", "message"), [
    (["role", "add", "李红", "主委"], 1, "当前启用的政策包不使用“主委”"),
    (["role", "add", "李红", "总经理"], 1, "没有“总经理”这种职务"),
    (["role", "add", "李红", "班子成员", "--from", "2026-02-30"], 2, "“2026-02-30”不是有效日期"),
    (["role", "add", "李红", "班子成员", "--from", "2026-03-01", "--to", "2026-01-01"], 1, "早于起日"),
    (["role", "add", "李红", "分管"], 1, "分管须给出所分管的单位"),
    (["role", "add", "李红", "分管", "--unit", "办公室"], 1, "请用 --oversees 给出"),
    (["role", "add", "李红", "班子成员", "--oversees", "财务处"], 1, "没有名为“财务处”的单位"),
    (["role", "add", "李", "班子成员"], 1, "名册中没有“李”。姓名相近的有：李红"),
    (["role", "end", "李红", "主要负责同志", "--date", "2026-11-01"], 1, "李红 没有在任的“主要负责同志”"),
    (["role", "end", "李红", "班子成员"], 2, "--date"),
    (["roles", "--history", "--as-of", "2026-01-01"], 2, "不能与 --as-of 同用"),
])
def test_bad_role_commands_exit_non_zero_with_a_chinese_message_and_write_nothing(
        db_path: Path, org: HandBuilt, args: list[str], code: int, message: str) -> None:
    before = digest(db_path)
    result = tanxin(db_path, *args)
    assert result.exit_code == code and message in result.stderr, result.stderr
    assert digest(db_path) == before


def test_a_role_and_its_oversight_are_written_together_or_not_at_all(db_path: Path, org: HandBuilt) -> None:
    tanxin(db_path, "role", "add", "李红", "分管", "--oversees", "规划发展处")
    before = digest(db_path)
    refused = tanxin(db_path, "role", "add", "李红", "班子成员", "--oversees", "办公室", "--oversees", "规划发展处")
    assert refused.exit_code == 1 and "已是市发展改革委机关党委／规划发展处的分管" in refused.stderr
    assert digest(db_path) == before


def test_roles_set_by_hand_make_the_leadership_rules_fire_between_the_right_people(
        db_path: Path, org: HandBuilt) -> None:
    """The point of it all: on a unit built by hand, 主要负责同志 and 班子成员 make `due` ask for the talks of
    000 二(二)1 — the head with each team member, the team members with each other — and nobody else."""
    before = [item for item in as_json(tanxin(db_path, "due", "--json")) if item.get("rule") in (
        "head_team", "team_mutual")]
    assert before == []
    for person in ("李红", "赵强"):
        assert tanxin(db_path, "role", "add", person, "班子成员").exit_code == 0
    assert tanxin(db_path, "role", "add", "王建国", "主要负责同志").exit_code == 0
    items = as_json(tanxin(db_path, "due", "--json"))
    head_team = {(item["person_id"], tuple(item["interviewer_ids"])) for item in items if item.get("rule") == "head_team"}
    assert head_team == {(org.deputy, (org.director,)), (org.second_deputy, (org.director,))}
    mutual = {frozenset((item["person_id"], *item["interviewer_ids"])) for item in items
              if item.get("rule") == "team_mutual"}
    team = (org.director, org.deputy, org.second_deputy)
    assert mutual == {frozenset((a, b)) for a in team for b in team if a < b}
    assert {org.office_head, org.clerk}.isdisjoint(
        item["person_id"] for item in items if item.get("rule") in ("head_team", "team_mutual"))


def test_a_minjin_organisation_is_offered_its_own_offices(tmp_path: Path) -> None:
    db = tmp_path / "minjin.db"
    assert tanxin(db, "init", "--pack", "minjin-cq-2023", "--org", "民进某区基层委员会").exit_code == 0
    assert tanxin(db, "unit", "add", "第一支部", "--kind", "基层组织").exit_code == 0
    with open_database(db, passphrase=PASSPHRASE, use_keyring=False) as store:
        add_person(store, "何 婷", unit_id=1, gender="女", birth_date="1978-05", membership="会员", position="主任医师")
    added = tanxin(db, "role", "add", "何婷", "专职副主委", "--from", "2023-07-01")
    assert added.exit_code == 0, added.stderr
    rows = as_json(tanxin(db, "roles", "何婷", "--json"))
    assert [(row["role"], row["title"], row["unit"], row["from"]) for row in rows] == [
        ("会员", "", "民进某区基层委员会", None),
        ("副主委", "专职副主委", "民进某区基层委员会", "2023-07-01"),
        ("班子成员", "", "民进某区基层委员会", "2023-07-01")]
    refused = tanxin(db, "role", "add", "何婷", "支部书记")
    assert refused.exit_code == 1 and "当前启用的政策包不使用“支部书记”这一职务。可选：" in refused.stderr
    assert "内部监督委员会委员" in refused.stderr
    ended = tanxin(db, "role", "end", "何婷", "专职副主委", "--date", "2026-07-01")
    assert ended.exit_code == 0 and "副主委·专职副主委（民进某区基层委员会）  2023-07-01 至 2026-07-01" in ended.stdout
