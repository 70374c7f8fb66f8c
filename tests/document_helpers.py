"""An organisation with talks worth printing, and readers for the DOCX/XLSX files tanxin writes.

Talks are made through the record's own API (notes.talks, followups, inquiry, seal), so the documents are
tested against records exactly as the app keeps them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from notes import followups, inquiry, seal, talks
from notes.store import Store

# Text that must reach paper exactly (XML specials) or cleaned (controls, bidi), and text that must never
# reach a copy for signature (保密).
SPECIAL = "A&B <x> \"引号\" 'apos' & <w:t> {{ place }}"
CONTROL_RAW = "前\x00中\x1b[2J\x07\u202e反向\u2066隔离\x85后"
CONTROL_CLEAN = "前中[2J反向隔离后"
SECRETS = (
    "反映人为价格处某同志（身份严格保密）",
    "本人透露家人患重病的具体诊断",
    "保密要求：不得向任何人透露信访件内容",
)
YEAR = 2026


@dataclass(frozen=True)
class Org:
    root: int
    branch: int
    other_branch: int
    secretary: int  # 王书记, interviewer
    member: int  # 李明, interviewee
    taker: int  # 赵干事, note taker
    colleague: int  # 陈红, in the other branch


def make_org(store: Store) -> Org:
    with store.transaction():
        root = store.insert("units", {"name": "青川市发改委机关党委", "kind": "机关党委"})
        branch = store.insert("units", {"name": "机关第一党支部", "parent_id": root, "sort_order": 1})
        other = store.insert("units", {"name": "机关第二党支部", "parent_id": root, "sort_order": 2})
        secretary = store.insert("people", {"name": "王书记", "unit_id": root, "position": "机关党委书记",
                                            "membership": "正式党员"})
        member = store.insert("people", {"name": "李明", "unit_id": branch, "position": "办公室主任",
                                         "membership": "正式党员"})
        taker = store.insert("people", {"name": "赵干事", "unit_id": root, "position": "党办干事",
                                        "membership": "正式党员"})
        colleague = store.insert("people", {"name": "陈红", "unit_id": other, "position": "科员",
                                            "membership": "预备党员"})
    return Org(root, branch, other, secretary, member, taker, colleague)


def rich_talk(
    store: Store,
    org: Org,
    *,
    talk_type: str = "routine",
    channel: str = "面对面",
    day: str = f"{YEAR}-03-12",
    interviewee: int | None = None,
    sealed: bool = True,
    subject: str = f"了解近期思想和工作情况 {SPECIAL}",
) -> int:
    """A held talk with an entry of every kind, 保密 entries among them, and two 整改 follow-ups."""
    talk_id = talks.create_talk(
        store,
        talk_type=talk_type,
        interviewers=[org.secretary],
        interviewees=[interviewee or org.member],
        note_taker=org.taker,
        channel=channel,
        planned_at=f"{day}T14:30",
        place="三楼小会议室",
        subject=subject,
    )
    if channel == "函询":
        inquiry.set_inquiry(store, talk_id, sent_on=day, questions="请说明公务接待超标准的情况\n请说明整改打算")
    talks.start_talk(store, talk_id, at=f"{day}T14:30")
    add = talks.add_entry
    add(store, talk_id, heading="谈思想", kind="事实情况", text=f"近期工作进展顺利。{SPECIAL}")
    add(store, talk_id, heading="谈思想", kind="事实情况", text=CONTROL_RAW)
    add(store, talk_id, heading="谈思想", kind="事实情况", text=SECRETS[0], confidential=True)
    add(store, talk_id, heading="谈生活", kind="困难诉求", text="家中老人生病，希望适当照顾休假。")
    add(store, talk_id, heading="谈生活", kind="困难诉求", text=SECRETS[1], confidential=True)
    add(store, talk_id, heading="谈作风", kind="发现问题", text="存在工作作风不够扎实的情况。")
    add(store, talk_id, heading="谈作风", kind="本人表态", text="表示认识到问题，愿意认真整改。")
    add(store, talk_id, heading="谈履职", kind="意见建议", text="建议加强处室之间的协调。")
    add(store, talk_id, heading="谈作风", kind="谈话人要求", text="严格遵守廉洁纪律，按期报告整改情况。")
    secret_requirement = add(store, talk_id, heading="谈作风", kind="谈话人要求", text=SECRETS[2], confidential=True)
    if channel == "函询":
        inquiry.record_reply(store, talk_id, received_on=day, reply="已按要求说明情况，今后严格执行接待标准。")
    talks.finish_talk(store, talk_id, at=f"{day}T15:20")
    talks.set_outcome(store, talk_id, summary="思想总体稳定，工作作风需改进。", statement="服从组织安排。",
                      confirmed=True)
    followups.create_followup(store, talk_id=talk_id, kind="整改", title="整改工作作风问题", due_on=f"{YEAR}-04-30")
    followups.followup_from_entry(store, secret_requirement, kind="整改", due_on=f"{YEAR}-05-31")
    if sealed:
        seal.seal_talk(store, talk_id, at=f"{day}T16:00")
    return talk_id


# -- reading documents back ---------------------------------------------------------------------------------


def paragraphs(path: Path) -> list[str]:
    """Every paragraph of the body (tables included, merged cells once) and of the headers, in order."""
    document = Document(str(path))
    texts: list[str] = []
    for section in document.sections:
        if not section.header.is_linked_to_previous:
            texts.extend(p.text for p in section.header.paragraphs)
    texts.extend(Paragraph(p, document).text for p in document.element.body.iter(qn("w:p")))
    return texts


def full_text(path: Path) -> str:
    return "\n".join(paragraphs(path))


def header_text(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(p.text for section in document.sections for p in section.header.paragraphs)


def footer_xml(path: Path) -> str:
    document = Document(str(path))
    return str(document.sections[0].footer._element.xml)


def docx_parts_xml(path: Path) -> Iterator[str]:
    """document.xml, styles.xml and the header/footer parts, as text."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml") and (
                name in ("word/document.xml", "word/styles.xml") or "header" in name or "footer" in name
            ):
                yield archive.read(name).decode("utf-8")


def table_cell_after(path: Path, label: str) -> str:
    """The text of the cell to the right of the cell that reads `label` (a form's value for a label)."""
    document = Document(str(path))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            for index, cell in enumerate(cells[:-1]):
                if cell.text.strip() == label:
                    following = next((c for c in cells[index + 1:] if c._tc is not cell._tc), None)
                    if following is not None:
                        return str(following.text)
    raise AssertionError(f"no cell labelled {label!r} in {path.name}")


def edit_text(path: Path, old: str, new: str, out: Path) -> None:
    """Change text in a saved DOCX with python-docx, as someone editing the file would, and save it."""
    document = Document(str(path))
    changed = False
    for element in document.element.body.iter(qn("w:p")):
        paragraph = Paragraph(element, document)
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
                changed = True
    assert changed, f"{old!r} not found in {path.name}"
    document.save(str(out))
