"""本人: who uses this database. 工作台 and `tanxin due --mine` show that person's talks first.

The owner is a setting of the registry (notes/settings.py, key `owner`): it travels with the database, is
changed in 设置 or with `tanxin me`, and every change is audited there. This module turns it into a person.
"""

from __future__ import annotations

from notes.model import Person, people_by_id
from notes.settings import OWNER, Settings, save_settings, setting_value
from notes.store import Store


def owner(store: Store) -> Person | None:
    """本人, or None when nobody is set. A person who has left is still returned (`active` False): the faces
    say so rather than silently showing someone else's list."""
    person_id: int | None = setting_value(store, OWNER)
    if person_id is None:
        return None
    return people_by_id(store, [person_id]).get(person_id)


def set_owner(store: Store, person_id: int | None) -> Settings:
    """Make `person_id` 本人 (None: nobody). A person unknown or no longer on the roster is refused."""
    return save_settings(store, {OWNER: person_id})
