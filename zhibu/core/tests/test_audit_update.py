"""One audited update (audit.updating / audit.update_audited)."""
import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.core import audit
from zhibu.core.models import AuditEntry


def test_it_records_what_changed_and_nothing_when_nothing_did(cast):
    person = cast.member_person if hasattr(cast, "member_person") else cast.branch
    field = "name"
    old = getattr(person, field)
    with transaction.atomic():
        changes = audit.update_audited(person, {field: old + "（改）"}, actor=cast.secretary, fields=[field],
                                       organisation=cast.branch, full_clean=False)
    assert changes == {field: [old, old + "（改）"]}
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "update" and entry.changes == {field: [old, old + "（改）"]}
    count = AuditEntry.objects.count()
    with transaction.atomic():
        assert audit.update_audited(person, {field: old + "（改）"}, actor=cast.secretary, fields=[field],
                                    full_clean=False) == {}
    assert AuditEntry.objects.count() == count


def test_an_error_in_the_block_saves_and_records_nothing(cast):
    org = cast.branch
    name = org.name
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError), transaction.atomic():
        with audit.updating(org, actor=cast.secretary, fields=["name"]):
            org.name = "不保存"
            raise ValidationError("no")
    org.refresh_from_db()
    assert org.name == name and AuditEntry.objects.count() == count
