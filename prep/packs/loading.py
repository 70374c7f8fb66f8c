"""Loading packs: the shipped and a unit's own packs, merging their entries in order, checking the references
between them and building the Policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prep.packs.files import At, File, find, shipped_dir
from prep.packs.model import (
    DEFAULT_PACKS,
    TERMS,
    TRIGGERS,
    Advice,
    Category,
    Caution,
    Deadline,
    Dimension,
    EscalationStep,
    Event,
    Heading,
    Method,
    MethodFit,
    PackError,
    PackInfo,
    Point,
    Policy,
    Principle,
    Rule,
    Source,
    Stage,
    TalkType,
    Term,
)
from prep.packs.schema import LABELS, PACK, TABLES, clean, quoted


def _pack_info(file: File) -> PackInfo:
    for key in file.data:
        if key != "pack" and key not in TABLES:
            raise file.error(file.top_line(key), f"未知的表 \"{key}\"（可用：pack、{quoted(TABLES)}）")
    if "pack" not in file.data:
        raise file.error(1, "缺少 [pack] 表（id、name、description、sources）")
    at = At(file, "pack", 0, LABELS["pack"])
    pack = clean(at, file.data["pack"], PACK, ())
    if pack["id"] != file.path.stem:
        raise at.fail(f"id \"{pack['id']}\" 应与文件名 {file.path.stem}.toml 一致", "id")
    return PackInfo(
        id=pack["id"], name=pack["name"], description=pack["description"], path=file.path, builtin=file.builtin,
        sources=tuple(Source(s["id"], s["file"], s["title"]) for s in pack["sources"]),
        requires=pack["requires"], conflicts=pack["conflicts"],
    )


def available_packs(extra_dirs: Sequence[Path] = ()) -> list[PackInfo]:
    """The shipped packs and a unit's own (*.toml in extra_dirs, which win over a shipped pack of the same id)."""
    found: dict[str, PackInfo] = {}
    folders = [(Path(folder), False) for folder in extra_dirs] + [(shipped_dir(), True)]
    for folder, builtin in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.stem not in found:
                found[path.stem] = _pack_info(File(path, builtin))
    return sorted(found.values(), key=lambda info: (info.id not in DEFAULT_PACKS, info.id))


@dataclass(slots=True)
class _Entry:
    data: dict[str, Any]
    at: At
    pack: str


def _merge_entry(merged: dict[str, _Entry], table: str, entry: _Entry, seen_here: dict[str, At]) -> None:
    ident = entry.data["id"]
    at = entry.at
    if ident in seen_here:
        first = seen_here[ident]
        raise at.fail(f"{at.label} 与本文件第 {first.file.line(table, first.index, 'id')} 行重复", "id")
    seen_here[ident] = at
    earlier = merged.get(ident)
    if earlier is None or entry.data["override"]:
        merged[ident] = entry
        return
    if table == "headings" and earlier.data["name"] == entry.data["name"]:
        sources = earlier.data["source"].split("；")
        if entry.data["source"] not in sources:
            earlier.data["source"] += "；" + entry.data["source"]
        earlier.pack += "、" + entry.pack
        return
    where = f"{earlier.at.file.label} 第 {earlier.at.file.line(table, earlier.at.index, 'id')} 行"
    raise at.fail(f"{at.label} 与 {where}重复；如确需替换，请在本条目中加上 override = true", "id")


def load_policy(pack_ids: Sequence[str], extra_dirs: Sequence[Path] = ()) -> Policy:
    """The merged policy of the packs, in order (none given: DEFAULT_PACKS). Raises PackError."""
    wanted = list(dict.fromkeys(pack_id.strip() for pack_id in (pack_ids or DEFAULT_PACKS)))
    infos: list[PackInfo] = []
    files: list[File] = []
    for pack_id in wanted:
        located = find(pack_id, extra_dirs)
        if located is None:
            choices = quoted(info.id for info in available_packs(extra_dirs))
            raise PackError(f"没有名为“{pack_id}”的政策包。可用的有：{choices}。")
        file = File(*located)
        infos.append(_pack_info(file))
        files.append(file)
    for info, file in zip(infos, files, strict=True):
        for other in info.requires:
            if other not in wanted:
                raise file.error(file.line("pack", 0, "requires"), f"政策包 {info.id} 需要同时启用 {other}")
        for other in info.conflicts:
            if other in wanted:
                raise file.error(file.line("pack", 0, "conflicts"),
                                 f"政策包 {info.id} 与 {other} 不能同时启用（见 conflicts）")

    merged: dict[str, dict[str, _Entry]] = {table: {} for table in TABLES}
    for info, file in zip(infos, files, strict=True):
        sources = tuple(source.id for source in info.sources)
        for table, spec in TABLES.items():
            raw = file.data.get(table, [])
            if not isinstance(raw, list):
                raise file.error(file.top_line(table), f"{table} 应写成 [[{table}]]（每个条目一个）")
            seen_here: dict[str, At] = {}
            for index, item in enumerate(raw):
                ident = item.get("id") if isinstance(item, dict) else None
                label = f"{LABELS[table]} \"{ident}\"" if isinstance(ident, str) else (
                    f"{LABELS[table]}（第 {index + 1} 条）")
                at = At(file, table, index, label)
                data = clean(at, item, spec, sources)
                _check_entry(table, data, at)
                _merge_entry(merged[table], table, _Entry(data, at, info.id), seen_here)
    return _build(tuple(infos), merged)


def _check_entry(table: str, data: dict[str, Any], at: At) -> None:
    """The checks that look at several fields of one entry."""
    if table == "rules":
        if data["min_per_year"] * data["period_months"] % 12:
            raise at.fail(f"{at.label} 的 min_per_year（{data['min_per_year']}）按 period_months"
                          f"（{data['period_months']} 个月）分不成整数次", "period_months")
        if data["mutual"] and data["interviewer_role"] not in data["interviewee_roles"]:
            raise at.fail(f"{at.label} 是相互谈心（mutual = true），interviewee_roles 应包含 "
                          f"interviewer_role \"{data['interviewer_role']}\"", "interviewee_roles")
        if data["mutual"] and data["coverage"] != "each_pair":
            raise at.fail(f"{at.label} 是相互谈心（mutual = true），coverage 只能是 each_pair", "coverage")
    if table == "escalation":
        if data["pack_choice"] and data["source"]:
            raise at.fail(f"{at.label} 是本包设定（pack_choice = true），原文没有这样规定，不应引用出处；"
                          "请删去 source", "source")
        if not data["pack_choice"] and not data["source"]:
            raise at.fail(f"{at.label} 缺少 source（原文没有规定的步骤请写 pack_choice = true）", "")
    for key in ("deadlines", "due"):
        for item in data.get(key, ()):
            if not item["source"]:
                item["source"] = data["source"]


def _check_refs(merged: Mapping[str, Mapping[str, _Entry]]) -> list[Deadline]:
    """Every id an entry names must exist in the merged policy; returns the deadlines, talk type's first."""

    def need(entry: _Entry, table: str, ident: str, key: str, sub: tuple[str, int] | None = None) -> None:
        if ident and ident not in merged[table]:
            choices = quoted(merged[table]) or "（无）"
            raise entry.at.fail(f"{entry.at.label} 引用了不存在的{LABELS[table]} \"{ident}\"（现有：{choices}）",
                                key, sub)

    deadlines: dict[tuple[str, str, str], tuple[Deadline, _Entry]] = {}
    for table, list_key, own, other, other_table in (
        ("talk_types", "deadlines", "talk_type", "event", "events"),
        ("events", "due", "event", "talk_type", "talk_types"),
    ):
        for ident, entry in merged[table].items():
            for n, item in enumerate(entry.data[list_key]):
                need(entry, other_table, item[other], other, (list_key, n))
                need(entry, "events", item["replaces"], "replaces", (list_key, n))
                deadline = Deadline(
                    event=ident if own == "event" else item["event"],
                    talk_type=ident if own == "talk_type" else item["talk_type"],
                    days=item["days"], when=item["when"], source=item["source"], pack_choice=item["pack_choice"],
                    replaces=item["replaces"], interviewer_roles=item["interviewer_roles"],
                    each_role=item["each_role"], interviewer=item["interviewer"], pack=entry.pack,
                )
                key = (deadline.event, deadline.talk_type, deadline.when)
                if key in deadlines:
                    first = deadlines[key][1].at
                    raise entry.at.fail(
                        f"{entry.at.label} 的时限（{deadline.event} → {deadline.talk_type}，{deadline.when}）"
                        f"已在 {first.file.label} 的{first.label}中规定过", other, (list_key, n))
                deadlines[key] = (deadline, entry)
    for entry in merged["rules"].values():
        for ident in entry.data["counts_types"]:
            need(entry, "talk_types", ident, "counts_types")
    for entry in merged["principles"].values():
        for ident in entry.data["methods"]:
            need(entry, "methods", ident, "methods")
    for entry in merged["methods"].values():
        for n, fit in enumerate(entry.data["fits"]):
            for ident in fit["talk_types"]:
                need(entry, "talk_types", ident, "talk_types", ("fits", n))
        for ident in entry.data["not_for_types"]:
            need(entry, "talk_types", ident, "not_for_types")
    for entry in merged["cautions"].values():
        for ident in entry.data["talk_types"]:
            need(entry, "talk_types", ident, "talk_types")
    for entry in merged["escalation"].values():
        need(entry, "talk_types", entry.data["talk_type"], "talk_type")
    for table in ("talk_types", "events", "headings", "categories"):
        names: dict[str, _Entry] = {}
        for entry in merged[table].values():
            name = entry.data["name"]
            if name in names:
                first = names[name].at
                raise entry.at.fail(f"{entry.at.label} 的名称“{name}”与 {first.file.label} 第 "
                                    f"{first.file.line(first.table, first.index, 'name')} 行的{first.label}相同",
                                    "name")
            names[name] = entry
    return [deadline for deadline, _ in deadlines.values()]


def _rules_once(rules: dict[str, Rule]) -> dict[str, Rule]:
    """A rule that repeats another active rule (`same_as`) is not evaluated twice: the other one cites both
    (三必谈 of 002 and 003 is 000 二(二)1–2, docs/compliance.md)."""
    kept = dict(rules)
    for ident, rule in rules.items():
        target = kept.get(rule.same_as)
        if target is not None and rule.same_as != ident:
            kept[rule.same_as] = dataclasses.replace(target, source=f"{target.source}；{rule.source}")
            del kept[ident]
    return kept


def _build(packs: tuple[PackInfo, ...], merged: Mapping[str, Mapping[str, _Entry]]) -> Policy:
    deadlines = _check_refs(merged)

    def make(table: str, cls: type[Any], **extra: Callable[[str, dict[str, Any]], Any]) -> dict[str, Any]:
        names = {field.name for field in dataclasses.fields(cls)}
        made = {}
        for ident, entry in merged[table].items():
            values = {key: value for key, value in entry.data.items() if key in names}
            values.update({key: build(ident, entry.data) for key, build in extra.items()})
            made[ident] = cls(**values, pack=entry.pack)
        return made

    talk_types: dict[str, TalkType] = make(
        "talk_types", TalkType,
        points=lambda _, d: tuple(Point(p["text"], p["source"], p["condition"]) for p in d["points"]),
        deadlines=lambda ident, _: tuple(x for x in deadlines if x.talk_type == ident),
    )
    # `same_as` names entries of other packs, which may not be active: only the active ones count, both ways.
    same: dict[str, set[str]] = {ident: set() for ident in merged["events"]}
    for ident, entry in merged["events"].items():
        for other in entry.data["same_as"]:
            if other in same and other != ident:
                same[ident].add(other)
                same[other].add(ident)
    terms: dict[str, Term] = make("terminology", Term)
    terminology = {**TERMS, **{ident: term.text for ident, term in terms.items()}}
    renamed = terminology["organisation"] != TERMS["organisation"]
    escalation: dict[str, EscalationStep] = make("escalation", EscalationStep)
    categories: dict[str, Category] = make("categories", Category)
    return Policy(
        packs=packs,
        talk_types=talk_types,
        events=make("events", Event, due=lambda ident, _: tuple(x for x in deadlines if x.event == ident),
                    same_as=lambda ident, _: tuple(o for o in merged["events"] if o in same[ident])),
        rules=_rules_once(make("rules", Rule)),
        principles=make(
            "principles", Principle,
            name=lambda _, d: d["non_party_name"] if renamed and d["non_party_name"] else d["name"],
            text=lambda _, d: d["non_party_text"] if renamed and d["non_party_text"] else d["text"],
        ),
        methods=make("methods", Method, fits=lambda _, d: tuple(
            MethodFit(f["talk_types"], f["categories"], f["roles"], f["reason"]) for f in d["fits"])),
        dimensions=make("dimensions", Dimension),
        terms=terms,
        terminology=terminology,
        headings=tuple(make("headings", Heading).values()),
        categories={category.name: category for category in categories.values()},
        stages=tuple(make("stages", Stage).values()),
        advice=make("advice", Advice),
        cautions=make("cautions", Caution),
        escalation=tuple(sorted(escalation.values(), key=lambda s: (TRIGGERS.index(s.trigger), s.level))),
    )
