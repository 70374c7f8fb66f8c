"""Documents that leave tanxin on paper: records for signature, 诫勉通知书, 函询, 台账, year-end report, the
《党员手册》 lines (the 谈话提纲 is printed by prep/brief_document.py with the same machinery). Templates live in
templates/docx/ (a unit may use its own); heavy libraries (python-docx, docxtpl, openpyxl) are imported only when
a document is made. What a document needs of the policy packs is handed in as `facts`
(notes/documents/policyfacts.py), so nothing here reads the packs."""

from notes.documents.docxfile import DocumentFonts, document_fonts
from notes.documents.ledger import export_ledger
from notes.documents.records import render_inquiry, render_notice, render_record
from notes.documents.report import export_handbook, render_report

__all__ = [
    "DocumentFonts",
    "document_fonts",
    "export_handbook",
    "export_ledger",
    "render_inquiry",
    "render_notice",
    "render_record",
    "render_report",
]
