"""Pick a person by typing a name, its pinyin or its initials ("zs" finds 张三), as the 人员 screen does.

The index (prep/people_search.py) is built once by the screen's worker and handed over with `set_people`;
each keystroke then searches it in memory. Names are user text: shown literally.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.safe import safe
from tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from notes.model import Person
    from prep.people_search import PeopleIndex

MAX_MATCHES = 30


def person_line(person: Person) -> Content:
    """姓名 · 单位 · 职务, the name in bold."""
    parts = [safe(person.name, "bold")]
    for text in (person.unit, person.position):
        if text:
            parts += [Content.styled(" · ", "dim"), safe(text)]
    return Content.assemble(*parts)


class PersonPicker(Vertical):
    DEFAULT_CSS = """
    PersonPicker { height: auto; }
    PersonPicker .picker-label { text-style: bold; }
    PersonPicker OptionList { height: auto; max-height: 8; display: none; }
    PersonPicker.-searching OptionList { display: block; }
    PersonPicker .picker-chosen { height: auto; padding: 0 1; }
    PersonPicker .picker-search { margin: 0 1 1 1; }
    """

    @dataclass
    class Chosen(Message):
        picker: PersonPicker
        person_id: int | None

        @property
        def control(self) -> PersonPicker:
            return self.picker

    def __init__(self, label: str, *, id: str, optional: bool = False) -> None:
        super().__init__(id=id)
        self.label = label
        self.optional = optional
        self.index: PeopleIndex | None = None
        self.people: Mapping[int, Person] = {}
        self.chosen: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="picker-label", markup=False)
        yield Static(self._chosen_content(), classes="picker-chosen")
        placeholder = "输入姓名、拼音或首字母查找" + ("（可不填）" if self.optional else "")
        yield SafeInput("", placeholder=placeholder, classes="picker-search", compact=True)
        yield OptionList(classes="picker-matches")

    @property
    def search_field(self) -> SafeInput:
        return self.query_one(".picker-search", SafeInput)

    @property
    def matches(self) -> OptionList:
        return self.query_one(".picker-matches", OptionList)

    def set_people(self, index: PeopleIndex, people: Mapping[int, Person]) -> None:
        self.index = index
        self.people = people
        self._show_chosen()

    def choose(self, person_id: int | None) -> None:
        self.chosen = person_id
        self._show_chosen()
        self.remove_class("-searching")
        self.post_message(self.Chosen(self, person_id))

    def _show_chosen(self) -> None:
        self.query_one(".picker-chosen", Static).update(self._chosen_content())

    def _chosen_content(self) -> Content:
        if self.chosen is None:
            return Content.styled("（未选择）" if not self.optional else "（无）", "dim")
        person = self.people.get(self.chosen)
        return Content.assemble(("已选：", "$text-success"), person_line(person)) if person else Content.styled(
            f"人员 {self.chosen}", "dim")

    @on(SafeInput.Changed, ".picker-search")
    def search(self, event: SafeInput.Changed) -> None:
        event.stop()
        matches = self.matches
        query = event.value.strip()
        if not query or self.index is None:
            self.remove_class("-searching")
            return
        found = [c.person_id for c in self.index.search(query, MAX_MATCHES)]
        options = [Option(person_line(self.people[pid]), id=f"person-{pid}") for pid in found if pid in self.people]
        if self.optional:
            options.append(Option(Content.styled("（不指定）", "dim"), id="person-none"))
        matches.set_options(options)
        if options:
            matches.highlighted = 0
        self.set_class(bool(options), "-searching")

    @on(SafeInput.Submitted, ".picker-search")
    def take_first(self, event: SafeInput.Submitted) -> None:
        event.stop()
        matches = self.matches
        if self.has_class("-searching") and matches.option_count:
            self._take(matches.get_option_at_index(matches.highlighted or 0).id)

    @on(OptionList.OptionSelected, ".picker-matches")
    def take_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option.id)

    def _take(self, option_id: str | None) -> None:
        if option_id is None:
            return
        value = option_id.removeprefix("person-")
        self.choose(None if value == "none" else int(value))
        self.search_field.value = ""
        self.search_field.focus()

    def on_key(self, event: events.Key) -> None:
        """Down from the search field goes into the matches."""
        if event.key == "down" and self.has_class("-searching") and self.search_field.has_focus:
            event.stop()
            self.matches.focus()
