"""The core walks (access per URL, bad input) over this app's URLs only — quick to run while the
app changes; the whole-suite walks in zhibu/core/tests cover them too."""

import pytest
from django.urls import reverse

from zhibu.core.tests import test_access_all_urls as walk_access
from zhibu.core.tests import test_bad_input as walk_input


@pytest.fixture
def url_cases(cast):
    from zhibu.care.tests.access_cases import PUBLIC, cases

    return cases(cast), set(PUBLIC)


@pytest.fixture
def targets(cast, settings, tmp_path, url_cases):
    settings.MEDIA_ROOT = tmp_path
    out = []
    for name, kwargs in sorted(url_cases[0].items()):
        out.append(("secretary", name, reverse(name, kwargs=kwargs)))
        out.append(("district_admin", name, reverse(name, kwargs=kwargs)))
        if set(kwargs) == {"org_id"}:
            out.append(("district_admin", name, reverse(name, kwargs={"org_id": cast.district.pk})))
    return out


test_outsider_gets_404_or_403_everywhere = walk_access.test_outsider_gets_404_or_403_everywhere
test_anonymous_is_sent_to_login_or_refused = walk_access.test_anonymous_is_sent_to_login_or_refused
test_secretary_reaches_every_page_without_error = walk_access.test_secretary_reaches_every_page_without_error
test_second_district_admin_gets_404_or_403_everywhere = (
    walk_access.test_second_district_admin_gets_404_or_403_everywhere
)
test_reviewer_reads_and_writes_nothing = walk_access.test_reviewer_reads_and_writes_nothing
test_committee_member_without_a_post_manages = (
    walk_access.test_committee_member_without_a_post_manages_but_neither_reveals_nor_appoints
)
test_junk_query_strings_never_500 = walk_input.test_junk_query_strings_never_500
test_junk_posts_never_500_and_write_nothing = walk_input.test_junk_posts_never_500_and_write_nothing
test_whole_number_inputs_have_a_maximum = walk_input.test_whole_number_inputs_have_a_maximum


def test_a_member_is_refused_the_care_records_but_sees_their_own(cast, client_for):
    """Health and hardship are personal: a plain member gets 403 on the flags, visits, pairs and
    hours of others, and sees the 示范岗, the partners and their own page."""
    member = client_for("member")
    b = cast.branch.pk
    for name in ("care:flags", "care:campaigns", "care:pairs", "care:volunteer", "care:birthdays", "care:fifty"):
        assert member.get(reverse(name, kwargs={"org_id": b})).status_code == 403, name
    for name in ("care:index", "care:posts", "care:partners"):
        assert member.get(reverse(name, kwargs={"org_id": b})).status_code == 200, name
