"""The 谈话提纲 as DOCX: the brief's sections in order, marked as internal material, on the GB/T 9704 page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import run_cli
from document_helpers import header_text, paragraphs
from docx import Document

from notes.store import Store
from prep.active import active_policy
from prep.brief import build_brief
from prep.brief_document import export_brief_markdown, render_brief_docx

HEADINGS = ("为什么谈、由谁谈", "一、先谈：以往谈话的未办结事项", "二、必谈要点（日常谈话）", "四、以往谈话", "五、原则与方法",
            "六、注意事项", "七、谈话安排")


def _person_with_history(store: Store) -> int:
    row = store.query_one(
        "SELECT tp.person_id FROM talk_participants tp JOIN followups f ON f.talk_id = tp.talk_id "
        "WHERE tp.role = 'interviewee' AND f.status = 'open' ORDER BY tp.person_id LIMIT 1"
    )
    assert row is not None
    return int(row["person_id"])


def test_brief_docx_has_the_sections_in_order(demo_store: Store, tmp_path: Path) -> None:
    person = _person_with_history(demo_store)
    brief = build_brief(demo_store, active_policy(demo_store), person, "routine", date(2026, 12, 1))
    out = render_brief_docx(brief, tmp_path / "brief.docx", store=demo_store)
    lines = [line for line in paragraphs(out) if line.strip()]
    assert lines[1] == "谈话提纲"
    assert lines[2].startswith(f"谈话对象：{brief.person.name}\t准备日期：2026年12月1日")
    positions = [lines.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    first_reason = lines[lines.index(HEADINGS[0]) + 1]
    assert first_reason.startswith(f"{brief.reasons[0].text}（{brief.reasons[0].deadline}）〔{brief.reasons[0].source}〕"
                                   if brief.reasons else "目前没有到期的必谈事项或频次要求，本次为主动安排的谈话。")
    first_followup = lines[lines.index(HEADINGS[1]) + 1]
    assert first_followup.startswith("【") and brief.open_followups[0].title in first_followup
    assert any(line.startswith("1. ") for line in lines[lines.index(HEADINGS[2]):lines.index(HEADINGS[3])])
    assert header_text(out).strip() == "内部资料·注意保密"
    section = Document(str(out)).sections[0]
    assert section.page_width is not None and section.left_margin is not None
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 28
    confidential = [r["text"] for r in demo_store.query("SELECT text FROM entries WHERE confidential = 1")]
    assert all(secret not in "\n".join(lines) for secret in confidential)
    audit = demo_store.query_one("SELECT * FROM audit_log WHERE action = 'export' AND subject = 'person'")
    assert audit is not None and audit["subject_id"] == person


def test_cli_export_brief(demo_db: Path, demo_store: Store, tmp_path: Path) -> None:
    person = _person_with_history(demo_store)
    out = tmp_path / "提纲.docx"
    result = run_cli(["--db", str(demo_db), "export", "brief", str(person), "--type", "日常谈话",
                      "--date", "2026-11-30", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "谈话提纲" in paragraphs(out)[1]
    unknown = run_cli(["--db", str(demo_db), "export", "brief", str(person), "--type", "无此类型",
                       "--out", str(tmp_path / "x.docx")])
    assert unknown.exit_code == 1 and "无此类型" in unknown.stderr


def test_the_markdown_brief_is_written_privately_and_audited_like_the_docx(demo_store: Store, tmp_path: Path) -> None:
    person = _person_with_history(demo_store)
    brief = build_brief(demo_store, active_policy(demo_store), person, "routine", date(2026, 12, 1))
    folder = tmp_path / "out"
    folder.mkdir()
    out = export_brief_markdown(brief, folder / "提纲.md", store=demo_store)
    text = out.read_text(encoding="utf-8")
    assert brief.person.name in text and "必谈要点" in text
    assert out.stat().st_mode & 0o077 == 0
    assert [p.name for p in folder.iterdir()] == ["提纲.md"]  # no temporary file left beside it
    audit = demo_store.query_one(
        "SELECT subject_id, detail FROM audit_log WHERE action = 'export' AND subject = 'person' ORDER BY id DESC")
    assert audit is not None and audit["subject_id"] == person and "提纲.md" in audit["detail"]
