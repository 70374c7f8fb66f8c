"""A believable, entirely fictional organisation to try tanxin on: a 机关党委 with three branches.

About forty people with roles and role history, 十个清楚 profiles of varying completeness and age, a watch
list, a year of talks of every type (most sealed, some holding 保密 entries), follow-ups (some overdue) and
events that make talks due. Everything is drawn from one `random.Random(seed)`, and dates are placed relative to
the day it is made for, so the same seed and day give the same database.

The demo's year is the twelve months that end on that day, whatever the day (3 January and 29 February too):
every record is in the past, only plans and a known retirement date lie ahead. While it writes, the demo moves a
clock of its own along the year, so each row is stamped when it would have been typed, and every status change
comes after the thing it changes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from notes import followups, seal, talks
from notes.clock import Clock, FixedClock, process_clock
from notes.inquiry import record_reply, set_inquiry
from notes.procedure import set_procedure
from notes.store import Store
from notes.unlock import init_database
from notes.vocabulary import GENERAL_HEADINGS
from prep.active import active_policy
from prep.demo_texts import DemoWriter
from prep.packs import TalkType

ORGANISATION = "青川市发展和改革委员会机关党委"
BRANCHES = (
    ("机关第一党支部", "综合处室"),
    ("机关第二党支部", "业务处室"),
    ("离退休干部党支部", "离退休干部"),
)
DEMO_PACKS = ("suzhou-2018", "cadre-talks", "practice")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢傅钟"
GIVEN = ["建国", "志强", "秀英", "海燕", "丽华", "文静", "晓明", "国华", "建华", "玉兰", "春梅", "立新", "红梅", "俊杰", "雪梅", "振华", "永刚", "桂芳", "淑珍", "晓燕", "宏伟", "子涵", "欣怡", "浩然", "思远", "嘉怡", "明轩", "雨桐", "一鸣", "佳琪", "泽宇", "梦瑶", "天佑", "若曦", "博文", "静怡", "宇航", "晨曦"]
# Rosters really contain names like these: a name with a middle dot and a two-character name.
SPECIAL_NAMES = ("阿依古丽·买买提", "司马 倩")

TITLES_BY_BRANCH = {
    0: ("办公室主任", "办公室副主任", "人事处处长", "人事处四级调研员", "财务处科员", "办公室科员", "机关党办干事"),
    1: ("规划处处长", "价格处副处长", "投资处处长", "产业处一级主任科员", "价格处科员", "投资处科员", "规划处科员"),
    2: ("退休干部",),
}

PROFILE_TEXTS = {
    "basic": ["{year}年参加工作，大学本科学历，籍贯本省。", "研究生学历，先后在基层和机关工作，履历完整。"],
    "political": ["政治立场坚定，能主动学习党的创新理论。", "理论学习较被动，组织生活偶有缺席。"],
    "habits": ["性格内向，做事细致，爱好书法。", "性格直爽，喜欢运动，表达直接。"],
    "performance": ["业务能力强，年度考核优秀，与同事关系融洽。", "近期工作积极性有所下降，希望调整岗位。"],
    "difficulties": ["子女入学有困难。", "暂无明显困难。", "配偶长期异地工作，家中老人需照顾。"],
    "family": ["父亲生病住院，经济负担较重。", "家庭和睦，无特殊情况。", "近期办理婚事。"],
    "social": ["社交圈以同学同事为主。", "与个别企业人员往来较多，需关注。"],
    "economic": ["消费正常。", "有一笔较大额度的个人借款，需进一步了解。"],
    "away": ["正在外单位借调。", "参加半年期脱产培训。", "无在外情况。"],
    "watch": ["情绪波动较大，需重点关心。", "近期与同事关系紧张。"],
}
DIMENSION_STALENESS_SPREAD_DAYS = 900  # some entries are years old, so staleness shows in the demo
# The time of day things are written down, when the demo has no better idea.
END_OF_WORKDAY = time(17, 0)

# 保密 entries (never on a copy for signature): who reported a problem and what a petition said, in the talks
# about a problem; a diagnosis confided in an everyday or care talk.
CONFIDENTIAL_SAMPLES = {
    "reminder": ("反映人为{branch}的一名同志（身份严格保密，不得透露），所反映情况发生在{month}月。",),
    "admonition": ("涉及{month}月收到的一件信访件的具体内容，仅供组织掌握。",),
    "routine": ("本人透露家人{day}前后确诊的具体病情，请勿外传。",),
    "care": ("{name}同志家属谈到的病情诊断和治疗费用细节，请勿外传。",),
}
# How much of a type's script a talk covers: the 职务任免 and 警示督促 talks go through every required point
# (004 三.1–三.6); an everyday talk touches some of them.
# Where the problem of a 提醒 or 诫勉 came to the organisation's notice (004 三.4: 信访、考核、巡察、审计 …).
REASON_SOURCES = ("群众来信反映其", "年度考核中有意见反映其", "日常监督检查中发现其")
FULL_SCRIPT_TYPES = frozenset({"appointment", "removal", "retirement", "reminder", "admonition"})
RETIREMENT_AGE = 60
PLACES = ("机关党委书记办公室", "三楼小会议室", "支部活动室", "本人家中（上门）", "市第一人民医院")


@dataclass
class DemoPerson:
    id: int
    name: str
    unit_id: int
    branch: int | None
    roles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoYear:
    """The demo's year: the twelve months up to `now`, when it is made. Dates inside it are fractions of it,
    so "in spring" or "in the first half" mean the same share of the year on any day."""

    now: datetime

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def start(self) -> date:
        return self.today - timedelta(days=365)

    @property
    def set_up(self) -> datetime:
        """When the unit set tanxin up and typed in what it knew: a month before the demo's year."""
        return datetime.combine(self.start - timedelta(days=30), time(9, 0))

    def part(self, fraction: float) -> date:
        """The day `fraction` of the way through the year (0: its first day, 1: today)."""
        return self.start + timedelta(days=round((self.today - self.start).days * fraction))

    def written(self, day: date, at: time = END_OF_WORKDAY) -> datetime:
        """When something of `day` was written down: that day at `at`, but never after now."""
        return min(datetime.combine(day, at), self.now)


@dataclass
class DemoOrganisation:
    root_id: int
    branch_ids: list[int]
    people: list[DemoPerson]

    def with_role(self, role: str, branch: int | None = None) -> list[DemoPerson]:
        return [p for p in self.people if role in p.roles and (branch is None or p.branch == branch)]


def _names(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set(SPECIAL_NAMES)
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def _day(rng: random.Random, start: date, end: date) -> date:
    span = max((end - start).days, 0)
    return start + timedelta(days=rng.randint(0, span))


def _at(day: date, rng: random.Random) -> str:
    return datetime.combine(day, time(rng.choice((9, 10, 14, 15, 16)), rng.choice((0, 30)))).isoformat()


def _build_organisation(store: Store, rng: random.Random, demo: DemoYear) -> DemoOrganisation:
    year = demo.today.year
    root_id = store.insert("units", {"name": ORGANISATION, "kind": "机关党委", "sort_order": 0})
    branch_ids = [
        store.insert("units", {"name": name, "kind": "党支部", "parent_id": root_id, "sort_order": i + 1})
        for i, (name, _) in enumerate(BRANCHES)
    ]
    names = _names(rng, 40 - len(SPECIAL_NAMES))
    names[7:7] = list(SPECIAL_NAMES)
    people: list[DemoPerson] = []

    def add_person(name: str, branch: int | None, title: str, membership: str) -> DemoPerson:
        born = date(rng.randint(1962, 1998) if branch != 2 else rng.randint(1948, 1962), rng.randint(1, 12), 1)
        joined = date(min(born.year + rng.randint(20, 32), year - 1), rng.randint(1, 12), 1)
        unit_id = root_id if branch is None else branch_ids[branch]
        person_id = store.insert(
            "people",
            {
                "name": name,
                "gender": rng.choice(("男", "女")),
                "birth_date": born.strftime("%Y-%m"),
                "joined_date": joined.strftime("%Y-%m"),
                "work_start_date": f"{born.year + 22}-07",
                "ethnicity": "维吾尔族" if "·" in name else "汉族",
                "native_place": rng.choice(("青川", "江州", "南平", "临安")),
                "education": rng.choice(("大学本科", "研究生", "大学专科")),
                "position": title,
                "unit_id": unit_id,
                "membership": membership,
                "identity_key": f"{name}|{born.strftime('%Y-%m')}",
            },
        )
        person = DemoPerson(person_id, name, unit_id, branch)
        people.append(person)
        return person

    def give_role(person: DemoPerson, unit_id: int, role: str, title: str = "", since: str | None = None) -> None:
        store.insert(
            "roles",
            {"person_id": person.id, "unit_id": unit_id, "role": role, "title": title,
             "start_date": since or f"{year - rng.randint(1, 6)}-0{rng.randint(1, 9)}-01", "source": "演示数据"},
        )
        person.roles.append(role)

    name_iter = iter(names)
    # The 机关党委's leadership: its secretary (主要负责同志) and four 班子成员, each overseeing a branch or two.
    secretary = add_person(next(name_iter), None, "机关党委书记", "正式党员")
    give_role(secretary, root_id, "主要负责同志", "机关党委书记")
    give_role(secretary, root_id, "党员")
    team_titles = ("机关党委副书记", "机关纪委书记", "组织委员", "宣传委员")
    team = []
    for index, title in enumerate(team_titles):
        member = add_person(next(name_iter), None, title, "正式党员")
        give_role(member, root_id, "班子成员", title)
        give_role(member, root_id, "党员")
        give_role(member, branch_ids[index % len(branch_ids)], "分管", f"分管{BRANCHES[index % 3][0]}")
        team.append(member)

    for branch, (branch_name, _) in enumerate(BRANCHES):
        unit_id = branch_ids[branch]
        size = 13 if branch < 2 else 8
        titles = TITLES_BY_BRANCH[branch]
        for index in range(size):
            membership = "正式党员"
            if branch < 2 and index == size - 1:
                membership = "发展对象"
            elif branch < 2 and index == size - 2:
                membership = "预备党员"
            person = add_person(next(name_iter), branch, rng.choice(titles), membership)
            if index == 0:
                give_role(person, unit_id, "支部书记", f"{branch_name}书记")
                give_role(person, unit_id, "部门负责人", titles[0])
            elif index in (1, 2):
                give_role(person, unit_id, "支委", ("组织委员", "纪检委员")[index - 1])
            if membership == "发展对象":
                give_role(person, unit_id, "发展对象")
            else:
                give_role(person, unit_id, "预备党员" if membership == "预备党员" else "党员")
            if branch == 2:
                give_role(person, unit_id, "离退休")
            elif index == 5:
                give_role(person, unit_id, "流动党员", "借调外单位")
            elif index == 8:
                give_role(person, unit_id, "生病住院")
    # Role history: one member used to be a 支委 of another branch until a quarter into the demo's year.
    moved = next(p for p in people if p.branch == 1 and "支委" not in p.roles and "支部书记" not in p.roles)
    store.insert(
        "roles",
        {"person_id": moved.id, "unit_id": branch_ids[0], "role": "支委", "title": "宣传委员",
         "start_date": f"{demo.start.year - 2}-03-01", "end_date": demo.part(0.25).isoformat(), "source": "演示数据"},
    )
    return DemoOrganisation(root_id, branch_ids, people)


def _add_profiles(store: Store, rng: random.Random, org: DemoOrganisation, demo: DemoYear) -> None:
    """What was known of each person: older knowledge typed in when the database was set up, newer on the day."""
    today = demo.today
    dimensions = list(PROFILE_TEXTS)
    author = org.people[0].id

    def typed(day: date) -> str:
        return max(demo.set_up, demo.written(day)).isoformat()

    for person in org.people:
        completeness = rng.choice((0.2, 0.5, 0.8, 1.0))
        for dimension in dimensions:
            if dimension == "watch" or rng.random() > completeness:
                continue
            observed = today - timedelta(days=rng.randint(5, DIMENSION_STALENESS_SPREAD_DAYS))
            text = rng.choice(PROFILE_TEXTS[dimension]).format(year=today.year - rng.randint(5, 30))
            store.insert(
                "profile_entries",
                {"person_id": person.id, "dimension": dimension, "text": text,
                 "observed_on": observed.isoformat(), "source": rng.choice(("本人谈话", "支部书记反映", "同事反映", "档案")),
                 "recorded_by": author, "created_at": typed(observed)},
            )
    for person in rng.sample([p for p in org.people if p.branch in (0, 1)], 3):
        reason = rng.choice(PROFILE_TEXTS["watch"])
        since = today - timedelta(days=rng.randint(10, 200))
        store.insert("watch_flags", {"person_id": person.id, "reason": reason, "since": since.isoformat(),
                                     "source": "支部研究确定"})
        store.insert("profile_entries", {"person_id": person.id, "dimension": "watch", "text": reason,
                                         "observed_on": since.isoformat(), "source": "支部研究确定",
                                         "recorded_by": org.people[0].id, "created_at": typed(since)})


@dataclass(frozen=True)
class PlannedTalk:
    talk_type: str
    interviewer: DemoPerson
    interviewee: DemoPerson
    day: date
    status: str  # sealed / held / planned / cancelled
    channel: str = "面对面"
    event_id: int | None = None


def _talk_plan(rng: random.Random, org: DemoOrganisation, demo: DemoYear) -> list[PlannedTalk]:
    today = demo.today
    secretary = org.people[0]
    team = org.with_role("班子成员")
    start = demo.start + timedelta(days=4)
    recent = today - timedelta(days=3)
    plan: list[PlannedTalk] = []

    def when(latest: date = recent) -> date:
        return _day(rng, start, latest)

    def add(talk_type: str, interviewer: DemoPerson, interviewee: DemoPerson, day: date, **kw: object) -> None:
        status = str(kw.pop("status", "sealed" if day < today - timedelta(days=14) else "held"))
        plan.append(PlannedTalk(talk_type, interviewer, interviewee, day, status, **kw))  # type: ignore[arg-type]

    # 主要负责同志 with most 班子成员, 班子成员 with each other (三必谈): some pairs still missing this year.
    for member in team[:3]:
        add("routine", secretary, member, when())
    add("mutual", team[0], team[1], when())
    # Branch secretaries with their 支委 and members: partial coverage, so the dashboard has work to show.
    for branch in (0, 1, 2):
        branch_secretary = org.with_role("支部书记", branch)[0]
        committee = org.with_role("支委", branch)
        for member in committee:
            add("routine", branch_secretary, member, when(demo.part(0.5)))
        members = [p for p in org.people if p.branch == branch and p is not branch_secretary]
        for member in rng.sample(members, (len(members) * 2) // 3):
            talk_type = "care" if "生病住院" in member.roles or "离退休" in member.roles else "routine"
            channel = "上门" if "生病住院" in member.roles else ("电话" if "流动党员" in member.roles else "面对面")
            add(talk_type, branch_secretary, member, when(), channel=channel)
        developing = org.with_role("发展对象", branch)
        for member in developing:
            add("joining", branch_secretary, member, when())
    # Warnings: a 提醒谈话 by 函询, another face to face, a 诫勉谈话 with its 整改 follow-up.
    ordinary = [p for p in org.people if p.branch in (0, 1) and "党员" in p.roles and len(p.roles) == 1]
    reminded, written, admonished = rng.sample(ordinary, 3)
    add("reminder", team[1], reminded, when())
    add("reminder", team[1], written, when(), channel="函询")
    add("admonition", secretary, admonished, when(today - timedelta(days=60)))
    # A removal and a retirement earlier in the year, each held within the week 004 allows.
    leaving = [p for p in org.people if p.branch == 2]
    add("retirement", secretary, leaving[-1], when(demo.part(0.33)))
    add("removal", team[0], rng.choice([p for p in ordinary if p not in (reminded, written, admonished)]),
        when(demo.part(0.66)))
    # A refusal (000 五(一)) and an upcoming planned talk.
    add("routine", team[2], rng.choice(ordinary), when(), status="cancelled")
    add("routine", secretary, team[3], today + timedelta(days=3), status="planned")
    return sorted(plan, key=lambda p: p.day)


def _add_events(store: Store, rng: random.Random, org: DemoOrganisation, demo: DemoYear) -> dict[str, int]:
    """Events that make talks due: a fresh appointment, an overdue one, a removal, a coming retirement (known,
    and written down, before its day)."""
    today = demo.today
    ordinary = [p for p in org.people if p.branch in (0, 1) and "党员" in p.roles]
    appointed_recently, appointed_overdue, removed, family = rng.sample(ordinary, 4)
    retiring = next(p for p in org.people if p.branch == 1 and "支部书记" in p.roles)
    ids: dict[str, int] = {}
    for key, person, event_type, day, note in (
        ("appointed_recently", appointed_recently, "appointment_decision", today - timedelta(days=2),
         "任命为价格处副处长（青发改党〔2026〕12号）"),
        ("appointed_overdue", appointed_overdue, "appointment_decision", today - timedelta(days=12),
         "交流任职为投资处处长"),
        ("removed", removed, "removal_decision", today - timedelta(days=5), "免去办公室副主任职务"),
        ("retiring", retiring, "retirement", today + timedelta(days=5), "到龄退休"),
        ("appointed_done", org.with_role("班子成员")[3], "appointment_decision", demo.part(0.16),
         "任命为机关党委宣传委员"),
        ("family", family, "family_misfortune", today - timedelta(days=9), "家中老人病故"),
    ):
        ids[key] = store.insert(
            "events", {"person_id": person.id, "event_type": event_type, "occurred_on": day.isoformat(), "note": note,
                       "created_at": demo.written(day).isoformat()}
        )
    return ids


def _hold_talk(store: Store, rng: random.Random, plan: PlannedTalk, org: DemoOrganisation, talk_type: TalkType,
               demo: DemoYear, clock: FixedClock, writer: DemoWriter) -> int:
    """Create the talk and take it as far as the plan says: planned, cancelled, held or sealed. The clock is
    moved to each step's moment first, so the record is stamped as if typed then."""
    # The 机关党办's clerks take notes, never of a talk they sit in as interviewer or interviewee.
    note_taker = rng.choice([p for p in org.people if p.branch == 0 and p not in (plan.interviewer, plan.interviewee)][:4])
    planned_at = _at(plan.day, rng)
    planned = datetime.fromisoformat(planned_at)
    # Arranged a couple of days ahead; a 函询 is arranged before its letter goes out, ten days before.
    clock.set(min(planned - timedelta(days=12 if plan.channel == "函询" else 2), demo.now))
    talk_id = talks.create_talk(
        store,
        talk_type=plan.talk_type,
        category=talk_type.category,
        interviewers=[plan.interviewer.id],
        interviewees=[plan.interviewee.id],
        note_taker=note_taker.id,
        channel=plan.channel,
        planned_at=planned_at,
        place="" if plan.channel in ("电话", "函询") else rng.choice(PLACES[:3] if plan.channel != "上门" else PLACES[3:]),
        subject=f"{plan.interviewee.name}同志{talk_type.name}",
        event_id=plan.event_id,
    )
    if plan.status == "planned":
        return talk_id
    if plan.status == "cancelled":
        clock.set(planned)
        talks.cancel_talk(store, talk_id, "谈话对象无正当理由拒绝谈话，已报上级党组织", refused=True)
        return talk_id
    if plan.channel == "函询":
        sent = plan.day - timedelta(days=10)
        clock.set(demo.written(sent))
        set_inquiry(store, talk_id, sent_on=sent.isoformat(), questions="请就群众反映的工作作风问题作出书面说明。")
        received = sent + timedelta(days=7)
        clock.set(demo.written(received))
        record_reply(store, talk_id, received_on=received.isoformat(),
                     reply="本人已认真对照检查，情况说明如下：……今后将严格要求自己。")
    clock.set(planned)
    talks.start_talk(store, talk_id)
    headings = [point.text for point in talk_type.points] or list(GENERAL_HEADINGS)
    person = store.query_one("SELECT p.position, coalesce(u.name, '') AS unit FROM people p "
                             "LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = ?", [plan.interviewee.id])
    assert person is not None
    facts = {"name": plan.interviewee.name, "post": person["position"] or "现", "branch": person["unit"],
             "month": str(plan.day.month), "day": f"{plan.day.month}月{plan.day.day}日"}
    written = writer.write(plan.talk_type, headings, GENERAL_HEADINGS, facts,
                           keep=1.0 if plan.talk_type in FULL_SCRIPT_TYPES else rng.uniform(0.5, 0.9))
    offset = 0
    problem_entry: int | None = None
    difficulty_entry: int | None = None

    def note(text: str, heading: str, kind: str, *, confidential: bool = False) -> int:
        clock.set(planned + timedelta(seconds=offset))
        return talks.add_entry(store, talk_id, text=text, heading=heading, kind=kind, confidential=confidential)

    for line in written.lines:
        offset += rng.randint(60, 400)
        entry_id = note(line.text, line.heading, line.kind)
        if line.kind == "发现问题":
            problem_entry = entry_id
        if line.kind == "困难诉求":
            difficulty_entry = entry_id
    secrets = CONFIDENTIAL_SAMPLES.get(plan.talk_type, ())
    if (rng.random() < 0.3 or plan.talk_type in ("reminder", "admonition")) and secrets:
        offset += 60
        secret = rng.choice(secrets).format(**facts)
        note(secret if secret not in writer.used else f"{secret.rstrip('。')}（{facts['day']}记）。", headings[0],
             "事实情况", confidential=True)
        writer.used.add(secret)
    ended = planned + timedelta(seconds=offset + 600)
    clock.set(ended)
    talks.finish_talk(store, talk_id)
    talks.set_outcome(store, talk_id, summary=written.summary, statement=written.statement, confirmed=True)
    if plan.talk_type in ("reminder", "admonition") or plan.channel == "函询":
        # 004 三.4–三.6: the 事由 in the unit's words, and a 诫勉's decision, taken a few days before its talk.
        problem = next(line.text for line in written.lines if line.kind == "发现问题").rstrip("。")
        decision = {} if plan.talk_type != "admonition" else {
            "decided_on": (plan.day - timedelta(days=3)).isoformat(), "decided_by": ORGANISATION,
            "decision_number": f"青发改机党〔{plan.day.year}〕{rng.randint(3, 30)}号"}
        set_procedure(store, talk_id, reason=f"{rng.choice(REASON_SOURCES)}{problem}", **decision)

    def progress(followup_id: int, status: str, days: int, remark: str, evidence: str | None = None) -> None:
        """A step of a follow-up `days` after the talk, but not after now (nor before the step before it)."""
        clock.set(max(clock.now(), demo.written(plan.day + timedelta(days=days))))
        followups.set_followup_status(store, followup_id, status, note=remark, evidence=evidence)

    # Follow-ups are raised at the end of the talk; their progress comes later.
    if problem_entry is not None:
        clock.set(ended)
        due = plan.day + timedelta(days=rng.choice((20, 30, 45)))
        fid = followups.followup_from_entry(store, problem_entry, kind="整改", due_on=due.isoformat(),
                                            owner_id=plan.interviewee.id)
        # Older follow-ups are mostly seen through; the recent ones are still open, a few long overdue.
        done = rng.random() * (0.5 if plan.day < demo.today - timedelta(days=90) else 1.0)
        if done < 0.7:
            progress(fid, "in_progress", 5, "已提交整改方案")
        if done < 0.4:
            progress(fid, "done", 15, "整改完成", "已提交整改报告。")
            progress(fid, "verified", 18, "支部核实整改到位")
    if difficulty_entry is not None:
        clock.set(ended)
        fid = followups.followup_from_entry(store, difficulty_entry, kind="帮扶",
                                            due_on=(plan.day + timedelta(days=30)).isoformat(),
                                            owner_id=plan.interviewer.id)
        if rng.random() < (0.9 if plan.day < demo.today - timedelta(days=90) else 0.5):
            progress(fid, "done", 12, "已协调解决", "已协调人事处落实。")
    if plan.status == "sealed":
        clock.set(ended + timedelta(hours=2))
        seal.seal_talk(store, talk_id)
    return talk_id


def _match_ages(store: Store, plan: list[PlannedTalk], events: dict[str, int]) -> None:
    """Whoever retires this year (a 退休谈话 held, or a retirement coming) was born sixty years before it."""
    retiring = [(p.interviewee.id, p.day) for p in plan if p.talk_type == "retirement"]
    coming = store.query_one("SELECT person_id, occurred_on FROM events WHERE id = ?", [events["retiring"]])
    if coming is not None:
        retiring.append((int(coming["person_id"]), date.fromisoformat(coming["occurred_on"])))
    for person_id, day in retiring:
        born = f"{day.year - RETIREMENT_AGE}-{day.month:02d}"
        name = store.scalar("SELECT name FROM people WHERE id = ?", [person_id])
        store.execute("UPDATE people SET birth_date = ?, work_start_date = ?, identity_key = ? WHERE id = ?",
                      [born, f"{day.year - RETIREMENT_AGE + 22}-07", f"{name}|{born}", person_id])


def populate(store: Store, *, seed: int, now: datetime) -> str:
    """Fill an empty database with the demo organisation as of `now`. Returns a one-line summary.

    The store stamps with the demo's own clock while it writes; its clock is given back afterwards."""
    demo = DemoYear(now)
    policy = active_policy(store)
    rng = random.Random(seed)
    own_clock = store.clock
    clock = FixedClock(demo.set_up)
    store.clock = clock
    try:
        with store.transaction():
            org = _build_organisation(store, rng, demo)
            _add_profiles(store, rng, org, demo)
            events = _add_events(store, rng, org, demo)
            plan = _talk_plan(rng, org, demo)
            # The appointment made early in the year was talked about within the week, as 004 requires.
            appointed = store.query_one("SELECT person_id, occurred_on FROM events WHERE id = ?",
                                        [events["appointed_done"]])
            assert appointed is not None
            appointee = next(p for p in org.people if p.id == appointed["person_id"])
            plan.append(PlannedTalk("appointment", org.people[0], appointee,
                                    date.fromisoformat(appointed["occurred_on"]) + timedelta(days=4), "sealed",
                                    event_id=events["appointed_done"]))
            plan.sort(key=lambda p: p.day)
            _match_ages(store, plan, events)
            # The texts come from a generator of their own, so rewording them never moves the organisation.
            writer = DemoWriter(random.Random(seed + 1))
            for planned in plan:
                _hold_talk(store, rng, planned, org, policy.talk_types[planned.talk_type], demo, clock, writer)
            clock.set(now)
            store.audit("demo", "database", None, seed=seed, today=demo.today.isoformat())
    finally:
        store.clock = own_clock
    talks_count = store.scalar("SELECT count(*) FROM talks")
    sealed = store.scalar("SELECT count(*) FROM talks WHERE status = 'sealed'")
    return f"{len(org.people)} 人，{len(org.branch_ids)} 个党支部，{talks_count} 次谈话（{sealed} 次已封存）"


def write_demo_database(path: Path, passphrase: str, *, seed: int = 2026, clock: Clock | None = None) -> str:
    """Create `path` with the demo organisation as of the clock's now (default: the process's clock)."""
    now = (clock or process_clock()).now().replace(microsecond=0)
    created = init_database(path, passphrase, list(DEMO_PACKS), clock=FixedClock(DemoYear(now).set_up))
    try:
        return populate(created.store, seed=seed, now=now)
    finally:
        created.store.close()
