import os

from django.core.management import call_command
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibu.settings")
application = get_wsgi_application()
# Refuse to start when the encryption keys do not read the stored data (zhibu.core.checks).
call_command("check", tags=["security"])
