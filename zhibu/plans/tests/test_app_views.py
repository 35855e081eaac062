import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhibu.core import clock
from zhibu.plans import services
from zhibu.plans.models import ItemStatus, Plan, PlanItem

pytestmark = pytest.mark.django_db


def _url(name, cast, **kw):
    return reverse(f"plans:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def _preview_post(response) -> dict:
    """The preview page's form as the browser would submit it (inputs, checked boxes, textareas)."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class P(HTMLParser):
        textarea = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                data.setdefault(a["name"], []).append(a.get("value", "on"))
            elif tag == "textarea":
                self.textarea = a["name"]
                data.setdefault(self.textarea, []).append("")
            elif tag == "select" and a.get("name"):
                self.select = a["name"]
            elif tag == "option" and "selected" in a and getattr(self, "select", None):
                data.setdefault(self.select, []).append(a.get("value", ""))

        def handle_data(self, d):
            if self.textarea:
                data[self.textarea][-1] += d

        def handle_endtag(self, tag):
            if tag == "textarea":
                value = data[self.textarea][-1]
                data[self.textarea][-1] = value[1:] if value.startswith("\n") else value  # as browsers do
                self.textarea = None

    P().feed(response.content.decode())
    return data


def test_index_lists_plans_and_create_buttons(cast, client_for, plan06):
    response = client_for("secretary").get(_url("index", cast))
    body = response.content.decode()
    assert response.status_code == 200
    assert plan06.title in body and "粘贴或上传计划" in body and "新建空白计划" in body
    member = client_for("member").get(_url("index", cast)).content.decode()
    assert plan06.title in member and "新建空白计划" not in member


def test_create_from_scratch(cast, client_for):
    c = client_for("secretary")
    response = c.post(_url("create", cast), {"year": 2026, "half": "first", "title": ""})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", cast, plan_id=plan.pk)
    assert plan.half == "first" and plan.title == "阳光幼儿园党支部2026年上半年工作计划"
    again = c.post(_url("create", cast), {"year": 2026, "half": "first"})
    assert again.status_code == 400 and "已存在" in again.content.decode()
    assert client_for("member").post(_url("create", cast), {"year": 2027, "half": "full"}).status_code == 403


def test_paste_preview_save(cast, client_for, plan06_text):
    c = client_for("secretary")
    response = c.post(_url("import", cast), {"step": "preview", "text": plan06_text})
    body = response.content.decode()
    assert response.status_code == 200
    assert not Plan.objects.exists()  # nothing saved by the preview
    assert "指导思想" in body and "加强对群团组织的领导" in body and "行事历(36 项)" in body
    data = _preview_post(response)
    assert data["plan-year"] == ["2022"] and data["items-TOTAL_FORMS"] == ["36"]
    # edit: the 报告会 item (no kinds) becomes study; the first item moves to February; drop the last item
    idx = next(i for i in range(36) if data[f"items-{i}-text"][0].startswith("和德育处一道"))
    assert f"items-{idx}-kinds" not in data
    data[f"items-{idx}-kinds"] = ["study"]
    data["items-0-months"] = ["1、2"]
    data["items-35-DELETE"] = ["on"]
    data["step"] = ["save"]
    saved = c.post(_url("import", cast), data)
    plan = Plan.objects.get()
    assert saved.status_code == 302 and saved["Location"] == _url("detail", cast, plan_id=plan.pk)
    assert plan.items.count() == 35 and plan.year == 2022 and plan.source_text == plan06_text.strip()
    assert plan.items.get(text__startswith="和德育处一道").kinds == ["study"]
    assert plan.items.order_by("order").first().months == [1, 2]
    assert plan.items.filter(months=[7, 8]).count() == 3
    assert not plan.items.filter(text="迎接上级年终评估工作").exists()


def test_preview_errors_keep_everything(cast, client_for, plan06_text):
    c = client_for("secretary")
    data = _preview_post(c.post(_url("import", cast), {"step": "preview", "text": plan06_text}))
    data["items-3-months"] = ["13"]
    data["step"] = ["save"]
    response = c.post(_url("import", cast), data)
    body = response.content.decode()
    assert response.status_code == 400 and "月份须为1–12" in body and not Plan.objects.exists()
    assert 'value="13"' in body
    # back to the text: the pasted text comes back unchanged
    data["step"] = ["edit"]
    back = c.post(_url("import", cast), data)
    assert back.status_code == 200 and "附;20XX年党支部行事历" in back.content.decode()


@pytest.mark.parametrize("text,message", [
    ("", "请粘贴计划文本"),
    ("今天天气不错,我们去公园散步吧。", "未能识别为工作计划"),
])
def test_bad_input_is_a_clear_chinese_error_and_keeps_the_text(cast, client_for, text, message):
    response = client_for("secretary").post(_url("import", cast), {"step": "preview", "text": text})
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    if text:
        assert text in body
    assert not Plan.objects.exists()


def test_bad_upload(cast, client_for):
    c = client_for("secretary")
    response = c.post(_url("import", cast), {"step": "preview", "text": "保留的文字",
                                             "file": SimpleUploadedFile("plan.docx", b"PK\x03\x04not really")})
    body = response.content.decode()
    assert response.status_code == 400 and "无法打开 .docx 文件" in body and "保留的文字" in body
    response = c.post(_url("import", cast), {"step": "preview", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4")})
    assert response.status_code == 400 and "只支持 .txt 或 .docx" in response.content.decode()


def test_upload_docx_and_gb18030(cast, client_for, plan06_text):
    c = client_for("secretary")
    d = docx.Document()
    for line in plan06_text.splitlines():
        d.add_paragraph(line.strip())
    buf = io.BytesIO()
    d.save(buf)
    response = c.post(_url("import", cast), {"step": "preview", "file": SimpleUploadedFile("计划.docx", buf.getvalue())})
    assert response.status_code == 200 and _preview_post(response)["items-TOTAL_FORMS"] == ["36"]
    response = c.post(_url("import", cast), {"step": "preview",
                                             "file": SimpleUploadedFile("计划.txt", plan06_text.encode("gb18030"))})
    assert response.status_code == 200 and _preview_post(response)["items-TOTAL_FORMS"] == ["36"]


def test_copy_view(cast, client_for, plan06):
    c = client_for("secretary")
    form = c.get(_url("copy", cast))
    assert form.status_code == 200 and 'value="2023"' in form.content.decode()
    response = c.post(_url("copy", cast), {"source": plan06.pk, "year": 2023, "half": "full"})
    copy = Plan.objects.get(year=2023)
    assert response.status_code == 302 and copy.items.count() == plan06.items.count()


def test_calendar_page_months_and_check(cast, client_for, plan06):
    response = client_for("secretary").get(_url("detail", cast, plan_id=plan06.pk))
    body = response.content.decode()
    assert response.status_code == 200
    for m in range(1, 13):
        assert f'id="month-{m}"' in body
    july = body[body.index('id="month-7"'):body.index('id="month-8"')]
    august = body[body.index('id="month-8"'):body.index('id="month-9"')]
    for text in ("开展党的群众路线教育实践活动", "党建工作小结", "布置党员暑期自学内容"):
        assert text in july and text in august
    check = body[body.index('id="plan-check"'):]
    assert "支委会" in check and "中国共产党支部工作条例（试行） 第12条" in check and "补充到行事历" in check
    assert "webcal://" in body and plan06.ical_token in body
    member = client_for("member").get(_url("detail", cast, plan_id=plan06.pk)).content.decode()
    assert plan06.ical_token not in member and "补充到行事历" not in member and "党建工作小结" in member


def test_item_actions(cast, client_for, plan06):
    c = client_for("secretary")
    item = plan06.items.get(text="组织发展")
    url = _url("item_action", cast, plan_id=plan06.pk, item_id=item.pk)
    assert c.post(url, {"action": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    c.post(url, {"action": "move", "month": "12"})
    item.refresh_from_db()
    assert item.status == ItemStatus.MOVED and item.moved_to_month == 12
    body = c.get(_url("detail", cast, plan_id=plan06.pk)).content.decode()
    december = body[body.index('id="month-12"'):body.index('id="plan-check"')]
    november = body[body.index('id="month-11"'):body.index('id="month-12"')]
    assert "组织发展" in december and "由11月调整" in december and "已调至12月" in november
    c.post(url, {"action": "owner", "owner": str(cast.people[2].pk)})
    item.refresh_from_db()
    assert item.owner == cast.people[2]
    c.post(url, {"action": "owner", "owner": str(cast.outsider_person.pk)})
    item.refresh_from_db()
    assert item.owner == cast.people[2]
    c.post(url, {"action": "cancel"})
    item.refresh_from_db()
    assert item.status == ItemStatus.CANCELLED and item.moved_to_month is None
    assert client_for("member").post(url, {"action": "done"}).status_code == 403
    other = services.create_plan(actor=cast.outsider, branch=cast.other_branch, year=2022)
    foreign = services.add_item(actor=cast.outsider, plan=other, months=[1], text="x")
    assert c.post(_url("item_action", cast, plan_id=plan06.pk, item_id=foreign.pk), {"action": "done"}).status_code == 404


def test_item_add_edit_and_link(cast, client_for, plan06):
    import datetime as dt

    from zhibu.orgs.models import Transfer

    c = client_for("secretary")
    response = c.post(_url("item_add", cast, plan_id=plan06.pk), {"months": "九", "text": "开展主题党日活动"})
    assert response.status_code == 302
    item = plan06.items.get(text="开展主题党日活动")
    assert item.months == [9] and item.kinds == ["theme_day"]
    edit = _url("item_edit", cast, plan_id=plan06.pk, item_id=item.pk)
    assert c.get(edit).status_code == 200
    c.post(edit, {"months": "9-10", "text": "开展主题党日活动", "kinds": ["theme_day", "study"], "owner": ""})
    item.refresh_from_db()
    assert item.months == [9, 10] and item.kinds == ["theme_day", "study"]
    t = Transfer.objects.create(person=cast.people[5], branch=cast.branch, direction="in", date=dt.date(2022, 9, 1),
                                other_org="x")
    link = _url("item_link", cast, plan_id=plan06.pk, item_id=item.pk)
    c.post(link, {"record_type": "orgs.transfer", "record_id": str(t.pk)})
    item = PlanItem.objects.get(pk=item.pk)
    assert item.fulfilled_by == t and item.status == "done"
    assert "已关联" in c.get(edit).content.decode()
    c.post(link, {})
    item.refresh_from_db()
    assert item.object_id is None


def test_add_missing_view(cast, client_for, plan06):
    c = client_for("secretary")
    url = _url("add_missing", cast, plan_id=plan06.pk)
    c.post(url, {"kind": "org_life_meeting"})
    assert plan06.items.filter(kinds=["org_life_meeting"], months=[12]).count() == 1
    c.post(url)
    body = c.get(_url("detail", cast, plan_id=plan06.pk)).content.decode()
    assert "行事历已覆盖本支部应开展的全部组织生活" in body


def test_regenerate_token_view(cast, client_for, plan06):
    c = client_for("secretary")
    old = plan06.ical_token
    old_url = _url("ical", cast, token=old)
    assert c.get(old_url).status_code == 200
    assert c.post(_url("regenerate_token", cast, plan_id=plan06.pk)).status_code == 302
    plan06.refresh_from_db()
    assert plan06.ical_token != old
    assert c.get(old_url).status_code == 404
    assert c.get(_url("ical", cast, token=plan06.ical_token)).status_code == 200


def test_query_counts_are_fixed(cast, client_for, plan06, django_assert_num_queries):
    c = client_for("secretary")
    c.get(_url("detail", cast, plan_id=plan06.pk))  # warm the content-type cache
    detail = _url("detail", cast, plan_id=plan06.pk)
    index = _url("index", cast)
    with django_assert_num_queries(9) as small_detail:
        c.get(detail)
    with django_assert_num_queries(6):
        c.get(index)
    services.add_missing_items(actor=cast.secretary, plan=plan06)
    services.copy_plan(actor=cast.secretary, source=plan06, year=2023)
    for item in plan06.items.all()[:10]:
        services.update_item(actor=cast.secretary, item=item, owner=cast.people[1], status="done")
    with django_assert_num_queries(len(small_detail.captured_queries)):
        c.get(detail)
    with django_assert_num_queries(6):
        c.get(index)


def test_panel(cast, client_for, plan06):
    from zhibu.plans.panels import branch_panel

    with clock.frozen(clock.today().replace(year=2022, month=7, day=1)):
        html = branch_panel(None, cast.branch)
        assert "开展党的群众路线教育实践活动" in html and "7月" in html
        home = client_for("member").get(reverse("orgs:home", kwargs={"org_id": cast.branch.pk})).content.decode()
        assert "本月工作计划" in home and "党建工作小结" in home
    assert branch_panel(None, cast.district) is None
