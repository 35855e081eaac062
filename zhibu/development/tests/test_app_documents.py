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


def body_of(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip())


def test_placeholder_split_over_runs_is_replaced():
    d = docx.Document()
    p = d.add_paragraph()
    for part in ("公示：{", "{na", "me}", "} 至 {{end}}，{{unknown}}"):
        p.add_run(part)
    out = io.BytesIO()
    d.save(out)
    text = text_of(documents.render(out.getvalue(), {"name": "陈老师", "end": "2026年10月10日"}))
    assert "公示：陈老师 至 2026年10月10日，{{unknown}}" in text


def test_every_default_template_ships_on_the_layer_with_chinese_placeholders():
    from zhibu.core.documents import OUTWARD, RECORD
    from zhibu.core.documents.checks import problems

    known = {p.name for p in documents.PLACEHOLDERS}
    for kind in documents.BUILDERS:
        assert (documents.TEMPLATES_DIR / f"{kind}.docx").exists()
        used = documents.placeholders(documents.default_template(kind))
        assert used and used <= known, used - known
        assert "党组织" in used or "姓名" in used
        layout = documents.KIND_LAYOUT.get(kind, RECORD)
        assert problems(documents.default_template(kind), kind=layout, placeholders_ok=True) == [], kind
        assert layout == OUTWARD or kind not in ("publicity", "full_publicity", "resolution")


def test_english_placeholders_still_work_as_aliases():
    d = docx.Document()
    d.add_paragraph("{{name}}，{{姓名}}，{{activist_date}}")
    out = io.BytesIO()
    d.save(out)
    text = text_of(documents.render(out.getvalue(), {"姓名": "陈老师", "确定积极分子日期": "2025年4月10日"}))
    assert "陈老师，陈老师，2025年4月10日" in text


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
    assert documents.refusals(c, DocKind.PUBLICITY, calendar=CAL, today=D("2026-09-28")) == []
    name, content = documents.generate(c, DocKind.PUBLICITY, calendar=CAL, today=D("2026-09-28"))
    assert name == "陈老师-发展对象公示.docx"
    text = text_of(content)
    assert "经中共阳光幼儿园党支部委员会研究，拟将陈老师同志确定为发展对象" in text
    assert "2026年9月29日至2026年10月10日（5个工作日）" in text
    assert "受理单位：中共阳光幼儿园党支部" in text and "联系人：王书记" in text
    assert "党支部支部" not in text and "{{" not in text and "依据" not in text
    assert body_of(content).endswith("中共阳光幼儿园党支部\n2026年9月29日")  # dated by the 公示's start
    _name, provisional = documents.generate(c, DocKind.PUBLICITY, calendar=WorkdayCalendar(), today=D("2026-12-28"),
                                            start=D("2027-01-25"))
    assert "2027年1月25日至" in text_of(provisional)  # the page, not the document, says 暂定
    _name, signed = documents.generate(c, DocKind.PUBLICITY, calendar=CAL, today=D("2026-09-28"),
                                       signed_on=D("2026-10-08"))
    assert body_of(signed).endswith("2026年10月8日")


def test_documents_the_record_does_not_support_are_refused_naming_the_step(cast):
    c = walk_to_candidate(cast)
    # 确定积极分子 2025-04-10: a 公示 before 2026-04-10 is refused, naming the step
    reasons = documents.refusals(c, DocKind.PUBLICITY, calendar=CAL, today=D("2026-01-05"), start=D("2026-01-05"))
    assert any("确定为入党积极分子" in r and "未满一年" in r for r in reasons)
    reasons = documents.refusals(c, DocKind.FULL_PUBLICITY, calendar=CAL, today=D("2026-10-05"))
    assert any("支部大会讨论接收预备党员" in r for r in reasons)
    reasons = documents.refusals(c, DocKind.RESOLUTION, calendar=CAL, today=D("2026-10-05"))
    assert any("支部大会讨论接收预备党员" in r for r in reasons)


def test_ballots_one_per_voter_and_tally_with_result(cast):
    c, _ = admitted(cast, votes_for=8, present=9, should=12)
    _n, ballots = documents.generate(c, DocKind.BALLOT, calendar=CAL, today=D("2026-10-28"))
    d = docx.Document(io.BytesIO(ballots))
    assert sum(1 for p in d.paragraphs if "关于接收陈老师同志为中共预备党员的表决" in p.text) == 12
    assert len(d.tables) == 12
    assert sum(1 for p in d.paragraphs if documents.CUT_MARK in p.text) == 11  # cut lines between ballots
    _n, tally = documents.generate(c, DocKind.TALLY, calendar=CAL, today=D("2026-10-28"))
    t = docx.Document(io.BytesIO(tally)).tables[0]
    cells = {row.cells[0].text: row.cells[1].text for row in t.rows}
    assert cells["应到会有表决权的党员"] == "12人" and cells["赞成"] == "8票"
    assert cells["表决结果"] == "通过"
    _n, resolution = documents.generate(c, DocKind.RESOLUTION, calendar=CAL, today=D("2026-10-28"))
    text = text_of(resolution)
    assert "2026年10月28日，中共阳光幼儿园党支部召开支部党员大会，讨论接收陈老师同志为中共预备党员的问题" in text
    assert "应到会有表决权的党员12人" in text and "赞成8票" in text and "支部书记：王书记" in text
    assert "同意接收陈老师同志为中共预备党员" in text and body_of(resolution).endswith("2026年10月28日")
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


def _row_heights_mm(table) -> dict[str, float]:
    from docx.oxml.ns import qn

    out = {}
    for row in table.rows:
        h = row._tr.trPr.find(qn("w:trHeight")) if row._tr.trPr is not None else None
        out[row.cells[0].text] = int(h.get(qn("w:val"))) / 56.7 if h is not None else 0
    return out


def test_hand_fill_forms_leave_room_to_write():
    from docx.oxml.ns import qn

    talk = docx.Document(io.BytesIO(documents.default_template("talk"))).tables[0]
    heights = _row_heights_mm(talk)
    assert heights["谈话内容"] >= 120 and heights["谈话对象意见"] >= 15 and heights["谈话人意见"] >= 15
    assessment = docx.Document(io.BytesIO(documents.default_template("assessment"))).tables[0]
    assert _row_heights_mm(assessment)["支部意见"] >= 60
    for table in (talk, assessment):
        label_col = int(table._tbl.tblGrid.findall(qn("w:gridCol"))[0].get(qn("w:w"))) / 56.7
        assert 30 <= label_col <= 40
        assert any("年　月　日" in c.text for row in table.rows for c in row.cells)
    ballot = docx.Document(io.BytesIO(documents.default_template("ballot"))).tables[0]
    assert _row_heights_mm(ballot)[""] >= 15  # the boxes to mark


def test_every_meeting_a_ballot_can_be_for(cast):
    c, _ = admitted(cast)
    for meeting in ("admission_meeting", "full_meeting", "extension", "cancellation"):
        for kind in (DocKind.BALLOT, DocKind.TALLY, DocKind.RESOLUTION):
            reasons = documents.refusals(c, kind, calendar=CAL, today=D("2026-11-20"), meeting=meeting)
            if meeting == "admission_meeting":
                assert reasons == []
                continue
            assert any("尚未登记" in r for r in reasons), (meeting, kind, reasons)
            _name, content = documents.generate(c, kind, calendar=CAL, today=D("2026-11-20"), meeting=meeting)
            assert "陈老师" in text_of(content)
