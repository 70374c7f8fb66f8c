"""Checking a printed or emailed record against the database: `tanxin verify FILE.docx`.

A file hash cannot do this (python-docx output differs between runs, and Word rewrites a file it merely
opens), so the check is by content. The document's 校验码 line names the record, its seal hash and the record's
own link of the seal chain (fixed at its seal: every export of a record carries the same code); its core
properties name the template and whether it is the internal copy. The same document is rendered again from the
database and compared paragraph by paragraph; each difference is reported with the field it belongs to.

What changes a record's documents after its seal is sealed in the chain after it: its amendments (printed in
备注) and its follow-ups (wording and 整改 deadline signed with their first change, notes/seal.py). The code
does not say when the document was exported, so it is rendered as the record stood at each of those points
(its seal, then each later amendment or follow-up of it) and compared with the closest: a document exported
before an amendment verifies, one whose sealed text differs from every point fails. Only the follow-ups'
progress (跟踪落实情况) moves on after the export and is noted, not held against it.

The chain is verified up to the record's link, so a database cut off before the record's seal, or rewritten up
to it, is caught; links sealed after it cannot be vouched for by the paper (`verify --head` with a head kept
outside the database does that). Documents exported before the code was fixed carry the chain head at their
export instead of the record's link and are checked against that head. A document whose 校验码 names seals
this database never had is reported as coming from another database.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes.documents.docxfile import (
    TemplateChoice,
    choose_template,
    open_document,
    rendered_text_lines,
    template_digest,
    template_variables,
    text_lines,
)
from notes.documents.policyfacts import PolicyFacts
from notes.documents.records import (
    FIELD_LABELS,
    INTERNAL_MARK,
    ChainPoint,
    CheckCode,
    DocumentIdentity,
    find_check_code,
    record_kind,
    talk_context,
)
from notes.documents.text import clean_text
from notes.errors import NotFound
from notes.model import TalkRecord
from notes.seal import verify_chain
from notes.store import Store
from notes.talks import get_talk

if TYPE_CHECKING:
    from docx.document import Document

# What moves on after a record is exported: the follow-ups' progress. Everything else printed is checked.
PROGRESS_FIELDS = frozenset({"tracking"})
TEMPLATE_TEXT = "模板文字"
ADDED_TEXT = "文档中多出的内容"


@dataclass(frozen=True, slots=True)
class FieldDifference:
    field: str  # the field's name on paper (谈话对象表态, 主要内容·谈思想 …)
    expected: str  # what the database says
    found: str  # what the document says ('' when the text is missing)
    sealed: bool  # False: content that changes after the seal (follow-ups)

    def describe(self) -> str:
        expected = f"“{_short(self.expected)}”" if self.expected else "（无）"
        found = f"“{_short(self.found)}”" if self.found else "（无）"
        return f"{self.field}：数据库中为{expected}，文档中为{found}"

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "expected": self.expected, "found": self.found, "sealed": self.sealed}


@dataclass(frozen=True, slots=True)
class DocVerifyReport:
    path: Path
    talk_id: int | None = None
    code: str = ""
    kind: str = ""
    check_code: str = ""
    problems: list[str] = field(default_factory=list)
    differences: list[FieldDifference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not any(d.sealed for d in self.differences)

    @property
    def differing_fields(self) -> list[str]:
        return list(dict.fromkeys(d.field for d in self.differences if d.sealed))

    def lines(self) -> list[str]:
        """The report in Chinese, one finding a line, the verdict first."""
        what = f"{self.path.name}（谈话 {self.code or self.talk_id}）" if self.talk_id else self.path.name
        if self.ok:
            head = [f"核验通过：{what}与数据库中的封存记录一致。"]
        else:
            fields = "、".join(self.differing_fields)
            head = [f"核验未通过：{what}" + (f"，不一致的字段：{fields}。" if fields else "。")]
        return (
            head
            + self.problems
            + [d.describe() for d in self.differences if d.sealed]
            + [f"（不属封存内容）{d.describe()}" for d in self.differences if not d.sealed]
            + self.notes
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.talk_id,
            "path": str(self.path),
            "ok": self.ok,
            "code": self.code,
            "kind": self.kind,
            "check_code": self.check_code,
            "differing_fields": self.differing_fields,
            "problems": self.problems,
            "differences": [d.as_json() for d in self.differences],
            "notes": self.notes,
        }


def _short(text: str, limit: int = 80) -> str:
    flat = text.replace("\n", " / ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# -- fields of a context ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FieldText:
    label: str
    text: str
    sealed: bool


def _field_texts(context: Mapping[str, Any], used: set[str]) -> list[_FieldText]:
    """Every value of the context the template prints, line by line, with the name of its field."""
    texts: list[_FieldText] = []

    def add(label: str, value: str, sealed: bool) -> None:
        for line in clean_text(value).split("\n"):
            if line.strip():
                texts.append(_FieldText(label, line.strip(), sealed))

    for key, value in context.items():
        if key not in used:
            continue
        label = FIELD_LABELS.get(key, key)
        sealed = key not in PROGRESS_FIELDS
        if isinstance(value, str):
            add(label, value, sealed)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    add(f"{label}·{item.get('heading', '')}", str(item.get("heading", "")), sealed)
                    add(f"{label}·{item.get('heading', '')}", str(item.get("text", "")), sealed)
                else:
                    add(label, str(item), sealed)
    return texts


def _fields_in(paragraph: str, texts: Sequence[_FieldText]) -> list[_FieldText]:
    """The fields printed in a paragraph; a value inside a longer matched value (个别 in 个别谈话) is dropped."""
    matches = [t for t in texts if t.text in paragraph]
    kept = [m for m in matches if not any(m.text != o.text and m.text in o.text for o in matches)]
    return list({(m.label, m.sealed): m for m in kept}.values())


def _difference(expected: str, found: str, texts: Sequence[_FieldText]) -> list[FieldDifference]:
    if not expected:
        return [FieldDifference(ADDED_TEXT, "", found, True)]
    fields = _fields_in(expected, texts)
    if not fields:
        return [FieldDifference(TEMPLATE_TEXT, expected, found, True)]
    return [FieldDifference(f.label, expected, found, f.sealed) for f in fields]


def compare_lines(
    expected: Sequence[str], found: Sequence[str], context: Mapping[str, Any], used: set[str]
) -> list[FieldDifference]:
    """Paragraph-level differences between the document as rendered from the database and as found."""
    texts = _field_texts(context, used)
    differences: list[FieldDifference] = []
    matcher = difflib.SequenceMatcher(None, list(expected), list(found), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        left, right = list(expected[i1:i2]), list(found[j1:j2])
        for index in range(max(len(left), len(right))):
            differences.extend(_difference(
                left[index] if index < len(left) else "",
                right[index] if index < len(right) else "",
                texts,
            ))
    return differences


def _missing_values(document_text: str, context: Mapping[str, Any], used: set[str]) -> list[FieldDifference]:
    """Without the template the document came from, check at least that every sealed value the built-in
    template of its kind prints is in the document (follow-ups' progress is left out: it changes after)."""
    return [
        FieldDifference(t.label, t.text, "", t.sealed)
        for t in _field_texts(context, used)
        if t.sealed and t.text not in document_text
    ]


# -- verifying ---------------------------------------------------------------------------------------------


def _identity(document: Document) -> DocumentIdentity | None:
    return DocumentIdentity.decode(document.core_properties.identifier or "")


def _template_for(store: Store, identity: DocumentIdentity) -> TemplateChoice | None:
    """The template the document was rendered from, if it can still be found (a unit's own template is
    recognised by its fingerprint; it may have been edited or moved since)."""
    if identity.template == "builtin":
        return choose_template(None, identity.kind)
    configured = store.get_setting(f"templates.{identity.kind}")
    if configured is not None:
        path = Path(str(configured)).expanduser()
        if path.is_file() and template_digest(path) == identity.template:
            return TemplateChoice(path, identity.kind, user_supplied=True)
    return None


def _from_another_database(store: Store, code: CheckCode) -> bool:
    """Neither the record's seal hash nor the chain head of the 校验码 is a seal of this database: the document
    was exported from another one (a test copy, another unit's), which is not tampering."""
    known = store.scalar(
        "SELECT 1 FROM seals WHERE substr(content_hash, 1, ?) = ? OR substr(chain_hash, 1, ?) = ? LIMIT 1",
        [len(code.content_prefix), code.content_prefix, len(code.head_prefix), code.head_prefix],
    )
    # A record marked sealed whose seal is gone is this database's, cut off at or before the record's link.
    orphan = store.scalar(
        "SELECT 1 FROM talks WHERE id = ? AND status = 'sealed' "
        "AND id NOT IN (SELECT subject_id FROM seals WHERE subject = 'talk')", [code.talk_id])
    return known is None and orphan is None


def _followups_as_of(store: Store, talk: TalkRecord, head: ChainPoint) -> TalkRecord:
    """The talk with the follow-ups that existed when the document was exported: signed at or before its head
    (or, raised before signing began, created before the head was sealed)."""
    head_sealed_at = store.scalar("SELECT sealed_at FROM seals WHERE seq = ?", [head.seq]) or ""
    existed = {int(row[0]) for row in store.rows(
        "SELECT f.id FROM followups f WHERE f.talk_id = ? AND coalesce("
        "  (SELECT min(s.seq) <= ? FROM followup_history h JOIN seals s ON s.subject = 'followup' "
        "   AND s.subject_id = h.id WHERE h.followup_id = f.id), f.created_at <= ?)",
        [talk.id, head.seq, head_sealed_at],
    )}
    return dataclasses.replace(talk, followups=[f for f in talk.followups if f.id in existed])


def _check_chain(store: Store, talk: TalkRecord, code: CheckCode, report: DocVerifyReport) -> ChainPoint | None:
    """The record's seal and the chain link the document carries, against the database. Returns the link
    (the record's own seal, or on older documents the head at export) unless the chain no longer reaches it."""
    if talk.seal is None:
        report.problems.append(
            f"数据库中谈话 {talk.code} 标记为已封存，封存链中却没有它的封存记录（链尾被截断或封存记录被删除）。"
            if talk.status == "sealed" else f"数据库中谈话 {talk.code} 没有封存记录，而文档带有校验码。"
        )
        return None
    if not talk.seal.content_hash.startswith(code.content_prefix):
        report.problems.append(
            f"封存哈希不符：文档记载 {code.content_prefix}，数据库中为 {talk.seal.content_hash[:16]}"
            "（记录或文档被改动）。"
        )
    head_row = store.query_one("SELECT seq, chain_hash FROM seals WHERE seq = ?", [code.head_seq])
    if head_row is None:
        last = store.scalar("SELECT coalesce(max(seq), 0) FROM seals")
        report.problems.append(
            f"链尾被截断：文档记载本记录为第 {code.head_seq} 号封存，数据库中的封存链只到第 {last} 号。"
        )
        return None
    head = ChainPoint(code.head_seq, str(head_row["chain_hash"]))
    if not head.chain_hash.startswith(code.head_prefix):
        report.problems.append(
            f"链哈希不符：第 {head.seq} 号封存的链哈希在数据库中为 {head.chain_hash[:16]}，文档记载 {code.head_prefix}"
            "（封存链被改写或重新签名）。"
        )
        return None
    for problem in verify_chain(store, f"{head.seq}:{head.chain_hash}").problems:
        if problem.talk_id == talk.id or problem.kind in ("tail_cut", "head_mismatch"):
            report.problems.append(f"封存链：{problem.message}")
        else:
            report.notes.append(f"封存链中另有问题（不涉及本记录）：{problem.message}")
    return head


def _points_since(store: Store, talk: TalkRecord, link: ChainPoint) -> list[ChainPoint]:
    """The chain points at which the record's documents may have been exported: its link, then every later
    seal that changed what they print (an amendment of the record, the first signed change of one of its
    follow-ups), and the chain's end. A document of an older format (its link is the head at export) has one."""
    if talk.seal is None or talk.seal.seq != link.seq:
        return [link]
    rows = store.rows(
        "SELECT seq, chain_hash FROM seals WHERE seq > ? AND ("
        "  (subject = 'amendment' AND talk_id = ?)"
        "  OR (subject = 'followup' AND subject_id IN (SELECT min(h.id) FROM followup_history h"
        "      JOIN followups f ON f.id = h.followup_id WHERE f.talk_id = ? GROUP BY h.followup_id))"
        "  OR seq = (SELECT max(seq) FROM seals)) ORDER BY seq",
        [link.seq, talk.id, talk.id],
    )
    return [link, *(ChainPoint(int(seq), str(chain_hash)) for seq, chain_hash in rows)]


def _weight(differences: Sequence[FieldDifference]) -> tuple[int, int]:
    """How far a rendering is from the document: sealed differences first, then progress."""
    return sum(1 for d in differences if d.sealed), len(differences)


def verify_document(store: Store, path: Path, *, facts: PolicyFacts) -> DocVerifyReport:
    """Check a DOCX exported by tanxin against the database: its 校验码, the seal chain up to the head it
    carries, and its content, field by field (rendered again as `facts` say the talk type is printed)."""
    path = Path(path).expanduser()
    document = open_document(path)
    found = text_lines(document)
    code = find_check_code(found)
    identity = _identity(document)
    if code is None:
        reason = "文档中没有校验码行" + (
            "：导出时该谈话尚未封存，只有封存记录的文档可以核验。" if identity else "，它不是 tanxin 导出的封存记录。"
        )
        return DocVerifyReport(path, talk_id=identity.talk_id if identity else None, problems=[reason])
    if _from_another_database(store, code):
        return DocVerifyReport(path, talk_id=code.talk_id, check_code=code.line, problems=[
            "这份文档不是从这个数据库导出的：校验码中的封存哈希和链头在本数据库中都不存在。"
            "请用导出它的数据库核验（--db 指定）；这不表示文档被改动。"])
    try:
        talk = get_talk(store, code.talk_id)
    except NotFound:
        return DocVerifyReport(path, talk_id=code.talk_id, check_code=code.line,
                               problems=[f"数据库中没有校验码所指的谈话记录（id {code.talk_id}）。"])
    info = facts.talk_type(talk.talk_type)
    kind = identity.kind if identity else record_kind(info)
    report = DocVerifyReport(path, talk_id=talk.id, code=talk.code, kind=kind, check_code=code.line)
    if identity is not None and identity.talk_id != talk.id:
        report.problems.append(f"文档属性记载的是谈话 id {identity.talk_id}，校验码却指向 id {talk.id}。")
    head = _check_chain(store, talk, code, report)
    if head is None:
        return report

    internal = identity.internal if identity else any(INTERNAL_MARK in line for line in found[:3])
    choice = _template_for(store, identity or DocumentIdentity(kind, talk.id, internal, "builtin"))
    best: tuple[ChainPoint, TalkRecord, list[FieldDifference]] | None = None
    for point in reversed(_points_since(store, talk, head)):
        as_of = _followups_as_of(store, talk, point)
        context = talk_context(store, as_of, internal=internal, head=point, kind=info, terms=facts.wording())
        if choice is None:
            differences = _missing_values("\n".join(found), context, template_variables(choose_template(None, kind)))
        else:
            differences = compare_lines(rendered_text_lines(choice, context), found, context,
                                        template_variables(choice))
        if best is None or _weight(differences) < _weight(best[2]):
            best = (point, as_of, differences)
        if not differences:
            break
    assert best is not None  # _points_since returns at least the record's link
    point, as_of, differences = best
    report.differences.extend(differences)
    later = [a for a in talk.amendments if a.seal and a.seal.seq > point.seq]
    if later:
        report.notes.append(f"该记录在导出之后又有 {len(later)} 条更正，本文档不含这些更正。")
    if len(as_of.followups) < len(talk.followups):
        report.notes.append(f"导出之后又提出了 {len(talk.followups) - len(as_of.followups)} 项跟踪事项，本文档不含这些事项。")
    if choice is None:
        report.notes.append("找不到导出时所用的本单位模板（已改动或移走），只核对了各字段内容是否完整出现在文档中。")
    elif any(not d.sealed for d in report.differences):
        report.notes.append("跟踪落实情况在导出后有进展；进展不属封存内容，不影响核验结论。")
    return report
