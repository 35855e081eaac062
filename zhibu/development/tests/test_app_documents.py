"""Documents: placeholders replaced in runs, template precedence, defaults read back with python-docx."""
import datetime as dt
import io

import docx
import pytest

from zhibu.development import documents, services
from zhibu.development.models import DocKind
from zhibu.development.tests.test_app_services import CAL, admitted, walk_to_candidate
from zhibu.workdays.calendar import WorkdayCalendar

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    d = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in documents.all_paragraphs(d))


def test_placeholder_split_over_runs_is_replaced():
    d = docx.Document()
    p = d.add_paragraph()
    for part in ("公示：{", "{na", "me}", "} 至 {{end}}，{{unknown}}"):
        p.add_run(part)
    out = io.BytesIO()
    d.save(out)
    text = text_of(documents.render(out.getvalue(), {"name": "陈老师", "end": "2026年10月10日"}))
    assert "公示：陈老师 至 2026年10月10日，{{unknown}}" in text


def test_every_default_template_ships_and_has_placeholders():
    for kind in documents.BUILDERS:
        assert (documents.TEMPLATES_DIR / f"{kind}.docx").exists()
        assert "name" in documents.placeholders(documents.default_template(kind)) or kind in ("tally", "resolution", "ballot")
        assert "branch" in documents.placeholders(documents.default_template(kind)) or kind == "tally"


def test_publicity_end_counts_working_days_start_inclusive():
    assert documents.publicity_end(D("2026-09-29"), CAL).date == D("2026-10-10")  # over National Day
    # Spring Festival: 02-13 Fri, 02-14 Sat (make-up day), 15–23 off, 24, 25, 26
    assert documents.publicity_end(D("2026-02-13"), CAL).date == D("2026-02-26")
    assert documents.publicity_end(D("2026-11-02"), CAL).date == D("2026-11-06")
    assert documents.publicity_end(D("2027-01-04"), WorkdayCalendar()).provisional is True


def test_generated_publicity_reads_back(cast):
    c = walk_to_candidate(cast)
    services.record_step(actor=cast.secretary, candidate=c, step="candidate_publicity", date=D("2026-09-29"),
                         end_date=D("2026-10-10"), calendar=CAL)
    name, content = documents.generate(c, DocKind.PUBLICITY, calendar=CAL, today=D("2026-09-28"))
    assert name == "陈老师-发展对象公示.docx"
    text = text_of(content)
    assert "拟将陈老师同志确定为发展对象" in text
    assert "公示时间：2026年9月29日至2026年10月10日（5个工作日）" in text
    assert "{{" not in text
    _name, provisional = documents.generate(c, DocKind.PUBLICITY, calendar=WorkdayCalendar(), today=D("2026-12-28"),
                                            start=D("2027-01-25"))
    assert "暂定" in text_of(provisional)


def test_ballots_one_per_voter_and_tally_with_result(cast):
    c, _ = admitted(cast, votes_for=8, present=9, should=12)
    _n, ballots = documents.generate(c, DocKind.BALLOT, calendar=CAL, today=D("2026-10-28"))
    d = docx.Document(io.BytesIO(ballots))
    assert sum(1 for p in d.paragraphs if "关于接收陈老师同志为中共预备党员的表决" in p.text) == 12
    assert len(d.tables) == 12
    _n, tally = documents.generate(c, DocKind.TALLY, calendar=CAL, today=D("2026-10-28"))
    t = docx.Document(io.BytesIO(tally)).tables[0]
    cells = {row.cells[0].text: row.cells[1].text for row in t.rows}
    assert cells["应到会有表决权的党员（人）"] == "12" and cells["赞成"] == "8"
    assert cells["结果（赞成票超过应到会有表决权党员半数为通过）"] == "通过"
    _n, resolution = documents.generate(c, DocKind.RESOLUTION, calendar=CAL, today=D("2026-10-28"))
    assert "同意接收陈老师同志为中共预备党员" in text_of(resolution)
    for kind in (DocKind.TALK, DocKind.ASSESSMENT, DocKind.FULL_PUBLICITY):
        _n, content = documents.generate(c, kind, calendar=CAL, today=D("2026-10-28"))
        assert "陈老师" in text_of(content)


def test_branch_template_overrides_district_overrides_default(cast):
    c = walk_to_candidate(cast)

    def template(label):
        d = docx.Document()
        d.add_paragraph(f"{label}：{{{{name}}}} {{{{start}}}}—{{{{end}}}}")
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()

    assert documents.resolve_template(cast.branch, "publicity")[1] == "系统默认"
    services.upload_template(actor=cast.district_admin, organisation=cast.district, kind="publicity", name="区.docx",
                             content=template("区模板"))
    _n, content = documents.generate(c, "publicity", calendar=CAL, today=D("2026-09-28"), start=D("2026-09-29"))
    assert "区模板：陈老师 2026年9月29日—2026年10月10日" in text_of(content)
    services.upload_template(actor=cast.secretary, organisation=cast.branch, kind="publicity", name="支部.docx",
                             content=template("支部模板"))
    _n, content = documents.generate(c, "publicity", calendar=CAL, today=D("2026-09-28"), start=D("2026-09-29"))
    assert "支部模板：陈老师" in text_of(content)
    services.remove_template(actor=cast.secretary, organisation=cast.branch, kind="publicity")
    assert documents.resolve_template(cast.branch, "publicity")[1] == cast.district.name
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="docx"):
        services.upload_template(actor=cast.secretary, organisation=cast.branch, kind="publicity", name="x.docx",
                                 content=b"not a docx")
