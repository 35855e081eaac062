"""Rule sources keep the spec's wording in data (the CLI prints them as written) and read with
full-width punctuation on pages (the |zh filter, a template builtin)."""
import re
from pathlib import Path

from django.template import Context, Template

ZHIBU = Path(__file__).resolve().parents[2]


def test_the_zh_filter_makes_a_source_full_width_on_any_page():
    html = Template("{{ s|zh }}").render(Context({"s": "发展党员工作细则(2026) 第13条"}))
    assert html == "发展党员工作细则（2026） 第13条"
    assert Template("{{ s|zh }}").render(Context({"s": None})) == ""


def test_every_template_shows_rule_sources_through_zh():
    bare = []
    for path in ZHIBU.glob("*/templates/**/*.html"):
        for m in re.finditer(r"\{\{ [\w.]*\.source \}\}", path.read_text(encoding="utf-8")):
            bare.append(f"{path.relative_to(ZHIBU)}: {m.group(0)}")
    assert not bare, bare
