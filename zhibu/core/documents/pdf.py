"""Render a .docx to PDF through LibreOffice, when it is installed (tests and manual checks).

pdf = to_pdf(content)      # None when LibreOffice is not installed
page_count(pdf)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(content: bytes, name: str = "document") -> bytes | None:
    pdfs = to_pdfs({name: content})
    return None if pdfs is None else pdfs[name]


def to_pdfs(documents: dict[str, bytes]) -> dict[str, bytes] | None:
    """Several .docx in one LibreOffice run (it starts slowly): {name: pdf bytes}."""
    binary = soffice()
    if binary is None:
        return None
    with tempfile.TemporaryDirectory(prefix="zhibu-pdf-") as tmp:
        sources = []
        for name, content in documents.items():
            src = Path(tmp) / f"{name}.docx"
            src.write_bytes(content)
            sources.append(str(src))
        profile = Path(tmp) / "profile"
        env = {**os.environ, "HOME": tmp}
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                *sources,
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
        )
        return {name: (Path(tmp) / f"{name}.pdf").read_bytes() for name in documents}


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))
