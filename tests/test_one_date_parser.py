"""One date reader for what a user types and what a roster holds (#14 item 4): notes/dates.py reads the text for the
command line, the app's date fields and prep/roster/cells.py alike, so the same text is the same day everywhere
both accept it, and is refused for the same reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.dates import parse_day, read_day, read_moment, read_written_date
from prep.roster import parse_roster_date
from tui.commands.common import DAY

TODAY = date(2026, 11, 22)  # the day tests/conftest.py pins the CLI's clock to


def _cli_day(text: str) -> date:
    return DAY.convert(text, None, None)


def _roster(text: str) -> str | None:
    try:
        return parse_roster_date(text, TODAY)
    except ValueError:
        return None


@pytest.mark.parametrize(
    "text",
    ["1985-03-01", "1985-3-1", "1985/03/01", "1985/3/1", "1985.03.01", "1985.3.1", "1985.3.1.", "1985年3月1日",
     "1985年3月1号", "1985年3月1", "1985 年 3 月 1 日", "19850301", "１９８５－０３－０１", "１９８５年３月１日",
     " 1985 / 3 / 1 ",
     # separators mixed as rosters mix them, a 日 after a separated day, spaces alone between the parts
     "1985.3.1日", "1985-3-1日", "1985年03-01", "1985-03.01", "1985/03-01", "1985-3月1日", "1985 03 01"],
)
def test_a_day_typed_and_a_day_in_a_roster_cell_are_the_same_day(text: str) -> None:
    assert read_day(text) == _cli_day(text) == date(1985, 3, 1)
    assert parse_roster_date(text, TODAY) == "1985-03-01"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2026-02-30", "2026年2月没有30日"), ("2025年2月29日", "2025年2月没有29日"), ("1985.13.01", "月份 13 不存在"),
     ("1985年0月1日", "月份 0 不存在"), ("1985", "只有年份"), ("十月一日", "无法识别的日期")],
)
def test_a_day_that_does_not_exist_is_refused_for_the_same_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_day(text, TODAY)
    with pytest.raises(ValueError, match=reason):
        parse_roster_date(text, TODAY)


@pytest.mark.parametrize(
    "text", ["1985.03", "1985-3", "1985/03", "1985年3月", "1985年3", "198503", "1985.3.", "1985.3月", "1985-03-",
             "1985 03", "１９８５　３"],
)
def test_a_month_alone_is_enough_for_a_roster_and_not_for_a_day(text: str) -> None:
    assert parse_roster_date(text, TODAY) == "1985-03"
    assert read_written_date(text).day is None
    with pytest.raises(ValueError, match="缺少日"):
        parse_day(text, TODAY)


def test_what_only_one_side_accepts_is_said_so() -> None:
    # A day without its year is this year's for a talk, and no birth date at all.
    assert read_day("3月1日", TODAY) == date(2026, 3, 1)
    with pytest.raises(ValueError, match="缺少年份"):
        parse_roster_date("3月1日", TODAY)
    # A spreadsheet's date-time cell saved as text: the roster keeps the day, a moment field reads both.
    for text in ("1985-03-01 00:00:00", "1985-03-01 08:30:00.000", "1985年3月1日 8时30分"):
        moment = read_moment(text)
        assert moment is not None and parse_roster_date(text, TODAY) == moment.date().isoformat() == "1985-03-01"
        assert read_day(text) is None
    # What only a cell holds: an Excel serial, a date value, a number as Excel shows it.
    assert parse_roster_date((date(1985, 3, 1) - date(1899, 12, 30)).days, TODAY) == "1985-03-01"
    assert parse_roster_date(datetime(1985, 3, 1, 9, 0), TODAY) == "1985-03-01"
    assert parse_roster_date(1985.1, TODAY) == parse_roster_date("1985.1", TODAY) == "1985-01"
    # A person's dates lie between 1900 and today; a talk may be planned ahead.
    assert read_day("2026-12-01") == date(2026, 12, 1) and _roster("2026-12-01") is None
    assert read_day("1899-12-31") == date(1899, 12, 31) and _roster("1899-12-31") is None


@st.composite
def written_days(draw: st.DrawFn) -> tuple[str, date]:
    """A day in one of the ways people write it, with the padding, suffixes, spaces and full-width characters
    they use."""
    day = draw(st.dates(date(1900, 1, 1), TODAY))
    month_text = draw(st.sampled_from([str(day.month), f"{day.month:02d}"]))
    day_text = draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    space = draw(st.sampled_from(["", " "]))
    form = draw(st.sampled_from(["separated", "chinese", "packed"]))
    if form == "separated":
        # Each separator chosen on its own: rosters mix them within one date (1985年03-01).
        first, second = (space + draw(st.sampled_from(seps)) + space for seps in ("-/.年", "-/.月"))
        suffix = draw(st.sampled_from(["", "日", "号"]))
        text = f"{day.year}{first}{month_text}{second}{day_text}{suffix}"
    elif form == "chinese":
        text = f"{day.year}{space}年{space}{month_text}{space}月{space}{day_text}{draw(st.sampled_from(['', '日', '号']))}"
    else:
        text = day.strftime("%Y%m%d")
    if draw(st.booleans()):
        text = text.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})  # typed with a full-width IME
    return text, day


@given(written_days())
def test_every_written_day_reads_the_same_through_both(case: tuple[str, date]) -> None:
    text, day = case
    assert read_day(text) == day
    assert parse_roster_date(text, TODAY) == day.isoformat()


# Text that looks like a date and often is not one: mixed separators, missing parts, impossible months and days.
# Five digits alone are an Excel serial in a cell (19000 is 1952-01-07), which only a roster holds.
NEAR_DATES = st.from_regex(r"\A ?(19|20)\d\d ?[-/.年 ]? ?\d{1,2} ?([-/.月 ] ?\d{0,2} ?[日号月]?)?\.? ?\Z").filter(
    lambda text: not text.strip().isdigit() or len(text.strip()) != 5
)


@given(NEAR_DATES)
def test_where_both_accept_a_text_they_agree(text: str) -> None:
    typed = read_day(text)
    cell = _roster(text)
    if cell is not None and len(cell) == len("1985-03-01"):
        assert typed == date.fromisoformat(cell), text
    if cell is not None and len(cell) == len("1985-03"):
        assert typed is None and read_written_date(text).day is None, text
    if typed is not None:
        # A day typed with its year is the roster's day, unless no person's date can be on it.
        assert cell == (typed.isoformat() if date(1900, 1, 1) <= typed <= TODAY else None), text
