import pytest
from django.core.management import call_command

from zhibu.elections.models import Election
from zhibu.orgs.models import CommitteePosition, Organisation, OrgKind


@pytest.mark.django_db
def test_demo_gives_every_branch_a_term_and_a_few_open_elections():
    call_command("demo", "--branches", "12", "--members", "20", "--year", "2026", "--seed", "1")
    branches = Organisation.objects.filter(kind=OrgKind.BRANCH)
    with_term = CommitteePosition.objects.filter(ended_on__isnull=True).values("branch_id").distinct().count()
    assert with_term == branches.count()
    assert 1 <= Election.objects.count() <= 6
