"""The core bad-input walk (zhibu/core/tests/test_bad_input.py) over this app's URLs alone: junk query
strings, empty and junk POSTs, bad uploads and unbounded numbers — as the secretary and the district
admin, on the branch and on the district. The whole walk covers every app; this one is quick to run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhibu.assessment.tests import access_cases
from zhibu.core.tests import test_bad_input as walk


@pytest.fixture
def targets(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = []
    for name, kwargs in sorted(access_cases.cases(cast).items()):
        out.append(("secretary", name, reverse(name, kwargs=kwargs)))
        out.append(("district_admin", name, reverse(name, kwargs=kwargs)))
        if set(kwargs) == {"org_id"}:
            out.append(("district_admin", name, reverse(name, kwargs={"org_id": cast.district.pk})))
    return out


def test_junk_query_strings(cast, targets):
    walk.test_junk_query_strings_never_500(cast, targets)


def test_junk_posts(cast, targets):
    walk.test_junk_posts_never_500_and_write_nothing(cast, targets)


def test_bad_uploads(cast, targets):
    walk.test_bad_uploads_get_a_chinese_error(cast, targets)


def test_numbers_bounded(cast, targets):
    walk.test_whole_number_inputs_have_a_maximum(cast, targets)
