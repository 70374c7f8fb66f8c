-- tanxin schema. The one schema: every database is brought to the latest version by running, in order and
-- each in its own transaction, the sections whose number is above the database's PRAGMA user_version.
-- Never edit a released section; add a new one ("-- version N: what changes") at the end.
--
-- Conventions: dates are ISO text (YYYY-MM-DD), instants are ISO text in local time with seconds
-- (YYYY-MM-DDTHH:MM:SS); Chinese domain values (roles, talk types' names) come from the policy packs and are
-- stored as text; ids of pack objects (talk types, events, rules) are ASCII.

-- version 1: the foundation
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                       -- JSON
) WITHOUT ROWID;

-- Organisation units form a tree: 工委 → 机关党委 → 总支 → 支部 (or 市委会 → 区级组织 → 基层组织).
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    kind TEXT NOT NULL DEFAULT '',            -- 机关党委 / 党总支 / 党支部 / 基层组织 …
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX units_parent_name ON units(coalesce(parent_id, 0), name);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    gender TEXT CHECK (gender IN ('男', '女')),
    birth_date TEXT,                          -- YYYY-MM-DD or YYYY-MM (rosters often keep only the month)
    joined_date TEXT,                         -- 入党/入会时间
    work_start_date TEXT,
    ethnicity TEXT,
    native_place TEXT,
    education TEXT,
    position TEXT,                            -- 职务 as printed on records (单位·职务·姓名)
    phone TEXT,
    unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    membership TEXT,                          -- 正式党员 / 预备党员 / 发展对象 / 会员 …
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'transferred', 'left', 'deceased')),
    identity_key TEXT UNIQUE,                 -- stable identity for re-imports (see prep/roster.py)
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX people_unit ON people(unit_id);
CREATE INDEX people_name ON people(name);

-- Role history: a person holds a role in a unit from start_date until end_date (NULL = still holds it).
-- role '分管' means the person oversees unit_id (班子成员 ↔ heads of the units they oversee).
CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (length(trim(role)) > 0),
    title TEXT NOT NULL DEFAULT '',           -- e.g. 办公室主任, 组织委员
    start_date TEXT,
    end_date TEXT,
    source TEXT NOT NULL DEFAULT '',          -- roster file, decision number …
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
);
CREATE INDEX roles_person ON roles(person_id, end_date);
CREATE INDEX roles_unit_role ON roles(unit_id, role, end_date);

-- 十个清楚: dated, sourced assessments per dimension (dimension ids come from the packs).
CREATE TABLE profile_entries (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    text TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',          -- who said it, how it was learned
    recorded_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX profile_person_dimension ON profile_entries(person_id, dimension, observed_on);

-- 重点人员: the watch list, each flag with its reason; ended_on closes a flag without losing it.
CREATE TABLE watch_flags (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    since TEXT NOT NULL,
    ended_on TEXT,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX watch_person ON watch_flags(person_id, ended_on);

-- Trigger events (任职决定, 免职决定, 退休, 十个必谈 …) that make talks due.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,                 -- pack event id
    occurred_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX events_person ON events(person_id, event_type, occurred_on);
CREATE INDEX events_date ON events(occurred_on);

CREATE TABLE talks (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,                         -- 编号 printed on documents
    talk_type TEXT NOT NULL,                  -- pack talk type id
    category TEXT NOT NULL DEFAULT '',        -- 日常工作类 / 关心关爱类 / 职务任免类 / 警示督促类
    form TEXT NOT NULL DEFAULT '个别' CHECK (form IN ('个别', '集体')),
    channel TEXT NOT NULL DEFAULT '面对面',    -- 面对面 / 电话 / 微信 / 上门 / 书面 / 函询 / 邮件
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'in_progress', 'held', 'sealed', 'cancelled')),
    unit_id INTEGER REFERENCES units(id) ON DELETE RESTRICT,
    event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
    planned_at TEXT,
    started_at TEXT,
    ended_at TEXT,
    place TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',         -- 事由/主题
    summary TEXT NOT NULL DEFAULT '',         -- 信息汇总
    statement TEXT NOT NULL DEFAULT '',       -- 谈话对象表态
    confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    cancel_reason TEXT NOT NULL DEFAULT '',
    refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),  -- 无故拒绝谈话 (000 五(一))
    draft_state TEXT NOT NULL DEFAULT '{}',   -- JSON: where the editor was, so a draft reopens there
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    CHECK (status <> 'cancelled' OR length(trim(cancel_reason)) > 0),
    CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX talks_status ON talks(status);
CREATE INDEX talks_type_time ON talks(talk_type, started_at);
CREATE INDEX talks_started ON talks(started_at);

CREATE TABLE talk_participants (
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
    role TEXT NOT NULL CHECK (role IN ('interviewer', 'interviewee', 'note_taker')),
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (talk_id, role, person_id)
) WITHOUT ROWID;
CREATE INDEX participants_person ON talk_participants(person_id, role, talk_id);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    heading TEXT NOT NULL DEFAULT '',         -- a required point of the type, or 谈思想/谈履职/谈作风/谈生活
    kind TEXT NOT NULL DEFAULT '事实情况'
        CHECK (kind IN ('事实情况', '本人表态', '困难诉求', '意见建议', '发现问题', '谈话人要求')),
    text TEXT NOT NULL DEFAULT '',
    confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),  -- 保密
    offset_seconds INTEGER NOT NULL DEFAULT 0 CHECK (offset_seconds >= 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX entries_talk ON entries(talk_id, position);

-- 函询: the written inquiry and the written reply (004 三.5).
CREATE TABLE inquiries (
    talk_id INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
    sent_on TEXT,
    questions TEXT NOT NULL DEFAULT '',
    received_on TEXT,
    reply TEXT NOT NULL DEFAULT ''
);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    entry_id INTEGER REFERENCES entries(id) ON DELETE SET NULL,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,   -- whom it concerns
    owner_id INTEGER REFERENCES people(id) ON DELETE SET NULL,             -- who must act
    kind TEXT NOT NULL CHECK (kind IN ('整改', '帮扶', '转有关部门', '向党组织汇报', '移送纪检')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    due_on TEXT,
    status TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'in_progress', 'done', 'verified', 'escalated')),
    evidence TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    CHECK (kind <> '整改' OR due_on IS NOT NULL)   -- 整改 always has a deadline
);
CREATE INDEX followups_person ON followups(person_id, status);
CREATE INDEX followups_status_due ON followups(status, due_on);
CREATE INDEX followups_talk ON followups(talk_id);

CREATE TABLE followup_history (
    id INTEGER PRIMARY KEY,
    followup_id INTEGER NOT NULL REFERENCES followups(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'verified', 'escalated')),
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX followup_history_followup ON followup_history(followup_id, id);

-- Corrections to sealed records; each is sealed in turn, the original stays as it was.
CREATE TABLE amendments (
    id INTEGER PRIMARY KEY,
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    change TEXT NOT NULL,                     -- JSON describing the correction
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX amendments_talk ON amendments(talk_id);

-- The signing key pair (Ed25519). The database is encrypted; the private key never leaves it.
CREATE TABLE signing_keys (
    id INTEGER PRIMARY KEY,
    public_key BLOB NOT NULL,
    private_key BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);

-- The seal chain: one row per sealed record (a talk or an amendment), in order. seq is the chain position.
CREATE TABLE seals (
    seq INTEGER PRIMARY KEY,
    subject TEXT NOT NULL CHECK (subject IN ('talk', 'amendment')),
    subject_id INTEGER NOT NULL,
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    content_hash TEXT NOT NULL,               -- SHA-256 of the canonical JSON of the record
    prev_hash TEXT NOT NULL,                  -- chain_hash of seq - 1 ('' for the first)
    chain_hash TEXT NOT NULL,                 -- SHA-256(prev_hash + content_hash + seq)
    signature BLOB NOT NULL,                  -- Ed25519 over chain_hash
    key_id INTEGER NOT NULL REFERENCES signing_keys(id),
    sealed_at TEXT NOT NULL,
    UNIQUE (subject, subject_id)
);
CREATE INDEX seals_talk ON seals(talk_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    action TEXT NOT NULL,                     -- create / update / seal / amend / export / unlock / …
    subject TEXT NOT NULL DEFAULT '',
    subject_id INTEGER,
    detail TEXT NOT NULL DEFAULT '{}'         -- JSON
);
CREATE INDEX audit_subject ON audit_log(subject, subject_id);

-- Sealed records cannot be changed or removed silently: the database refuses it.
CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'sealed: the seal chain cannot be changed'); END;
CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'sealed: the seal chain cannot be changed'); END;

CREATE TRIGGER talks_sealed_no_update BEFORE UPDATE ON talks
WHEN OLD.status = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER talks_sealed_no_delete BEFORE DELETE ON talks
WHEN OLD.status = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be deleted'); END;

CREATE TRIGGER entries_sealed_no_insert BEFORE INSERT ON entries
WHEN (SELECT status FROM talks WHERE id = NEW.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER entries_sealed_no_update BEFORE UPDATE ON entries
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER entries_sealed_no_delete BEFORE DELETE ON entries
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;

CREATE TRIGGER participants_sealed_no_insert BEFORE INSERT ON talk_participants
WHEN (SELECT status FROM talks WHERE id = NEW.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER participants_sealed_no_update BEFORE UPDATE ON talk_participants
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER participants_sealed_no_delete BEFORE DELETE ON talk_participants
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;

CREATE TRIGGER inquiries_sealed_no_update BEFORE UPDATE ON inquiries
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER inquiries_sealed_no_delete BEFORE DELETE ON inquiries
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;

CREATE TRIGGER amendments_sealed_no_update BEFORE UPDATE ON amendments
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'amendment' AND subject_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed amendment cannot be changed'); END;
CREATE TRIGGER amendments_sealed_no_delete BEFORE DELETE ON amendments
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'amendment' AND subject_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed amendment cannot be changed'); END;

-- The audit log is append-only.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- version 2: talks listed by when they were held
-- held_at = coalesce(started_at, planned_at) is what the talk list pages through (latest first) and filters by
-- year; at 200,000 talks a page must not sort the whole table (notes/talks.py list_talks uses this expression).
CREATE INDEX talks_held_at ON talks(coalesce(started_at, planned_at));

-- version 3: the due engine reads the talks since a date from one index
-- prep/due.py (TALKS_SINCE_SQL) reads every talk since a day with its status, type, form and event; with these
-- in the index SQLite answers from the index alone instead of decrypting the talks' pages with their texts
-- (at 200,000 talks: 559 ms → 329 ms on SQLCipher, measured).
CREATE INDEX talks_due ON talks(coalesce(started_at, planned_at), status, talk_type, form, event_id);

-- version 4: why a 重点人员 flag was ended
-- Ending a flag keeps it (ended_on) and now also says why (考察期满、问题已查清 …), so the watch list's history
-- answers "why is this person no longer watched" without reading the audit log. Flags ended before this
-- version have no reason: ''.
ALTER TABLE watch_flags ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';

-- version 5: waivers, acknowledgements and delegates in the compliance record
-- A duty nobody will hold (the person left, the event was recorded in error) is waived with a reason; a frequency
-- duty of a year that ended unmet is acknowledged with a reason (“2026 年未完成”, 年度总结已说明). Both are
-- records of the compliance record (prep/compliance.py, docs/compliance.md): written once, never changed or
-- removed, like an amendment. `obligation` is the id the due engine gives the duty ("event:12:appointment:after",
-- "rule:head_team:3:7:2026"), or "year:2026" for every missed frequency duty of a year at once.
CREATE TABLE compliance_notes (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('waiver', 'acknowledgement')),
    obligation TEXT NOT NULL,
    year INTEGER NOT NULL,
    person_id INTEGER REFERENCES people(id) ON DELETE RESTRICT,  -- whom the duty was about (NULL: a whole year)
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX compliance_notes_year ON compliance_notes(year, obligation);
CREATE TRIGGER compliance_notes_no_update BEFORE UPDATE ON compliance_notes
BEGIN SELECT RAISE(ABORT, 'sealed: a waiver or acknowledgement cannot be changed'); END;
CREATE TRIGGER compliance_notes_no_delete BEFORE DELETE ON compliance_notes
BEGIN SELECT RAISE(ABORT, 'sealed: a waiver or acknowledgement cannot be changed'); END;
CREATE TRIGGER compliance_notes_no_replace BEFORE INSERT ON compliance_notes
WHEN EXISTS (SELECT 1 FROM compliance_notes WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a waiver or acknowledgement cannot be changed'); END;
-- A talk held by someone standing in for the interviewer a rule names (000 二(二)6: 机关党委指派的组织员; the
-- 书记 away and a 支委 sent instead): the delegate, the role they stood in for, and why. The due engine then
-- counts the talk as held by that role. Written once, like the notes above.
CREATE TABLE talk_delegates (
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE RESTRICT,
    role TEXT NOT NULL,                       -- the role the rule names (支委, 班子成员 …)
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
    PRIMARY KEY (talk_id, person_id, role)
);
CREATE TRIGGER talk_delegates_no_update BEFORE UPDATE ON talk_delegates
BEGIN SELECT RAISE(ABORT, 'sealed: a delegation cannot be changed'); END;
CREATE TRIGGER talk_delegates_no_delete BEFORE DELETE ON talk_delegates
BEGIN SELECT RAISE(ABORT, 'sealed: a delegation cannot be changed'); END;
CREATE TRIGGER talk_delegates_no_replace BEFORE INSERT ON talk_delegates
WHEN EXISTS (SELECT 1 FROM talk_delegates WHERE talk_id = NEW.talk_id AND person_id = NEW.person_id
             AND role = NEW.role)
BEGIN SELECT RAISE(ABORT, 'sealed: a delegation cannot be changed'); END;

-- version 6: one editor per talk, entry versions, and the holes in the sealed-row triggers closed
-- A window that edits a talk holds its lease (notes/leases.py): a second window opens the talk read-only, or
-- takes it over explicitly; the command line refuses to write it. The holder is a token per window, with its
-- process id and host so the message can say who, and a heartbeat so a crashed window's lease lapses.
CREATE TABLE talk_leases (
    talk_id INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
    holder TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
-- Every write of an entry's text raises its version; a write made against an older version is a conflict,
-- kept as a new entry beside the newer text (notes/autosave.py), never written over it.
ALTER TABLE entries ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Follow-up changes are links of the seal chain (notes/seal.py seal_followup_change): who made a 整改 已核实,
-- with what evidence, is signed like a record, so a forged or deleted change is named by verify. The chain's
-- table is rebuilt to admit the new subject (a CHECK cannot be altered); its rows are copied unchanged. The
-- legacy rename leaves the triggers of other tables that name `seals` as they are, so they find the new table.
PRAGMA legacy_alter_table = ON;
CREATE TABLE seals_v6 (
    seq INTEGER PRIMARY KEY,
    subject TEXT NOT NULL CHECK (subject IN ('talk', 'amendment', 'followup')),
    subject_id INTEGER NOT NULL,              -- talks.id, amendments.id or followup_history.id
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    content_hash TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    chain_hash TEXT NOT NULL,
    signature BLOB NOT NULL,
    key_id INTEGER NOT NULL REFERENCES signing_keys(id),
    sealed_at TEXT NOT NULL,
    UNIQUE (subject, subject_id)
);
INSERT INTO seals_v6 (seq, subject, subject_id, talk_id, content_hash, prev_hash, chain_hash, signature, key_id, sealed_at)
SELECT seq, subject, subject_id, talk_id, content_hash, prev_hash, chain_hash, signature, key_id, sealed_at FROM seals;
DROP TABLE seals;
ALTER TABLE seals_v6 RENAME TO seals;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX seals_talk ON seals(talk_id);
CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'sealed: the seal chain cannot be changed'); END;
CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'sealed: the seal chain cannot be changed'); END;
-- The state of the follow-up after each change, as signed (the follow-up's row holds only the latest).
ALTER TABLE followup_history ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
CREATE TRIGGER followup_history_signed_no_update BEFORE UPDATE ON followup_history
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'followup' AND subject_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up change cannot be changed'); END;
CREATE TRIGGER followup_history_signed_no_delete BEFORE DELETE ON followup_history
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'followup' AND subject_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up change cannot be changed'); END;
CREATE TRIGGER followup_history_signed_no_replace BEFORE INSERT ON followup_history
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'followup' AND subject_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up change cannot be changed'); END;
-- What a follow-up is (whom it concerns, its kind, wording and deadline) is signed with its first change and
-- never changes after; its status and evidence change only with a new signed change.
CREATE TRIGGER followups_signed_fixed BEFORE UPDATE OF talk_id, person_id, kind, title, due_on ON followups
WHEN EXISTS (SELECT 1 FROM followup_history h JOIN seals s ON s.subject = 'followup' AND s.subject_id = h.id
             WHERE h.followup_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up cannot be changed'); END;
CREATE TRIGGER followups_signed_no_delete BEFORE DELETE ON followups
WHEN EXISTS (SELECT 1 FROM followup_history h JOIN seals s ON s.subject = 'followup' AND s.subject_id = h.id
             WHERE h.followup_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up cannot be changed'); END;
CREATE TRIGGER followups_signed_no_replace BEFORE INSERT ON followups
WHEN EXISTS (SELECT 1 FROM followup_history h JOIN seals s ON s.subject = 'followup' AND s.subject_id = h.id
             WHERE h.followup_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a signed follow-up cannot be changed'); END;

-- INSERT OR REPLACE deletes the row it replaces without firing delete triggers (recursive_triggers is off
-- by default, and an attacker's connection chooses it): refuse the insert itself when it would replace a
-- sealed row or a link of the chain.
CREATE TRIGGER talks_sealed_no_replace BEFORE INSERT ON talks
WHEN EXISTS (SELECT 1 FROM talks WHERE status = 'sealed' AND (id = NEW.id OR code = NEW.code))
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be replaced'); END;
CREATE TRIGGER talks_sealed_no_code_takeover BEFORE UPDATE OF code ON talks
WHEN EXISTS (SELECT 1 FROM talks WHERE status = 'sealed' AND code = NEW.code AND id <> OLD.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be replaced'); END;
CREATE TRIGGER entries_sealed_no_replace BEFORE INSERT ON entries
WHEN EXISTS (SELECT 1 FROM entries e JOIN talks t ON t.id = e.talk_id WHERE e.id = NEW.id AND t.status = 'sealed')
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER inquiries_sealed_no_insert BEFORE INSERT ON inquiries
WHEN (SELECT status FROM talks WHERE id = NEW.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER seals_no_replace BEFORE INSERT ON seals
WHEN EXISTS (SELECT 1 FROM seals WHERE seq = NEW.seq OR (subject = NEW.subject AND subject_id = NEW.subject_id))
BEGIN SELECT RAISE(ABORT, 'sealed: the seal chain cannot be changed'); END;
CREATE TRIGGER amendments_sealed_no_replace BEFORE INSERT ON amendments
WHEN EXISTS (SELECT 1 FROM seals WHERE subject = 'amendment' AND subject_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed amendment cannot be changed'); END;
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- version 7: the procedure of a 提醒, 诫勉 or 函询 beside its talk
-- A 诫勉 is decided before it is delivered (004 三.6): the 诫勉通知书 names the decision's date, the organisation
-- that decided and its 文号 (when it has one). A 函询 asks for the written reply by a date (004 三.5). The 事由 is
-- the talk's subject, sealed with it. Like the 函询 itself, these rows cannot change once the talk is sealed.
CREATE TABLE talk_procedures (
    talk_id INTEGER PRIMARY KEY REFERENCES talks(id) ON DELETE CASCADE,
    decided_on TEXT,                          -- 诫勉决定 date
    decided_by TEXT NOT NULL DEFAULT '',      -- the organisation that decided
    decision_number TEXT NOT NULL DEFAULT '', -- 文号, '' when the decision has none
    reply_due_on TEXT                         -- 函询: reply requested by this day
);
CREATE TRIGGER talk_procedures_sealed_no_insert BEFORE INSERT ON talk_procedures
WHEN (SELECT status FROM talks WHERE id = NEW.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER talk_procedures_sealed_no_update BEFORE UPDATE ON talk_procedures
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;
CREATE TRIGGER talk_procedures_sealed_no_delete BEFORE DELETE ON talk_procedures
WHEN (SELECT status FROM talks WHERE id = OLD.talk_id) = 'sealed'
BEGIN SELECT RAISE(ABORT, 'sealed: a sealed talk cannot be changed; add an amendment'); END;

-- version 8: time away from a talk in progress (暂离)
-- esc 暂离 on 谈话中 pauses the talk's timer. away_since is the moment the interviewer stepped away (NULL when not
-- away); each time away closed (by coming back, or by ending or cancelling the talk while away) is a row of
-- talk_away. A talk's time is its end (or the moment of stepping away, or now) minus its start, minus the part of
-- each closed time away that lies between the two (notes/talk_pause.py, docs/talk-time.md): kept as periods, not
-- as one total, so an end typed later (`talk end --at`) before a time away counts none of it. The time away is
-- informative: the sealed content keeps started_at and ended_at as before. It is written only while the talk is
-- in progress (the CHECK, the insert trigger) and never changed after (append-only).
ALTER TABLE talks ADD COLUMN away_since TEXT CHECK (away_since IS NULL OR status = 'in_progress');
CREATE TABLE talk_away (
    talk_id INTEGER NOT NULL REFERENCES talks(id) ON DELETE RESTRICT,
    since TEXT NOT NULL,
    until TEXT NOT NULL CHECK (until >= since)
);
CREATE INDEX talk_away_talk ON talk_away(talk_id);
CREATE TRIGGER talk_away_only_in_progress BEFORE INSERT ON talk_away
WHEN (SELECT status FROM talks WHERE id = NEW.talk_id) IS NOT 'in_progress'
BEGIN SELECT RAISE(ABORT, 'away: time away is recorded only while the talk is in progress'); END;
CREATE TRIGGER talk_away_no_update BEFORE UPDATE ON talk_away
BEGIN SELECT RAISE(ABORT, 'away: a time away once recorded cannot be changed'); END;
CREATE TRIGGER talk_away_no_delete BEFORE DELETE ON talk_away
BEGIN SELECT RAISE(ABORT, 'away: a time away once recorded cannot be deleted'); END;
-- A talk left in progress before this version was left at the last moment anything was written for it: from
-- then on it is away, not days of talk time when it is opened again.
UPDATE talks SET away_since = coalesce(
        (SELECT max(e.updated_at) FROM entries e WHERE e.talk_id = talks.id AND e.updated_at > talks.updated_at),
        updated_at)
WHERE status = 'in_progress';
-- Indexes kept only for the rows that are read. A seal commits its seals row and its audit row, and every page a
-- commit writes is encrypted and written to the WAL before the sync (here ~20-30 µs a page, against ~200 µs for
-- a commit of one page: tests/bench seal). Two whole-table indexes were read for a few rows only: the audit log by
-- subject only for the database's own events (when it was created, whether it is the demo: prep/due.py
-- tracking_start, notes/documents/docxfile.py), the chain by talk only for a talk's amendments
-- (notes/model.py load_amendments). Partial indexes serve those reads, and the seal of a talk or of a follow-up
-- change writes to neither. (No talk is ever deleted, so seals.talk_id's foreign key needs no index.)
DROP INDEX IF EXISTS audit_subject;
CREATE INDEX audit_database ON audit_log(action, at) WHERE subject = 'database';
DROP INDEX IF EXISTS seals_talk;
CREATE INDEX seals_amendments ON seals(talk_id) WHERE subject = 'amendment';

-- version 9: an index of the talks still to be held
-- 工作台 lists every planned or in-progress talk with its people (notes/talk_queries.py open_talks) each time it is
-- shown. Found through talks_status, each such talk was then read from the talks table, a page decrypted for
-- nearly every one (~16 ms at the start of an organisation of 20,000 talks). The talks still to be held are
-- few whatever the size of the record: an index of only them, holding every column the list reads, answers it
-- alone (~9 ms). A held or sealed talk is not in it, so holding and sealing write nothing more.
CREATE INDEX talks_open ON talks(status, coalesce(started_at, planned_at), talk_type, planned_at, started_at,
                                 away_since)
WHERE status IN ('planned', 'in_progress');
