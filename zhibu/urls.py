"""URL root. Each domain app mounts its own urls module if it has one."""
from django.urls import include, path

from zhibu.core.hooks import app_modules

urlpatterns = [path("", include(module)) for module in app_modules("urls")]

# Error pages in Chinese inside the layout (zhibu.core.views; CSRF failures: settings.CSRF_FAILURE_VIEW).
handler400 = "zhibu.core.views.bad_request"
handler403 = "zhibu.core.views.permission_denied"
handler404 = "zhibu.core.views.page_not_found"
handler500 = "zhibu.core.views.server_error"
