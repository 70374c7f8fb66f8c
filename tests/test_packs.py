"""Policy packs: the shipped packs load and say what the documents say; a broken pack names its file and line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes.errors import NotFound
from prep.packs import (
    DEFAULT_PACKS,
    PackError,
    Policy,
    available_packs,
    describe_policy,
    load_policy,
    policy_as_json,
)

SHIPPED = ("suzhou-2018", "minjin-cq-2023", "cadre-talks", "practice")
COMBINATIONS = [
    *[(pack,) for pack in SHIPPED],
    DEFAULT_PACKS,
    ("minjin-cq-2023", "practice"),
    ("minjin-cq-2023", "cadre-talks", "practice"),
]
SEED_IDS = ("000", "001", "002", "003", "004")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def default() -> Policy:
    return load_policy(DEFAULT_PACKS)


@pytest.fixture(scope="module")
def minjin() -> Policy:
    return load_policy(["minjin-cq-2023"])


# -- the shipped packs -----------------------------------------------------------------------------------------


def test_shipped_packs_are_listed() -> None:
    infos = {info.id: info for info in available_packs()}
    assert set(SHIPPED) <= set(infos)
    for pack_id in SHIPPED:
        info = infos[pack_id]
        assert info.builtin and info.path.name == f"{pack_id}.toml"
        assert info.name and info.sources
        for source in info.sources:
            assert source.id in SEED_IDS and source.title
            assert source.file.startswith(f"{source.id}_")


@pytest.mark.parametrize("packs", COMBINATIONS, ids=lambda packs: "+".join(packs))
def test_packs_load(packs: tuple[str, ...]) -> None:
    policy = load_policy(packs)
    assert [info.id for info in policy.packs] == list(packs)
    assert policy.talk_types and policy.events and policy.principles
    text = describe_policy(policy)
    for talk_type in policy.talk_types.values():
        assert talk_type.name in text and talk_type.source in text
    items = policy_as_json(policy)
    json.dumps(items, ensure_ascii=False)
    assert all(isinstance(item["id"], str) and item["id"] and item["kind"] for item in items)
    assert all(re.fullmatch(r"[a-z_]+", key) for item in items for key in item)


def test_no_packs_means_the_default_set() -> None:
    assert [info.id for info in load_policy([]).packs] == list(DEFAULT_PACKS)


def _sources(policy: Policy) -> list[tuple[str, str]]:
    """Every (what, source) pair of the policy: types, their points and deadlines, events, rules …"""
    found: list[tuple[str, str]] = []
    for t in policy.talk_types.values():
        found.append((f"talk type {t.id}", t.source))
        found += [(f"point of {t.id}: {p.text}", p.source) for p in t.points]
        found += [(f"deadline of {t.id}", d.source) for d in t.deadlines]
    for e in policy.events.values():
        found.append((f"event {e.id}", e.source))
        found += [(f"due of {e.id}", d.source) for d in e.due]
    tables = (policy.rules, policy.principles, policy.methods, policy.dimensions, policy.terms, policy.advice,
              policy.cautions, policy.categories)
    for table in tables:
        found += [(f"{type(item).__name__} {item.id}", item.source) for item in table.values()]
    for sequence in (policy.headings, policy.stages):
        found += [(f"{type(item).__name__} {item.id}", item.source) for item in sequence]
    # A rung no source says is the pack's own (本包设定) and cites nothing: test_pack_choices_cite_nothing.
    found += [(f"EscalationStep {s.id}", s.source) for s in policy.escalation if not s.pack_choice]
    return found


@pytest.mark.parametrize("pack", SHIPPED)
def test_every_rule_cites_a_seed_document(pack: str) -> None:
    policy = load_policy([pack])
    declared = {source.id for source in policy.packs[0].sources}
    for what, source in _sources(policy):
        for part in source.split("；"):
            number, _, clause = part.partition(" ")
            assert number in SEED_IDS and number in declared, f"{what}: {source!r}"
            assert clause.strip(), f"{what} cites {source!r} without a clause"


def test_lookups_by_id_and_chinese_name(default: Policy) -> None:
    assert default.talk_type("appointment") is default.talk_type("任职谈话")
    assert default.talk_type(" 诫勉谈话 ").id == "admonition"
    assert default.event("任职决定").id == "appointment_decision"
    assert default.event("retirement").name == "退休"
    with pytest.raises(NotFound) as found:
        default.talk_type("谈恋爱")
    assert "谈恋爱" in found.value.message and "任职谈话（appointment）" in found.value.message
    with pytest.raises(NotFound) as found:
        default.event("nothing")
    assert "免职决定（removal_decision）" in found.value.message


def test_core_ids_other_modules_rely_on(default: Policy, minjin: Policy) -> None:
    for ident in ("appointment", "removal", "retirement", "routine", "reminder", "admonition", "joining",
                  "care", "mutual"):
        assert ident in default.talk_types
    for ident in ("mj_routine", "mj_appointment", "mj_joining"):
        assert ident in minjin.talk_types
    for ident in ("appointment_decision", "removal_decision", "retirement", "family_misfortune"):
        assert ident in default.events
    assert list(default.dimensions) == [
        "basic", "political", "habits", "performance", "difficulties", "family", "social", "economic", "away",
        "watch",
    ]
    assert [d.name for d in default.dimensions.values()][:2] == ["基本情况", "政治思想"]


def test_cadre_deadlines_are_one_week(default: Policy) -> None:
    def deadline(talk_type: str, event: str) -> tuple[int, str]:
        (found,) = [d for d in default.talk_types[talk_type].deadlines if d.event == event]
        assert not found.pack_choice and found.source.startswith("004 三.")
        return found.days, found.when

    assert deadline("appointment", "appointment_decision") == (7, "after")
    assert deadline("appointment", "public_notice_end") == (7, "after")
    assert deadline("removal", "removal_decision") == (7, "after")
    assert deadline("retirement", "retirement") == (7, "before")
    (notice,) = [d for d in default.events["public_notice_end"].due if d.talk_type == "appointment"]
    assert notice.replaces == "appointment_decision"
    assert [d.talk_type for d in default.events["appointment_decision"].due] == ["appointment"]


def test_cadre_talk_types(default: Policy) -> None:
    points = [p.text for p in default.talk_types["appointment"].points]
    assert points[0] == "组织决定及任职的主要理由"
    assert default.talk_types["appointment"].points[-1].condition == "交流任职"
    reminder = default.talk_types["reminder"]
    assert "函询" in reminder.channels and reminder.document == "reminder" and reminder.informant_caution
    admonition = default.talk_types["admonition"]
    assert admonition.document == "admonition"
    assert admonition.followup_deadline_required and admonition.notice_required and admonition.dossier_excluded
    assert "提出整改要求，明确整改时限" in [p.text for p in admonition.points]
    cautions = {c.id for c in default.cautions_for(admonition)}
    assert {"admonition_notice", "rectification_deadline", "dossier", "informant_protection"} <= cautions
    assert "dossier" in {c.id for c in default.cautions_for(reminder)}  # 函询 replies stay out of the dossier
    assert "admonition_notice" not in {c.id for c in default.cautions_for(default.talk_types["routine"])}
    protection = default.cautions["informant_protection"].text
    assert "姓名" in protection and "举报信件" in protection
    assert [p.name for p in default.principles.values() if p.pack == "cadre-talks"] == [
        "实事求是", "客观公正", "严格要求", "热情关心",
    ]


def test_minjin(minjin: Policy) -> None:
    assert minjin.rules and all(rule.months == (7, 12) for rule in minjin.rules.values())
    assert all(rule.min_per_year == 1 for rule in minjin.rules.values())
    assert minjin.rules["mj_team_mutual"].mutual
    assert set(minjin.rules["mj_team_committee"].interviewee_roles) == {"常委", "委员"}
    assert minjin.terminology["member"] == "会员" and minjin.terminology["secretary"] == "主委"
    assert [h.name for h in minjin.headings] == ["谈思想", "谈履职", "谈作风", "谈生活"]
    assert minjin.talk_types["mj_joining"].points[0].text == "入会动机问题"
    # 001 第十七条 "及时提出警示，或提出组织处理意见": alternatives, one rung.
    assert minjin.escalation_ladder() == ("提醒", "警示或组织处理意见")
    assert [s.source for s in minjin.escalation if s.trigger == "violation"] == ["001 第二十一条"]
    assert {t.id for t in minjin.talk_types.values()} >= {"mj_organisational", "mj_collective", "mj_individual",
                                                         "mj_personal"}


def test_suzhou(default: Policy) -> None:
    (secretary,) = [r for r in default.rules.values()
                    if r.interviewer_role == "支部书记" and r.interviewee_roles == ("支委",)]
    assert secretary.min_per_year == 2 and secretary.scope == "same_unit"
    assert default.rules["secretary_members"].in_principle
    new_leaders = default.rules["new_leaders_collective"]
    assert (new_leaders.period_months, new_leaders.per_period, new_leaders.forms) == (6, 1, ("集体",))
    assert default.rules["upper_lower_heads"].scope == "child_units"
    assert default.rules["team_overseen_heads"].scope == "overseen_units"
    assert default.principles["seek_truth"].details[0] == "把思想认识和政治立场区别开来"
    assert len(default.principles["seek_truth"].details) == 6
    methods = [default.methods[m].name for m in default.principles["targeted"].methods]
    assert methods[:7] == ["家常式", "自叙式", "表扬式", "迂回式", "调和式", "讨论式", "征求意见式"]
    assert all(default.methods[m].suits for m in default.principles["targeted"].methods)
    assert "两三百米散散步" in default.methods["four_twos"].description
    assert {"电话", "微信", "邮件"} <= set(default.talk_types["mobile_member"].channels)
    assert default.talk_types["sick_visit"].channels == ("上门",)
    assert "其他情况记录" in default.cautions["party_handbook"].text
    ages = {d.id: d.stale_days for d in default.dimensions.values()}
    assert (ages["basic"], ages["performance"], ages["difficulties"], ages["watch"]) == (730, 180, 180, 90)


def test_practice(default: Policy) -> None:
    assert [s.name for s in default.stages] == ["调查准备", "情况记录", "信息汇总", "解决措施"]
    assert list(default.categories) == ["日常工作类", "关心关爱类", "职务任免类", "警示督促类"]
    assert "严管即是厚爱" in default.categories["警示督促类"].tone
    for event in ("post_changed", "org_handled", "family_misfortune", "emerging_problem"):
        (due,) = default.events[event].due
        assert due.pack_choice and due.days > 0
    assert default.events["family_misfortune"].due[0].talk_type == "care"
    assert {"面对面", "电话", "微信"} <= set(default.talk_types["daily"].channels)
    assert {p.name for p in default.principles.values() if p.pack == "practice"} == {
        "党性原则", "平等原则", "求实原则", "疏导原则", "保密原则"}
    assert [h.name for h in default.headings] == ["谈思想", "谈履职", "谈作风", "谈生活"]
    assert default.escalation_ladder() == ("跟进提醒", "跟进函询", "跟进诫勉")
    assert default.terminology["member"] == "党员"
    # 三必谈 repeats 000 二(二)1–2: counted once, citing both.
    assert "sanbi_head_team" not in default.rules
    assert default.rules["head_team"].source == "000 二(二)1；002 篇2；002 篇6 三(一)；003 三"
    assert load_policy(["practice"]).rules["sanbi_head_team"].source == "002 篇2；002 篇6 三(一)；003 三"
    # 配偶病故 is one fact: 000 重要家事 = 002 家庭变故.
    assert default.events["family_matter"].same_as == ("family_misfortune",)
    assert default.events["family_misfortune"].same_as == ("family_matter",)
    assert load_policy(["practice"]).events["family_misfortune"].same_as == ()
    assert default.events["disciplined"].source == "003 二"


def test_every_talk_type_category_has_a_tone(default: Policy) -> None:
    for talk_type in default.talk_types.values():
        assert talk_type.category in default.categories and talk_type.tone
        assert talk_type.points and talk_type.forms and talk_type.channels


def test_vocabulary_matches_the_record_layer(default: Policy) -> None:
    """One vocabulary (notes/vocabulary.py): the packs use the record's words, and schema.sql's CHECK
    constraints list exactly the same strings."""
    import re

    from notes import vocabulary
    from notes.resources import schema_path
    from prep import packs

    assert (packs.CHANNELS, packs.FORMS, packs.FOLLOWUP_KINDS) == (
        vocabulary.CHANNELS, vocabulary.FORMS, vocabulary.FOLLOWUP_KINDS)
    assert tuple(h.name for h in default.headings) == vocabulary.GENERAL_HEADINGS
    checks = {tuple(re.findall(r"'([^']*)'", found)) for found in re.findall(
        r"CHECK \((?:status|kind|form) IN \(([^)]*)\)\)", schema_path().read_text(encoding="utf-8"))}
    for words in (vocabulary.STATUSES, vocabulary.ENTRY_KINDS, vocabulary.FOLLOWUP_KINDS,
                  vocabulary.FOLLOWUP_STATUSES, vocabulary.FORMS):
        assert words in checks
    for labels in (vocabulary.STATUS_LABELS, vocabulary.FOLLOWUP_STATUS_LABELS, vocabulary.FOLLOWUP_STATUS_SHORT_LABELS):
        assert set(labels) in ({*vocabulary.STATUSES}, {*vocabulary.FOLLOWUP_STATUSES})


def test_suzhou_and_minjin_conflict() -> None:
    with pytest.raises(PackError) as raised:
        load_policy(["suzhou-2018", "minjin-cq-2023"])
    path = REPO / "templates" / "packs" / "minjin-cq-2023.toml"
    line = _line(path.read_text(encoding="utf-8"), "conflicts = ")
    assert raised.value.message.startswith(f"minjin-cq-2023.toml 第 {line} 行：")
    assert "suzhou-2018" in raised.value.message


def test_unknown_pack() -> None:
    with pytest.raises(PackError) as raised:
        load_policy(["no-such-pack"])
    assert "no-such-pack" in raised.value.message and "cadre-talks" in raised.value.message


def test_import_does_not_load_textual() -> None:
    code = "import sys, prep.packs; prep.packs.load_policy([]); print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"


# -- a unit's own packs and broken packs ------------------------------------------------------------------

HEAD = """\
[pack]
id = "{pack_id}"
name = "测试包"
sources = [{{ id = "000", file = "000_71cbc938210be538.txt", title = "测试依据" }}]
"""
TALK_TYPE = """
[[talk_types]]
id = "{ident}"
name = "{name}"
category = "日常工作类"
tone = "平和"
forms = ["个别"]
channels = ["面对面"]
document = "record"
source = "000 三(六)1"
points = [
  {{ text = "第一点", source = "000 三(六)1" }},
  {{ text = "第二点", source = "000 三(六)1" }},
]
"""


def _write(folder: Path, pack_id: str, body: str) -> tuple[Path, str]:
    text = HEAD.format(pack_id=pack_id) + body
    path = folder / f"{pack_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _line(text: str, marker: str, occurrence: int = 0) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return lines[occurrence]


def _refused(folder: Path, packs: list[str]) -> str:
    with pytest.raises(PackError) as raised:
        load_policy(packs, extra_dirs=[folder])
    return raised.value.message


def test_a_good_unit_pack_loads_with_the_shipped_ones(tmp_path: Path) -> None:
    _write(tmp_path, "unit", TALK_TYPE.format(ident="unit_talk", name="本单位谈话") + """
[[events]]
id = "unit_event"
name = "本单位事件"
source = "000 三(六)2"
due = [{ talk_type = "joining", days = 3, when = "after" }]
""")
    assert "unit" in {info.id for info in available_packs([tmp_path]) if not info.builtin}
    with pytest.raises(PackError):  # joining comes from suzhou-2018, which is not active
        load_policy(["unit"], extra_dirs=[tmp_path])
    policy = load_policy([*DEFAULT_PACKS, "unit"], extra_dirs=[tmp_path])
    (due,) = policy.events["unit_event"].due
    assert (due.talk_type, due.days, due.source, due.pack) == ("joining", 3, "000 三(六)2", "unit")
    assert due in policy.talk_types["joining"].deadlines
    assert policy.talk_type("本单位谈话").pack == "unit"


def test_a_unit_copy_shadows_the_shipped_pack(tmp_path: Path) -> None:
    copy = tmp_path / "cadre-talks.toml"
    shutil.copy(REPO / "templates" / "packs" / "cadre-talks.toml", copy)
    copy.write_text(copy.read_text(encoding="utf-8").replace("days = 7, when = \"before\"",
                                                             "days = 10, when = \"before\""), encoding="utf-8")
    (info,) = [info for info in available_packs([tmp_path]) if info.id == "cadre-talks"]
    assert not info.builtin and info.path == copy
    policy = load_policy(DEFAULT_PACKS, extra_dirs=[tmp_path])
    (retirement,) = policy.talk_types["retirement"].deadlines
    assert retirement.days == 10


def test_override_replaces_an_earlier_entry(tmp_path: Path) -> None:
    _write(tmp_path, "unit", """
[[rules]]
id = "secretary_members"
name = "支部书记与每一位党员谈心（本单位每年两次）"
interviewer_role = "支部书记"
interviewee_roles = ["党员", "预备党员"]
scope = "same_unit"
min_per_year = 2
override = true
source = "000 二(二)3"
""")
    policy = load_policy([*DEFAULT_PACKS, "unit"], extra_dirs=[tmp_path])
    rule = policy.rules["secretary_members"]
    assert (rule.min_per_year, rule.pack, rule.in_principle) == (2, "unit", False)
    assert list(policy.rules).index("secretary_members") == list(load_policy(DEFAULT_PACKS).rules).index(
        "secretary_members")


def test_syntax_error(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲").replace(
        'tone = "平和"', 'tone = "平和'))
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f"{path} 第 {_line(text, 'tone = ')} 行：TOML 语法错误")


def test_missing_source(tmp_path: Path) -> None:
    body = TALK_TYPE.format(ident="ok", name="甲") + TALK_TYPE.format(ident="admonition", name="乙").replace(
        'source = "000 三(六)1"\npoints', "points")
    path, text = _write(tmp_path, "broken", body)
    message = _refused(tmp_path, ["broken"])
    line = _line(text, 'id = "admonition"')
    assert message == f'{path} 第 {line} 行：谈话类型 "admonition" 缺少 source'


def test_missing_source_of_a_point(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲").replace(
        '{ text = "第二点", source = "000 三(六)1" }', '{ text = "第二点" }'))
    message = _refused(tmp_path, ["broken"])
    assert message == f'{path} 第 {_line(text, "第二点")} 行：谈话类型 "a" 的第 2 个要点 缺少 source'


def test_unknown_key(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲").replace(
        'document = "record"', 'document = "record"\ndocumnet = "record"'))
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f'{path} 第 {_line(text, "documnet")} 行：谈话类型 "a" 有未知字段 "documnet"')


def test_unknown_table(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲").replace(
        "[[talk_types]]", "[[talk_type]]"))
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f'{path} 第 {_line(text, "[[talk_type]]")} 行：未知的表 "talk_type"')


def test_event_names_an_unknown_talk_type(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲") + """
[[events]]
id = "e"
name = "事件"
source = "000 三(六)2"
due = [
  { talk_type = "a", days = 3, when = "after" },
  { talk_type = "nonexistent", days = 3, when = "before" },
]
""")
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f'{path} 第 {_line(text, "nonexistent")} 行：触发事件 "e" 引用了不存在的谈话类型 '
                              '"nonexistent"')


def test_duplicate_id_across_packs(tmp_path: Path) -> None:
    first, first_text = _write(tmp_path, "first", TALK_TYPE.format(ident="same", name="甲"))
    second, second_text = _write(tmp_path, "second", "\n# 说明\n" + TALK_TYPE.format(ident="same", name="乙"))
    message = _refused(tmp_path, ["first", "second"])
    marker = 'id = "same"'
    assert message.startswith(f'{second} 第 {_line(second_text, marker)} 行：谈话类型 "same" 与 {first} '
                              f'第 {_line(first_text, marker)} 行重复')
    assert "override = true" in message
    second.write_text(second_text.replace(marker, marker + "\noverride = true"), encoding="utf-8")
    assert load_policy(["first", "second"], extra_dirs=[tmp_path]).talk_types["same"].name == "乙"


def test_duplicate_id_within_a_pack(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲") + TALK_TYPE.format(
        ident="a", name="乙"))
    message = _refused(tmp_path, ["broken"])
    marker = 'id = "a"'
    assert message == f'{path} 第 {_line(text, marker, 1)} 行：谈话类型 "a" 与本文件第 {_line(text, marker)} 行重复'


def test_duplicate_chinese_name_across_packs(tmp_path: Path) -> None:
    _write(tmp_path, "unit", TALK_TYPE.format(ident="copy", name="任职谈话"))
    message = _refused(tmp_path, [*DEFAULT_PACKS, "unit"])
    assert "unit.toml 第" in message and "“任职谈话”" in message and "cadre-talks.toml" in message


RULE = """
[[rules]]
id = "r"
name = "规则"
interviewer_role = "支部书记"
interviewee_roles = ["支委"]
scope = "same_unit"
min_per_year = 1
source = "000 二(二)3"
"""


@pytest.mark.parametrize(("old", "new", "marker", "fragment"), [
    ("min_per_year = 1", "min_per_year = 1\nmonths = [7, 13]", "months", "应在 1–12 之间（现为 13）"),
    ('interviewee_roles = ["支委"]', 'interviewee_roles = ["支委", "校长"]', "interviewee_roles", '"校长" 无效'),
    ('scope = "same_unit"', 'scope = "everyone"', "scope", '"everyone" 无效'),
    ("min_per_year = 1", "min_per_year = 0", "min_per_year", "应不小于 1"),
    ("min_per_year = 1", 'min_per_year = "1"', "min_per_year", "应为整数"),
    ("min_per_year = 1", "min_per_year = 1\nperiod_months = 6", "period_months", "分不成整数次"),
    ("min_per_year = 1", "min_per_year = 1\nmutual = true", "interviewee_roles", "应包含"),
    ('source = "000 二(二)3"', 'source = "005 二(二)3"', "source", "应以本包 [pack] sources 中声明的文件编号开头"),
    ('source = "000 二(二)3"', 'source = ""', "source", "不能为空"),
])
def test_bad_rule_values(tmp_path: Path, old: str, new: str, marker: str, fragment: str) -> None:
    assert old in RULE
    path, text = _write(tmp_path, "broken", RULE.replace(old, new, 1))
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f"{path} 第 {_line(text, marker + ' =')} 行：频次规则 \"r\" ")
    assert fragment in message


def test_negative_days(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲") + """
[[events]]
id = "e"
name = "事件"
source = "000 三(六)2"

[[events]]
id = "f"
name = "另一事件"
source = "000 三(六)2"
due = [{ talk_type = "a", days = -7, when = "after" }]
""")
    message = _refused(tmp_path, ["broken"])
    assert message == f'{path} 第 {_line(text, "days = -7")} 行：触发事件 "f" 的第 1 个应谈 的 days 不能为负数'


def test_sub_table_style_is_located_too(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "broken", TALK_TYPE.format(ident="a", name="甲") + """
[[events]]
id = "e"
name = "事件"
source = "000 三(六)2"

[[events.due]]
talk_type = "a"
days = 3
when = "after"

[[events.due]]
talk_type = "a"
days = 3
when = "sometime"
""")
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f'{path} 第 {_line(text, "sometime")} 行：触发事件 "e" 的第 2 个应谈 的 when')


def test_pack_id_must_match_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(HEAD.format(pack_id="other"), encoding="utf-8")
    message = _refused(tmp_path, ["mine"])
    assert message == f'{path} 第 2 行：id "other" 应与文件名 mine.toml 一致'


def test_requires(tmp_path: Path) -> None:
    path, text = _write(tmp_path, "unit", "")
    path.write_text(text.replace('title = "测试依据" }]', 'title = "测试依据" }]\nrequires = ["cadre-talks"]'),
                    encoding="utf-8")
    message = _refused(tmp_path, ["unit"])
    assert message == f"{path} 第 5 行：政策包 unit 需要同时启用 cadre-talks"
    assert load_policy(["cadre-talks", "unit"], extra_dirs=[tmp_path]).packs[1].requires == ("cadre-talks",)


def test_a_bom_and_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    _, text = _write(tmp_path, "unit", TALK_TYPE.format(ident="a", name="甲"))
    (tmp_path / "unit.toml").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert load_policy(["unit"], extra_dirs=[tmp_path]).talk_types["a"].name == "甲"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(padding=st.lists(st.sampled_from(["", "# 注释 [[talk_types]] {", "  # 缩进的注释"]), max_size=30),
       before=st.integers(min_value=0, max_value=4))
def test_the_line_follows_the_entry(tmp_path: Path, padding: list[str], before: int) -> None:
    """Wherever the broken entry sits, after comments, blank lines and other entries, its line is found."""
    body = "".join(TALK_TYPE.format(ident=f"t{n}", name=f"类型{n}") for n in range(before))
    body += "\n".join(padding) + "\n" + TALK_TYPE.format(ident="bad", name="坏").replace(
        'category = "日常工作类"', 'category = "闲聊类"')
    path, text = _write(tmp_path, "broken", body)
    message = _refused(tmp_path, ["broken"])
    assert message.startswith(f'{path} 第 {_line(text, "闲聊类")} 行：谈话类型 "bad" 的 category "闲聊类" 无效')


def test_pack_choices_cite_nothing() -> None:
    """002 篇7 only says "及时跟进提醒函询诫勉手段": the 函询 and 诫勉 rungs are the pack's, marked 本包设定, with
    no citation — in the policy and in `tanxin packs`."""
    policy = load_policy(DEFAULT_PACKS)
    own = [step for step in policy.escalation if step.pack_choice]
    assert {step.id for step in own} == {"follow_inquiry", "follow_admonition"}
    assert all(step.source == "" for step in own)
    text = describe_policy(policy)
    for step in own:
        [line] = [line for line in text.splitlines() if f"第 {step.level} 步 {step.name}" in line]
        assert "本包设定" in line and "〔" not in line
    assert "整改逾期 30 天起提示（本包设定）" in text


def test_a_pack_choice_with_a_citation_is_refused(tmp_path: Path) -> None:
    text = (REPO / "templates" / "packs" / "practice.toml").read_text(encoding="utf-8").replace(
        '# 002 篇7 只说“及时跟进提醒函询诫勉手段”，没有规定先后和天数：这一步及其天数是本包设定。\npack_choice = true',
        'pack_choice = true\nsource = "002 篇7"')
    (tmp_path / "practice.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as refused:
        load_policy(["practice"], [tmp_path])
    assert "本包设定" in refused.value.message and "source" in refused.value.message

