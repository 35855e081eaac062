import datetime as dt
import io

import docx
import icalendar
import pytest
from django.urls import reverse
from docx.oxml.ns import qn

from zhibu.plans import document, services
from zhibu.plans.models import ItemStatus

pytestmark = pytest.mark.django_db


def _url(name, cast, **kw):
    return reverse(f"plans:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def test_docx_export_reads_back(cast, client_for, plan06):
    item = plan06.items.get(text="组织发展")
    services.update_item(actor=cast.secretary, item=item, status=ItemStatus.DONE, owner=cast.people[1])
    response = client_for("member").get(_url("export_docx", cast, plan_id=plan06.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    d = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in d.paragraphs]
    title = d.paragraphs[0]
    assert title.text == plan06.title and title.alignment == 1  # centred
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    for heading in ("一、指导思想", "二、工作目标", "三、工作要点", "四、优化支部工作，推进党风廉政建设",
                    "五、加强对群团组织的领导，调动各方面积极性"):  # full-width punctuation in the document
        assert heading in paragraphs
    body = next(p for p in d.paragraphs if p.text.startswith("以学习贯彻党的十八届四中全会精神"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not any(p.startswith("一月份") for p in paragraphs)  # the calendar is the table, not prose
    (table,) = d.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["月份", "工作内容", "类别", "负责人", "状态"]
    assert len(rows) == 1 + plan06.items.count()
    assert ["7-8月", "党建工作小结", "总结材料", "", "计划中"] in rows
    assert ["11月", "组织发展", "发展党员", "李组织", "已完成"] in rows
    # the fallbacks are declared in the font table
    font_table = next(p for p in d.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml").blob.decode()
    assert 'w:name="方正小标宋简体"' in font_table and 'w:val="宋体"' in font_table and 'w:val="仿宋"' in font_table
    section = d.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28


def test_docx_of_an_empty_plan(cast):
    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    d = docx.Document(io.BytesIO(document.build_docx(plan, [])))
    assert d.paragraphs[0].text == "阳光幼儿园党支部2026年工作计划"
    assert len(d.tables[0].rows) == 1


def test_section_bodies_without_calendar_heading():
    from zhibu.plans import parser

    text = "某支部2026年工作计划\n前言一段。\n一、指导思想\n正文一。\n二、工作安排\n正文二。\n三月份:\n1、召开支委会。\n"
    parsed = parser.parse_text(text)
    sections = document.section_bodies(text, parsed.sections, parsed.title)
    assert sections[0] == {"number": "", "heading": "", "level": 0, "body": ["前言一段。"]}
    assert sections[1]["body"] == ["正文一。"] and sections[2]["body"] == ["正文二。"]


def _events(content: bytes):
    cal = icalendar.Calendar.from_ical(content)
    return cal, [c for c in cal.walk("VEVENT")]


def test_ics_feed_carries_every_dated_item(cast, client, plan06):
    moved = plan06.items.get(text="组织发展")
    services.update_item(actor=cast.secretary, item=moved, status=ItemStatus.MOVED, moved_to_month=12)
    cancelled = plan06.items.get(text="重阳节退休教师座谈会")
    services.update_item(actor=cast.secretary, item=cancelled, status=ItemStatus.CANCELLED)
    services.update_item(actor=cast.secretary, item=plan06.items.get(text="党建工作小结"), owner=cast.people[0])
    # no login: a phone's calendar subscribes with the secret URL only
    response = client.get(_url("ical", cast, token=plan06.ical_token))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal, events = _events(response.content)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    by_item: dict[str, list] = {}
    for e in events:
        uid = str(e["UID"])
        assert e.get("DTSTART").params.get("VALUE", "DATE") == "DATE"
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date  # all-day
        assert start.day == 1 and start.year == 2022 and end == (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        by_item.setdefault(uid.split("-m")[0], []).append((start.month, str(e["SUMMARY"])))
    assert len({str(e["UID"]) for e in events}) == len(events)
    for item in plan06.items.all():
        key = f"plan{plan06.pk}-item{item.pk}"
        if item.status == ItemStatus.CANCELLED:
            assert key not in by_item
            continue
        assert sorted(m for m, _ in by_item[key]) == item.effective_months
        assert all(summary.endswith(item.text) for _, summary in by_item[key])
    summer = by_item[f"plan{plan06.pk}-item{plan06.items.get(text='党建工作小结').pk}"]
    assert sorted(m for m, _ in summer) == [7, 8]
    assert by_item[f"plan{plan06.pk}-item{moved.pk}"] == [(12, "组织发展")]
    assert len(events) == sum(len(i.effective_months) for i in plan06.items.exclude(status="cancelled"))
    owner_event = next(e for e in events if str(e["SUMMARY"]) == "党建工作小结")
    assert "负责人:王书记" in str(owner_event["DESCRIPTION"])


def test_ics_wrong_token_or_branch_is_404(cast, client, plan06):
    assert client.get(_url("ical", cast, token="x" * 32)).status_code == 404
    assert client.get(_url("ical", cast, token="short")).status_code == 404
    other = reverse("plans:ical", kwargs={"org_id": cast.other_branch.pk, "token": plan06.ical_token})
    assert client.get(other).status_code == 404
    old = plan06.ical_token
    services.regenerate_token(actor=cast.secretary, plan=plan06)
    assert client.get(_url("ical", cast, token=old)).status_code == 404
    plan06.refresh_from_db()
    assert client.get(_url("ical", cast, token=plan06.ical_token)).status_code == 200
    assert client.post(_url("ical", cast, token=plan06.ical_token)).status_code == 405
