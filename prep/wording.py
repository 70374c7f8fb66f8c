"""The organisation's words for what the record stores in the Party's: what the faces (screens, CLI) call to show
a follow-up's kind, or the settings, in a 民进 database.

The database keeps one spelling (notes/vocabulary.py: schema.sql's CHECK and the packs use it), so changing the
active packs never rewrites a record; only what is shown changes. `Wording` comes from prep.active.wording or
PolicyFacts.wording().
"""

from __future__ import annotations

from notes.documents.policyfacts import Wording
from notes.settings import SETTINGS, Setting, template_key
from notes.vocabulary import FOLLOWUP_KINDS


def followup_kind_choices(terms: Wording) -> dict[str, str]:
    """Every follow-up kind, stored value → what to show, in the record's order (a dialog's or a help's list)."""
    return {kind: terms.followup_kind(kind) for kind in FOLLOWUP_KINDS}


def stored_followup_kind(text: str, terms: Wording) -> str:
    """What a user typed or picked (either spelling) → the stored kind; unknown text is returned as given, for
    notes.followups to refuse with its list of choices."""
    text = text.strip()
    return next((kind for kind, label in followup_kind_choices(terms).items() if text in (kind, label)), text)


def setting_not_applicable(setting: Setting, terms: Wording) -> str:
    """Why `setting` means nothing to this organisation, or "" where it applies: the template of the 《党员手册》
    page where the packs keep no handbook (a 民进 database) — there is no such document to produce."""
    if setting.key == template_key("handbook") and not terms.handbook:
        return f"启用的政策包没有规定记录谈心谈话的{terms.member}手册，不导出手册记录"
    return ""


def settings_shown(terms: Wording) -> list[Setting]:
    """The settings 设置 and `tanxin config list` show (notes.settings.SETTINGS, in order): those that apply to
    the organisation, so a unit is not offered a document it cannot produce."""
    return [setting for setting in SETTINGS.values() if not setting_not_applicable(setting, terms)]
