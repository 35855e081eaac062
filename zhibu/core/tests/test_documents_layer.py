"""The document layer on its own: no domain imports, the text rules, and one document checked."""
import ast
import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from zhibu.core.documents import OUTWARD, RECORD, Doc, cn_date, cn_time_range, committee_name, official_name, tidy
from zhibu.core.documents.checks import problems
from zhibu.core.documents.dates import signing_date
from zhibu.core.documents.text import half_width_between_cjk, zero_padded

LAYER = Path(__file__).resolve().parents[1] / "documents"
DOMAIN = ("orgs", "orglife", "plans", "development", "dues", "workdays")


@pytest.mark.parametrize("path", sorted(LAYER.glob("*.py")), ids=lambda p: p.name)
def test_the_layer_imports_no_domain_app(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not {n for n in names if n.split(".")[:2] in [["zhibu", d] for d in DOMAIN]}


def test_dates_names_and_punctuation():
    assert cn_date(dt.date(2026, 10, 8)) == "2026年10月8日" and cn_date(None) == ""
    start = dt.datetime(2026, 2, 21, 15, 0)
    assert cn_time_range(start, start + dt.timedelta(hours=1)) == "2026年2月21日 15:00—16:00"
    assert official_name("阳光幼儿园党支部") == "中共阳光幼儿园党支部" == official_name("中共阳光幼儿园党支部")
    assert committee_name("阳光幼儿园党支部") == "中共阳光幼儿园党支部委员会"
    assert tidy("学习党章,讨论转正(第一次):15:00") == "学习党章，讨论转正（第一次）：15:00"
    assert tidy("按中国共产党章程第七条") == "按《中国共产党章程》第七条"
    assert tidy("《中国共产党章程》") == "《中国共产党章程》" and tidy("abc, def") == "abc, def"
    assert zero_padded("2026年02月03日") and not zero_padded("2026年10月8日")
    assert half_width_between_cjk("党章,讨论") and not half_width_between_cjk("党章，讨论")


def test_signing_date_is_validated_in_chinese():
    default = dt.date(2026, 10, 8)
    assert signing_date({}, default) == (default, "")
    assert signing_date({"date": "2026-11-01"}, default) == (dt.date(2026, 11, 1), "")
    for junk in ("2026-02-30", "x", "1800-01-01", "２０２６"):
        when, error = signing_date({"date": junk}, default)
        assert when == default and error and all(not c.isascii() or not c.isalpha() for c in error)  # Chinese


def test_an_outward_document_meets_the_layout():
    d = Doc(kind=OUTWARD, title="公示", creator="中共阳光幼儿园党支部", created=dt.datetime(2026, 10, 8, 9, 0))
    d.title("关于拟将陈老师同志确定为发展对象的公示")
    d.para("经中共阳光幼儿园党支部委员会研究,拟将陈老师同志确定为发展对象。")
    d.heading1("一、基本情况")
    d.heading2("(一)培养情况")
    d.table([("姓名", "陈老师")], (35, 121), label_columns=(0,))
    d.closing("中共阳光幼儿园党支部", dt.date(2026, 10, 8))
    content = d.to_bytes()
    assert problems(content, kind=OUTWARD) == []
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    title, body = document.paragraphs[0], document.paragraphs[1]
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22 and body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == 28 and body.paragraph_format.first_line_indent.pt == 32
    assert body.paragraph_format.space_after.pt == 0 and "，" in body.text  # full-width punctuation
    assert document.paragraphs[2].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert document.paragraphs[3].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    assert [p.text for p in document.paragraphs[-2:]] == ["中共阳光幼儿园党支部", "2026年10月8日"]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and " PAGE " in section.footer._element.xml
    props = document.core_properties
    assert props.author == "中共阳光幼儿园党支部" and props.language == "zh-CN" and props.created.year == 2026
    fonts = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob
    assert 'w:name="方正小标宋简体"'.encode() in fonts and 'w:val="宋体"'.encode() in fonts


def test_problems_are_found():
    d = Doc(kind=RECORD, title="记录", creator="中共阳光幼儿园党支部", created=dt.datetime(2026, 10, 8, 9, 0))
    d.para("2026年02月03日")
    p = d.document.add_paragraph()
    p.add_run("____年__月__日")  # a run without fonts, an underscore blank
    content = d.to_bytes()
    found = "\n".join(problems(content, kind=RECORD))
    assert "zero-padded" in found and "underscore" in found and "font" in found
    assert any("margins" in x for x in problems(content, kind=OUTWARD))
