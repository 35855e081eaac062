"""`zhibu backup` / `zhibu restore`: a round trip gives back every row of every table and every uploaded
file (on whichever database the suite runs: scripts/test.sh runs it on SQLite and on PostgreSQL), and a
corrupt, foreign, other-vendor or newer archive, or a database that holds data, is refused in Chinese."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhibu.core import backup

FILES = {
    "orglife/2026/签到表.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "orglife/2026/photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" * 1000,
    "development/7/谈话记录.docx": b"PK\x03\x04" + b"x" * 5000,
    "empty.txt": b"",
}


def snapshot() -> dict[str, list]:
    """Every row of every table, in a stable order."""
    def plain(v):
        return bytes(v) if isinstance(v, memoryview) else v

    out = {}
    with connection.cursor() as cur:
        for table in backup.table_names():
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = sorted((tuple(plain(v) for v in row) for row in cur.fetchall()), key=repr)
    return out


def media_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def site(live_cast, settings, tmp_path):
    """A committed cast (transactional: pg_dump and the SQLite backup see it) and uploaded files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, data in FILES.items():
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return live_cast


def make_archive(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", to=str(tmp_path / "backups"), stdout=out)
    archives = list((tmp_path / "backups").glob("zhibu-backup-*.tar.gz"))
    assert len(archives) == 1 and str(archives[0]) in out.getvalue()
    assert "上传文件 4 个" in out.getvalue()
    return archives[0]


def empty_everything(settings) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for p in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    assert backup.tables_with_data() == []


def test_round_trip_gives_back_every_row_and_every_file(site, settings, tmp_path):
    before = snapshot()
    assert before["orgs_person"] and before["auth_user"]
    archive = make_archive(tmp_path)
    manifest = backup.read_manifest(archive)
    assert manifest["format"] == "zhibu-backup" and manifest["vendor"] == connection.vendor
    assert manifest["version"] and manifest["created"]
    assert manifest["counts"]["tables"]["orgs_person"] == len(before["orgs_person"])
    assert set(manifest["files"]) == {backup.DB_MEMBER[connection.vendor]} | {f"media/{n}" for n in FILES}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    # No key is in the archive, and the ID numbers inside it are encrypted.
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert not any("secret_key" in n or "encryption_keys" in n for n in names)

    empty_everything(settings)
    assert snapshot()["orgs_person"] == []
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "已恢复" in out.getvalue()

    after = snapshot()
    assert set(after) == set(before)
    for table in before:
        assert after[table] == before[table], table
    assert media_files(Path(settings.MEDIA_ROOT)) == FILES
    # The restored site works: the encrypted ID number still decrypts with the keys of the data folder.
    from zhibu.orgs.models import Person

    assert Person.objects.get(pk=site.secretary_person.pk).id_number == site.secretary_person.id_number


def test_restore_refuses_a_database_that_holds_data(site, tmp_path):
    archive = make_archive(tmp_path)
    with pytest.raises(CommandError, match="只能恢复到空数据库"):
        call_command("restore", str(archive), stdout=io.StringIO())


def rewrite(archive: Path, target: Path, *, manifest=None, members=None) -> Path:
    """A copy of `archive` with the manifest changed by `manifest(m)` and members by `members(name, data)`."""
    with tarfile.open(archive) as tar:
        items = [(m.name, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(target, "w:gz") as out:
        for name, data in items:
            if name == backup.MANIFEST and manifest:
                m = json.loads(data)
                manifest(m)
                data = json.dumps(m).encode()
            elif members:
                data = members(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def refused(archive: Path, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_refuses_corrupt_foreign_other_vendor_and_newer_archives(site, settings, tmp_path):
    archive = make_archive(tmp_path)
    empty_everything(settings)
    before = snapshot()

    data = bytearray(archive.read_bytes())
    for i in range(len(data) // 3, len(data) // 3 + 64):
        data[i] ^= 0x5A
    (tmp_path / "flipped.tar.gz").write_bytes(bytes(data))
    refused(tmp_path / "flipped.tar.gz", "备份文件已损坏")

    (tmp_path / "cut.tar.gz").write_bytes(archive.read_bytes()[: len(data) // 2])
    refused(tmp_path / "cut.tar.gz", "备份文件已损坏")

    changed = rewrite(archive, tmp_path / "changed.tar.gz",
                      members=lambda name, d: d + b"!" if name == "media/empty.txt" else d)
    refused(changed, "备份文件已损坏.*校验和不符.*media/empty.txt")

    extra = rewrite(archive, tmp_path / "extra.tar.gz", manifest=lambda m: m["files"].pop("media/orglife/2026/photo.jpg"))
    refused(extra, "备份文件已损坏.*清单以外")

    missing = rewrite(archive, tmp_path / "missing.tar.gz",
                      manifest=lambda m: m["files"].__setitem__("media/gone.pdf", {"sha256": "0" * 64, "size": 1}))
    refused(missing, "备份文件已损坏.*缺少 1 个文件")

    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    refused(foreign, "不是 Zhibu 的备份文件")
    other_format = rewrite(archive, tmp_path / "other.tar.gz", manifest=lambda m: m.__setitem__("format", "other"))
    refused(other_format, "不是 Zhibu 的备份文件")
    (tmp_path / "plain.txt").write_text("不是压缩包")
    refused(tmp_path / "plain.txt", "不是 Zhibu 的备份文件")
    refused(tmp_path / "nowhere.tar.gz", "找不到备份文件")

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def to_other_vendor(m):
        m["vendor"] = other
        m["files"][backup.DB_MEMBER[other]] = m["files"].pop(backup.DB_MEMBER[connection.vendor])

    vendor = rewrite(archive, tmp_path / "vendor.tar.gz", manifest=to_other_vendor)
    vendor = rewrite_member_name(vendor, tmp_path / "vendor2.tar.gz", backup.DB_MEMBER[connection.vendor],
                                 backup.DB_MEMBER[other])
    refused(vendor, "此备份来自 .* 数据库，当前使用的是")

    newer = rewrite(archive, tmp_path / "newer.tar.gz",
                    manifest=lambda m: m["migrations"].append(["orgs", "9999_from_the_future"]))
    refused(newer, "此备份来自更新的版本")

    assert snapshot() == before, "nothing was written by a refused restore"
    assert media_files(Path(settings.MEDIA_ROOT)) == {}


def rewrite_member_name(archive: Path, target: Path, old: str, new: str) -> Path:
    with tarfile.open(archive) as tar:
        items = [(m.name, tar.extractfile(m).read()) for m in tar]
    with tarfile.open(target, "w:gz") as out:
        for name, data in items:
            info = tarfile.TarInfo(new if name == old else name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def test_keep_prunes_old_archives(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    for i in range(3):
        (tmp_path / f"zhibu-backup-2026010{i}-000000.tar.gz").write_bytes(b"old")
    out = io.StringIO()
    call_command("backup", to=str(tmp_path), keep=2, stdout=out)
    assert len(list(tmp_path.glob("zhibu-backup-*.tar.gz"))) == 2
    assert out.getvalue().count("已删除旧备份") == 2
    with pytest.raises(CommandError):
        call_command("backup", to=str(tmp_path), keep=0, stdout=io.StringIO())
