"""The backup's ``<name>.partial`` file is created exclusively: a file or symlink already at
that predictable name (planted by another local user, or left behind) makes the backup fail
with a clear error instead of writing the dump (patient data) through it."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from server.backup import service

# Same as tests/server/test_backup.py: backups run against a database of their own.
pytestmark = pytest.mark.own_database

NOW = datetime(2025, 3, 14, 9, 30, 0, tzinfo=UTC)
VICTIM_CONTENT = b"not yours to overwrite\n"


def _partial_path(folder: Path) -> Path:
    final = service.backup_name(NOW, folder)
    return final.with_name(final.name + ".partial")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra rights on Windows")
def test_backup_refuses_a_planted_partial_symlink(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(VICTIM_CONTENT)
    os.chmod(victim, 0o644)
    partial = _partial_path(folder)
    partial.symlink_to(victim)

    with pytest.raises(service.BackupError, match=r"already exists"):
        service.create_backup(database_url, folder, now=NOW)

    assert victim.read_bytes() == VICTIM_CONTENT
    assert victim.stat().st_mode & 0o777 == 0o644
    # The planted link is left alone (not ours to delete) and no backup appeared.
    assert partial.is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == [partial.name]
    assert service.list_backups(folder) == []


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need extra rights on Windows")
def test_backup_refuses_a_dangling_partial_symlink(database_url: str, tmp_path: Path) -> None:
    """A link to a file that does not exist yet must not create that file either."""
    folder = tmp_path / "backups"
    folder.mkdir()
    victim = tmp_path / "would-be-created.dump"
    partial = _partial_path(folder)
    partial.symlink_to(victim)

    with pytest.raises(service.BackupError, match=r"already exists"):
        service.create_backup(database_url, folder, now=NOW)

    assert not victim.exists()
    assert partial.is_symlink()


def test_backup_refuses_an_existing_partial_file(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    partial = _partial_path(folder)
    partial.write_bytes(VICTIM_CONTENT)

    with pytest.raises(service.BackupError, match=r"already exists"):
        service.create_backup(database_url, folder, now=NOW)

    assert partial.read_bytes() == VICTIM_CONTENT
    assert service.list_backups(folder) == []


def test_backup_still_works_without_a_partial(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    result = service.create_backup(database_url, folder, now=NOW)
    assert result.path == folder / "praxi-20250314T093000Z.dump"
    assert result.size > 0
    assert sorted(p.name for p in folder.iterdir()) == [result.path.name]
    if sys.platform != "win32":
        assert result.path.stat().st_mode & 0o777 == 0o600
