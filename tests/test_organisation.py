"""The organisation as a user edits it (notes/organisation.py): naming it, units, people entered by hand, roles
taken up and ended. Every write is one transaction with its audit row; every refusal leaves the database as it
was. On a real encrypted database."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from organisation_helpers import ORGANISATION, hand_built

from notes.errors import Ambiguous, InvalidInput, NotFound
from notes.model import find_person, resolve_unit, role_history, roles_held_on, unit_tree
from notes.organisation import (
    PossibleDuplicate,
    add_person,
    add_role,
    add_unit,
    end_role,
    name_organisation,
    normalise_name,
    open_role,
    rename_unit,
    role_kind,
)
from notes.store import Store
from notes.vocabulary import ROLE_KINDS, role_kinds_for
from prep.packs.model import ROLES


def audit(store: Store, subject: str) -> list[dict[str, Any]]:
    return store.query("SELECT action, subject_id, detail FROM audit_log WHERE subject = ? ORDER BY id", [subject])


def unchanged(store: Store) -> str:
    return store.content_digest()


# -- the vocabulary ----------------------------------------------------------------------------------------


def test_every_role_offered_is_stored_under_the_packs_word() -> None:
    # 组织员 and 内部监督委员会委员 are offices no rule names yet; every other role is spelled as the packs spell it.
    assert {kind.role for kind in ROLE_KINDS} - set(ROLES) == {"组织员", "内部监督委员会委员"}
    assert role_kind("支部委员").role == role_kind("支委").role == "支委"
    full_time = role_kind("专职副主委")
    assert (full_time.role, full_time.title, full_time.implies) == ("副主委", "专职副主委", "班子成员")
    assert role_kind("副主委").title == ""


def test_a_party_organisation_is_not_offered_minjin_offices_and_the_other_way_round() -> None:
    party = [kind.word for kind in role_kinds_for(False)]
    minjin = [kind.word for kind in role_kinds_for(True)]
    assert party == ["主要负责同志", "班子成员", "分管", "部门负责人", "支部书记", "支部委员", "组织员"]
    assert minjin == ["主要负责同志", "班子成员", "分管", "部门负责人", "主委", "副主委", "专职副主委", "常委", "委员",
                      "内部监督委员会委员"]
    with pytest.raises(NotFound, match=r"当前启用的政策包不使用“主委”.*可选：主要负责同志、班子成员"):
        role_kind("主委", role_kinds_for(False))
    with pytest.raises(NotFound, match="没有“总经理”这种职务"):
        role_kind("总经理")


@pytest.mark.parametrize(("typed", "stored"), [
    ("陈 静", "陈静"), ("司马\u3000倩", "司马倩"), (" 阿依古丽•买买提 ", "阿依古丽·买买提"), ("John  Smith", "John Smith"),
])
def test_names_are_normalised(typed: str, stored: str) -> None:
    assert normalise_name(typed) == stored


# -- the organisation and its units ------------------------------------------------------------------------


def test_naming_creates_the_top_unit_then_renames_it(store: Store) -> None:
    top = name_organisation(store, "  市发展改革委  机关党委 ")
    assert unit_tree(store).top is not None and unit_tree(store).path(top) == ORGANISATION
    assert name_organisation(store, "市发展和改革委员会机关党委") == top
    assert [u.name for u in unit_tree(store).units] == ["市发展和改革委员会机关党委"]
    assert [(row["action"], row["subject_id"]) for row in audit(store, "unit")] == [("create", top), ("rename", top)]
    assert '"old": "市发展改革委机关党委"' in audit(store, "unit")[1]["detail"]


def test_units_go_under_the_organisation_in_the_order_added_and_are_found_by_id_or_name(store: Store) -> None:
    org = hand_built(store)
    section = add_unit(store, "综合科", org.office)
    tree = unit_tree(store)
    assert [(u.name, depth) for u, depth in tree.walk()] == [
        (ORGANISATION, 0), ("办公室", 1), ("综合科", 2), ("规划发展处", 1), ("机关第一党支部", 1)]
    assert tree.get(org.branch) is not None and tree.get(org.branch).kind == "党支部"  # type: ignore[union-attr]
    assert resolve_unit(store, "综合科") == resolve_unit(store, str(section)) == resolve_unit(store, " 综合 科") == section
    rename_unit(store, section, "综合一科")
    assert unit_tree(store).path(section) == f"{ORGANISATION}／办公室／综合一科"
    assert [row["action"] for row in audit(store, "unit")][-2:] == ["create", "rename"]


def test_a_name_two_units_share_is_refused_listing_both_with_their_parents(store: Store) -> None:
    org = hand_built(store)
    add_unit(store, "综合科", org.office)
    add_unit(store, "综合科", org.planning)
    with pytest.raises(Ambiguous, match=r"有 2 个单位名为“综合科”：.*办公室／综合科（id \d+）；.*规划发展处／综合科（id \d+）。请改用单位 id"):
        resolve_unit(store, "综合科")
    with pytest.raises(NotFound, match="没有名为“财务处”的单位。现有单位：市发展改革委机关党委（id"):
        resolve_unit(store, "财务处")


@pytest.mark.parametrize(("name", "parent", "message"), [
    ("办公室", None, "已有名为“办公室”的单位"),
    ("  ", None, "请填写单位名称"),
    ("2024", None, "不能只是数字"),
    ("第二\x1b[2J支部", None, "控制字符"),
    ("支" * 61, None, "过长"),
    ("第二支部", 999, "没有 id 为 999 的单位"),
])
def test_a_bad_unit_is_refused_and_nothing_is_written(store: Store, name: str, parent: int | None,
                                                      message: str) -> None:
    hand_built(store)
    before = unchanged(store)
    with pytest.raises((InvalidInput, NotFound), match=message):
        add_unit(store, name, parent)
    assert unchanged(store) == before


def test_units_need_an_organisation_first_and_renames_are_checked(store: Store) -> None:
    with pytest.raises(InvalidInput, match="还没有设定组织名称"):
        add_unit(store, "办公室")
    org = hand_built(store)
    before = unchanged(store)
    with pytest.raises(InvalidInput, match="同一级已有名为“规划发展处”"):
        rename_unit(store, org.office, "规划发展处")
    with pytest.raises(InvalidInput, match="已是“办公室”"):
        rename_unit(store, org.office, "办公室")
    with pytest.raises(NotFound):
        rename_unit(store, 999, "财务处")
    assert unchanged(store) == before


# -- people entered by hand --------------------------------------------------------------------------------


def test_a_person_added_by_hand_is_normalised_and_recorded_as_a_member_of_the_unit(store: Store) -> None:
    org = hand_built(store)
    person = add_person(store, " 欧阳 娜娜 ", unit_id=org.branch, gender="女", birth_date="1990-02",
                        membership="预备党员", position="干部")
    found = find_person(store, person, details=True, roles_on=date(2026, 11, 22))
    assert found is not None and found.details is not None and found.roles is not None
    assert (found.name, found.unit, found.position, found.membership) == ("欧阳娜娜", "机关第一党支部", "干部", "预备党员")
    assert (found.details.gender, found.details.birth_date, found.details.identity_key) == ("女", "1990-02", None)
    assert [(r.role, r.unit, r.start_date, r.source) for r in found.roles] == [("预备党员", "机关第一党支部", None, "手工录入")]
    assert audit(store, "person")[-1]["subject_id"] == person


def test_a_possible_duplicate_is_named_and_added_only_when_confirmed(store: Store) -> None:
    org = hand_built(store)
    before = unchanged(store)
    with pytest.raises(PossibleDuplicate, match=r"已有同名、出生年月相同的人员：陈静（id \d+，办公室·办公室主任·出生 1983-06）"):
        add_person(store, "陈 静", unit_id=org.branch, birth_date="1983-06-15")
    with pytest.raises(PossibleDuplicate, match="已有同名的人员"):
        add_person(store, "陈静", unit_id=org.branch)  # no birth month: cannot tell them apart
    assert unchanged(store) == before
    add_person(store, "陈静", unit_id=org.branch, birth_date="1991-10")  # another birth month: another person
    second = add_person(store, "陈静", unit_id=org.branch, birth_date="1983-06", allow_duplicate=True)
    assert find_person(store, second) is not None


@pytest.mark.parametrize(("columns", "message"), [
    ({"name": "张3"}, "数字或标点"),
    ({"name": " "}, "请填写姓名"),
    ({"name": "张\u202e三"}, "控制字符"),
    ({"gender": "M"}, "性别“M”无效"),
    ({"birth_date": "1985.13"}, "出生年月“1985.13”无效"),
    ({"birth_date": "1985-13"}, "出生年月“1985-13”无效"),
    ({"birth_date": "2030-01"}, "不在 1900 年至今天之间"),
    ({"membership": "党员"}, "身份“党员”无效"),
    ({"unit_id": 999}, "没有 id 为 999 的单位"),
])
def test_bad_person_input_is_refused_and_nothing_is_written(store: Store, columns: dict[str, Any],
                                                            message: str) -> None:
    org = hand_built(store)
    before = unchanged(store)
    values: dict[str, Any] = {"name": "孙悦", "unit_id": org.branch, **columns}
    with pytest.raises((InvalidInput, NotFound), match=message):
        add_person(store, values.pop("name"), **values)
    assert unchanged(store) == before


# -- roles -------------------------------------------------------------------------------------------------


def test_a_head_is_recorded_as_a_team_member_too_and_both_are_audited(store: Store) -> None:
    org = hand_built(store)
    written = add_role(store, org.director, role_kind("主要负责同志"), [org.top], start=date(2024, 3, 1),
                       source="发改党〔2024〕3号")
    assert [(r.role, r.unit_id, r.start_date, r.end_date, r.source) for r in written] == [
        ("主要负责同志", org.top, "2024-03-01", None, "发改党〔2024〕3号"),
        ("班子成员", org.top, "2024-03-01", None, "发改党〔2024〕3号")]
    assert [(row["action"], row["subject_id"]) for row in audit(store, "role")] == [
        ("create", written[0].id), ("create", written[1].id)]
    # Already a 班子成员: the team membership is not recorded twice.
    add_role(store, org.deputy, role_kind("班子成员"), [org.top])
    assert [r.role for r in add_role(store, org.deputy, role_kind("主要负责同志"), [org.planning])] == [
        "主要负责同志", "班子成员"]  # in another unit it is
    assert [r.role for r in role_history(store, org.deputy)].count("班子成员") == 2


def test_oversight_is_one_row_per_unit_overseen_and_a_committee_member_keeps_their_duty(store: Store) -> None:
    org = hand_built(store)
    written = add_role(store, org.deputy, role_kind("分管"), [org.office, org.planning, org.office])
    assert [(r.role, r.unit) for r in written] == [("分管", "办公室"), ("分管", "规划发展处")]
    member = add_role(store, org.clerk, role_kind("支部委员"), [org.branch], title="组织委员")
    assert [r.label for r in member] == ["支委·组织委员（机关第一党支部）"]
    secretary = add_role(store, org.office_head, role_kind("支部书记"), [org.branch])
    assert [r.role for r in secretary] == ["支部书记", "支委"]


def test_a_role_already_held_on_any_of_those_days_is_refused(store: Store) -> None:
    org = hand_built(store)
    add_role(store, org.deputy, role_kind("班子成员"), [org.top], start=date(2020, 1, 1), end=date(2023, 1, 1))
    add_role(store, org.deputy, role_kind("班子成员"), [org.top], start=date(2023, 1, 1))  # the day it ended: fine
    before = unchanged(store)
    with pytest.raises(InvalidInput, match="李红 已是市发展改革委机关党委的班子成员（自 2023-01-01 起），未作改动"):
        add_role(store, org.deputy, role_kind("班子成员"), [org.top], start=date(2025, 1, 1))
    with pytest.raises(InvalidInput, match=r"已是.*班子成员（自 2020-01-01 起）"):
        add_role(store, org.deputy, role_kind("班子成员"), [org.top], start=date(2019, 1, 1), end=date(2021, 1, 1))
    assert unchanged(store) == before


def test_bad_role_input_is_refused_and_nothing_is_written(store: Store) -> None:
    org = hand_built(store)
    store.execute("UPDATE people SET status = 'transferred' WHERE id = ?", [org.clerk])
    before = unchanged(store)
    cases: list[tuple[Any, str]] = [
        (lambda: add_role(store, org.deputy, role_kind("分管"), []), "分管须给出所分管的单位"),
        (lambda: add_role(store, org.deputy, role_kind("班子成员"), [999]), "没有 id 为 999 的单位"),
        (lambda: add_role(store, 999, role_kind("班子成员"), [org.top]), "没有 id 为 999 的人员"),
        (lambda: add_role(store, org.clerk, role_kind("班子成员"), [org.top]), "周磊 已不在册"),
        (lambda: add_role(store, org.deputy, role_kind("班子成员"), [org.top], start=date(2026, 1, 1),
                          end=date(2025, 1, 1)), "止日 2025-01-01 早于起日 2026-01-01"),
        # The second unit is refused: the first is not written either.
        (lambda: add_role(store, org.deputy, role_kind("分管"), [org.office, 999]), "没有 id 为 999 的单位"),
    ]
    for call, message in cases:
        with pytest.raises((InvalidInput, NotFound), match=message):
            call()
    assert unchanged(store) == before


def test_ending_a_role_keeps_it_in_the_history_from_that_day(store: Store) -> None:
    org = hand_built(store)
    head = add_role(store, org.director, role_kind("主要负责同志"), [org.top], start=date(2024, 3, 1))[0]
    ended = end_role(store, head.id, date(2026, 11, 1))
    assert (ended.start_date, ended.end_date) == ("2024-03-01", "2026-11-01")
    assert [r.role for r in roles_held_on(store, date(2026, 10, 31), [org.director])] == ["党员", "主要负责同志", "班子成员"]
    assert [r.role for r in roles_held_on(store, date(2026, 11, 1), [org.director])] == ["党员", "班子成员"]
    assert audit(store, "role")[-1]["action"] == "end"
    before = unchanged(store)
    with pytest.raises(InvalidInput, match="已于 2026-11-01 免去"):
        end_role(store, head.id, date(2026, 11, 2))
    team = open_role(store, org.director, role_kind("班子成员"))
    with pytest.raises(InvalidInput, match="免职日期 2024-02-01 早于任职日期 2024-03-01"):
        end_role(store, team.id, date(2024, 2, 1))
    with pytest.raises(NotFound):
        end_role(store, 999, date(2026, 11, 1))
    assert unchanged(store) == before


def test_which_role_to_end_is_never_guessed(store: Store) -> None:
    org = hand_built(store)
    add_role(store, org.deputy, role_kind("分管"), [org.office, org.planning])
    with pytest.raises(Ambiguous, match=r"李红 有 2 项在任的“分管”：分管（办公室）（单位 id \d+，早已担任）；分管（规划发展处）"):
        open_role(store, org.deputy, role_kind("分管"))
    assert open_role(store, org.deputy, role_kind("分管"), org.planning).unit == "规划发展处"
    with pytest.raises(NotFound, match="李红 没有在任的“主要负责同志”"):
        open_role(store, org.deputy, role_kind("主要负责同志"))
    with pytest.raises(NotFound, match="李红 在“市发展改革委机关党委／机关第一党支部”没有在任的“分管”"):
        open_role(store, org.deputy, role_kind("分管"), org.branch)
