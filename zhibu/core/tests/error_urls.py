"""The project's URLs plus one view that fails (test_security_platform's 500 page)."""
from django.urls import path

from zhibu.urls import handler400, handler403, handler404, handler500, urlpatterns as project  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *project]
