"""People with their unit, the unit tree and the roles held on a day (notes/model.py): the one place every face
and every prep module reads them from. On a real encrypted database."""

from __future__ import annotations

from datetime import date

import pytest

from notes.model import (
    Person,
    find_person,
    list_people,
    open_roles,
    people_by_id,
    role_history,
    roles_held_on,
    unit_tree,
)
from notes.store import Store

# Names and units as a hostile roster could bring them: Textual markup that would run an action, an escape
# sequence that clears a terminal, a right-to-left override, LIKE wildcards and a trailing backslash.
HOSTILE_NAME = "[@click=app.quit]张三[/]\x1b[2J\u202e\\"
HOSTILE_UNIT = "[bold]第一支部[/bold]%_\x07"


def add_unit(store: Store, name: str, parent: int | None = None, order: int = 0) -> int:
    return store.insert("units", {"name": name, "parent_id": parent, "sort_order": order})


def add_person(store: Store, name: str, unit: int | None, **columns: object) -> int:
    return store.insert("people", {"name": name, "unit_id": unit, **columns})


def add_role(store: Store, person: int, unit: int, role: str, start: str | None = None, end: str | None = None,
             title: str = "") -> int:
    return store.insert("roles", {"person_id": person, "unit_id": unit, "role": role, "title": title,
                                  "start_date": start, "end_date": end, "source": "测试"})


def test_people_come_with_their_unit_in_tree_order_then_by_name(store: Store) -> None:
    root = add_unit(store, "机关党委")
    second = add_unit(store, "第二支部", root, order=2)
    first = add_unit(store, "第一支部", root, order=1)
    b = add_person(store, "张二", first, position="科员", membership="正式党员")
    a = add_person(store, "张一", first)
    head = add_person(store, "书记", root, position="书记")
    loose = add_person(store, "无单位", None)
    gone = add_person(store, "调走", second, status="transferred")

    people = list_people(store)
    assert [p.name for p in people] == ["无单位", "书记", "张一", "张二", "调走"]
    assert people[0] == Person(loose, "无单位", None, "", "", "", "active")
    assert people[3] == Person(b, "张二", first, "第一支部", "科员", "正式党员", "active")
    assert people[4].status == "transferred" and not people[4].active
    assert [p.id for p in list_people(store, active_only=True)] == [loose, head, a, b]
    assert [p.id for p in list_people(store, ids=[gone, a])] == [a, gone]
    assert set(people_by_id(store, [head, gone])) == {head, gone}
    assert find_person(store, 9999) is None


def test_details_and_roles_only_when_asked_for(store: Store) -> None:
    unit = add_unit(store, "第一支部")
    person = add_person(store, "张三", unit, gender="男", birth_date="1985-03", education="大学", phone="138",
                        identity_key="张三|1985-03")
    add_role(store, person, unit, "党员")

    plain = find_person(store, person)
    assert plain is not None and plain.details is None and plain.roles is None
    full = find_person(store, person, details=True, roles_on=date(2026, 6, 1))
    assert full is not None and full.details is not None and full.roles is not None
    assert (full.details.gender, full.details.birth_date, full.details.phone) == ("男", "1985-03", "138")
    assert full.details.ethnicity == "" and full.details.identity_key == "张三|1985-03"
    assert [r.label for r in full.roles] == ["党员（第一支部）"]
    # A brief prints the facts it has, in its order; without details only the unit, position and membership.
    assert full.facts() == [("单位", "第一支部"), ("性别", "男"), ("出生年月", "1985-03"), ("学历", "大学")]
    assert plain.facts() == [("单位", "第一支部")]
    assert plain.as_json() == {"id": person, "name": "张三", "unit": "第一支部", "position": ""}


def test_a_role_is_held_from_its_start_up_to_but_not_on_its_end_date(store: Store) -> None:
    unit = add_unit(store, "第一支部")
    person = add_person(store, "张三", unit)
    add_role(store, person, unit, "支部书记", start="2026-01-10", end="2026-03-02")

    def held(day: date) -> list[str]:
        return [r.role for r in roles_held_on(store, day)]

    assert held(date(2026, 1, 9)) == []
    assert held(date(2026, 1, 10)) == ["支部书记"]  # the start day counts
    assert held(date(2026, 3, 1)) == ["支部书记"]
    assert held(date(2026, 3, 2)) == []  # the end day does not


def test_a_handover_on_one_day_leaves_exactly_one_holder(store: Store) -> None:
    """The roster ends the old role and starts the new one on the same effective date (prep/roster/plan.py)."""
    unit = add_unit(store, "第一支部")
    old, new = add_person(store, "老书记", unit), add_person(store, "新书记", unit)
    add_role(store, old, unit, "支部书记", end="2026-03-02")  # held since before the record began
    add_role(store, new, unit, "支部书记", start="2026-03-02")  # still held

    def holders(day: date) -> list[int]:
        return [r.person_id for r in roles_held_on(store, day) if r.role == "支部书记"]

    assert holders(date(2026, 3, 1)) == [old]
    assert holders(date(2026, 3, 2)) == [new]
    assert holders(date(2030, 1, 1)) == [new]


def test_roles_of_some_people_and_whole_histories(store: Store) -> None:
    root = add_unit(store, "机关党委")
    branch = add_unit(store, "第一支部", root)
    person, other = add_person(store, "张三", branch), add_person(store, "李四", branch)
    member = add_role(store, person, branch, "党员")
    old = add_role(store, person, root, "支委", start="2020-01-01", end="2024-01-01", title="组织委员")
    later = add_role(store, person, branch, "支部书记", start="2024-01-01")
    future = add_role(store, other, branch, "支委", start="2027-01-01")

    day = date(2026, 6, 1)
    assert [r.id for r in roles_held_on(store, day)] == [member, later]  # each person's in the order recorded
    assert [r.id for r in roles_held_on(store, day, [other])] == []
    assert [r.id for r in role_history(store, person)] == [later, member, old]  # still held first, latest first
    assert role_history(store, person)[2].label == "支委·组织委员（机关党委）"
    # Open roles are those never ended, even one that starts later: what a roster import may end or keep.
    assert {r.id for r in open_roles(store)} == {member, later, future}
    listed = {p.id: p for p in list_people(store, roles_on=day)}
    assert [r.role for r in listed[person].roles or ()] == ["党员", "支部书记"]
    assert listed[other].roles == ()


def test_the_unit_tree(store: Store) -> None:
    root = add_unit(store, "机关党委")
    second = add_unit(store, "第二支部", root, order=2)
    first = add_unit(store, "第一支部", root, order=1)
    group = add_unit(store, "第一小组", first)
    other_root = add_unit(store, "另一组织", order=5)

    tree = unit_tree(store)
    assert [u.name for u in tree.children(None)] == ["机关党委", "另一组织"]
    assert [u.id for u in tree.children(root)] == [first, second]  # siblings by sort_order
    assert [(u.name, depth) for u, depth in tree.walk()] == [
        ("机关党委", 0), ("第一支部", 1), ("第一小组", 2), ("第二支部", 1), ("另一组织", 0)]
    assert tree.below(root) == {root, first, second, group}
    assert tree.below(group) == {group}
    assert tree.name(first) == "第一支部" and tree.name(9999) == ""
    assert other_root in {u.id for u in tree.units}


@pytest.mark.parametrize("name", [HOSTILE_NAME, "司马 倩", "O'Brien \"Bob\""])
def test_names_pass_through_unchanged(store: Store, name: str) -> None:
    """The queries hand text over exactly as stored: making it safe to show is each face's job."""
    unit = add_unit(store, HOSTILE_UNIT)
    person = add_person(store, name, unit, position=HOSTILE_NAME)
    add_role(store, person, unit, "党员", title=HOSTILE_NAME)

    [found] = list_people(store, roles_on=date(2026, 6, 1))
    assert (found.name, found.unit, found.position) == (name, HOSTILE_UNIT, HOSTILE_NAME)
    assert found.as_json() == {"id": person, "name": name, "unit": HOSTILE_UNIT, "position": HOSTILE_NAME}
    [role] = found.roles or ()
    assert (role.unit, role.title) == (HOSTILE_UNIT, HOSTILE_NAME)
    assert role.label == f"党员·{HOSTILE_NAME}（{HOSTILE_UNIT}）"
    assert unit_tree(store).name(unit) == HOSTILE_UNIT
