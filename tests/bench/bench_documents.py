"""Documents: a record DOCX against bare python-docx, a 台账 XLSX against a bare openpyxl write-only export.

Both sides write the same content in the same run (the machines are shared and noisy, so only ratios mean
anything). tanxin's side is the whole export — reading the record from the encrypted database, loading the
packs, rendering the template, writing atomically, the audit row; the baseline only writes the file.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

PASSPHRASE = "基准测试口令 bench"
PACKS = ["suzhou-2018", "cadre-talks", "practice"]
YEAR = 2026


def _paired_medians(ours: Callable[[int], object], base: Callable[[int], object], repeats: int) -> tuple[float, float]:
    """Median seconds of each side, the runs alternating so that a burst of load on the shared machine falls
    on both sides alike rather than on one."""
    ours(-1)  # warm up imports and caches on both sides alike
    base(-1)
    ours_times: list[float] = []
    base_times: list[float] = []
    for index in range(repeats):
        for action, times in ((ours, ours_times), (base, base_times)):
            started = time.perf_counter()
            action(index)
            times.append(time.perf_counter() - started)
    return statistics.median(ours_times), statistics.median(base_times)


def _result(name: str, ours: float, base: float, target: float, baseline: str, detail: str) -> dict[str, Any]:
    return {
        "name": name,
        "value": round(ours * 1000, 2),
        "baseline_value": round(base * 1000, 2),
        "ratio": round(ours / base, 3),
        "target": target,
        "baseline": baseline,
        "unit": " ms",
        "detail": detail,
    }


# -- docx_record -------------------------------------------------------------------------------------------


def _bare_record(context: dict[str, Any], path: Path) -> None:
    """The same record written with python-docx alone: title, head line, a label/value table, signatures."""
    from docx import Document

    from notes.documents.records import FIELD_LABELS

    document = Document()
    document.add_paragraph("谈心谈话记录表")
    document.add_paragraph(f"单位：{context['unit']}\t编号：{context['code']}")
    fields = [key for key in ("interviewers", "interviewees", "note_taker", "time", "place", "talk_type", "form",
                              "category", "subject", "statements", "suggestions", "requirements", "deadlines",
                              "tracking", "remarks")]
    table = document.add_table(rows=len(fields) + 1, cols=2)
    for row, key in zip(table.rows, fields, strict=False):
        row.cells[0].text = FIELD_LABELS[key]
        row.cells[1].text = str(context[key])
    content = table.rows[-1].cells
    content[0].text = "主要内容"
    for group in context["content"]:
        content[1].add_paragraph(group["heading"])
        content[1].add_paragraph(group["text"])
    for signer in ("谈话人（签字）：", "谈话对象（签字）：", "记录人（签字）："):
        document.add_paragraph(signer)
        document.add_paragraph("年　　月　　日")
    document.add_paragraph(context["check_code"])
    document.save(str(path))


def docx_record(quick: bool) -> dict[str, Any]:
    from document_helpers import make_org, rich_talk

    from notes.documents import render_record
    from notes.documents.records import current_head, talk_context
    from notes.documents.text import clean_context
    from notes.talks import get_talk
    from notes.unlock import init_database
    from prep.active import policy_facts

    repeats = 5 if quick else 20
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        store = init_database(out / "bench.db", PASSPHRASE, PACKS).store
        try:
            talk_id = rich_talk(store, make_org(store))
            talk = get_talk(store, talk_id)
            facts = policy_facts(store)
            context = clean_context(talk_context(store, talk, internal=False, head=current_head(store),
                                                 kind=facts.talk_type(talk.talk_type), terms=facts.wording()))
            ours, base = _paired_medians(lambda i: render_record(store, talk_id, out / f"ours-{i}.docx", facts=facts),
                                         lambda i: _bare_record(context, out / f"bare-{i}.docx"), repeats)
        finally:
            store.close()
    return _result("docx_record", ours, base, 2.0, "bare python-docx, same fields",
                   f"median of {repeats}; tanxin: database read + packs + docxtpl + atomic save + audit")


# -- ledger_xlsx -------------------------------------------------------------------------------------------


def _fill(store: Any, talks: int) -> None:
    """`talks` held talks in one year, each with entries (one 保密) and every second one a follow-up,
    inserted in bulk: the setup is not what is measured."""
    import random

    rng = random.Random(20)
    with store.transaction():
        units = [store.insert("units", {"name": f"第{n}党支部"}) for n in range(1, 21)]
        people = [store.insert("people", {"name": f"党员{n:05d}", "unit_id": units[n % 20], "position": "科员"})
                  for n in range(1, 2001)]
        conn = store.conn
        talk_rows, participants, entries, followups = [], [], [], []
        for talk_id in range(1, talks + 1):
            day = f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:00:00"
            interviewee = people[rng.randrange(len(people))]
            talk_rows.append((talk_id, f"TX-{YEAR}-{talk_id:05d}", "routine", "日常工作类", "held", units[0], day,
                              "三楼小会议室", f"谈话事由 {talk_id}", "思想稳定，工作积极。" * 3))
            participants += [(talk_id, people[0], "interviewer"), (talk_id, interviewee, "interviewee"),
                             (talk_id, people[1], "note_taker")]
            entries += [(talk_id, 1, "谈思想", "事实情况", "近期工作进展顺利，任务按期完成。", 0),
                        (talk_id, 2, "谈作风", "发现问题", "存在工作作风不够扎实的情况。", 0),
                        (talk_id, 3, "谈生活", "困难诉求", "本人透露的家庭情况（保密）。", 1)]
            if talk_id % 2 == 0:
                followups.append((talk_id, interviewee, people[0], "整改", f"整改事项 {talk_id}", f"{YEAR}-12-31"))
        conn.executemany("INSERT INTO talks (id, code, talk_type, category, status, unit_id, started_at, place, "
                         "subject, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", talk_rows)
        conn.executemany("INSERT INTO talk_participants (talk_id, person_id, role) VALUES (?, ?, ?)", participants)
        conn.executemany("INSERT INTO entries (talk_id, position, heading, kind, text, confidential) "
                         "VALUES (?, ?, ?, ?, ?, ?)", entries)
        conn.executemany("INSERT INTO followups (talk_id, person_id, owner_id, kind, title, due_on) "
                         "VALUES (?, ?, ?, ?, ?, ?)", followups)


def _bare_ledger(rows: Sequence[tuple[Any, ...]], header: list[str], path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(str(path))


def ledger_xlsx(quick: bool) -> dict[str, Any]:
    from notes.documents import export_ledger
    from notes.documents.ledger import LEDGER_COLUMNS, ledger_rows
    from notes.unlock import init_database
    from prep.active import policy_facts

    talks = 2_000 if quick else 20_000
    # Five pairs: with three, one burst of load on the shared machine moved the ratio by 0.1 or more.
    repeats = 5
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        store = init_database(out / "bench.db", PASSPHRASE, PACKS).store
        try:
            _fill(store, talks)
            facts = policy_facts(store)
            rows = list(ledger_rows(store, YEAR, facts.talk_type_names(), facts.wording()))
            assert len(rows) == talks
            header = [name for name, _ in LEDGER_COLUMNS]
            ours, base = _paired_medians(lambda i: export_ledger(store, YEAR, out / f"ours-{i}.xlsx", facts=facts),
                                         lambda i: _bare_ledger(rows, header, out / f"bare-{i}.xlsx"), repeats)
        finally:
            store.close()
    return _result("ledger_xlsx", ours, base, 1.5, "bare openpyxl write-only, same rows",
                   f"{talks} talks, median of {repeats}; tanxin: queries + styles + coverage sheet + atomic save")


BENCHMARKS = [docx_record, ledger_xlsx]
