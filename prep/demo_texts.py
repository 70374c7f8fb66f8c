"""What the demo's talks say: per talk type, the entries a clerk would type under each required point, the
interviewer's summary and the interviewee's 表态, filled in for the person and the day.

A 任职谈话 talks about the new post, a 退休谈话 thanks and asks for advice, a 诫勉谈话 names the problem, its
causes and the deadline: each type has its own script, whose lines follow the order of the type's required
points in the packs (an index into `TalkType.points`, or one of the 四谈 headings). Sentences are drawn from
small pools and filled with the person's name, post and the month, and no sentence is used twice in one demo
database: a user reading two records side by side must not find boilerplate.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Values for the {slots} of the sentences below, drawn per talk.
POOLS: dict[str, tuple[str, ...]] = {
    "task": ("机关公文流转优化", "年度部门预算编制", "支部党建台账整理", "档案数字化", "干部教育培训计划",
             "重点项目储备库更新", "价格监测月报", "产业链招商方案", "规划中期评估", "投资项目审批提速",
             "营商环境评价迎检", "粮食储备专项检查", "节能审查材料复核", "政务信息报送"),
    "progress": ("已完成初稿", "进度过半", "已按期完成", "正在征求各处室意见", "已报委领导审定", "完成了前期调研"),
    "worry": ("孩子今年升初中，早晚接送时间紧张", "母亲腿脚不便，每月要陪同复诊", "爱人在外地工作，家中老人无人照看",
              "住处离单位较远，每天通勤近两小时", "父亲刚做完手术，需要有人陪护", "家里正在还房贷，经济压力较大"),
    "ask": ("工作日早上能弹性到岗", "复诊日能调休半天", "年休假能集中安排", "近期少安排出差",
            "帮助了解周转房政策", "加班后能及时补休"),
    "idea": ("支部学习改为专题研讨，每次围绕一个业务问题", "处室之间建立周会商机制，减少重复报送",
             "青年干部多到项目一线调研", "党建和业务考核合并填报，减轻基层负担", "机关食堂延长晚餐供应时间",
             "把典型案例编成学习材料，组织生活时讨论", "建立新进人员导师制"),
    "slip": ("周报材料多次延迟报送", "参加组织生活有两次请假未补学", "对处室青年干部传帮带不够",
             "业务培训后没有及时传达", "文件办理时限把握不严"),
    "hope": ("发挥业务骨干作用，带好处室年轻同志", "注意劳逸结合，身体是干事的本钱", "多同服务对象面对面沟通",
             "主动承担支部学习的领学任务", "把调研成果转化为政策建议"),
    "mood": ("思想稳定，干劲较足", "工作压力较大但心态积极", "对岗位安排比较满意", "有意多承担综合性工作",
             "对个人发展有些困惑，希望多得到指点"),
    "health": ("术后恢复较好，已能下床活动", "在家康复，每周到医院复查一次", "病情稳定，正在按疗程治疗",
               "行动不便，日常由家人照料"),
    "comfort": ("转达了支部全体同志的问候，送去慰问品", "告知住院期间工作已由同事分担，请安心养病",
                "介绍了近期机关和支部的主要工作", "说明已帮助联系医院的康复科室"),
    "motive": ("参加扶贫挂钩帮扶时受到老党员的影响", "在项目攻坚中看到党员冲在前面", "读了党史后坚定了信念",
               "父辈都是老党员，从小耳濡目染"),
    "reminder_issue": ("近两个月三次未按时报送价格监测数据", "在工作群中发表与身份不符的言论", "公务用车使用登记不规范",
                       "有服务对象反映办事态度生硬", "因私出国（境）证件未按规定交由组织保管"),
    "reminder_reason": ("对报送时限重视不够，没有安排好人手", "当时情绪激动，发言前没有多想", "对新的用车规定学习不够",
                        "窗口业务量大，沟通时缺乏耐心", "以为短期出行不需要办理手续"),
    "admonition_issue": ("违规接受管理服务对象宴请一次", "在项目评审中未按规定回避", "违规使用公车办理私事两次"),
    "admonition_cause": ("纪律规矩意识淡薄，对“小节”问题的危害认识不足", "对回避制度学习不深，心存侥幸",
                         "放松了理论学习，公私界限把握不严"),
    "removal_reason": ("工作需要，拟交流到其他岗位任职", "机构职能调整，原岗位撤并", "本人因身体原因提出申请"),
    "achievement": ("牵头完成了多项重点课题", "带出了一支业务过硬的队伍", "在疫情防控和复工复产中表现突出",
                    "推动建立了处室工作规程", "多年来默默承担了大量基础性工作"),
    "former_post": ("综合处处长", "规划处二级调研员", "价格处副处长", "办公室四级调研员", "投资处一级主任科员"),
    "study": ("学习了党章和《中国共产党纪律处分条例》", "参加了入党积极分子培训班并结业", "读了《习近平新时代中国特色社会主义思想学习纲要》",
              "参与了支部“三会一课”旁听"),
    "advice": ("把老同志的经验做法整理成册，供年轻干部参考", "离退休支部活动多安排在上午", "为行动不便的老同志送学上门",
               "请退休同志参与机关史料整理"),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One entry: under the type's required point `point` (its index) or a 四谈 heading, of `kind`."""

    point: int | str
    kind: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Script:
    lines: tuple[Line, ...]
    summaries: tuple[str, ...]
    statements: tuple[str, ...]


ROUTINE = Script(
    lines=(
        Line(0, "事实情况", ("{month}月以来牵头{task}，{progress}。", "汇报了{task}的进展，目前{progress}。")),
        Line(1, "事实情况", ("谈到近来{mood}。", "自述{mood}，对支部工作没有意见。",
                             "谈到{month}月以来{mood}，{task}压力不小。", "说起自己{mood}，正在琢磨{task}的改进办法。")),
        Line(2, "困难诉求", ("反映{worry}，希望{ask}。",)),
        Line(0, "意见建议", ("建议{idea}。", "结合{task}的体会，建议{idea}。", "对支部工作提出：{idea}，可先在{month}月试行。")),
        Line(3, "谈话人要求", ("希望{hope}，把{task}抓细抓实。", "要求按节点推进{task}，同时{hope}。")),
    ),
    summaries=("{name}同志{mood}，{task}{progress}；已约定下一次谈话时了解困难解决情况。",
               "与{name}同志谈了{task}等工作，对其{worry_short}的困难已记录，需跟进。"),
    statements=("表示会按节点完成{task}，有困难及时向支部报告。", "表示愿意多承担支部工作，带头参加组织生活。",
                "表示{task}年底前一定拿出成果，也会主动帮带新同志。", "表示会调整好工作节奏，{month}月起按时参加支部学习。",
                "表示对组织的关心很感动，一定把{task}做好。", "表示今后有想法会直接向支部书记汇报，不憋在心里。"),
)

MUTUAL = Script(
    lines=(
        Line(0, "意见建议", ("对班子建设提出：{idea}。",)),
        Line(1, "事实情况", ("通报了分管处室群众反映的{slip}的情况。",)),
        Line(3, "发现问题", ("相互指出：深入分管处室调研次数偏少，{slip}。",)),
        Line(2, "谈话人要求", ("商定每月碰头一次，共同推进{task}。",)),
    ),
    summaries=("与{name}同志坦诚交换意见，就{task}的分工和班子团结达成共识。",),
    statements=("表示虚心接受意见，下一季度至少到分管处室调研两次。",),
)

CARE = Script(
    lines=(
        Line(0, "事实情况", ("{name}同志{health}。",)),
        Line(1, "事实情况", ("向{name}同志{comfort}。",)),
        Line(2, "困难诉求", ("家属反映{worry}，希望{ask}。",)),
        Line(3, "谈话人要求", ("嘱咐{name}同志按时复查，有困难随时与支部联系。", "请{name}同志安心休养，支部每月安排专人联系。")),
    ),
    summaries=("上门看望{name}同志，{health_short}；困难诉求已登记，由支部跟进。",
               "{month}月看望{name}同志，了解到{health_short}，家属的诉求已记下，由支部协调。"),
    statements=("感谢组织关心，表示会配合治疗，早日康复。", "感谢支部同志惦记，表示病情稳定后仍参加线上学习。",
                "表示{month}月底复查后再向支部报告身体情况。", "表示家里能克服的困难尽量自己克服，不给组织添麻烦。"),
)

JOINING = Script(
    lines=(
        Line(0, "事实情况", ("谈了对党的认识和入党动机：{motive}。",)),
        Line(1, "事实情况", ("谈到{study}，对党的初心使命有了更深的理解。",)),
        Line(2, "谈话人要求", ("讲清了党的纪律和合格党员标准，要求在{task}中发挥骨干作用。",)),
        Line(3, "谈话人要求", ("希望{name}同志按期提交思想汇报，主动接受党员群众监督。",)),
    ),
    summaries=("{name}同志入党动机端正，对党的认识较深入，建议继续培养考察。",
               "{name}同志{study_short}，入党愿望迫切，建议支部按程序推进。"),
    statements=("表示将以党员标准严格要求自己，按时提交思想汇报。", "表示会在{task}中向身边党员看齐，接受组织考验。"),
)

REMINDER = Script(
    lines=(
        Line(0, "发现问题", ("{reminder_issue}。",)),
        Line(1, "事实情况", ("本人说明：{reminder_reason}。",)),
        Line(2, "谈话人要求", ("要求立即纠正，{month}月底前书面报告整改情况。", "要求举一反三，对照规定自查，按期报告整改情况。")),
    ),
    summaries=("对{name}同志进行提醒，指出{reminder_issue}的问题，本人已作说明。",),
    statements=("表示接受提醒，立即纠正，今后严格执行有关规定。", "表示问题确实存在，{month}月底前整改到位并书面报告。"),
)

ADMONITION = Script(
    lines=(
        Line(0, "发现问题", ("{admonition_issue}。",)),
        Line(1, "事实情况", ("{admonition_cause}。",)),
        Line(2, "事实情况", ("本人对问题经过作了说明，承认问题属实。",)),
        Line(3, "谈话人要求", ("要求认真反思，一个月内提交书面检查和整改报告，退还相关费用。",)),
    ),
    summaries=("宣布对{name}同志的诫勉决定，指出{admonition_issue}的问题并帮助分析原因，明确了整改时限。",),
    statements=("表示诚恳接受诫勉，深刻反省，按期完成整改。",),
)

RETIREMENT = Script(
    lines=(
        Line(0, "事实情况", ("讲明了退休待遇、医保关系和组织关系转入离退休干部党支部的办理程序。",)),
        Line(1, "事实情况", ("肯定{name}同志在{former_post}等岗位上{achievement}，代表组织表示感谢。",)),
        Line(2, "谈话人要求", ("鼓励退休后继续坚持学习，关心支持机关发展。",)),
        Line(3, "谈话人要求", ("说明退休干部到企业和社会组织兼职须按规定报批，希望继续保持良好形象。",)),
        Line(4, "意见建议", ("建议{advice}。",)),
    ),
    summaries=("与{name}同志进行退休谈话，感谢其多年付出，讲明了退休政策和从业规定，听取了意见建议。",),
    statements=("感谢组织多年培养，退休后将继续参加支部活动，服从组织管理。",),
)

REMOVAL = Script(
    lines=(
        Line(0, "事实情况", ("宣布免去{name}同志{post}职务的决定，说明系{removal_reason}。",)),
        Line(1, "事实情况", ("肯定其任职期间{achievement}，群众评价较好。",)),
        Line(2, "谈话人要求", ("希望正确对待职务变化，一周内做好工作交接。",)),
        Line(3, "意见建议", ("本人建议{idea}。",)),
    ),
    summaries=("向{name}同志宣布免职决定并说明理由，本人表示理解，工作交接已作安排。",),
    statements=("表示理解和服从组织决定，将按时完成工作交接。",),
)

APPOINTMENT = Script(
    lines=(
        Line(0, "事实情况", ("宣布任命{name}同志为{post}的决定，说明其{achievement}，经民主推荐和考察确定。",)),
        Line(1, "事实情况", ("群众反映其工作扎实、作风正派，也希望多听取不同意见。",)),
        Line(2, "谈话人要求", ("介绍了{post}的主要职责和年度重点任务，要求尽快熟悉情况。",)),
        Line(3, "谈话人要求", ("提出严格执行民主集中制、带头落实廉洁自律规定的要求。",)),
        Line(4, "意见建议", ("本人建议{idea}。",)),
    ),
    summaries=("与{name}同志进行任职谈话，宣布了任职决定，提出了新岗位要求和廉政要求。",),
    statements=("表示服从组织决定，尽快进入{post}角色，虚心向班子成员学习。",),
)

SCRIPTS: dict[str, Script] = {
    "routine": ROUTINE,
    "mutual": MUTUAL,
    "care": CARE,
    "joining": JOINING,
    "reminder": REMINDER,
    "admonition": ADMONITION,
    "retirement": RETIREMENT,
    "removal": REMOVAL,
    "appointment": APPOINTMENT,
}
_SLOT = re.compile(r"\{(\w+)\}")
# Slots a summary may use in a shorter form: the first clause of the drawn value.
SHORT_SUFFIX = "_short"
MAX_DRAWS = 40


@dataclass(frozen=True, slots=True)
class WrittenLine:
    heading: str
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class WrittenTalk:
    lines: list[WrittenLine]
    summary: str
    statement: str


@dataclass
class DemoWriter:
    """Writes each talk's entries, summary and 表态; remembers every sentence so none is written twice."""

    rng: random.Random
    used: set[str] = field(default_factory=set)

    def write(self, talk_type: str, points: Sequence[str], general: Sequence[str], facts: Mapping[str, str],
              keep: float = 1.0) -> WrittenTalk:
        """The talk's text. `facts`: name, post, month, day. `keep`: the share of optional lines written
        (the 谈话人要求 and the first line are always written)."""
        script = SCRIPTS.get(talk_type, ROUTINE)
        slots = dict(facts)
        lines: list[WrittenLine] = []
        for index, line in enumerate(script.lines):
            if index and line.kind != "谈话人要求" and self.rng.random() > keep:
                continue
            heading = (points[line.point] if isinstance(line.point, int) and line.point < len(points)
                       else general[0] if isinstance(line.point, int) else line.point)
            lines.append(WrittenLine(heading, line.kind, self._sentence(line.texts, slots)))
        return WrittenTalk(lines, self._sentence(script.summaries, slots), self._sentence(script.statements, slots))

    def _sentence(self, templates: Sequence[str], slots: dict[str, str]) -> str:
        """A sentence not written before: the talk's own slot values first, then fresh draws for the others;
        as a last resort the day of the talk tells two otherwise equal sentences apart."""
        text = ""
        for attempt in range(MAX_DRAWS):
            template = self.rng.choice(list(templates))
            values = dict(slots) if attempt == 0 else {k: v for k, v in slots.items() if k not in POOLS}
            text = self._filled(template, values)
            if text not in self.used:
                slots.update({k: v for k, v in values.items() if k in POOLS})
                break
        else:
            text = f"{text.rstrip('。')}（{slots.get('day', '')}）。"
        self.used.add(text)
        return text

    def _filled(self, template: str, values: dict[str, str]) -> str:
        return _SLOT.sub(lambda match: self._value(match.group(1), values), template)

    def _value(self, slot: str, values: dict[str, str]) -> str:
        base = slot.removesuffix(SHORT_SUFFIX)
        if base not in values:
            values[base] = self.rng.choice(POOLS[base]) if base in POOLS else ""
        value = values[base]
        return value.split("，")[0] if slot.endswith(SHORT_SUFFIX) else value
