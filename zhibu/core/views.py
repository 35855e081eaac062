"""Sign-in, the start page, the audit log and one's own records."""
from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhibu.core.forms import LoginForm
from zhibu.core.models import Notification


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own notifications; opening the page marks them read."""
    from zhibu.core import services

    from zhibu.core.models import RemindRun

    items = list(Notification.objects.filter(user=request.user).select_related("organisation")[:100])
    services.mark_notifications_read(user=request.user)
    return render(request, "core/notifications.html", {"items": items, "last_run": RemindRun.objects.first()})


# Error pages: Chinese, inside the app's layout, with a way home. 400 and 500 render without the
# request's context processors (no database queries: the database may be what failed).
ERRORS = {
    400: ("请求无效", "请求的内容不完整或格式不对，无法处理。请返回上一页重试。"),
    403: ("没有权限", "您没有权限查看或修改这项内容。如需权限，请联系本支部书记或上级管理员。"),
    404: ("页面不存在", "您要找的页面不存在，或者已被删除。请检查地址是否正确。"),
    500: ("系统出错了", "处理请求时出现了错误，我们已记录下来。请稍后再试；如果一直出现，请联系管理员。"),
}
CSRF_MESSAGE = ("页面已过期", "表单已过期或页面在别处打开过（安全校验未通过），这次提交没有保存。请返回上一页、刷新后重新提交。")


def _error(request, status: int, title: str, message: str, *, with_request: bool = True) -> HttpResponse:
    from django.template import loader

    context = {"status": status, "title": title, "message": message}
    html = loader.get_template("core/error.html").render(context, request if with_request else None)
    return HttpResponse(html, status=status)


def bad_request(request, exception=None) -> HttpResponse:
    return _error(request, 400, *ERRORS[400], with_request=False)


def permission_denied(request, exception=None) -> HttpResponse:
    return _error(request, 403, *ERRORS[403])


def page_not_found(request, exception=None) -> HttpResponse:
    return _error(request, 404, *ERRORS[404])


def server_error(request) -> HttpResponse:
    return _error(request, 500, *ERRORS[500], with_request=False)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    return _error(request, 403, *CSRF_MESSAGE)
