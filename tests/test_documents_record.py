"""The documents of one talk, read back with python-docx: the record for signature and its internal copy, the
提醒 and 诫勉 forms, the 诫勉通知书, the 函询 letter; GB/T 9704 page and fonts; 保密 entries; escaping; templates."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli
from document_helpers import (
    CONTROL_CLEAN,
    SECRETS,
    SPECIAL,
    Org,
    docx_parts_xml,
    footer_xml,
    full_text,
    header_text,
    make_org,
    paragraphs,
    rich_talk,
    table_cell_after,
)
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from procedure_helpers import DECIDED_BY, DECISION_NUMBER, REASON, admonition_talk

from notes.documents import DocumentFonts, render_inquiry, render_notice, render_record
from notes.documents.docxfile import TEMPLATE_FILES, choose_template, render_template
from notes.documents.text import chinese_date, chinese_time_span, clean_text
from notes.errors import InvalidInput, NotFound
from notes.procedure import set_procedure
from notes.resources import templates_dir
from notes.store import Store
from prep.active import policy_facts

REPO = Path(__file__).resolve().parent.parent
DEFAULT_FONTS = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}
FORM_KINDS = {"record", "reminder", "admonition", "notice", "inquiry"}


@pytest.fixture
def org(store: Store) -> Org:
    return make_org(store)


@pytest.fixture
def talk(store: Store, org: Org) -> int:
    return rich_talk(store, org)


def _record(store: Store, talk_id: int, tmp_path: Path, name: str = "record.docx", **options: object) -> Path:
    out = tmp_path / name
    render_record(store, talk_id, out, facts=policy_facts(store), **options)  # type: ignore[arg-type]
    return out


# -- the record for signature --------------------------------------------------------------------------------


def test_record_has_every_field_and_the_signature_blocks(store: Store, talk: int, tmp_path: Path) -> None:
    out = _record(store, talk, tmp_path)
    text = full_text(out)
    assert paragraphs(out)[1] == "谈心谈话记录表"  # after the (empty) header line
    assert "单位：机关第一党支部\t编号：TX-2026-0001" in text
    assert table_cell_after(out, "谈话人") == "青川市发改委机关党委·机关党委书记·王书记"
    assert table_cell_after(out, "谈话对象") == "机关第一党支部·办公室主任·李明"
    assert table_cell_after(out, "记录人") == "青川市发改委机关党委·党办干事·赵干事"
    assert table_cell_after(out, "谈话时间") == "2026年3月12日14时30分至15时20分"
    assert table_cell_after(out, "谈话地点") == "三楼小会议室"
    assert table_cell_after(out, "谈话类型") == "日常谈话"
    assert table_cell_after(out, "谈话形式") == "个别·面对面"
    assert table_cell_after(out, "谈话类别") == "日常工作类"
    assert table_cell_after(out, "事由/主题") == f"了解近期思想和工作情况 {SPECIAL}"
    content = table_cell_after(out, "主要内容")
    # grouped by heading, in order of first appearance, each heading once
    assert content.index("谈思想") < content.index("谈生活") < content.index("谈作风")
    assert "家中老人生病" in content and "存在工作作风不够扎实" in content
    assert table_cell_after(out, "谈话对象表态") == "服从组织安排。\n表示认识到问题，愿意认真整改。"
    assert table_cell_after(out, "意见建议") == "建议加强处室之间的协调。"
    requirements = table_cell_after(out, "整改要求与时限")
    assert "严格遵守廉洁纪律" in requirements and "整改工作作风问题（时限：2026年4月30日前）" in requirements
    assert "整改工作作风问题：待办" in table_cell_after(out, "跟踪落实情况")
    assert "记录内容已经谈话对象确认" in table_cell_after(out, "备注")
    for signer in ("谈话人（签字）：", "谈话对象（签字）：", "记录人（签字）："):
        assert text.count(signer) == 1
    assert text.count("年\u3000\u3000月\u3000\u3000日") == 3  # a blank date under each signature
    assert "校验码：" in text


def test_confidential_entries_never_reach_the_copy_for_signature(store: Store, talk: int, tmp_path: Path) -> None:
    out = _record(store, talk, tmp_path)
    every_part = "\n".join(docx_parts_xml(out))
    for secret in SECRETS:
        assert secret not in every_part
        assert secret not in full_text(out)
    assert "内部存档·保密" not in every_part and "【保密】" not in every_part
    # the follow-up raised from a 保密 entry is listed without its content
    assert "整改事项（涉及保密内容，详见内部存档件）" in table_cell_after(out, "整改要求与时限")


def test_internal_copy_includes_and_marks_confidential_entries(store: Store, talk: int, tmp_path: Path) -> None:
    out = _record(store, talk, tmp_path, internal=True)
    assert header_text(out).strip() == "内部存档·保密"
    text = full_text(out)
    for secret in SECRETS:
        assert "【保密】" in text and secret in text
    content = table_cell_after(out, "主要内容")
    assert f"【保密】{SECRETS[0]}" in content
    assert f"【保密】（困难诉求）{SECRETS[1]}" in content
    assert f"【保密】{SECRETS[2]}" in table_cell_after(out, "整改要求与时限")
    assert "本件为内部存档件，含保密内容 3 条" in table_cell_after(out, "备注")


def test_special_characters_survive_and_control_characters_are_removed(
    store: Store, talk: int, tmp_path: Path
) -> None:
    out = _record(store, talk, tmp_path)
    content = table_cell_after(out, "主要内容")
    assert SPECIAL in content  # & < > " ' and a literal {{ place }} print as typed
    assert CONTROL_CLEAN in content
    document_xml = next(docx_parts_xml(out))
    for char in ("\x00", "\x1b", "\x07", "\u202e", "\u2066", "\x85"):
        assert char not in document_xml
    assert "{{ place }}" in full_text(out)  # user text is never run as a template


def test_clean_text_rules() -> None:
    assert clean_text("a\r\nb\rc\td\ne") == "a\nb\nc\td\ne"
    assert clean_text("x\ud800y\udfffz") == "x\ufffdy\ufffdz"
    assert clean_text("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069ok\ufffe\uffff\x7f\x9f") == "ok"
    assert clean_text(None) == "" and clean_text(12) == "12"


def test_lone_surrogates_are_replaced_not_fatal(tmp_path: Path) -> None:
    out = tmp_path / "surrogate.docx"
    context = {"title": "报告\ud800标题", "addressee": "", "opening": "", "overview": "", "by_type": [],
               "by_category": [], "by_form": [], "by_channel": [], "coverage_summary": "", "coverage": [],
               "followup_summary": "", "followups": [], "next_steps": "", "issuer": "", "issue_date": "",
               "internal_mark": ""}
    render_template(choose_template(None, "report"), context, out, fonts=DocumentFonts())
    assert "报告\ufffd标题" in full_text(out)


def test_dates_are_written_the_chinese_way() -> None:
    assert chinese_date("2026-03-02") == "2026年3月2日"
    assert chinese_date("2026-12-31T08:05:00") == "2026年12月31日"
    assert chinese_time_span("2026-03-12T14:30:00", "2026-03-12T15:05:00") == "2026年3月12日14时30分至15时05分"
    assert chinese_time_span("2026-03-12T23:30:00", "2026-03-13T00:10:00") == (
        "2026年3月12日23时30分至2026年3月13日0时10分"
    )
    assert chinese_time_span("2026-03-12", None) == "2026年3月12日"


# -- page and fonts (GB/T 9704-2012) ---------------------------------------------------------------------------


def _twips(length: int | None) -> int:
    assert length is not None, "the template leaves a page size or margin unset"
    return round(length / 635)


@pytest.mark.parametrize("kind", sorted(TEMPLATE_FILES))
def test_templates_use_a4_gb_margins_page_numbers_and_chinese_fonts(kind: str) -> None:
    path = templates_dir() / "docx" / TEMPLATE_FILES[kind]
    document = Document(str(path))
    section = document.sections[0]
    assert (_twips(section.page_width), _twips(section.page_height)) == (_twips(Mm(210)), _twips(Mm(297)))
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(_twips(m) for m in margins) == tuple(_twips(Mm(v)) for v in (37, 35, 28, 26))
    footer = footer_xml(path)
    if kind in FORM_KINDS:  # a talk's documents: 第 N 页 共 M 页 beside the 校验码 on every page
        assert "第 " in footer and " PAGE " in footer and " 页 共 " in footer and " NUMPAGES " in footer
        assert "{{ check_code }}" in footer
    else:  # GB/T 9704: "— N —" at the outside edge, odd pages right, even pages left
        assert "— " in footer and " PAGE " in footer and " —" in footer
        assert document.settings.odd_and_even_pages_header_footer
        even = document.sections[0].even_page_footer.paragraphs[0]
        assert " PAGE " in str(even._p.xml) and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert document.sections[0].footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    grid = section._sectPr.find(qn("w:docGrid"))
    if kind not in ("record", "reminder", "admonition"):  # 公文 text: 22 lines of 28 characters
        assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
        spacing = document.styles["公文正文"].element.rPr.find(qn("w:spacing"))
        assert 28 * (16 + int(spacing.get(qn("w:val"))) / 20) <= Mm(156).pt
    # Tables, notes and footers keep their own size: only the 公文 body styles sit on the grid.
    assert document.styles["表格文字"].element.pPr.find(qn("w:snapToGrid")).get(qn("w:val")) == "0"
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(name.endswith("Theme") or name.endswith("theme") for name in fonts.attrib), fonts.attrib
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    used = {p.style.name for p in document.paragraphs if p.style is not None}
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                used.update(p.style.name for p in cell.paragraphs)
    for name in used:
        style = document.styles[name]
        east_asia = style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        assert east_asia in DEFAULT_FONTS, (name, east_asia)
    title = document.styles["公文标题"]
    assert title.font.size.pt == 22
    assert title.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.styles["公文正文"].font.size.pt == 16
    assert document.styles["表格文字"].font.size.pt == 12
    assert document.styles["页码"].font.size.pt == 14
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert grid and all(int(col.get(qn("w:w"))) > 0 for col in grid)
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_configured_fonts_replace_the_template_fonts(store: Store, talk: int, tmp_path: Path) -> None:
    store.set_setting("document_fonts", {"title": "思源宋体", "body": "仿宋", "heading": "思源黑体", "kaiti": "楷体"})
    out = _record(store, talk, tmp_path)
    xml = "\n".join(docx_parts_xml(out))
    for old in ("方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"):
        assert old not in xml
    assert 'w:eastAsia="思源宋体"' in xml and 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="思源黑体"' in xml


def test_bad_font_setting_falls_back_and_is_reported(store: Store, talk: int, tmp_path: Path) -> None:
    # A wrong stored value must not stop an export (notes/settings.py): the defaults are used and the wrong
    # item is named where settings are shown (设置, tanxin config list).
    from notes.settings import load_settings

    store.set_setting("document_fonts", {"bodyy": "仿宋", "title": "思源宋体"})
    xml = "\n".join(docx_parts_xml(_record(store, talk, tmp_path)))
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="思源宋体"' in xml
    assert "bodyy" in load_settings(store).problems["document_fonts"]


def test_committed_templates_match_the_build_script(tmp_path: Path) -> None:
    script = REPO / "templates" / "docx" / "build_templates.py"
    code = f"import sys, pathlib; sys.path.insert(0, {str(script.parent)!r}); import build_templates; " \
           f"build_templates.build(pathlib.Path({str(tmp_path)!r}))"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    for name in TEMPLATE_FILES.values():
        for part in ("word/document.xml", "word/styles.xml"):
            with zipfile.ZipFile(tmp_path / name) as built, zipfile.ZipFile(templates_dir() / "docx" / name) as kept:
                assert built.read(part) == kept.read(part), f"{name} {part}: run templates/docx/build_templates.py"


# -- which form a talk type uses ---------------------------------------------------------------------------------


def test_reminder_talk_uses_the_reminder_form(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, talk_type="reminder")
    out = _record(store, talk_id, tmp_path)
    text = full_text(out)
    assert "提醒谈话记录表" in text
    reason = table_cell_after(out, "提醒事由")
    assert reason.startswith("了解近期思想和工作情况") and "存在工作作风不够扎实" in reason
    # The interviewee's rows hold what the interviewee said, not the interviewer's 汇总.
    explanation = table_cell_after(out, "本人说明")
    assert "近期工作进展顺利" in explanation and "家中老人生病" in explanation
    assert "思想总体稳定" not in explanation and "存在工作作风不够扎实" not in explanation
    assert table_cell_after(out, "本人表态") == "服从组织安排。\n表示认识到问题，愿意认真整改。"
    requirements = table_cell_after(out, "提醒要求")
    assert "严格遵守廉洁纪律" in requirements and "思想总体稳定，工作作风需改进。" in requirements
    assert "2026年4月30日前" in table_cell_after(out, "整改时限")
    assert all(secret not in text for secret in SECRETS)


def test_generated_subject_is_no_reason_and_export_says_how_to_add_one(
    store: Store, org: Org, tmp_path: Path
) -> None:
    """A 提醒事由 that only repeats "李明同志提醒谈话" tells the reader nothing: the record is not exported until the
    reason is given, in the user's words, and then it heads the 事由 row, followed by the problems."""
    talk_id = rich_talk(store, org, talk_type="reminder", subject="李明同志提醒谈话", sealed=False)
    with pytest.raises(InvalidInput, match=r"提醒谈话，还缺少：事由（谈话所针对的问题），不能导出。请用 tanxin "
                                           r"procedure set TX-2026-0001 --reason 事由 补充"):
        _record(store, talk_id, tmp_path)
    set_procedure(store, talk_id, reason=REASON)
    out = _record(store, talk_id, tmp_path)
    assert table_cell_after(out, "提醒事由") == f"{REASON}\n存在工作作风不够扎实的情况。"
    assert "李明同志提醒谈话" not in full_text(out)


def test_admonition_record_is_kept_out_of_the_dossier_and_signed_by_the_head(
    store: Store, org: Org, tmp_path: Path
) -> None:
    talk_id = admonition_talk(store, org)
    out = _record(store, talk_id, tmp_path)
    text = full_text(out)
    assert "诫勉谈话记录" in text and "由组织部门留存，不归入本人档案" in text
    assert table_cell_after(out, "诫勉事由") == f"{REASON}\n存在工作作风不够扎实的情况。"
    assert table_cell_after(out, "诫勉决定") == f"2026年3月9日{DECIDED_BY}决定（{DECISION_NUMBER}）"
    assert table_cell_after(out, "分析原因") == "未谈及"
    assert "近期工作进展顺利" in table_cell_after(out, "本人说明")
    assert "服从组织安排" in table_cell_after(out, "本人表态")
    measures = table_cell_after(out, "整改要求与时限")
    assert "严格遵守廉洁纪律" in measures and "2026年4月30日前" in measures
    for signer in ("谈话人（签字）：", "谈话对象（签字）：", "记录人（签字）：", "主要负责人（签字）："):
        assert signer in text
    assert all(secret not in text for secret in SECRETS)
    assert text.count("存在工作作风不够扎实") == 1


def test_admonition_causes_come_from_their_heading(store: Store, org: Org, tmp_path: Path) -> None:
    from notes import talks

    talk_id = admonition_talk(store, org, sealed=False)
    talks.add_entry(store, talk_id, heading="帮助干部分析原因，查找问题根源", kind="事实情况",
                    text="放松了理论学习，纪律意识淡薄。")
    out = _record(store, talk_id, tmp_path)
    assert table_cell_after(out, "分析原因") == "放松了理论学习，纪律意识淡薄。"
    assert "放松了理论学习" not in table_cell_after(out, "本人说明")


def test_admonition_notice(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = admonition_talk(store, org)
    out = tmp_path / "notice.docx"
    render_notice(store, talk_id, out, facts=policy_facts(store))
    lines = [line for line in paragraphs(out) if line.strip()]
    assert lines[0] == "诫勉通知书"
    assert lines[1] == DECISION_NUMBER and not any("TX-2026-0001" in line for line in lines)  # a 文号, no talk code
    assert "李明同志：" in lines
    assert f"因{REASON}，经{DECIDED_BY}于2026年3月9日研究，决定对你予以诫勉。现将需要整改的问题和整改要求通知如下：" in lines
    assert "（一）存在工作作风不够扎实的情况。" in lines
    assert "（一）严格遵守廉洁纪律，按期报告整改情况。" in lines
    assert "请于2026年5月31日前将整改情况书面报告组织。" in lines
    assert lines.index(DECIDED_BY) + 1 == lines.index("2026年3月9日")  # 落款: who decided, and when
    assert any(line.startswith("本人签收：") and line.endswith("年\u3000\u3000月\u3000\u3000日") for line in lines)
    assert "由组织部门留存，不归入本人档案" in lines
    assert all(secret not in full_text(out) for secret in SECRETS)
    # Problems and requirements once each: no paragraph of the notice repeats another.
    assert len(lines) == len(set(lines)), [line for line in lines if lines.count(line) > 1]
    assert sum("存在工作作风不够扎实" in line for line in lines) == 1


def test_notice_is_only_for_admonition_talks(store: Store, talk: int, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="不需要诫勉通知书"):
        render_notice(store, talk, tmp_path / "notice.docx", facts=policy_facts(store))
    assert not (tmp_path / "notice.docx").exists()


def test_inquiry_letter_and_reply_form(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, talk_type="reminder", channel="函询")
    out = tmp_path / "inquiry.docx"
    render_inquiry(store, talk_id, out, facts=policy_facts(store))
    text = full_text(out)
    assert "函询通知书" in text and "函询回复表" in text
    assert "李明同志：" in text
    assert "1. 请说明公务接待超标准的情况" in text and "2. 请说明整改打算" in text
    assert table_cell_after(out, "姓名") == "李明"
    assert table_cell_after(out, "本人说明") == "已按要求说明情况，今后严格执行接待标准。"
    assert table_cell_after(out, "发函日期") == "2026年3月12日"
    assert "由组织部门留存，不归入本人档案" in text
    assert "本人（签字）：" in text
    assert all(secret not in text for secret in SECRETS)


def test_inquiry_needs_a_talk_held_by_letter(store: Store, talk: int, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="不是以函询方式"):
        render_inquiry(store, talk, tmp_path / "inquiry.docx", facts=policy_facts(store))


def test_unsealed_record_has_no_check_code_and_says_so(store: Store, org: Org, tmp_path: Path) -> None:
    talk_id = rich_talk(store, org, sealed=False)
    out = _record(store, talk_id, tmp_path)
    assert "校验码" not in full_text(out)
    assert "本记录尚未封存" in table_cell_after(out, "备注")


def test_planned_talk_has_no_record(store: Store, org: Org, tmp_path: Path) -> None:
    from notes import talks

    talk_id = talks.create_talk(store, talk_type="routine", interviewers=[org.secretary], interviewees=[org.member])
    with pytest.raises(InvalidInput, match="尚未进行"):
        _record(store, talk_id, tmp_path)


def test_every_export_writes_an_audit_row(store: Store, talk: int, tmp_path: Path) -> None:
    _record(store, talk, tmp_path, internal=True)
    row = store.query_one("SELECT * FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1")
    assert row is not None and row["subject"] == "talk" and row["subject_id"] == talk
    detail = json.loads(row["detail"])
    assert detail["document"] == "record" and detail["internal"] is True and detail["file"] == "record.docx"
    assert not any(secret in row["detail"] for secret in SECRETS)


# -- a unit's own templates ---------------------------------------------------------------------------------------


def _template_with(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "own.docx"
    shutil.copy(templates_dir() / "docx" / "record.docx", path)
    document = Document(str(path))
    document.add_paragraph(extra)
    document.save(str(path))
    return path


def test_own_template_with_unknown_variables_is_refused_by_name(store: Store, talk: int, tmp_path: Path) -> None:
    template = _template_with(tmp_path, "{{ secret_entries }} {{ unitt }} {{ place }}")
    with pytest.raises(InvalidInput) as refused:
        _record(store, talk, tmp_path, template=template)
    assert "secret_entries" in refused.value.message and "unitt" in refused.value.message
    assert "place" not in refused.value.message.split("可用的变量")[0]
    assert not (tmp_path / "record.docx").exists()


def test_own_template_from_the_option_and_from_the_setting(store: Store, talk: int, tmp_path: Path) -> None:
    template = _template_with(tmp_path, "本单位自制：{{ unit }}，{{ place }}")
    out = _record(store, talk, tmp_path, template=template)
    assert "本单位自制：机关第一党支部，三楼小会议室" in full_text(out)
    store.set_setting("templates.record", str(template))
    out = _record(store, talk, tmp_path, name="from-setting.docx")
    assert "本单位自制：机关第一党支部" in full_text(out)


def test_own_template_cannot_escape_the_sandbox(store: Store, talk: int, tmp_path: Path) -> None:
    template = _template_with(tmp_path, "{{ unit.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(InvalidInput, match="无法填写"):
        _record(store, talk, tmp_path, template=template)


def test_missing_template_is_reported(store: Store, talk: int, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="找不到模板"):
        _record(store, talk, tmp_path, template=tmp_path / "nope.docx")


def test_not_a_docx_template_is_refused(store: Store, talk: int, tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不是可用的 DOCX 模板"):
        _record(store, talk, tmp_path, template=fake)


# -- the command line -----------------------------------------------------------------------------------------------


def test_cli_exports_record_notice_and_inquiry(demo_db: Path, tmp_path: Path) -> None:
    from conftest import PASSPHRASE

    from notes.unlock import open_database

    with open_database(demo_db, passphrase=PASSPHRASE, use_keyring=False) as store:
        sealed = store.query_one("SELECT code FROM talks WHERE status = 'sealed' AND talk_type = 'routine' "
                                 "ORDER BY id LIMIT 1")
        admonition = store.query_one("SELECT code FROM talks WHERE talk_type = 'admonition' "
                                     "AND status IN ('held', 'sealed') ORDER BY id LIMIT 1")
    assert sealed is not None
    out = tmp_path / "r.docx"
    result = run_cli(["--db", str(demo_db), "export", "record", sealed["code"], "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导出谈话记录" in result.output and out.exists()
    again = run_cli(["--db", str(demo_db), "export", "record", sealed["code"], "--out", str(out)])
    assert again.exit_code == 1 and "已存在" in again.stderr
    forced = run_cli(["--db", str(demo_db), "export", "record", sealed["code"], "--out", str(out), "--internal",
                      "--force"])
    assert forced.exit_code == 0 and "内部存档·保密" in header_text(out)
    if admonition is not None:
        notice = tmp_path / "n.docx"
        result = run_cli(["--db", str(demo_db), "export", "notice", admonition["code"], "--out", str(notice)])
        assert result.exit_code == 0, result.stderr
        assert "诫勉通知书" in full_text(notice)
    wrong = run_cli(["--db", str(demo_db), "export", "notice", sealed["code"], "--out", str(tmp_path / "x.docx")])
    assert wrong.exit_code == 1 and "不需要诫勉通知书" in wrong.stderr
    missing = run_cli(["--db", str(demo_db), "export", "record", "TX-1999-9999", "--out", str(tmp_path / "y.docx")])
    assert missing.exit_code == 1 and "没有编号" in missing.stderr


def test_cli_help_is_chinese() -> None:
    for args in (["export", "--help"], ["export", "record", "--help"], ["export", "ledger", "--help"],
                 ["report", "--help"]):
        result = run_cli(args)
        assert result.exit_code == 0
        assert "导出" in result.output or "报告" in result.output


def test_a_talk_by_letter_is_recorded_as_one(store: Store, org: Org, tmp_path: Path) -> None:
    """A 函询 has no time, place or note-taker: its record shows the letter's dates, questions and the reply."""
    talk_id = rich_talk(store, org, talk_type="reminder", channel="函询")
    out = _record(store, talk_id, tmp_path)
    text = full_text(out)
    assert "谈话时间" not in text and "谈话地点" not in text and "记录人\n" not in text
    assert table_cell_after(out, "发函日期") == "2026年3月12日"
    assert "请说明公务接待超标准的情况" in table_cell_after(out, "函询事项")
    assert table_cell_after(out, "本人书面说明") == "已按要求说明情况，今后严格执行接待标准。"
    face_to_face = _record(store, rich_talk(store, org, talk_type="reminder"), tmp_path, "face.docx")
    assert "谈话时间" in full_text(face_to_face) and "函询事项" not in full_text(face_to_face)


def test_a_problem_is_printed_once_even_with_its_follow_up(store: Store, org: Org, tmp_path: Path) -> None:
    """A 整改 raised from a problem the form prints is named by reference in 整改时限 and 跟踪落实情况."""
    from notes import followups, talks

    talk_id = rich_talk(store, org, talk_type="reminder", sealed=False)
    problem = next(e.id for e in talks.get_talk(store, talk_id).entries if e.kind == "发现问题")
    followups.followup_from_entry(store, problem, kind="整改", due_on="2026-04-15")
    out = _record(store, talk_id, tmp_path)
    assert "指出的问题（时限：2026年4月15日前）" in table_cell_after(out, "整改时限")
    assert "指出的问题：待办" in table_cell_after(out, "跟踪落实情况")
    assert full_text(out).count("存在工作作风不够扎实的情况") == 1


def test_a_record_leaves_out_the_generated_subject(store: Store, org: Org, tmp_path: Path) -> None:
    out = _record(store, rich_talk(store, org, subject="李明同志日常谈话"), tmp_path)
    text = full_text(out)
    assert "事由/主题" not in text and "李明同志日常谈话" not in text
    assert "事由/主题" in full_text(_record(store, rich_talk(store, org), tmp_path, "own.docx"))
