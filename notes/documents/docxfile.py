"""Rendering a DOCX template safely, writing it atomically, and reading a document's text back.

docxtpl runs Jinja over the document XML. Three things are decided here once for every document: values are
escaped (`autoescape`: without it "A&B <x>" silently loses text), the template runs in Jinja's sandbox (a
template is a file a unit may have received from anyone), and a template may use only the variables tanxin
provides — anything else is refused with its names, instead of printing an empty field on a signed record.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes.documents.signoff import place_sign_off
from notes.documents.text import clean_context
from notes.errors import InvalidInput, NotFound
from notes.resources import templates_dir
from notes.settings import DOCUMENT_KINDS, FONT_FACES, font_key, setting_value, template_key
from notes.store import Store
from notes.tempfiles import create_temp, remove_stale_temps

if TYPE_CHECKING:
    from docx.document import Document

# What each kind of document is rendered from, in templates/docx/: <kind>.docx for every kind the settings
# registry knows (notes/settings.py DOCUMENT_KINDS), so a kind cannot exist without its setting templates.<kind>.
TEMPLATE_FILES = {kind: f"{kind}.docx" for kind in DOCUMENT_KINDS}


@dataclass(frozen=True, slots=True)
class DocumentFonts:
    """The four faces GB/T 9704 documents use. The defaults are the names the built-in templates are made with;
    machines without them name substitutes in 设置 or with `tanxin config set fonts.<face>`."""

    title: str = FONT_FACES["title"][1]
    body: str = FONT_FACES["body"][1]
    heading: str = FONT_FACES["heading"][1]
    kaiti: str = FONT_FACES["kaiti"][1]

    def replacements(self) -> dict[str, str]:
        """Template font name → configured name, for the faces that differ from the built-in ones."""
        default = DocumentFonts()
        pairs = {
            default.title: self.title,
            default.body: self.body,
            default.heading: self.heading,
            default.kaiti: self.kaiti,
        }
        return {old: new for old, new in pairs.items() if old != new}


def document_fonts(store: Store | None) -> DocumentFonts:
    """The configured faces (the settings registry: fonts.title, fonts.body, fonts.heading, fonts.kaiti)."""
    names = {face: str(setting_value(store, font_key(face))) for face in FONT_FACES}
    return DocumentFonts(**names)


@dataclass(frozen=True, slots=True)
class TemplateChoice:
    path: Path
    kind: str
    user_supplied: bool


def choose_template(store: Store | None, kind: str, override: Path | str | None = None) -> TemplateChoice:
    """--template wins, then the setting templates.<kind>, then the template shipped with tanxin."""
    key = template_key(kind)
    configured = str(override) if override is not None else str(setting_value(store, key))
    if not configured.strip():
        return TemplateChoice(templates_dir() / "docx" / TEMPLATE_FILES[kind], kind, user_supplied=False)
    path = Path(configured.strip()).expanduser()
    if not path.is_file():
        if override is not None:
            raise NotFound(f"找不到模板 {path}。请检查 --template 给出的路径。")
        raise NotFound(
            f"找不到设置 {key} 指定的模板 {path}。请用 tanxin config set {key} 路径 重新指定"
            f"（或在界面的“设置”中修改），或用 tanxin config unset {key} 改回内置模板。"
        )
    return TemplateChoice(path, kind, user_supplied=True)


def template_digest(path: Path) -> str:
    """A short fingerprint of a unit's own template, kept in each document rendered from it."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


# Parts of templates compiled so far (a record has three: body, header, footer), per process.
COMPILED_PARTS_KEPT = 64


@functools.cache
def _jinja_environment() -> Any:
    """The sandbox every template runs in, made once. docxtpl compiles each part of a template from its source
    at every render, which was a third of the time of a record; a part whose source was compiled before is
    reused (the source is the whole part, so the same source is the same template)."""
    from jinja2.sandbox import SandboxedEnvironment

    class CompiledOnce(SandboxedEnvironment):
        def __init__(self) -> None:
            super().__init__(autoescape=True)
            self.compiled: dict[str, Any] = {}

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            template = self.compiled.get(source)
            if template is None:
                if len(self.compiled) >= COMPILED_PARTS_KEPT:
                    self.compiled.clear()
                template = self.compiled[source] = super().from_string(source)
            return template

    return CompiledOnce()


def _open_template(path: Path) -> Any:
    from docxtpl import DocxTemplate

    template = DocxTemplate(str(path))
    try:
        template.init_docx()  # DocxTemplate opens the file lazily: open it here to report a bad file clearly
    except Exception as exc:  # python-docx raises several unrelated types for a file that is not a DOCX
        raise InvalidInput(f"{path} 不是可用的 DOCX 模板（{type(exc).__name__}）。请用 Word 或 WPS 另存为 .docx 后重试。") from None
    return template


def template_variables(choice: TemplateChoice) -> set[str]:
    """The variables a template prints or tests."""
    used: set[str] = _open_template(choice.path).get_undeclared_template_variables(_jinja_environment())
    return used


def check_template_variables(template: Any, path: Path, provided: Mapping[str, Any]) -> None:
    """Refuse a template that uses variables tanxin does not provide, naming them and the ones available."""
    from jinja2 import TemplateSyntaxError

    try:
        used = template.get_undeclared_template_variables(_jinja_environment())
    except TemplateSyntaxError as exc:
        raise InvalidInput(f"模板 {path} 有语法错误（第 {exc.lineno} 行附近）：{exc.message}。") from None
    unknown = sorted(set(used) - set(provided))
    if unknown:
        raise InvalidInput(
            f"模板 {path} 使用了未知变量：{'、'.join(unknown)}。可用的变量：{'、'.join(sorted(provided))}。"
        )


def apply_fonts(document: Document, fonts: DocumentFonts) -> None:
    """Swap the template's font names for the configured ones, in styles, body, headers and footers."""
    replacements = fonts.replacements()
    if not replacements:
        return
    from docx.oxml.ns import qn

    slots = [qn(f"w:{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")]
    roots = [document.styles.element, document.element]
    for section in document.sections:
        # Reading `_element` of a missing header would create one: look only at those the template has.
        roots.extend(part._element for part in (section.header, section.footer) if not part.is_linked_to_previous)
    for root in roots:
        for fonts_element in root.iter(qn("w:rFonts")):
            for slot in slots:
                current = fonts_element.get(slot)
                if current in replacements:
                    fonts_element.set(slot, replacements[current])


def write_atomically(out: Path, write: Callable[[Path], None], *, replace: bool = True) -> Path:
    """Write beside the target and rename, so a failure never leaves half a document under the final name.
    The file is created 0600: a talk record is confidential. A failure removes the temporary file; what a killed
    process left in the folder (tanxin's own temporary names only, notes/tempfiles.py) is removed by the next
    export into it. Without `replace`, an existing file is never replaced: the name is checked before writing
    and again just before the rename, so a file saved under it while the document was being written (a second
    export, a hand-edited copy) is kept and the export refused."""
    out = out.expanduser()
    if out.is_dir():
        raise InvalidInput(f"{out} 是一个目录。请给出文件名，例如 {out / '记录.docx'}。")
    if not out.parent.is_dir():
        raise NotFound(f"目录 {out.parent} 不存在。请先创建它或换一个输出路径。")
    if not replace and out.exists():
        raise InvalidInput(_EXISTS.format(out=out))
    temporary = create_temp(out.parent, out.suffix)
    try:
        remove_stale_temps(out.parent, temporary)
        write(temporary)
        if not replace and out.exists():
            raise InvalidInput(_EXISTS.format(out=out))
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out


_EXISTS = "{out} 已存在，未覆盖。请换一个文件名（或在命令行加 --force 覆盖）。"


def versioned_path(path: Path) -> Path:
    """`path` if no file has that name, otherwise the first free `name(2).docx`, `name(3).docx` …: the app
    never replaces an earlier export (it may be the copy that was signed)."""
    path = path.expanduser()
    number = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({number}){path.suffix}")
        number += 1
    return candidate


# -- demo data --------------------------------------------------------------------------------------------

DEMO_MARK = "演示数据"


def is_demo_database(store: Store) -> bool:
    """A database written by prep/demo.py (it leaves a "demo" row in the audit log): its documents say so on
    every page, so a demo record can never pass for a real one."""
    return store.scalar("SELECT 1 FROM audit_log WHERE action = 'demo' AND subject = 'database' LIMIT 1") is not None


def demo_mark(store: Store) -> str:
    return DEMO_MARK if is_demo_database(store) else ""


def _mark_every_page(document: Document, mark: str) -> None:
    """`mark` at the top right of every page: a paragraph at the end of each section's header (made when the
    template has none), bold and grey so it reads as a stamp rather than as content."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    for section in document.sections:
        headers = [section.header] + [
            header for header in (section.even_page_header, section.first_page_header)
            if not header.is_linked_to_previous
        ]
        for header in headers:
            paragraph = header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(f"【{mark}】")
            run.bold = True
            run.font.size = Pt(14)
            run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)


def fill_template(choice: TemplateChoice, context: Mapping[str, Any]) -> Document:
    """The template filled in, in memory. Every string is cleaned of control characters first."""
    from jinja2 import TemplateError

    template = _open_template(choice.path)
    if choice.user_supplied:
        check_template_variables(template, choice.path, context)
    try:
        template.render(clean_context(dict(context)), jinja_env=_jinja_environment(), autoescape=True)
    except TemplateError as exc:
        raise InvalidInput(f"模板 {choice.path} 无法填写：{exc}。请检查模板中的 {{{{ }}}} 与 {{% %}} 标记。") from None
    document: Document = template.docx
    place_sign_off(document)
    mark = context.get("demo_mark")
    if isinstance(mark, str) and mark:
        document = _reloaded(document)
        _mark_every_page(document, mark)
    return document


def _reloaded(document: Document) -> Document:
    """The document saved and opened again: docxtpl replaces the header and footer parts with plain parts that
    python-docx can write but not edit."""
    import io

    from docx import Document as open_docx

    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    reloaded: Document = open_docx(buffer)
    return reloaded


def render_template(
    choice: TemplateChoice,
    context: Mapping[str, Any],
    out: Path,
    *,
    fonts: DocumentFonts,
    identifier: str = "",
    replace: bool = True,
) -> Path:
    """Render `choice` with `context` into `out` (atomically), with the configured fonts. A context with a
    non-empty `demo_mark` is marked so on every page."""
    document = fill_template(choice, context)
    apply_fonts(document, fonts)
    document.core_properties.identifier = identifier
    return write_atomically(out, lambda path: document.save(str(path)), replace=replace)


# -- reading a document back ------------------------------------------------------------------------------


def iter_paragraph_texts(document: Document) -> Iterator[str]:
    """Every paragraph's text in reading order: headers, then the body including table cells (each merged
    cell once). Footers are left out: their page-number field shows whatever page a viewer last computed."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    seen_headers: set[int] = set()
    for section in document.sections:
        header = section.header
        if header.is_linked_to_previous or id(header.part) in seen_headers:
            continue
        seen_headers.add(id(header.part))
        for element in header._element.iter(qn("w:p")):
            yield Paragraph(element, header).text
    for element in document.element.body.iter(qn("w:p")):
        yield Paragraph(element, document).text


def rendered_text_lines(choice: TemplateChoice, context: Mapping[str, Any]) -> list[str]:
    """The text lines of a document as `render_template` would write it. The document goes through a save and
    a reload: docxtpl swaps header and footer parts in a way the in-memory document does not show."""
    import io

    from docx import Document as open_docx

    buffer = io.BytesIO()
    fill_template(choice, context).save(buffer)
    buffer.seek(0)
    return text_lines(open_docx(buffer))


def text_lines(document: Document) -> list[str]:
    """The non-empty paragraph texts, each stripped of surrounding blanks."""
    return [text.strip() for text in iter_paragraph_texts(document) if text.strip()]


def open_document(path: Path) -> Document:
    from docx import Document as open_docx

    if not path.is_file():
        raise NotFound(f"找不到文件 {path}。")
    try:
        document: Document = open_docx(str(path))
    except Exception as exc:  # not a zip, not a DOCX, a damaged part …
        raise InvalidInput(f"{path} 不是可读取的 DOCX 文件（{type(exc).__name__}）。") from None
    return document
