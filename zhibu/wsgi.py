import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
application = get_wsgi_application()
# Refuse to start when the encryption keys do not read the stored data (zhibu.core.checks).
_serious = [e for e in checks.run_checks(tags=[checks.Tags.security]) if e.is_serious()]
if _serious:
    raise ImproperlyConfigured("\n".join(e.msg for e in _serious))
