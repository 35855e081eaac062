from __future__ import annotations

import io

from docx import Document

from zhibu.review import services
from zhibu.review.tests.access_cases import make_review  # noqa: F401 (re-exported)


def codes_from_docx(content: bytes) -> list[str]:
    """The codes printed on a slips document (票码：XXXX-XXXX)."""
    import re

    text = []
    doc = Document(io.BytesIO(content))
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                text.append(cell.text)
    return [m.replace("-", "") for m in re.findall(r"票码：([0-9A-Z]{4}-[0-9A-Z]{4})", "\n".join(text))]


def gradable(cast):
    """The cast's 8 正式党员 (the 9th member is 预备)."""
    return [p for p in cast.people if p.standing == "full"]


def issue(cast, review, n, masses=0):
    return [code for _kind, code in services.issue_codes(actor=cast.secretary, review=review, count=n,
                                                          masses_count=masses)]
