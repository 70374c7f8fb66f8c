"""Documents a 机关 would sign (issue #13), checked from the DOCX files the demo's records export to: pages that
cannot be swapped (第 N 页 共 M 页 and the 校验码 in every page's footer, signatures kept with the last rows, no
interviewee signature line on the internal copy), official words only (no internal codes, no "tanxin verify"),
no paragraph printed twice, the reason in the 诫勉通知书 and the 函询 letter, GB/T 9704 details."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import PASSPHRASE, run_cli
from document_helpers import YEAR, paragraphs
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from notes.unlock import open_database

# "〔004 三.1〕" is an internal code; "青发改机党〔2026〕16号", a 文号 with its year, is not.
INTERNAL_CODE = re.compile(r"\d{3} [一二三四五六七八九十]|篇\d|\d{3} 第|〔\d{3}(?!\d)")
SIGNATURE_DATE = "年\u3000\u3000月\u3000\u3000日"


@pytest.fixture(scope="module")
def exported(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of each document of the demo, exported through the CLI as a user would."""
    import shutil

    folder = tmp_path_factory.mktemp("pages")
    db = folder / "demo.db"
    shutil.copy2(demo_template, db)
    shutil.copy2(demo_template.with_name("demo.db.key"), folder / "demo.db.key")
    with open_database(db, passphrase=PASSPHRASE, use_keyring=False) as store:
        def code(where: str) -> str:
            return str(store.scalar(f"SELECT code FROM talks WHERE {where} AND status = 'sealed' ORDER BY id LIMIT 1"))

        codes = {
            "record": code("talk_type = 'routine'"),
            "appointment": code("talk_type = 'appointment'"),
            "retirement": code("talk_type = 'retirement'"),
            "reminder": code("talk_type = 'reminder' AND channel <> '函询'"),
            "admonition": code("talk_type = 'admonition'"),
            "inquiry": code("channel = '函询'"),
        }
    base = ["--db", str(db)]
    out: dict[str, Path] = {}
    jobs = {
        "record": ["export", "record", codes["record"]],
        "internal": ["export", "record", codes["record"], "--internal"],
        "appointment": ["export", "record", codes["appointment"]],
        "retirement": ["export", "record", codes["retirement"]],
        "reminder": ["export", "record", codes["reminder"]],
        "admonition": ["export", "record", codes["admonition"]],
        "notice": ["export", "notice", codes["admonition"]],
        "inquiry": ["export", "inquiry", codes["inquiry"]],
        "report": ["report", "--year", str(YEAR)],
        "handbook": ["export", "handbook", "--year", str(YEAR)],
    }
    for name, args in jobs.items():
        out[name] = folder / f"{name}.docx"
        result = run_cli([*base, *args, "--out", str(out[name])])
        assert result.exit_code == 0, (name, result.stderr)
    out["ledger"] = folder / "ledger.xlsx"
    assert run_cli([*base, "export", "ledger", "--year", str(YEAR), "--out", str(out["ledger"])]).exit_code == 0
    return out


TALK_DOCUMENTS = ("record", "internal", "appointment", "retirement", "reminder", "admonition", "notice", "inquiry")


def _all_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.startswith("word/") and name.endswith(".xml"))


def _footers(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(name).decode("utf-8") for name in archive.namelist() if name.startswith("word/footer")]


@pytest.mark.parametrize("name", TALK_DOCUMENTS)
def test_every_page_says_which_page_of_how_many_and_of_which_record(exported: dict[str, Path], name: str) -> None:
    path = exported[name]
    document = Document(str(path))
    footer = document.sections[0].footer
    assert not footer.is_linked_to_previous and not document.settings.odd_and_even_pages_header_footer
    text = "".join(re.sub(r"<[^>]+>", "", str(footer._element.xml)).split())
    assert re.search(r"第PAGE\d*页共NUMPAGES\d*页$", text), text
    body_code = next((line for line in paragraphs(path) if line.startswith("校验码：")), "")
    assert body_code and body_code in footer.paragraphs[0].text  # the same 校验码, on every page


@pytest.mark.parametrize("name", [*TALK_DOCUMENTS, "report", "handbook"])
def test_official_words_only(exported: dict[str, Path], name: str) -> None:
    text = "\n".join(paragraphs(exported[name])) + "\n".join(_footers(exported[name]))
    assert not INTERNAL_CODE.search(text), INTERNAL_CODE.search(text)
    assert "tanxin" not in text.lower()


def test_the_ledger_and_report_cite_documents_by_name(exported: dict[str, Path]) -> None:
    workbook = load_workbook(exported["ledger"])
    cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(INTERNAL_CODE.search(value) for value in cells)
    sources = [str(row[9].value) for row in workbook["覆盖情况"].iter_rows(min_row=2)]
    assert sources and all(source.startswith("《") for source in sources)
    report = "\n".join(paragraphs(exported["report"]))
    assert "《关于进一步规范市级机关党组织落实谈心谈话制度的实施意见》" in report


@pytest.mark.parametrize("name", TALK_DOCUMENTS)
def test_no_paragraph_is_printed_twice(exported: dict[str, Path], name: str) -> None:
    lines = [line.strip() for line in paragraphs(exported[name]) if line.strip()]
    lines = [line for line in lines if not line.endswith(SIGNATURE_DATE)]  # each signer's blank date
    # The 函询 file holds two papers: the letter, and the reply form the person sends back (which names the
    # letter's number, questions and date again, as the form it is).
    parts = [lines[: lines.index("函询回复表")], lines[lines.index("函询回复表"):]] if name == "inquiry" else [lines]
    for part in parts:
        repeated = {line for line in part if part.count(line) > 1}
        assert not repeated, repeated


def test_signatures_are_kept_with_the_last_rows(exported: dict[str, Path]) -> None:
    for name in ("record", "reminder", "admonition", "appointment"):
        document = Document(str(exported[name]))
        form, signatures = document.tables[0], document.tables[-1]
        assert "签字" in signatures.rows[0].cells[0].text
        for row in form.rows[-3:]:
            assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
            assert all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)


def test_the_internal_copy_has_no_interviewee_signature(exported: dict[str, Path]) -> None:
    internal = "\n".join(paragraphs(exported["internal"]))
    assert "谈话对象（签字）" not in internal and "谈话人（签字）" in internal and "记录人（签字）" in internal
    assert "谈话对象（签字）" in "\n".join(paragraphs(exported["record"]))


def test_titles_follow_the_talk_type(exported: dict[str, Path]) -> None:
    titles = {name: next(line for line in paragraphs(exported[name]) if line.strip() and "演示数据" not in line)
              for name in ("record", "appointment", "retirement", "reminder", "admonition")}
    assert titles == {"record": "谈心谈话记录表", "appointment": "任职谈话记录", "retirement": "退休谈话记录",
                      "reminder": "提醒谈话记录表", "admonition": "诫勉谈话记录"}


def test_the_reason_is_in_the_notice_and_the_letter(exported: dict[str, Path]) -> None:
    with open_database(exported["record"].parent / "demo.db", passphrase=PASSPHRASE, use_keyring=False) as store:
        problem = store.scalar("SELECT e.text FROM entries e JOIN talks t ON t.id = e.talk_id WHERE "
                               "t.talk_type = 'admonition' AND e.kind = '发现问题' AND e.confidential = 0")
        sent = store.scalar("SELECT sent_on FROM inquiries")
    notice = [line for line in paragraphs(exported["notice"]) if line.strip()]
    assert any(str(problem).rstrip("。") in line for line in notice)
    assert any("决定对你予以诫勉" in line for line in notice) and any(line.startswith("本人签收") for line in notice)
    letter = paragraphs(exported["inquiry"])
    assert any("函询" in line for line in letter) and any(line.startswith("1.") or "请就" in line for line in letter)
    year, month, day = (int(part) for part in str(sent).split("-"))
    assert f"{year}年{month}月{day}日" in letter  # dated the day it was sent


def test_gb_9704_details(exported: dict[str, Path]) -> None:
    for name in ("report", "handbook"):  # 公文: "— N —" at the outside edge, odd right, even left
        document = Document(str(exported[name]))
        assert document.settings.odd_and_even_pages_header_footer
        section = document.sections[0]
        assert " PAGE " in str(section.even_page_footer._element.xml)
    assert 'w:name="仿宋_GB2312"' in _all_xml(exported["record"])
    assert 'w:altName w:val="仿宋"' in _all_xml(exported["record"])  # a fallback where it is missing
    xml = _all_xml(exported["notice"])
    assert 'w:type="lines"' in xml and 'w:linePitch="579"' in xml  # 22 lines a page


ISSUED_DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")  # GB/T 9704 7.3.5.4: 2026年12月5日, no leading zeros
CHARACTER = 16.0  # 3号, in points


def _width(text: str) -> float:
    """Points a line of 3号 takes: a Chinese character 16, a digit or Latin letter 8, and 4 where digits meet
    Chinese characters (Word's and LibreOffice's automatic spacing: "2026 年 9 月")."""
    boundaries = len(re.findall(r"(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])", text))
    return sum(CHARACTER / 2 if char.isascii() else CHARACTER for char in text) + boundaries * CHARACTER / 4


@pytest.mark.parametrize("name", ["notice", "inquiry", "report"])
def test_the_organisation_signs_centred_on_the_date(exported: dict[str, Path], name: str) -> None:
    """GB/T 9704-2012 7.3.5.1 (a sealed document): the 成文日期 right-aligned four characters in from the margin,
    the 发文机关署名 on the line above centred on it, two blank lines under the body for the seal's top, and the
    lot kept with the body's last lines."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document(str(exported[name]))
    body = document.paragraphs
    issued = next(i for i, p in enumerate(body) if p.style is not None and p.style.style_id == "TxSignOff")
    issuer, date = body[issued - 1], body[issued]
    assert ISSUED_DATE.match(date.text), date.text
    assert issuer.style is not None and issuer.style.style_id == "TxIssuer" and issuer.text.strip()
    for line in (issuer, date):
        assert line.style is not None and line.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert line.paragraph_format.alignment in (None, WD_ALIGN_PARAGRAPH.RIGHT)
    assert date.style is not None
    date_indent = date.paragraph_format.right_indent or date.style.paragraph_format.right_indent
    issuer_indent = issuer.paragraph_format.right_indent
    assert date_indent is not None and issuer_indent is not None
    # Centres measured from the right margin. The demo's 青川市发展和改革委员会机关党委 is too long to centre on a
    # date four characters in: it ends two characters from the margin and the date moves left under it.
    assert issuer_indent.pt + _width(issuer.text) / 2 == pytest.approx(date_indent.pt + _width(date.text) / 2, abs=0.1)
    assert date_indent.pt >= 4 * CHARACTER - 0.1 and issuer_indent.pt >= 2 * CHARACTER - 0.1
    assert date_indent.pt == pytest.approx(4 * CHARACTER) or issuer_indent.pt == pytest.approx(2 * CHARACTER)
    blank = body[issued - 3: issued - 1]
    assert [p.text for p in blank] == ["", ""]
    last_body = body[issued - 4]
    assert last_body.text.strip()
    assert all(p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next  # type: ignore[union-attr]
               for p in [last_body, *blank, issuer])


def test_a_long_name_over_a_short_date(tmp_path: Path) -> None:
    """A name a little longer than the date centres on it, the date four characters in; a much longer one ends two
    characters from the right margin with the date centred under it; a unit's template made from an older
    built-in one (落款 on both lines) is placed the same way, and a third 落款 line is not taken for a name."""
    from notes.documents.docxfile import choose_template
    from notes.documents.signoff import place_sign_off

    document = Document(str(choose_template(None, "report").path))
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    long_name = document.add_paragraph("民进青川市委机关支部", style="落款")  # an older template
    date = document.add_paragraph("2026年12月5日", style="落款")
    too_long = document.add_paragraph("中国民主促进会青川市委员会机关第一支部委员会办公室", style="发文机关署名")
    document.add_paragraph("2026年1月1日", style="落款")
    document.add_paragraph("2026年1月2日", style="落款")  # under a date, not under a name: left alone
    place_sign_off(document)
    indent = long_name.paragraph_format.right_indent
    assert indent is not None
    assert indent.pt + _width(long_name.text) / 2 == pytest.approx(4 * CHARACTER + _width(date.text) / 2, abs=0.1)
    assert date.paragraph_format.right_indent is None  # the date keeps its style's four characters
    assert too_long.paragraph_format.right_indent is not None
    assert too_long.paragraph_format.right_indent.pt == pytest.approx(2 * CHARACTER)
    moved = document.paragraphs[-2].paragraph_format.right_indent
    assert moved is not None
    assert moved.pt == pytest.approx(2 * CHARACTER + (_width(too_long.text) - _width("2026年1月1日")) / 2)
    assert document.paragraphs[-1].paragraph_format.right_indent is None
