"""Atomic writes, crash safety, locks, log capping and redaction (spec 06 §5, §8.6)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ci_agent.logprep import cap_bytes, prepare_log
from ci_agent.redact import redact
from ci_agent.storage import ProcessorLock, Store, atomic_write

WRITER = """
import sys
from pathlib import Path
from ci_agent.storage import atomic_write, dump_json
target = Path(sys.argv[1])
docs = [dump_json({"version": v, "data": str(v) * 3_000_000}) for v in ("a", "b")]
print("ready", flush=True)
i = 0
while True:
    atomic_write(target, docs[i % 2])
    i += 1
"""


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45])
def test_killing_a_writer_never_leaves_a_partial_file(tmp_path: Path, delay: float) -> None:
    target = tmp_path / "analysis.json"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    while not target.exists():
        time.sleep(0.005)
    time.sleep(delay)  # land the kill somewhere in the middle of the write loop
    proc.kill()
    proc.wait(10)
    proc.stdout.close()
    data = target.read_text(encoding="utf-8")
    complete = {f'{{\n  "version": "{v}",\n  "data": "{v * 3_000_000}"\n}}\n' for v in ("a", "b")}
    assert data in complete
    # A leftover temp file of the interrupted write is removed by the start-up cleanup.
    Store(tmp_path).cleanup_temp_files(max_age_s=-1)
    assert [p.name for p in tmp_path.iterdir()] == ["analysis.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "analysis.json"
    atomic_write(target, b"old\n")

    # A failure in the middle of the write (here: data the file refuses) must not touch the
    # target and must not leave the temporary file behind.
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["analysis.json"]


def test_processor_lock_is_exclusive(tmp_path: Path) -> None:
    first = ProcessorLock(tmp_path)
    second = ProcessorLock(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_cap_keeps_both_ends_with_marker() -> None:
    lines = [f"line {i:05d} ü\n" for i in range(20_000)]
    data = "".join(lines).encode()
    capped, truncated = cap_bytes(data, 64 * 1024)
    assert truncated
    text = capped.decode("utf-8")  # cuts fall on character boundaries
    assert text.startswith("line 00000 ü\n")
    assert text.endswith("line 19999 ü\n")
    marker = [line for line in text.splitlines() if line.startswith("[ci-agent] ")]
    assert len(marker) == 1
    omitted = int(marker[0].split()[1])
    assert len(capped) - len(marker[0]) - 1 + omitted == len(data)
    head, tail = text.split(marker[0] + "\n")
    assert head.endswith("\n")
    assert tail.startswith("line ")
    assert cap_bytes(b"short", 100) == (b"short", False)


def test_prepare_log_statistics() -> None:
    text, stats = prepare_log(
        "a\r\nb\rc\x00\n", file_name="backend.log", cap=1 << 20, redact_secrets=True
    )
    assert text == "a\nb\rc\ufffd\n"
    assert stats == {
        "file": "backend.log",
        "received_bytes": len("a\r\nb\rc\ufffd\n".encode()),
        "stored_bytes": len(text.encode()),
        "truncated": False,
        "lines": 2,
        "redactions": 0,
    }


@pytest.mark.parametrize(
    ("raw", "expected", "count"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer ***", 1),
        ('{"password": "hunter2", "user": "x"}', '{"password": "***", "user": "x"}', 1),
        ('{"access":"a","refresh":"b"}', '{"access":"***","refresh":"***"}', 2),
        ("login?username=x&password=pw1&next=/", "login?username=x&password=***&next=/", 1),
        ("redis://:s3cret@cache:6379/0", "redis://:***@cache:6379/0", 1),
        ("nothing secret here: token count 5", "nothing secret here: token count 5", 0),
        ("Bearer ***", "Bearer ***", 0),
    ],
)
def test_redaction_patterns(raw: str, expected: str, count: int) -> None:
    assert redact(raw) == (expected, count)


def test_redaction_of_literal_tokens_is_deterministic() -> None:
    text = "x TOKEN_VALUE_1234567 y TOKEN_VALUE_1234567"
    assert redact(text, ["TOKEN_VALUE_1234567"]) == ("x *** y ***", 2)
