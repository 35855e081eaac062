"""Backups: one .tar.gz holding the database and the uploaded files, with a manifest and checksums.

    database/zhibu.sqlite3   SQLite: a consistent copy through the online backup API (the site may run)
    database/zhibu.pgdump    PostgreSQL: `pg_dump --format=custom` (one snapshot)
    media/<path>             every file under MEDIA_ROOT (uploaded attachments and materials)
    manifest.json            written last: format, version, database vendor, created, row counts per
                             table, applied migrations, and the sha256 and size of every other member

The keys (secret key, encryption keys) are deliberately not in the archive: a stolen backup shows no
ID number or phone in clear. Keep them apart (docs/DEPLOY.md).

`restore` checks everything before it writes anything: a file that is not a gzip tar, has no valid
manifest, misses a member, carries one the manifest does not list or whose checksum differs is
refused; so is an archive of the other database vendor, one with migrations this version does not
know, and a target database that already holds data. Messages are in Chinese (BackupError)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import connection, transaction

from zhibu.core import clock

FORMAT = "zhibu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database/zhibu.sqlite3", "postgresql": "database/zhibu.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows that `migrate` writes by itself, or that carry no records: a database holding only these is empty.
ALWAYS_FILLED = {"django_migrations", "django_content_type", "auth_permission", "django_session", "sqlite_sequence"}
ARCHIVE_GLOB = "zhibu-backup-*.tar.gz"
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


def _open_member(tar: tarfile.TarFile, member: str | tarfile.TarInfo) -> IO[bytes]:
    f = tar.extractfile(member)
    if f is None:  # not a regular file
        raise BackupError(f"备份文件已损坏：{getattr(member, 'name', member)} 不是普通文件")
    return f


# --- the database ---------------------------------------------------------------------------------


def vendor() -> str:
    if connection.vendor not in DB_MEMBER:
        raise BackupError(f"不支持备份此类数据库：{connection.vendor}")
    return connection.vendor


def _cache_tables() -> set[str]:
    return {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")}


def table_names() -> list[str]:
    return sorted(connection.introspection.table_names())


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cur:
        for table in table_names():
            cur.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
            counts[table] = cur.fetchone()[0]
    return counts


def _reference_tables() -> set[str]:
    """Tables of reference rows an app seeds itself (AppConfig.reference_data: model names), such as
    rectify's sources: a fresh database has them, so they do not make it non-empty."""
    from django.apps import apps

    return {
        config.get_model(name)._meta.db_table
        for config in apps.get_app_configs()
        for name in getattr(config, "reference_data", ())
    }


def tables_with_data() -> list[str]:
    """Tables holding records (those `migrate` fills by itself, reference rows and the cache do not count)."""
    skip = ALWAYS_FILLED | _cache_tables() | _reference_tables()
    return [t for t, n in table_counts().items() if n and t not in skip]


def applied_migrations() -> list[list[str]]:
    if "django_migrations" not in table_names():
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(r) for r in cur.fetchall()]


def _pg_bin(name: str) -> str:
    """The PostgreSQL client program `name`: ZHIBU_PG_BIN, else the newest under /usr/lib/postgresql
    (Debian's layout; pg_dump must be at least the server's version), else the one on PATH."""
    if os.environ.get("ZHIBU_PG_BIN"):
        return str(Path(os.environ["ZHIBU_PG_BIN"]) / name)
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise BackupError(f"找不到 PostgreSQL 程序 {name}：请安装 postgresql-client，或用 ZHIBU_PG_BIN 指明其目录")


def _pg_command(program: str) -> tuple[list[str], dict]:
    s = connection.settings_dict
    cmd = [_pg_bin(program)]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            cmd += [flag, str(s[key])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return cmd, env


def _run(cmd: list[str], env: dict, what: str) -> None:
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=6 * 3600)
    except OSError as exc:
        raise BackupError(f"{what}失败：{exc}") from None
    if p.returncode != 0:
        raise BackupError(f"{what}失败：{p.stderr.strip() or p.returncode}")


def _dump_database(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Write the database to `path`; returns the row counts and applied migrations of exactly what
    was written (SQLite: read from the copy; PostgreSQL: pg_dump runs in the snapshot counted)."""
    if vendor() == "sqlite":
        # A connection of its own: it reads what is committed, beside any open transaction of ours.
        src, dst = sqlite3.connect(connection.settings_dict["NAME"], timeout=20), sqlite3.connect(path)
        try:
            src.backup(dst)
            tables = [
                r[0]
                for r in dst.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name"
                )
            ]
            counts = {t: dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
            migrations = (
                [list(r) for r in dst.execute("SELECT app, name FROM django_migrations ORDER BY app, name")]
                if "django_migrations" in tables
                else []
            )
        finally:
            src.close()
            dst.close()
        return counts, migrations
    cmd, env = _pg_command("pg_dump")
    cmd += ["--format=custom", "--no-owner", "--no-privileges", "--file", str(path), connection.settings_dict["NAME"]]
    if connection.in_atomic_block:  # cannot open a snapshot of our own (e.g. inside a test transaction)
        counts, migrations = table_counts(), applied_migrations()
        _run(cmd, env, "pg_dump 导出数据库")
        return counts, migrations
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
        counts, migrations = table_counts(), applied_migrations()
        _run(cmd[:1] + ["--snapshot", snapshot] + cmd[1:], env, "pg_dump 导出数据库")
    return counts, migrations


def _load_database(path: Path) -> None:
    if vendor() == "sqlite":
        connection.close()
        src = sqlite3.connect(path)  # its sha256 matched the manifest: the very file that was written
        dst = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    else:
        connection.close()  # holds no lock while pg_restore replaces the tables
        cmd, env = _pg_command("pg_restore")
        cmd += [
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path),
        ]
        _run(cmd, env, "pg_restore 恢复数据库")


# --- the archive ----------------------------------------------------------------------------------


class _Hashing:
    """A file object that hashes what is read from it (the bytes that go into the archive)."""

    def __init__(self, f):
        self.f, self.sha, self.size = f, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.f.read(n)
        self.sha.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, arcname: str, files: dict) -> None:
    info = tar.gettarinfo(str(path), arcname=arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with open(path, "rb") as f:
        h = _Hashing(f)
        tar.addfile(info, h)
    files[arcname] = {"sha256": h.sha.hexdigest(), "size": h.size}


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    out = []
    for dirpath, _dirs, names in os.walk(root):
        for name in sorted(names):
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                out.append((p, "media/" + p.relative_to(root).as_posix()))
    return sorted(out, key=lambda x: x[1])


def version() -> str:
    try:
        return metadata.version("zhibu")
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout without install
        return "unknown"


def create(to_dir: Path | str | None = None) -> tuple[Path, dict]:
    """Write one archive into `to_dir` (default: `backups` in the data folder). Returns (path, manifest)."""
    to = Path(to_dir) if to_dir else Path(settings.DATA_DIR) / "backups"
    to.mkdir(parents=True, exist_ok=True)
    db_vendor = vendor()
    created = clock.now()
    name = f"zhibu-backup-{created.astimezone(clock.TZ):%Y%m%d-%H%M%S}.tar.gz"
    final = to / name
    n = 1
    while final.exists():
        n += 1
        final = to / name.replace(".tar.gz", f"-{n}.tar.gz")
    with tempfile.TemporaryDirectory(dir=to, prefix=".zhibu-backup-") as tmp:
        db_file = Path(tmp) / Path(DB_MEMBER[db_vendor]).name
        counts, migrations = _dump_database(db_file)
        files: dict[str, dict] = {}
        partial = Path(tmp) / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add(tar, db_file, DB_MEMBER[db_vendor], files)
            media = _media_files()
            for path, arcname in media:
                _add(tar, path, arcname, files)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "version": version(),
                "vendor": db_vendor,
                "created": created.isoformat(),
                "counts": {"tables": counts, "rows": sum(counts.values()), "files": len(media)},
                "migrations": migrations,
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(created.timestamp())
            tar.addfile(info, _BytesReader(data))
        os.replace(partial, final)
    return final, manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = self.data[self.pos : end]
        self.pos += len(chunk)
        return chunk


def prune(to_dir: Path | str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` archives in `to_dir`; returns the removed ones."""
    archives = sorted(Path(to_dir).glob(ARCHIVE_GLOB), key=lambda p: p.stat().st_mtime)
    old = archives[:-keep] if keep > 0 else archives
    for p in old:
        p.unlink()
    return old


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and name == p.as_posix()


def read_manifest(archive: Path | str) -> dict:
    """The manifest after every member's checksum was verified. Raises BackupError."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    foreign = f"{archive.name} 不是 Zhibu 的备份文件（缺少有效的 {MANIFEST}）。"
    corrupt = f"备份文件已损坏：{archive.name}"
    with open(archive, "rb") as f:
        if f.read(2) != b"\x1f\x8b":  # not gzip at all
            raise BackupError(foreign)
    try:  # the whole stream first: gzip's CRC and length catch a changed or cut file anywhere
        with gzip.open(archive, "rb") as g:
            while g.read(CHUNK):
                pass
    except (OSError, EOFError, zlib.error):
        raise BackupError(corrupt + "（压缩数据不完整或有改动）") from None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            try:
                manifest = json.loads(_open_member(tar, MANIFEST).read().decode())
            except (KeyError, AttributeError, ValueError):
                raise BackupError(foreign) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(foreign)
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"备份格式版本 {manifest.get('format_version')} 不受支持（本版本支持 {FORMAT_VERSION}）。"
                )
            if manifest.get("vendor") not in DB_MEMBER or not isinstance(manifest.get("files"), dict):
                raise BackupError(foreign)
            expected = dict(manifest["files"])
            if DB_MEMBER[manifest["vendor"]] not in expected:
                raise BackupError(f"{corrupt}（清单中没有数据库）")
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_member(member.name) or member.name not in expected:
                    raise BackupError(f"{corrupt}（含有清单以外的内容：{member.name}）")
                want = expected.pop(member.name)
                sha = hashlib.sha256()
                content = _open_member(tar, member)
                while chunk := content.read(CHUNK):
                    sha.update(chunk)
                if sha.hexdigest() != want.get("sha256") or member.size != want.get("size"):
                    raise BackupError(f"{corrupt}（校验和不符：{member.name}）")
            if expected:
                raise BackupError(f"{corrupt}（缺少 {len(expected)} 个文件，如 {sorted(expected)[0]}）")
    except BackupError:
        raise
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError, ValueError):
        raise BackupError(corrupt + "（无法读取压缩包）") from None
    return manifest


def restore(archive: Path | str) -> dict:
    """Restore an archive into the (empty) current database and MEDIA_ROOT. Returns the manifest."""
    archive = Path(archive)
    manifest = read_manifest(archive)
    here = vendor()
    if manifest["vendor"] != here:
        raise BackupError(
            f"此备份来自 {VENDOR_NAMES[manifest['vendor']]} 数据库，当前使用的是 {VENDOR_NAMES[here]}，不能直接恢复。"
        )
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest.get("migrations", []) if (a, n) not in known]
    if unknown:
        raise BackupError(f"此备份来自更新的版本（本版本没有迁移 {unknown[0]} 等 {len(unknown)} 项），请先升级程序。")
    busy = tables_with_data()
    if busy:
        raise BackupError(f"只能恢复到空数据库：当前数据库已有数据（如表 {busy[0]}）。请新建一个空数据库后再恢复。")
    media_root = Path(settings.MEDIA_ROOT)
    media = [name for name in manifest["files"] if name.startswith("media/")]
    clash = [n for n in media if (media_root / n.removeprefix("media/")).exists()]
    if clash:
        raise BackupError(f"上传文件目录中已有同名文件（{clash[0].removeprefix('media/')}），请使用空的数据目录恢复。")

    with tempfile.TemporaryDirectory(prefix=".zhibu-restore-") as tmp, tarfile.open(archive, mode="r:gz") as tar:
        db_name = DB_MEMBER[here]
        db_file = Path(tmp) / Path(db_name).name
        with _open_member(tar, db_name) as src, open(db_file, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
        _load_database(db_file)
        for name in media:
            target = media_root / name.removeprefix("media/")
            target.parent.mkdir(parents=True, exist_ok=True)
            with _open_member(tar, name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
    counts = table_counts()
    wrong = [t for t, n in manifest["counts"]["tables"].items() if counts.get(t) != n]
    if wrong:
        raise BackupError(
            f"恢复后记录数与备份清单不符(表 {wrong[0]}:{counts.get(wrong[0])} ≠ "
            f"{manifest['counts']['tables'][wrong[0]]})。"
        )
    return manifest
