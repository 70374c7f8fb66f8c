"""Sealing: a held talk becomes a record that provably has not changed since.

The record's canonical JSON (NFC text, sorted keys, fixed separators) is hashed with SHA-256; the hash joins a
chain (each link hashes the previous link, this content and the position) and the link is signed with an
Ed25519 key kept in the encrypted database. Triggers in schema.sql refuse changes to sealed rows; verify_chain
catches what bypasses them. Corrections are amendments, sealed into the chain in turn; the original stays.

Two limits (docs/pitfalls.md): cutting off the newest links, or rewriting and re-signing the chain with the key from
the database, is only detectable against a chain head kept outside the database (`chain_head`), and against a
public key exported earlier (`export_public_key`).

What a seal covers: the talk's own fields, its participants (by person id), its entries and its 函询. Not the
people's names or positions (a roster correction must not break old seals), not the follow-ups (they go on
after the talk), not the editor's draft state.
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from notes.checks import check_text, parse_instant
from notes.errors import InvalidInput
from notes.model import Amendment, SealInfo, json_list, load_amendments, load_seal, seal_from_row
from notes.store import Store
from notes.talks import TalkRecord, check_recorder, point_coverage, talk_row
from notes.vocabulary import FOLLOWUP_STATUS_LABELS

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "Amendment",
    "SealInfo",
    "VerifyProblem",
    "VerifyReport",
    "amend",
    "amendments_of",
    "canonical_json",
    "canonical_record",
    "chain_hash_of",
    "chain_head",
    "content_hash_of",
    "export_public_key",
    "parse_head",
    "record_gaps",
    "seal_followup_change",
    "seal_of",
    "seal_talk",
    "verify_chain",
]

# tanxin-talk/2 signs the moment of sealing with the content (a backdated sealed_at fails verify); records
# sealed as tanxin-talk/1 still verify against the content they were sealed with.
# tanxin-talk/3 is /2 with the talk's procedure data (诫勉决定, 函询 reply deadline: talk_procedures) for a talk
# that has any; a talk without them keeps /2, so every record sealed as /2 still verifies. Procedure data added
# to a record sealed without it changes its format and fails verify.
TALK_FORMAT = "tanxin-talk/2"
TALK_FORMAT_PROCEDURE = "tanxin-talk/3"
TALK_FORMAT_V1 = "tanxin-talk/1"
AMENDMENT_FORMAT = "tanxin-amendment/1"
FOLLOWUP_FORMAT = "tanxin-followup/1"
SUBJECT_NAMES = {"talk": "谈话记录", "amendment": "更正记录", "followup": "跟踪事项变更记录"}
EMPTY_HEAD = "0:"
# Seals verified per batch: the rows of a batch's records are read with a few queries, so verify is linear in
# the number of records and its memory does not grow with the chain.
VERIFY_BATCH = 1000
# A link out of place is looked for this far around its position, for at most this many links.
POSITION_WINDOW = 1000
MAX_POSITION_SEARCHES = 100
# A talk swapped with another is looked for among the seals this far around it (a hash per seal looked at).
SWAP_WINDOW = 64


# -- canonical form ----------------------------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    # Concrete types, not the Mapping ABC: this runs for every value of every record verify reads.
    kind = type(value)
    if kind is str:
        return unicodedata.normalize("NFC", value)
    if kind is dict:
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_nfc(v) for v in value]
    return value


def canonical_json(record: Mapping[str, Any]) -> str:
    """One text for one record: NFC strings, keys sorted, no spaces, non-ASCII kept (UTF-8), no NaN."""
    return json.dumps(_nfc(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def content_hash_of(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(record).encode("utf-8")).hexdigest()


def chain_hash_of(prev_hash: str, content_hash: str, seq: int) -> str:
    """SHA-256(prev_hash + content_hash + seq): both hashes are fixed-length hex, so the joint is unambiguous."""
    return hashlib.sha256(f"{prev_hash}{content_hash}{seq}".encode("ascii")).hexdigest()


def _talk_document(
    talk: Mapping[str, Any],
    participants: Sequence[Mapping[str, Any]],
    entries: Sequence[Mapping[str, Any]],
    inquiry: Mapping[str, Any] | None,
    procedure: Mapping[str, Any] | None,
    sealed_at: str | None,
) -> dict[str, Any]:
    """The sealed content of a talk, built from its rows (the single definition, for sealing and verifying).
    With `sealed_at` None it is the first format, which did not cover the moment of sealing."""
    document = {
        "format": TALK_FORMAT if sealed_at is not None else TALK_FORMAT_V1,
        "id": talk["id"],
        "code": talk["code"],
        "talk_type": talk["talk_type"],
        "category": talk["category"],
        "form": talk["form"],
        "channel": talk["channel"],
        "unit_id": talk["unit_id"],
        "event_id": talk["event_id"],
        "planned_at": talk["planned_at"],
        "started_at": talk["started_at"],
        "ended_at": talk["ended_at"],
        "place": talk["place"],
        "subject": talk["subject"],
        "summary": talk["summary"],
        "statement": talk["statement"],
        "confirmed": bool(talk["confirmed"]),
        "participants": [
            {"person_id": p["person_id"], "role": p["role"], "position": p["position"]}
            for p in sorted(participants, key=lambda p: (p["role"], p["position"], p["person_id"]))
        ],
        "entries": [
            {
                "id": e["id"],
                "position": e["position"],
                "heading": e["heading"],
                "kind": e["kind"],
                "text": e["text"],
                "confidential": bool(e["confidential"]),
                "offset_seconds": e["offset_seconds"],
            }
            for e in sorted(entries, key=lambda e: (e["position"], e["id"]))
        ],
        "inquiry": None if inquiry is None else {
            "sent_on": inquiry["sent_on"],
            "questions": inquiry["questions"],
            "received_on": inquiry["received_on"],
            "reply": inquiry["reply"],
        },
    }
    if sealed_at is not None:
        document["sealed_at"] = sealed_at
        if procedure is not None and any(procedure[field] for field in _SIGNED_PROCEDURE_FIELDS):
            document["format"] = TALK_FORMAT_PROCEDURE
            document["procedure"] = {field: procedure[field] for field in _SIGNED_PROCEDURE_FIELDS}
    return document



def _first_format_hash(document: Mapping[str, Any]) -> str:
    """The hash the record would have had under tanxin-talk/1 (no sealed_at). A record sealed under /2 cannot
    pass as /1: its stored hash covers the /2 document."""
    first = {k: v for k, v in document.items() if k != "sealed_at"}
    first["format"] = TALK_FORMAT_V1
    return content_hash_of(first)


def _amendment_document(amendment: Mapping[str, Any], talk_code: str) -> dict[str, Any]:
    return {
        "format": AMENDMENT_FORMAT,
        "id": amendment["id"],
        "talk_id": amendment["talk_id"],
        "talk_code": talk_code,
        "reason": amendment["reason"],
        "change": json.loads(amendment["change"]),
        "created_at": amendment["created_at"],
    }


def _followup_document(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change of a follow-up, signed: what the follow-up is (fixed from its first change on) and its status
    and evidence after the change, with when and the note."""
    return {
        "format": FOLLOWUP_FORMAT,
        "id": change["id"],
        "followup_id": change["followup_id"],
        "talk_id": change["talk_id"],
        "person_id": change["person_id"],
        "kind": change["kind"],
        "title": change["title"],
        "due_on": change["due_on"],
        "status": change["status"],
        "evidence": change["evidence"],
        "at": change["at"],
        "note": change["note"],
    }


_FOLLOWUP_CHANGE_SQL = (
    "SELECT h.id, h.followup_id, h.status, h.evidence, h.at, h.note, f.talk_id, f.person_id, f.kind, f.title, "
    "f.due_on FROM followup_history h JOIN followups f ON f.id = h.followup_id"
)
_ENTRY_FIELDS = "id, talk_id, position, heading, kind, text, confidential, offset_seconds"
_PARTICIPANT_FIELDS = "talk_id, person_id, role, position"
_INQUIRY_FIELDS = "talk_id, sent_on, questions, received_on, reply"
_SIGNED_PROCEDURE_FIELDS = ("decided_on", "decided_by", "decision_number", "reply_due_on")
_PROCEDURE_FIELDS = "talk_id, " + ", ".join(_SIGNED_PROCEDURE_FIELDS)
# schema.sql's version that brought talk_procedures. Every open migrates to the latest version; the migration
# tests seal on an older schema to prove a chain survives the upgrade, and there the table does not exist yet.
PROCEDURES_SINCE = 7


def _procedures(store: Store, talk_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if store.schema_version < PROCEDURES_SINCE:
        return {}
    return {r["talk_id"]: r for r in store.query(
        f"SELECT {_PROCEDURE_FIELDS} FROM talk_procedures WHERE talk_id IN (SELECT value FROM json_each(?))",
        [json_list(talk_ids)])}


def _fields_of(fields: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in fields.split(",") if name.strip() != "talk_id")


# The talk's own columns that sealing reads: what its record covers (_talk_document) and its status.
_TALK_FIELDS = ("id", "code", "talk_type", "category", "form", "channel", "unit_id", "event_id", "planned_at",
                "started_at", "ended_at", "place", "subject", "summary", "statement", "confirmed", "status")

# A talk's record in one statement (a seal reads it inside its write transaction, where each statement costs
# about as much as reading its rows): a tag, then the part's columns (the talk's, or those of the _*_FIELDS above
# without talk_id) padded with NULLs; UNION ALL passes every value through with its own type. A seal also reads
# the end of the chain and the signing key with them, in a row tagged "end" (NULLs when there are none yet);
# each of its subqueries is one step to the end of its table's b-tree.
_PART_NAMES = {
    "talk": _TALK_FIELDS,
    "participant": _fields_of(_PARTICIPANT_FIELDS),
    "entry": _fields_of(_ENTRY_FIELDS),
    "inquiry": _fields_of(_INQUIRY_FIELDS),
    "procedure": _fields_of(_PROCEDURE_FIELDS),
}
_PART_ROWS = {
    "talk": "talks WHERE id = :talk",
    "participant": "talk_participants WHERE talk_id = :talk",
    "entry": "entries WHERE talk_id = :talk",
    "inquiry": "inquiries WHERE talk_id = :talk",
    "procedure": "talk_procedures WHERE talk_id = :talk",
}
_PART_WIDTH = max(len(names) for names in _PART_NAMES.values())
_CHAIN_END_VALUES = (
    "(SELECT seq FROM seals ORDER BY seq DESC LIMIT 1)",
    "(SELECT chain_hash FROM seals ORDER BY seq DESC LIMIT 1)",
    "(SELECT id FROM signing_keys ORDER BY id DESC LIMIT 1)",
    "(SELECT private_key FROM signing_keys ORDER BY id DESC LIMIT 1)",
)


def _tagged(tag: str, values: Sequence[str]) -> str:
    return ", ".join((f"'{tag}'", *values, *("NULL",) * (_PART_WIDTH - len(values))))


@functools.cache
def _parts_sql(with_procedure: bool, with_chain_end: bool) -> str:
    selects = [f"SELECT {_tagged(part, _PART_NAMES[part])} FROM {_PART_ROWS[part]}"
               for part in _PART_NAMES if with_procedure or part != "procedure"]
    if with_chain_end:
        selects.append(f"SELECT {_tagged('end', _CHAIN_END_VALUES)}")
    return " UNION ALL ".join(selects)


@dataclass(frozen=True, slots=True)
class _ChainEnd:
    """The newest link and the newest signing key, as read with the record (None: there are none yet)."""

    last_seq: int | None = None
    last_hash: str | None = None
    key_id: int | None = None
    private_key: bytes | None = None


def _read_record(store: Store, talk_id: int, *, chain_end: bool) -> tuple[
        dict[str, Any], dict[str, list[dict[str, Any]]], _ChainEnd]:
    """The talk's row, the parts of its record by tag, and the end of the chain (with `chain_end`)."""
    parts: dict[str, list[dict[str, Any]]] = {part: [] for part in _PART_NAMES}
    end = _ChainEnd()
    for tag, *values in store.rows(_parts_sql(store.schema_version >= PROCEDURES_SINCE, chain_end),
                                   {"talk": talk_id}):
        if tag == "end":
            end = _ChainEnd(*values[: len(_CHAIN_END_VALUES)])
        else:
            parts[tag].append(dict(zip(_PART_NAMES[tag], values, strict=False)))  # the NULL padding drops out
    if not parts["talk"]:
        talk_row(store, talk_id)  # there is no such talk: raises NotFound, worded where every lookup words it
    return parts["talk"][0], parts, end


def _document_of(talk: Mapping[str, Any], parts: Mapping[str, list[dict[str, Any]]],
                 sealed_at: str | None) -> dict[str, Any]:
    return _talk_document(talk, parts["participant"], parts["entry"], next(iter(parts["inquiry"]), None),
                          next(iter(parts["procedure"]), None), sealed_at)


def canonical_record(store: Store, talk_id: int, sealed_at: str | None = None) -> dict[str, Any]:
    """The talk as it is sealed (a sealed talk: with the moment of its seal), or would be sealed at
    `sealed_at`."""
    if sealed_at is None:
        sealed_at = store.scalar("SELECT sealed_at FROM seals WHERE subject = 'talk' AND subject_id = ?", [talk_id])
    talk, parts, _ = _read_record(store, talk_id, chain_end=False)
    return _document_of(talk, parts, sealed_at)


# -- the signing key ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _private_key(raw: bytes) -> Ed25519PrivateKey:
    """Loading a key costs more than signing with it; a session seals many records with the same one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(raw)


def _signing_key(store: Store) -> tuple[int, Ed25519PrivateKey]:
    """The database's Ed25519 key, created on first use. Call inside a transaction."""
    newest = store.rows("SELECT id, private_key FROM signing_keys ORDER BY id DESC LIMIT 1")
    return _key_or_new(store, *newest[0]) if newest else _key_or_new(store, None, None)


def _key_or_new(store: Store, key_id: int | None, private_key: bytes | None) -> tuple[int, Ed25519PrivateKey]:
    """The newest key as read (`key_id` None: the database has none yet, and one is made and stored)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if key_id is not None and private_key is not None:
        return int(key_id), _private_key(bytes(private_key))
    key = Ed25519PrivateKey.generate()
    raw = serialization.Encoding.Raw
    key_id = store.insert(
        "signing_keys",
        {
            "public_key": key.public_key().public_bytes(raw, serialization.PublicFormat.Raw),
            "private_key": key.private_bytes(raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()),
            "created_at": store.now(),
        },
    )
    store.audit("create", "signing_key", key_id)
    return key_id, key


def export_public_key(store: Store) -> str:
    """The public key (PEM) for an upper organisation to verify signatures with; created if there is none."""
    from cryptography.hazmat.primitives import serialization

    with store.transaction():
        key_id, key = _signing_key(store)
        store.audit("export", "public_key", key_id)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode("ascii")


# -- sealing -----------------------------------------------------------------------------------------------


def _append_seal(store: Store, subject: str, subject_id: int, talk_id: int, document: Mapping[str, Any],
                 sealed_at: str, end: _ChainEnd | None = None) -> SealInfo:
    """Add one link at the end of the chain. Inside a transaction: BEGIN IMMEDIATE serialises the sequence.
    `end`: the end of the chain as already read in this transaction (read here when None)."""
    if end is None:
        end = _ChainEnd(*store.rows(f"SELECT {', '.join(_CHAIN_END_VALUES)}")[0])
    seq = 1 if end.last_seq is None else int(end.last_seq) + 1
    prev_hash = "" if end.last_hash is None else str(end.last_hash)
    content_hash = content_hash_of(document)
    chain_hash = chain_hash_of(prev_hash, content_hash, seq)
    key_id, key = _key_or_new(store, end.key_id, end.private_key)
    row = {
        "seq": seq,
        "subject": subject,
        "subject_id": subject_id,
        "talk_id": talk_id,
        "content_hash": content_hash,
        "prev_hash": prev_hash,
        "chain_hash": chain_hash,
        "signature": key.sign(chain_hash.encode("ascii")),
        "key_id": key_id,
        "sealed_at": sealed_at,
    }
    store.insert("seals", row)
    return seal_from_row(row)


def record_gaps(record: TalkRecord, points: Sequence[str]) -> list[str]:
    """What an incomplete record lacks, each in a line of Chinese: required points with nothing noted under
    them, an empty 信息汇总 or 表态, the interviewee's confirmation not ticked. Sealing such a record is allowed
    (a talk may really have been short) but only when asked twice (the app; the command line asks at a
    terminal)."""
    gaps: list[str] = []
    missing = [point for point, covered in point_coverage(record, points).items() if not covered]
    if missing:
        gaps.append(f"必谈要点未记录 {len(missing)}/{len(points)} 项：{'；'.join(missing)}")
    if not record.summary.strip():
        gaps.append("信息汇总为空")
    if not record.statement.strip():
        gaps.append("谈话对象表态为空")
    if not record.confirmed:
        gaps.append("未勾选“谈话对象已确认记录内容”")
    return gaps


def seal_talk(store: Store, talk_id: int, at: str | None = None, *, require_rectification: bool = False) -> SealInfo:
    """Seal a held talk. `require_rectification`: the talk type demands a 整改 with a deadline (诫勉, 004) —
    the caller passes the pack's `followup_deadline_required`."""
    sealed_at = store.now() if at is None else parse_instant(at, "封存时间")
    with store.transaction():
        talk, parts, end = _read_record(store, talk_id, chain_end=True)
        label = f"谈话 {talk['code'] or talk_id}"
        if talk["status"] != "held":
            reasons = {
                "planned": "尚未进行",
                "in_progress": "还在进行中，请先结束谈话",
                "sealed": "已经封存过；如需更正请添加更正记录",
                "cancelled": "已取消",
            }
            raise InvalidInput(f"{label}{reasons[talk['status']]}，不能封存。")
        document = _document_of(talk, parts, sealed_at)
        check_recorder(
            [p["person_id"] for p in document["participants"] if p["role"] == "interviewee"],
            [p["person_id"] for p in document["participants"] if p["role"] == "note_taker"],
        )
        if not talk["summary"].strip() and not any(e["text"].strip() for e in document["entries"]):
            raise InvalidInput(f"{label}既没有记录内容也没有信息汇总，不能封存。请先补充记录。")
        if require_rectification and not store.scalar(
            "SELECT 1 FROM followups WHERE talk_id = ? AND kind = '整改' AND due_on IS NOT NULL LIMIT 1", [talk_id]
        ):
            raise InvalidInput(f"{label}的谈话类型要求提出带期限的整改事项。请先添加整改事项（含完成期限）再封存。")
        info = _append_seal(store, "talk", talk_id, talk_id, document, sealed_at, end)
        store.execute("UPDATE talks SET status = 'sealed', draft_state = '{}', updated_at = ? WHERE id = ?",
                      [store.now(), talk_id])
        store.audit("seal", "talk", talk_id, seq=info.seq, content_hash=info.content_hash)
    return info


def amend(store: Store, talk_id: int, *, reason: str, change: Mapping[str, Any]) -> int:
    """A correction to a sealed talk, sealed into the chain at once; the original record stays as it was.
    `change` is any JSON object describing the correction, e.g. {"entry_id": 12, "text": "…"}."""
    check_text(reason, "更正原因", required=True)
    if not isinstance(change, Mapping) or not change:
        raise InvalidInput("更正内容不能为空：请说明改了什么。")
    try:
        change_json = json.dumps(dict(change), ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"更正内容无法保存：{exc}。") from None
    check_text(change_json, "更正内容")
    with store.transaction():
        talk = talk_row(store, talk_id)
        if talk["status"] != "sealed":
            raise InvalidInput(f"谈话 {talk['code']} 尚未封存，可以直接修改，不需要更正记录。")
        created_at = store.now()
        row = {"talk_id": talk_id, "reason": reason, "change": change_json, "created_at": created_at}
        amendment_id = store.insert("amendments", row)
        document = _amendment_document({"id": amendment_id, **row}, talk["code"])
        info = _append_seal(store, "amendment", amendment_id, talk_id, document, created_at)
        store.audit("amend", "talk", talk_id, amendment_id=amendment_id, seq=info.seq)
    return amendment_id


def seal_followup_change(store: Store, change_id: int) -> SealInfo:
    """Sign a change of a follow-up (a row of followup_history) into the chain. Inside the transaction that
    made the change, so the change and its signature are written together or not at all."""
    change = store.query_one(f"{_FOLLOWUP_CHANGE_SQL} WHERE h.id = ?", [change_id])
    if change is None:
        raise InvalidInput(f"跟踪事项变更记录 {change_id} 不存在。")
    return _append_seal(store, "followup", change_id, int(change["talk_id"]), _followup_document(change),
                        store.now())


def seal_of(store: Store, talk_id: int) -> SealInfo | None:
    talk_row(store, talk_id)
    return load_seal(store, "talk", talk_id)


def amendments_of(store: Store, talk_id: int) -> list[Amendment]:
    talk_row(store, talk_id)
    return load_amendments(store, talk_id)


# -- the head ----------------------------------------------------------------------------------------------


def chain_head(store: Store) -> str:
    """"<seq>:<chain_hash>" of the newest link ("0:" for an empty chain). Keep it outside the database."""
    row = store.query_one("SELECT seq, chain_hash FROM seals ORDER BY seq DESC LIMIT 1")
    return EMPTY_HEAD if row is None else f"{row['seq']}:{row['chain_hash']}"


def parse_head(text: str) -> tuple[int, str]:
    cleaned = text.strip()
    seq_text, _, chain_hash = cleaned.partition(":")
    valid = seq_text.isdigit() and (
        (int(seq_text) == 0 and chain_hash == "")
        or (len(chain_hash) == 64 and all(c in "0123456789abcdef" for c in chain_hash))
    )
    if not valid:
        raise InvalidInput(f"链头“{cleaned}”格式不对，应为“序号:64位十六进制哈希”，即 tanxin chain-head 的输出。")
    return int(seq_text), chain_hash


# -- verifying ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerifyProblem:
    """One thing wrong with the chain. `kind`: content_changed, signature_invalid, chain_hash_wrong,
    chain_broken, order_swapped, record_missing, seal_missing, unsealed, key_missing, key_replaced, tail_cut,
    head_mismatch."""

    kind: str
    message: str
    seq: int | None = None
    talk_id: int | None = None
    code: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "talk_id": self.talk_id, "code": self.code,
                "message": self.message}


@dataclass(frozen=True, slots=True)
class VerifyReport:
    checked: int
    head: str
    problems: list[VerifyProblem] = field(default_factory=list)
    kept_head: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> VerifyProblem | None:
        """The earliest bad record in the chain (problems without a position come last)."""
        ordered = sorted(self.problems, key=lambda p: (p.seq is None, p.seq or 0))
        return ordered[0] if ordered else None

    def as_json(self) -> dict[str, Any]:
        first = self.first_problem
        return {
            "ok": self.ok,
            "checked": self.checked,
            "head": self.head,
            "kept_head": self.kept_head,
            "first_problem": first.as_json() if first else None,
            "problems": [p.as_json() for p in self.problems],
        }


def _rows_by_talk(store: Store, sql: str, talk_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in store.query(sql, [json_list(talk_ids)]):
        grouped.setdefault(row["talk_id"], []).append(row)
    return grouped


def _recorded_documents(store: Store, seals: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any] | None]:
    """What the records of a batch of seals look like now, in canonical form (None: the record is gone)."""
    sealed_at = {s["subject_id"]: s["sealed_at"] for s in seals if s["subject"] == "talk"}
    talk_ids = sorted(sealed_at)
    amendment_ids = sorted({s["subject_id"] for s in seals if s["subject"] == "amendment"})
    change_ids = sorted({s["subject_id"] for s in seals if s["subject"] == "followup"})
    talks = {r["id"]: r for r in store.query(
        "SELECT * FROM talks WHERE id IN (SELECT value FROM json_each(?))", [json_list(talk_ids)])}
    participants = _rows_by_talk(store, f"SELECT {_PARTICIPANT_FIELDS} FROM talk_participants "
                                        "WHERE talk_id IN (SELECT value FROM json_each(?))", talk_ids)
    entries = _rows_by_talk(store, f"SELECT {_ENTRY_FIELDS} FROM entries "
                                   "WHERE talk_id IN (SELECT value FROM json_each(?))", talk_ids)
    inquiries = {r["talk_id"]: r for r in store.query(
        f"SELECT {_INQUIRY_FIELDS} FROM inquiries WHERE talk_id IN (SELECT value FROM json_each(?))",
        [json_list(talk_ids)])}
    procedures = _procedures(store, talk_ids)
    amendments = {r["id"]: r for r in store.query(
        "SELECT a.*, coalesce(t.code, '') AS talk_code FROM amendments a LEFT JOIN talks t ON t.id = a.talk_id "
        "WHERE a.id IN (SELECT value FROM json_each(?))", [json_list(amendment_ids)])}
    changes = {r["id"]: r for r in store.query(
        f"{_FOLLOWUP_CHANGE_SQL} WHERE h.id IN (SELECT value FROM json_each(?))", [json_list(change_ids)])} \
        if change_ids else {}
    documents: dict[tuple[str, int], dict[str, Any] | None] = {}
    for change_id in change_ids:
        change = changes.get(change_id)
        documents[("followup", change_id)] = None if change is None else _followup_document(change)
    for talk_id in talk_ids:
        talk = talks.get(talk_id)
        documents[("talk", talk_id)] = None if talk is None else _talk_document(
            talk, participants.get(talk_id, []), entries.get(talk_id, []), inquiries.get(talk_id),
            procedures.get(talk_id), sealed_at[talk_id])
    for amendment_id in amendment_ids:
        amendment = amendments.get(amendment_id)
        documents[("amendment", amendment_id)] = None if amendment is None else _amendment_document(
            amendment, amendment["talk_code"])
    return documents


class _ChainChecker:
    """Walks the seals in order and collects every problem, each naming the link and the record."""

    def __init__(self, store: Store, trusted_public_key: str | None) -> None:
        self.store = store
        self.problems: list[VerifyProblem] = []
        index = store.query("SELECT seq, content_hash, sealed_at FROM seals")
        self.seq_of_content = {r["content_hash"]: int(r["seq"]) for r in index}
        self.sealed_at_of_seq = {int(r["seq"]): r["sealed_at"] for r in index}
        self.swaps_searched = 0
        self.last_seq = max((int(r["seq"]) for r in index), default=0)
        self.codes: dict[int, str] = {}  # read only for the records a problem names
        self.previous_moved = False
        self.positions_searched = 0
        self.keys: dict[int, Ed25519PublicKey | None] = {}
        self.trusted = self._load_trusted(trusted_public_key)

    def _load_trusted(self, pem: str | None) -> bytes | None:
        if pem is None:
            return None
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = serialization.load_pem_public_key(pem.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise InvalidInput("给出的公钥不是有效的 PEM 公钥文件。请使用 tanxin public-key 导出的文件。") from None
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidInput("给出的公钥不是 Ed25519 公钥。请使用 tanxin public-key 导出的文件。")
        return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def add(self, kind: str, message: str, seal: Mapping[str, Any] | None = None, talk_id: int | None = None) -> None:
        talk = talk_id if seal is None else int(seal["talk_id"])
        code = "" if talk is None else self.code(talk)
        where = ""
        if seal is not None:
            what = SUBJECT_NAMES[seal["subject"]]
            where = f"第 {seal['seq']} 号封存（{what}，谈话 {code or talk}）："
        elif talk is not None:
            where = f"谈话 {code or talk}："
        self.problems.append(VerifyProblem(kind, where + message, None if seal is None else int(seal["seq"]),
                                           talk, code))

    def code(self, talk_id: int) -> str:
        if talk_id not in self.codes:
            self.codes[talk_id] = str(self.store.scalar("SELECT code FROM talks WHERE id = ?", [talk_id]) or "")
        return self.codes[talk_id]

    def original_seq(self, seal: Mapping[str, Any]) -> int | None:
        """Where a link was sealed, if not where it is: its chain hash binds its original position. Searched
        near its place and for a bounded number of links, so a wholesale shuffle cannot make verify slow."""
        if self.positions_searched >= MAX_POSITION_SEARCHES:
            return None
        self.positions_searched += 1
        seq = int(seal["seq"])
        for candidate in range(max(1, seq - POSITION_WINDOW), min(self.last_seq, seq + POSITION_WINDOW) + 1):
            if candidate != seq and chain_hash_of(seal["prev_hash"], seal["content_hash"], candidate) == seal[
                    "chain_hash"]:
                return candidate
        return None

    def public_key(self, key_id: int) -> Ed25519PublicKey | None:
        if key_id not in self.keys:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

            raw = self.store.scalar("SELECT public_key FROM signing_keys WHERE id = ?", [key_id])
            if raw is None:
                self.keys[key_id] = None
            else:
                if self.trusted is not None and bytes(raw) != self.trusted:
                    self.add("key_replaced", f"签名密钥 {key_id} 与给出的公钥不一致：密钥被替换，签名不可信。")
                self.keys[key_id] = Ed25519PublicKey.from_public_bytes(bytes(raw))
        return self.keys[key_id]

    def check_link(self, seal: Mapping[str, Any], expected_seq: int, prev_chain: str) -> None:
        seq = int(seal["seq"])
        moved = False
        if seq != expected_seq:
            missing = f"第 {expected_seq} 号" if seq == expected_seq + 1 else f"第 {expected_seq}–{seq - 1} 号"
            self.add("record_missing", f"在它之前，{missing}封存记录缺失（被删除）。", seal)
        if chain_hash_of(seal["prev_hash"], seal["content_hash"], seq) != seal["chain_hash"]:
            origin = self.original_seq(seal)
            moved = origin is not None
            if origin is not None:
                self.add("order_swapped", f"记录顺序被调换：它原为第 {origin} 号封存，现在位于第 {seq} 号。", seal)
            else:
                self.add("chain_hash_wrong", "链哈希与其内容哈希、序号不符（哈希被改动）。", seal)
        elif seq == expected_seq and seal["prev_hash"] != prev_chain and not self.previous_moved:
            self.add("chain_broken", "与前一条封存记录的链接断开（前一条记录的哈希被改动）。", seal)
        self.previous_moved = moved
        key = self.public_key(int(seal["key_id"] or 0))
        if key is None:
            self.add("key_missing", f"签名密钥 {seal['key_id']} 不存在，无法核对签名。", seal)
            return
        from cryptography.exceptions import InvalidSignature

        try:
            key.verify(bytes(seal["signature"]), str(seal["chain_hash"]).encode("ascii"))
        except (InvalidSignature, TypeError, ValueError):
            self.add("signature_invalid", "签名无效：哈希被重新计算过，但签名对不上（封存后被改写）。", seal)

    def check_content(self, seal: Mapping[str, Any], document: Mapping[str, Any] | None) -> None:
        if document is None:
            what = SUBJECT_NAMES[seal["subject"]]
            self.add("record_missing", f"{what}（id {seal['subject_id']}）已不存在（被删除）。", seal)
            return
        actual = content_hash_of(document)
        if actual == seal["content_hash"]:
            return
        if document.get("format") == TALK_FORMAT and _first_format_hash(document) == seal["content_hash"]:
            return  # sealed before the moment of sealing was signed: its content is unchanged
        other = self._sealed_elsewhere(seal, document, actual)
        if other is not None and other != seal["seq"]:
            self.add("order_swapped", f"内容与第 {other} 号封存的哈希相同：两条记录被互换。", seal)
        else:
            self.add("content_changed", "内容在封存后被改动（与封存时的哈希不符）。", seal)


    def _sealed_elsewhere(self, seal: Mapping[str, Any], document: Mapping[str, Any], actual: str) -> int | None:
        """The seq of another seal whose content this record is (two records swapped). A talk's content
        includes its moment of sealing, so it is looked for with the moments of the seals nearby, for a
        bounded number of records."""
        other: int | None = self.seq_of_content.get(actual)
        if other is not None or document.get("format") not in (TALK_FORMAT, TALK_FORMAT_PROCEDURE) \
                or self.swaps_searched >= MAX_POSITION_SEARCHES:
            return other
        self.swaps_searched += 1
        seq = int(seal["seq"])
        for candidate in range(max(1, seq - SWAP_WINDOW), seq + SWAP_WINDOW + 1):
            moment = self.sealed_at_of_seq.get(candidate)
            if candidate == seq or moment is None:
                continue
            found: int | None = self.seq_of_content.get(content_hash_of({**document, "sealed_at": moment}))
            if found is not None:
                return found
        return None


def _seal_batches(store: Store) -> Iterator[list[dict[str, Any]]]:
    after = 0
    while True:
        batch = store.query("SELECT * FROM seals WHERE seq > ? ORDER BY seq LIMIT ?", [after, VERIFY_BATCH])
        if not batch:
            return
        yield batch
        after = int(batch[-1]["seq"])


def _status(status: str) -> str:
    return FOLLOWUP_STATUS_LABELS.get(status, status)


def _check_followups(store: Store, checker: _ChainChecker) -> None:
    """A follow-up's current status and evidence must be those of its latest signed change, and no change
    after its first signed one may be unsigned: a 整改 marked 已核实 in the database directly, or a change
    written into its history without a signature, is named. (Follow-ups whose changes all predate signing
    cannot be checked this way.)"""
    rows = store.query(
        "SELECT f.id, f.talk_id, f.status, f.evidence, h.id AS change_id, h.status AS change_status, "
        "h.evidence AS change_evidence, s.seq IS NOT NULL AS signed "
        "FROM followups f JOIN followup_history h ON h.followup_id = f.id "
        "LEFT JOIN seals s ON s.subject = 'followup' AND s.subject_id = h.id "
        "WHERE f.id IN (SELECT h2.followup_id FROM followup_history h2 JOIN seals s2 "
        "               ON s2.subject = 'followup' AND s2.subject_id = h2.id) "
        "ORDER BY f.id, h.id"
    )
    by_followup: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_followup.setdefault(int(row["id"]), []).append(row)
    for followup_id, changes in by_followup.items():
        first_signed = next(index for index, change in enumerate(changes) if change["signed"])
        talk_id = int(changes[0]["talk_id"])
        for change in changes[first_signed:]:
            if not change["signed"]:
                checker.add("followup_unsigned", f"跟踪事项 {followup_id} 有一条没有签名的状态变更（变更记录 "
                            f"{change['change_id']}，“{_status(change['change_status'])}”）：它不是由 tanxin 写入的。",
                            talk_id=talk_id)
        last = changes[-1]
        if last["signed"] and (last["status"], last["evidence"]) != (last["change_status"], last["change_evidence"]):
            checker.add("followup_forged", f"跟踪事项 {followup_id} 的当前状态“{_status(last['status'])}”或整改佐证与最后"
                        f"一条签名的变更（“{_status(last['change_status'])}”）不符：状态在签名之外被改动。", talk_id=talk_id)


def verify_chain(store: Store, kept_head: str | None = None, *, trusted_public_key: str | None = None) -> VerifyReport:
    """Check every seal: its record's content, its link to the previous seal, its signature; sealed talks and
    amendments without a seal; and, given a head kept outside the database, that the chain still reaches it
    unchanged. `trusted_public_key` (PEM, exported earlier) also catches a replaced signing key."""
    kept = None if kept_head is None else parse_head(kept_head)
    own_transaction = not store.conn.in_transaction
    if own_transaction:
        store.execute("BEGIN")  # one snapshot: a concurrent save cannot make the chain look inconsistent
    try:
        checker = _ChainChecker(store, trusted_public_key)
        checked, prev_chain, expected_seq = 0, "", 1
        kept_row: dict[str, Any] | None = None
        for batch in _seal_batches(store):
            documents = _recorded_documents(store, batch)
            for seal in batch:
                checker.check_link(seal, expected_seq, prev_chain)
                checker.check_content(seal, documents.get((seal["subject"], seal["subject_id"])))
                if kept is not None and seal["seq"] == kept[0]:
                    kept_row = seal
                checked += 1
                prev_chain, expected_seq = seal["chain_hash"], int(seal["seq"]) + 1
        for talk in store.query(
            "SELECT id FROM talks WHERE status = 'sealed' "
            "AND id NOT IN (SELECT subject_id FROM seals WHERE subject = 'talk') ORDER BY id"
        ):
            checker.add("seal_missing", "标记为已封存，但封存链中没有它的封存记录（封存记录被删除）。", talk_id=talk["id"])
        for talk in store.query(
            "SELECT DISTINCT s.talk_id FROM seals s JOIN talks t ON t.id = s.talk_id "
            "WHERE s.subject = 'talk' AND t.status <> 'sealed' ORDER BY s.talk_id"
        ):
            checker.add("unsealed", "已封存过，但状态被改回未封存（可能被改写）。", talk_id=talk["talk_id"])
        for amendment in store.query(
            "SELECT id, talk_id FROM amendments "
            "WHERE id NOT IN (SELECT subject_id FROM seals WHERE subject = 'amendment') ORDER BY id"
        ):
            checker.add("seal_missing", f"更正记录 {amendment['id']} 没有封存记录（封存记录被删除）。",
                        talk_id=amendment["talk_id"])
        _check_followups(store, checker)
        head = chain_head(store)
    finally:
        if own_transaction and store.conn.in_transaction:
            store.execute("COMMIT")
    if kept is not None:
        kept_seq, kept_hash = kept
        last_seq = int(head.partition(":")[0])
        if last_seq < kept_seq:
            checker.add("tail_cut", f"链尾被截断：保存的链头为第 {kept_seq} 号，数据库中的链只到第 {last_seq} 号。")
        elif kept_seq > 0 and (kept_row is None or kept_row["chain_hash"] != kept_hash):
            checker.add("head_mismatch", f"第 {kept_seq} 号的链哈希与保存的链头不符：保存链头之后链被改写或重新签名。",
                        kept_row)
    return VerifyReport(checked=checked, head=head, problems=checker.problems, kept_head=kept_head)

