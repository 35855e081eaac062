"""The sources survive a flush (transactional tests empty the test database; post_migrate refills)."""
import pytest
from django.core.management import call_command

from zhibu.rectify.models import Source
from zhibu.rectify.rules import SOURCES


@pytest.mark.django_db(transaction=True)
def test_sources_come_back_after_a_flush():
    call_command("flush", verbosity=0, interactive=False)
    assert sorted(Source.objects.values_list("code", flat=True)) == sorted(code for code, _name in SOURCES)
