"""What a key file may ask of the KDF, a key file that belongs to another database, and the recovery key that
never travels on the command line (standard input or a prompt without echo)."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSPHRASE, run_cli, run_tanxin_process

from notes.errors import KeyFileProblem, WrongRecoveryKey
from notes.keys import database_id_of, key_file_for
from notes.store import Store
from notes.unlock import init_database, open_database, recovery_key_of

# -- KDF parameters ----------------------------------------------------------------------------------------


def _set_kdf(db_path: Path, **values: Any) -> None:
    path = key_file_for(db_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kdf"].update(values)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"iterations": 0}, "迭代次数为 0"),
        ({"iterations": -3}, "迭代次数为 -3"),
        ({"iterations": 11}, "迭代次数为 11"),
        ({"lanes": 0}, "并行通道数为 0"),
        ({"lanes": 17}, "并行通道数为 17"),
        ({"memory_kib": 1024}, "内存用量（KiB）为 1024"),
        ({"memory_kib": 2**40}, "内存用量（KiB）为 1099511627776"),
        ({"iterations": 10, "memory_kib": 1024 * 1024}, "迭代次数 × 内存用量"),
    ],
)
def test_kdf_parameters_out_of_bounds_are_refused_at_once(
    store: Store, db_path: Path, values: dict[str, int], named: str
) -> None:
    store.close()
    _set_kdf(db_path, **values)
    started = time.monotonic()
    with pytest.raises(KeyFileProblem, match="超出允许范围") as caught:
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    assert time.monotonic() - started < 1.0  # refused before any key is derived
    assert named in caught.value.message and str(key_file_for(db_path)) in caught.value.message


@pytest.mark.parametrize("values", [{"iterations": "3"}, {"lanes": True}, {"memory_kib": 65536.0},
                                    {"iterations": None}, {"salt": "c2hvcnQ="}])
def test_kdf_parameters_of_the_wrong_kind_are_a_damaged_key_file(
    store: Store, db_path: Path, values: dict[str, Any]
) -> None:
    store.close()
    _set_kdf(db_path, **values)
    with pytest.raises(KeyFileProblem, match="已损坏"):
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)


def test_kdf_bounds_in_a_real_process(store: Store, db_path: Path) -> None:
    store.close()
    _set_kdf(db_path, memory_kib=2**40, iterations=1000)
    result = run_tanxin_process(["--db", str(db_path), "due"], env={"TANXIN_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert "超出允许范围" in result.stderr and "内部错误" not in result.stderr and "Traceback" not in result.stderr


def test_a_pending_key_is_checked_too(store: Store, db_path: Path) -> None:
    store.close()
    path = key_file_for(db_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pending"] = {**data, "kdf": {**data["kdf"], "lanes": 64}}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(KeyFileProblem, match="并行通道数为 64"):
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)


# -- a key file of another database ------------------------------------------------------------------------


@pytest.fixture
def two_databases(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "a" / "tanxin.db", tmp_path / "b" / "tanxin.db"
    for path in (first, second):
        path.parent.mkdir()
        init_database(path, PASSPHRASE, ["suzhou-2018"]).store.close()
    return first, second


def test_the_key_file_names_its_database(store: Store, db_path: Path) -> None:
    data = json.loads(key_file_for(db_path).read_text(encoding="utf-8"))
    assert data["database"] == database_id_of(db_path) == store.scalar("PRAGMA cipher_salt")


def test_a_key_file_of_another_database_says_so(two_databases: tuple[Path, Path]) -> None:
    first, second = two_databases
    shutil.copy2(key_file_for(second), key_file_for(first))
    with pytest.raises(KeyFileProblem, match="属于另一个数据库") as caught:
        open_database(first, passphrase=PASSPHRASE, use_keyring=False)
    assert "口令也与它不符" not in caught.value.message and "已损坏" not in caught.value.message
    result = run_cli(["--db", str(first), "due"])
    assert result.exit_code == 1 and "属于另一个数据库" in result.stderr and "已损坏" not in result.stderr


def test_a_key_file_of_another_database_with_another_passphrase_says_so(tmp_path: Path) -> None:
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    init_database(first, PASSPHRASE, ["suzhou-2018"]).store.close()
    init_database(second, "另一个数据库的口令", ["suzhou-2018"]).store.close()
    shutil.copy2(key_file_for(second), key_file_for(first))
    with pytest.raises(KeyFileProblem, match=r"属于另一个数据库.*口令也与它不符"):
        open_database(first, passphrase=PASSPHRASE, use_keyring=False)


def test_a_damaged_database_is_still_called_damaged(store: Store, db_path: Path) -> None:
    store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(db_path.read_bytes())
    data[100] ^= 0xFF  # page 1 after the salt: the key file still names this database
    db_path.write_bytes(bytes(data))
    with pytest.raises(Exception, match="已损坏") as caught:
        open_database(db_path, passphrase=PASSPHRASE, use_keyring=False)
    assert "另一个数据库" not in str(caught.value)


# -- the recovery key never on the command line ------------------------------------------------------------


def test_the_recovery_key_option_takes_no_value(store: Store, db_path: Path) -> None:
    recovery = recovery_key_of(store)
    store.close()
    for args in (["--recovery-key", recovery, "recovery-key"], [f"--recovery-key={recovery}", "recovery-key"]):
        result = run_cli(["--db", str(db_path), *args])
        assert result.exit_code == 2
        assert recovery not in result.output + result.stderr  # never echoed back
    refused = run_cli(["--db", str(db_path), "--recovery-key", recovery, "passwd"])
    assert "不能写在命令行上" in refused.stderr and "passwd --rekey" in refused.stderr
    # Typed unquoted with spaces, the key arrives as eight words: not even its first group is echoed.
    groups = recovery.split("-")
    split = run_cli(["--db", str(db_path), "--recovery-key", *groups, "passwd"])
    assert split.exit_code == 2 and "不能写在命令行上" in split.stderr
    assert not any(group in split.output + split.stderr for group in groups)


def test_the_recovery_key_from_standard_input_never_in_argv(store: Store, db_path: Path) -> None:
    recovery = recovery_key_of(store)
    store.close()
    child = subprocess.Popen(
        [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db_path), "--recovery-key", "due"],
        env={**os.environ, "TANXIN_PASSPHRASE": "not used"},
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        time.sleep(1.0)
        assert child.poll() is None  # waiting for the key on its standard input
        cmdline = Path(f"/proc/{child.pid}/cmdline").read_bytes().split(b"\0")
        assert b"--recovery-key" in cmdline
        flat = b"".join(cmdline).upper()
        assert recovery.encode() not in flat and recovery.replace("-", "").encode() not in flat
        out, err = child.communicate(recovery + "\n", timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert recovery not in out + err


def test_a_wrong_recovery_key_from_standard_input(store: Store, db_path: Path) -> None:
    store.close()
    result = run_cli(["--db", str(db_path), "--recovery-key", "due"], input="0" * 64 + "\n")
    assert result.exit_code == 1 and "不匹配" in result.stderr
    empty = run_cli(["--db", str(db_path), "--recovery-key", "due"], input="")
    assert empty.exit_code == 1 and "没有读到" in empty.stderr
    with pytest.raises(WrongRecoveryKey):
        open_database(db_path, recovery_key="ABC")


def _read_until(fd: int, wanted: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_the_recovery_key_prompt_at_a_terminal_does_not_echo(store: Store, db_path: Path) -> None:
    recovery = recovery_key_of(store)
    store.close()
    main, terminal = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", "from tui.cli import main; main()", "--db", str(db_path), "--recovery-key", "due"],
        env={**os.environ, "TANXIN_PASSPHRASE": "not used"},
        stdin=terminal, stdout=terminal, stderr=terminal, start_new_session=True,
    )
    os.close(terminal)
    try:
        prompt = _read_until(main, "恢复密钥".encode())
        assert "恢复密钥".encode() in prompt
        os.write(main, (recovery + "\n").encode())
        rest = _read_until(main, "截至".encode())
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(main)
    assert child.returncode == 0, rest.decode(errors="replace")
    assert recovery.encode() not in prompt + rest
