"""Choosing a unit by id or name (notes/documents/units.py): a wrong one is answered with the units there are,
since no command lists units on their own."""

from __future__ import annotations

import pytest

from notes.documents.units import unit_scope
from notes.errors import NotFound
from notes.store import Store


def test_an_unknown_unit_is_answered_with_the_units_to_choose_from(store: Store) -> None:
    with pytest.raises(NotFound) as empty:
        unit_scope(store, "机关党委")
    assert "tanxin import-roster" in empty.value.message
    with store.transaction():
        root = store.insert("units", {"name": "机关党委", "kind": "机关党委"})
        branch = store.insert("units", {"name": "第一支部", "parent_id": root, "sort_order": 1})
    for wrong in ("999", "第九支部"):
        with pytest.raises(NotFound) as missing:
            unit_scope(store, wrong)
        assert f"机关党委（{root}）" in missing.value.message and f"第一支部（{branch}）" in missing.value.message
        assert "tanxin units" not in missing.value.message
    scope = unit_scope(store, "机关党委")
    assert scope is not None and set(scope.ids) == {root, branch}
