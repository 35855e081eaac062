"""Fixtures of the plans app's tests."""
from pathlib import Path

import pytest

PLAN06 = Path(__file__).resolve().parent / "fixtures" / "corpus" / "plan06.txt"


@pytest.fixture
def plan06_text() -> str:
    return PLAN06.read_text(encoding="utf-8")


def import_text(cast, text: str, *, year: int = 2022, half: str = "full"):
    """Save a plan the way the preview's confirm does, from the parser's output."""
    from zhibu.plans import document, parser, services

    parsed = parser.parse_text(text)
    return services.create_from_parsed(
        actor=cast.secretary, branch=cast.branch, year=year, half=half, title=parsed.title or "", source_text=text,
        sections=document.section_bodies(text, parsed.sections, parsed.title),
        items=[{"months": c.months, "text": c.text, "kinds": c.kinds, "theme": c.theme or ""} for c in parsed.calendar])


@pytest.fixture
def plan06(cast, plan06_text):
    return import_text(cast, plan06_text)
