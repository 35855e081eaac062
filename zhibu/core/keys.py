"""Where the Django secret and the field-encryption keys come from (imported by settings: no Django).

Environment first (ZHIBU_SECRET_KEY, ZHIBU_ENCRYPTION_KEYS), else the files `secret_key` and
`encryption_keys` in the data folder. Outside production a missing file is generated (random, mode
0600) so that a fresh clone runs; in production nothing is generated: `zhibu init-keys` writes the
files once, on purpose. There is no key written in the code.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"
ENCRYPTION_FILE = "encryption_keys"


class MissingKeys(Exception):
    pass


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def split_keys(value: str) -> list[str]:
    """ZHIBU_ENCRYPTION_KEYS / the file: keys separated by commas or new lines, the first encrypts."""
    return [k.strip() for k in value.replace("\n", ",").split(",") if k.strip()]


def _write_private(path: Path, text: str) -> bool:
    """Create `path` with mode 0600 unless it exists (O_EXCL: two processes starting at once do not
    overwrite each other's key). Returns True when this call created it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")
    return True


def init_files(data_dir: Path) -> list[Path]:
    """Generate the missing key files; never touches an existing one. Returns the files created."""
    created = []
    if _write_private(data_dir / SECRET_FILE, new_secret_key()):
        created.append(data_dir / SECRET_FILE)
    if _write_private(data_dir / ENCRYPTION_FILE, new_fernet_key()):
        created.append(data_dir / ENCRYPTION_FILE)
    return created


def load(data_dir: Path, environ=os.environ, *, generate: bool) -> tuple[str, list[str]]:
    """(secret key, encryption keys). Raises MissingKeys when a key is neither in the environment
    nor in its file and `generate` is off."""
    secret = environ.get("ZHIBU_SECRET_KEY", "").strip()
    enc = split_keys(environ.get("ZHIBU_ENCRYPTION_KEYS", ""))
    missing = []
    if not secret and not (data_dir / SECRET_FILE).exists() and not generate:
        missing.append(f"ZHIBU_SECRET_KEY（或 {data_dir / SECRET_FILE}）")
    if not enc and not (data_dir / ENCRYPTION_FILE).exists() and not generate:
        missing.append(f"ZHIBU_ENCRYPTION_KEYS（或 {data_dir / ENCRYPTION_FILE}）")
    if missing:
        raise MissingKeys(
            "生产环境缺少密钥：" + "、".join(missing) + "。请设置环境变量，或运行 `zhibu init-keys` 生成密钥文件。"
        )
    if not secret:
        if generate:
            _write_private(data_dir / SECRET_FILE, new_secret_key())
        secret = (data_dir / SECRET_FILE).read_text().strip()
    if not enc:
        if generate:
            _write_private(data_dir / ENCRYPTION_FILE, new_fernet_key())
        enc = split_keys((data_dir / ENCRYPTION_FILE).read_text())
    return secret, enc
