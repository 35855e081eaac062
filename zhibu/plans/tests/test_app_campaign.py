"""Campaign plans (专项/主题教育 方案, issue 14): any number per year beside the annual plan, read by
the same parser, their items on the same calendar, each labelled with its plan."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.plans import services
from zhibu.plans.models import Plan, PlanKind
from zhibu.plans.tests.test_app_views import _preview_post

pytestmark = pytest.mark.django_db

CAMPAIGN_TEXT = """关于开展党纪学习教育的实施方案

一、目标任务
以学习贯彻《中国共产党纪律处分条例》为重点，教育引导党员学纪、知纪、明纪、守纪。

二、行事历
四月份：
1. 召开动员部署会，制定学习计划。
五月份：
1. 集中学习《条例》，讲一次专题党课。
六月份：
1. 开展警示教育，召开专题组织生活会。
"""


def _url(name, cast, **kw):
    return reverse(f"plans:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def test_campaign_plans_live_beside_the_annual_plan(cast):
    annual = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    first = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind=PlanKind.CAMPAIGN,
                                 title="党纪学习教育实施方案", label="党纪学习教育")
    second = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind=PlanKind.CAMPAIGN,
                                  title="师德师风专项整治方案")
    assert {p.kind for p in (annual, first, second)} == {"annual", "campaign"}
    assert first.short_label == "党纪学习教育" and second.short_label == "师德师风专项整治方案"
    assert annual.short_label == "年度计划"
    with pytest.raises(ValidationError) as exc:  # the same title twice in a year
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind=PlanKind.CAMPAIGN,
                             title="党纪学习教育实施方案")
    assert "同名方案" in str(exc.value)
    with pytest.raises(ValidationError) as exc:  # a campaign needs its own title
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind=PlanKind.CAMPAIGN)
    assert "须填写标题" in str(exc.value)
    with pytest.raises(ValidationError):  # still one annual plan per period
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    with pytest.raises(ValidationError):
        services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind="other", title="x")
    assert Plan.objects.filter(branch=cast.branch).count() == 3


def test_the_database_keeps_one_annual_plan_per_period(cast):
    from django.db import IntegrityError, transaction

    Plan.objects.create(branch=cast.branch, year=2026, title="a")
    Plan.objects.create(branch=cast.branch, year=2026, title="b", kind=PlanKind.CAMPAIGN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(branch=cast.branch, year=2026, title="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(branch=cast.branch, year=2026, title="b", kind=PlanKind.CAMPAIGN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(branch=cast.branch, year=2026, title="d", kind=PlanKind.CAMPAIGN, half="first")


def test_campaign_import_and_the_year_calendar(cast, client_for, django_assert_num_queries):
    c = client_for("secretary")
    annual = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    services.add_item(actor=cast.secretary, plan=annual, months=[5], text="召开支部党员大会")
    preview = c.post(_url("import", cast), {"step": "preview", "text": CAMPAIGN_TEXT})
    assert preview.status_code == 200
    data = _preview_post(preview)
    assert data["plan-kind"] == ["campaign"]  # guessed from the title 实施方案
    assert data["plan-year"] == [data["plan-year"][0]]
    data["plan-year"] = ["2026"]
    data["plan-label"] = ["党纪学习教育"]
    data["step"] = ["save"]
    saved = c.post(_url("import", cast), data)
    campaign = Plan.objects.get(kind=PlanKind.CAMPAIGN)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert campaign.title == "关于开展党纪学习教育的实施方案" and campaign.items.count() == 3
    page = c.get(_url("detail", cast, plan_id=campaign.pk)).content.decode()
    assert 'id="campaign-no-check"' in page and "计划检查：无缺项" in page
    with pytest.raises(ValidationError):
        services.add_missing_items(actor=cast.secretary, plan=campaign)

    url = _url("year", cast, year=2026)
    c.get(url)
    with django_assert_num_queries(7) as captured:
        body = c.get(url).content.decode()
    may = body[body.index('id="month-5"'):body.index('id="month-6"')]
    assert "召开支部党员大会" in may and "集中学习《条例》" in may
    assert may.index("年度计划") < may.index("党纪学习教育")  # each item shows its plan
    more = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026, kind=PlanKind.CAMPAIGN,
                                title="专项整治方案")
    for m in range(1, 13):
        services.add_item(actor=cast.secretary, plan=more, months=[m], text=f"整治第{m}项")
    with django_assert_num_queries(len(captured.captured_queries)):
        c.get(url)
    assert c.get(_url("year", cast, year=1999)).status_code == 404
    assert client_for("member").get(url).status_code == 200
    index = c.get(_url("index", cast)).content.decode()
    assert "专项方案" in index and _url("year", cast, year=2026) in index


def test_annual_plan_text_stays_annual(cast, client_for, plan06_text):
    data = _preview_post(client_for("secretary").post(_url("import", cast), {"step": "preview", "text": plan06_text}))
    assert data["plan-kind"] == ["annual"]
