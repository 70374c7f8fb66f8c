"""`tanxin roster-template`: the template's headers are the ones import recognises, its sample row is skipped and
said so, it never overwrites a file unasked, and a filled template imports (template → fill → import)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import PASSPHRASE, run_cli

from notes.store import Store
from notes.unlock import open_database
from prep.roster.parse import header_field
from prep.roster.terms import UNUSED


def fill(path: Path, title: str | None, people: list[dict[str, str]]) -> None:
    """Type people into the template from row 4 on, each value under the header that names it."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    sheet = workbook["花名册"]
    headers = [str(cell.value) for cell in sheet[2]]
    if title is not None:
        sheet["A1"] = title
    for offset, person in enumerate(people):
        for header, value in person.items():
            sheet.cell(row=4 + offset, column=headers.index(header) + 1, value=value)
    workbook.save(path)


def test_template_headers_are_all_recognised(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for extra in ([], ["--minjin"]):
        out = tmp_path / f"t{len(extra)}.xlsx"
        result = run_cli(["roster-template", str(out), *extra])
        assert result.exit_code == 0, result.stderr
        workbook = load_workbook(out)
        assert workbook.sheetnames == ["花名册", "填写说明"]
        sheet = workbook["花名册"]
        headers = [str(cell.value) for cell in sheet[2]]
        assert headers[0] == "序号" and header_field("序号", {}) == UNUSED
        assert all(header_field(h, {}) not in (None, UNUSED) for h in headers[1:])
        assert str(sheet["B3"].value).startswith("示例")
        assert ("入会时间" in headers) == bool(extra) and ("入党时间" in headers) != bool(extra)


def test_template_never_overwrites_unasked(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    out.write_bytes(b"my own file")
    refused = run_cli(["roster-template", str(out)])
    assert refused.exit_code == 1 and "已存在" in refused.stderr and "--force" in refused.stderr
    assert out.read_bytes() == b"my own file"
    forced = run_cli(["roster-template", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    wrong = run_cli(["roster-template", str(tmp_path / "模板.xls")])
    assert wrong.exit_code == 1 and ".xlsx" in wrong.stderr
    assert not list(tmp_path.glob(".*partial"))


def test_template_round_trip(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    out = tmp_path / "花名册模板.xlsx"
    assert run_cli(["roster-template", str(out)]).exit_code == 0
    fill(out, "青川市审计局机关党委党员花名册", [
        {"姓名": "陈 静", "性别": "女", "出生年月": "1968.05", "入党时间": "1992.06", "所在党支部": "机关第一党支部",
         "现任职务": "局长", "人员类别": "班子成员", "班子职务": "书记"},
        {"姓名": "刘洋", "性别": "男", "出生年月": "1972.10", "所在党支部": "机关第一党支部", "人员类别": "班子成员",
         "分管单位": "机关第一党支部"},
        {"姓名": "孙伟", "性别": "男", "出生年月": "1980.11", "所在党支部": "机关第一党支部", "人员类别": "中层正职"},
    ])
    dry = run_cli(["--db", str(db_path), "import-roster", str(out), "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert "共 3 人（跳过 1 行：模板中的示例行）" in dry.stdout and "将新增 3 人" in dry.stdout
    done = run_cli(["--db", str(db_path), "import-roster", str(out)])
    assert done.exit_code == 0, done.stderr
    assert "已新建上级组织「青川市审计局机关党委」" in done.stdout
    people = {p["name"]: p for p in json.loads(run_cli(["--db", str(db_path), "people", "--json"]).stdout)}
    assert set(people) == {"陈静", "刘洋", "孙伟"}  # never the sample 王明
    assert {"主要负责同志", "班子成员"} <= set(people["陈静"]["roles"])
    assert "分管" in people["刘洋"]["roles"] and "部门负责人" in people["孙伟"]["roles"]
    # The month typed into the template's text cells stays October (as a number 1972.10 would read 1972.1).
    with open_database(db_path, passphrase=PASSPHRASE, use_keyring=False) as reopened:
        assert reopened.scalar("SELECT birth_date FROM people WHERE name = '刘洋'") == "1972-10"


def test_unnamed_template_title_does_not_name_the_organisation(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    out = tmp_path / "t.xlsx"
    run_cli(["roster-template", str(out)])
    fill(out, None, [{"姓名": "甲", "出生年月": "1970.01", "所在党支部": "第一党支部"}])
    done = run_cli(["--db", str(db_path), "import-roster", str(out)])
    assert done.exit_code == 0, done.stderr
    assert "已新建上级组织「本组织」" in done.stdout
