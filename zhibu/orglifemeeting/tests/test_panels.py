import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.orglifemeeting import panels, services
from django.test import RequestFactory

from zhibu.orgs import access

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    access.get_scope(request)  # the scope is the page's, fetched once
    return request


def test_branch_and_district_panels(cast, django_assert_num_queries):
    with clock.frozen(dt.date(2026, 11, 2)):
        branch_req, district_req = request_for(cast.secretary), request_for(cast.district_admin)
        panels.branch_panel(branch_req, cast.branch)  # warm the scope
        with django_assert_num_queries(1):
            html = panels.branch_panel(branch_req, cast.branch)
        assert "2026年组织生活会尚未建立" in html
        services.start_cycle(actor=cast.secretary, branch=cast.branch, year=2026, topic="强化党性修养",
                              planned_date=dt.date(2026, 12, 10))
        html = panels.branch_panel(branch_req, cast.branch)
        assert "强化党性修养" in html and "准备中" in html and "12月10日" in html
        panels.district_panel(district_req, cast.district)
        with django_assert_num_queries(2):
            html = panels.district_panel(district_req, cast.district)
        assert "准备中 1 个" in html and "已召开 0 个" in html
        assert panels.branch_panel(branch_req, cast.district) is None
        assert panels.district_panel(district_req, cast.branch) is None
        assert panels.branch_panel(request_for(cast.outsider), cast.branch) is None
