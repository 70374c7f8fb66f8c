"""A typist for the kill test in test_autosave.py: types entries through the Autosaver until it is killed.

Run as `python tests/typist.py DB TALK_ID LOG SEED` with the raw database key (hex) in TANXIN_TEST_KEY.
Each line of LOG is written unbuffered, so a SIGKILL keeps every complete line:
  ready                                   the database is open and the Autosaver runs
  E <entry id>                            add_entry returned: the entry is committed
  K <monotonic time> <entry id> <length> <code point>
                                          written just before that keystroke reaches the Autosaver
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from notes import talks
from notes.autosave import Autosaver
from notes.store import Store

# Chinese, ASCII and markup characters; each keystroke appends one.
ALPHABET = "谈心话记录整改帮扶思想作风生活履职困难意见abcXYZ019[]/@=$\\"
# Fast bursts with the occasional pause, as a typist in a talk.
PAUSES = (0.004, 0.008, 0.015, 0.03, 0.06, 0.25)


def main(db: str, talk_id: int, log_path: str, seed: int) -> None:
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def note(line: str) -> None:
        os.write(log, (line + "\n").encode("ascii"))

    store = Store.open(Path(db), bytes.fromhex(os.environ["TANXIN_TEST_KEY"]))
    saver = Autosaver(store)
    rng = random.Random(seed)
    note("ready")
    while True:
        entry_id = talks.add_entry(store, talk_id, text="", heading=rng.choice(("谈思想", "谈履职", "谈作风")))
        note(f"E {entry_id}")
        text = ""
        for _ in range(rng.randint(10, 60)):
            char = rng.choice(ALPHABET)
            text += char
            note(f"K {time.monotonic()!r} {entry_id} {len(text)} {ord(char)}")
            saver.update_entry_text(entry_id, text)
            time.sleep(rng.choice(PAUSES))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
