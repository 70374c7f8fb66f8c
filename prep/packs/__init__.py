"""Policy packs: the rules of 谈心谈话 as TOML files a unit can copy and edit (templates/packs/<id>.toml).

Every rule names its source clause ("004 三.1"). Packs compose: load_policy(("suzhou-2018", "cadre-talks",
"practice")) merges their tables in order; an entry whose id an earlier pack already used is refused unless it
says `override = true`, and then it replaces the earlier one. A broken pack is refused with a PackError that
names the file, the line and the problem in Chinese, so a unit editing its copy can fix it without code.

Never imports Textual (the TUI and the CLI both read policies through here).

The package, one module per job: model (the vocabulary, the dataclasses and Policy), files (finding and reading a
pack file, the line of a problem), schema (the fields of each table and the checks of their values), loading
(load_policy, available_packs: merging, reference checks, building) and describe (describe_policy, policy_as_json).
"""

from __future__ import annotations

from notes.vocabulary import CHANNELS as CHANNELS
from notes.vocabulary import FOLLOWUP_KINDS as FOLLOWUP_KINDS
from notes.vocabulary import FORMS as FORMS

# Explicit re-exports (`X as X`): the names prep.packs offered before it became a package. FOLLOWUP_KINDS is
# not in __all__ but is read as prep.packs.FOLLOWUP_KINDS (tests/test_packs.py checks it against notes.model).
from prep.packs.describe import describe_policy as describe_policy
from prep.packs.describe import policy_as_json as policy_as_json
from prep.packs.loading import available_packs as available_packs
from prep.packs.loading import load_policy as load_policy
from prep.packs.model import CATEGORIES as CATEGORIES
from prep.packs.model import DEFAULT_PACKS as DEFAULT_PACKS
from prep.packs.model import FLAGS as FLAGS
from prep.packs.model import ROLES as ROLES
from prep.packs.model import TERMS as TERMS
from prep.packs.model import Advice as Advice
from prep.packs.model import Category as Category
from prep.packs.model import Caution as Caution
from prep.packs.model import Deadline as Deadline
from prep.packs.model import Dimension as Dimension
from prep.packs.model import EscalationStep as EscalationStep
from prep.packs.model import Event as Event
from prep.packs.model import Heading as Heading
from prep.packs.model import Method as Method
from prep.packs.model import MethodFit as MethodFit
from prep.packs.model import PackError as PackError
from prep.packs.model import PackInfo as PackInfo
from prep.packs.model import Point as Point
from prep.packs.model import Policy as Policy
from prep.packs.model import Principle as Principle
from prep.packs.model import Rule as Rule
from prep.packs.model import Source as Source
from prep.packs.model import Stage as Stage
from prep.packs.model import TalkType as TalkType
from prep.packs.model import Term as Term

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "DEFAULT_PACKS",
    "FLAGS",
    "FORMS",
    "ROLES",
    "TERMS",
    "Advice",
    "Category",
    "Caution",
    "Deadline",
    "Dimension",
    "EscalationStep",
    "Event",
    "Heading",
    "Method",
    "MethodFit",
    "PackError",
    "PackInfo",
    "Point",
    "Policy",
    "Principle",
    "Rule",
    "Source",
    "Stage",
    "TalkType",
    "Term",
    "available_packs",
    "describe_policy",
    "load_policy",
    "policy_as_json",
]
