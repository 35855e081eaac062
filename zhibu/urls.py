"""URL root. Each domain app mounts its own urls module if it has one."""
from importlib.util import find_spec

from django.urls import include, path

urlpatterns = [path("", include("zhibu.core.urls")), path("", include("zhibu.orgs.urls"))]
for app in ("workdays", "plans", "orglife", "development", "dues"):
    if find_spec(f"zhibu.{app}.urls") is not None:
        urlpatterns.append(path("", include(f"zhibu.{app}.urls")))
