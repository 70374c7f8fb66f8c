"""The record: the encrypted store, talk capture, follow-ups, seals and documents.

Never imports Textual: the TUI and the CLI are two faces of this core.
"""
