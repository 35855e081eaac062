"""Write the shipped default templates to zhibu/development/templates_docx/<kind>.docx.

    .venv/bin/python -m zhibu.development.make_templates

The defaults are built on the one document layer (zhibu.core.documents: A4, GB/T 9704 margins and
fonts, page numbers) with Chinese placeholders ({{姓名}}, {{确定积极分子日期}} …; the English names of
earlier templates still work). Branches and districts download these, edit them (keeping the
placeholders they need) and upload their own versions on the 文书模板 page, which lists every
placeholder with its meaning."""
from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")


def main() -> None:
    import django

    django.setup()
    from zhibu.development.documents import BUILDERS, TEMPLATES_DIR, build_default

    TEMPLATES_DIR.mkdir(exist_ok=True)
    for kind in BUILDERS:
        path = TEMPLATES_DIR / f"{kind}.docx"
        path.write_bytes(build_default(kind))
        print(path, file=sys.stderr)


if __name__ == "__main__":
    main()
