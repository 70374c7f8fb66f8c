"""The faces of tanxin: the Textual app and the command line.

Importing this package imports nothing heavy; the CLI loads Textual only when it opens the app.
"""

__version__ = "0.1.0"
