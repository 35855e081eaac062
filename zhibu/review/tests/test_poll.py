"""The anonymous poll: one-time codes, unlinkable ballots, one ballot per code as a database constraint,
closing voids unused codes, the tally only after closing, bad codes refused in Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.review import selectors, services
from zhibu.review.models import Ballot, BallotCode, CodeUse, Poll
from zhibu.review.tests.helpers import gradable, issue, make_review


@pytest.fixture
def review(cast):
    return make_review(cast)


def vote(review, code, grades):
    services.submit_ballot(poll_key=review.poll.key, code=code, grades=grades)


def test_codes_are_stored_hashed_only(cast, review):
    codes = issue(cast, review, 3)
    stored = list(BallotCode.objects.values_list("digest", flat=True))
    assert len(stored) == 3
    for code in codes:
        assert all(code not in d for d in stored)
        assert not AuditEntry.objects.filter(changes__icontains=code).exists()
    assert services.code_digest(review.poll.key, codes[0]) in stored


def test_a_ballot_row_holds_no_code_user_address_or_time(cast, review):
    codes = issue(cast, review, 2)
    member = gradable(cast)[3]
    vote(review, codes[0], {str(member.pk): "优秀"})
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"id", "poll", "kind", "filled", "day", "grades"}
    assert Ballot._meta.get_field("day").get_internal_type() == "DateField"
    assert Ballot._meta.get_field("id").get_internal_type() == "UUIDField"
    assert {f.name for f in CodeUse._meta.get_fields()} == {"code"}


def test_every_table_a_ballot_write_touches_has_nothing_linking_it(cast, review, client):
    """Reads every row of every table the ballot request writes (the audit log included) and finds no
    code, user, address or time that could tie the ballot to a voter."""
    codes = issue(cast, review, 3)
    member = gradable(cast)[3]
    url = reverse("review:vote", args=[review.poll.key])
    audit_before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"code": codes[1], "grading": "1", f"g_{member.pk}": "合格"},
                               REMOTE_ADDR="10.9.8.7", HTTP_USER_AGENT="VoterPhone/1.0")
    assert response.status_code == 200 and "已提交" in response.content.decode()
    written = set()
    for q in ctx.captured_queries:
        m = re.match(r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', q["sql"], re.I)
        if m:
            written.add(m.group(2))
    assert written <= {Ballot._meta.db_table, CodeUse._meta.db_table}, written
    assert AuditEntry.objects.count() == audit_before  # the ballot is not audited on purpose
    from django.contrib.sessions.models import Session

    assert not Session.objects.exists()
    now = clock.now()
    ballot = Ballot.objects.get(filled=True)
    values = [str(v) for v in Ballot.objects.filter(pk=ballot.pk).values().first().values()]
    values += [str(v) for row in CodeUse.objects.values() for v in row.values()]
    for text in values:
        assert codes[1] not in text and "10.9.8.7" not in text and "VoterPhone" not in text
        assert now.strftime("%H:%M") not in text
    assert ballot.day == clock.today()
    # The used code's mark holds only the code's key, nothing about the ballot.
    assert list(CodeUse.objects.values()) == [{"code_id": BallotCode.objects.get(
        digest=services.code_digest(review.poll.key, codes[1])).pk}]
    # The audit log holds nothing of the ballot either.
    for entry in AuditEntry.objects.all():
        assert str(ballot.pk) not in str(entry.changes) and str(ballot.pk) != entry.object_id


def test_ballot_order_does_not_follow_voting_order(cast, review):
    codes = issue(cast, review, 12)
    member = gradable(cast)[3]
    slots_before = list(Ballot.objects.order_by("pk").values_list("pk", flat=True))
    assert len(slots_before) == 12  # created with the codes, before anyone votes
    for code in codes:
        vote(review, code, {str(member.pk): "合格"})
    slots_after = list(Ballot.objects.order_by("pk").values_list("pk", flat=True))
    assert slots_after == slots_before  # voting creates no row: no insertion order to read
    assert {b.day for b in Ballot.objects.all()} == {clock.today()}


def test_one_ballot_per_code_is_a_database_constraint(cast, review):
    codes = issue(cast, review, 1)
    code = BallotCode.objects.get()
    CodeUse.objects.create(code=code)
    with pytest.raises(IntegrityError), transaction.atomic():
        CodeUse.objects.create(code=code)
    with pytest.raises(ValidationError) as exc:
        vote(review, codes[0], {})
    assert exc.value.code == "code_reused"


def test_reused_code_is_refused_with_a_clear_message_and_nothing_written(cast, review):
    codes = issue(cast, review, 2)
    member = gradable(cast)[3]
    vote(review, codes[0], {str(member.pk): "优秀"})
    before = list(Ballot.objects.filter(filled=True).values())
    with pytest.raises(ValidationError) as exc:
        vote(review, codes[0], {str(member.pk): "不合格"})
    assert "已经投过票" in exc.value.messages[0]
    assert list(Ballot.objects.filter(filled=True).values()) == before


def test_closing_invalidates_unused_codes_and_removes_empty_slots(cast, review):
    codes = issue(cast, review, 3)
    vote(review, codes[0], {})
    services.close_poll(actor=cast.secretary, review=review)
    assert BallotCode.objects.filter(void=True).count() == 2
    assert Ballot.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        vote(review, codes[1], {})
    assert exc.value.code == "code_expired" and "已经结束" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.issue_codes(actor=cast.secretary, review=review, count=1)


def test_tally_is_shown_only_after_close(cast, review, client_for):
    codes = issue(cast, review, 2)
    member = gradable(cast)[3]
    vote(review, codes[0], {str(member.pk): "优秀"})
    summary = selectors.summary(review)
    assert summary.result.tally == {} and summary.poll.returned == 0
    page = client_for("secretary").get(reverse("review:poll", args=[cast.branch.pk, review.pk])).content.decode()
    assert "tally-table" not in page and "收回" not in page
    services.close_poll(actor=cast.secretary, review=review)
    summary = selectors.summary(review)
    assert summary.poll.returned == 1 and summary.poll.issued == 2
    assert summary.result.tally[str(member.pk)]["优秀"] == 1
    assert summary.result.tally[str(member.pk)]["blank"] == 0
    assert summary.result.tally[str(gradable(cast)[4].pk)]["blank"] == 1


def test_masses_codes_are_counted_separately(cast, review):
    pairs = services.issue_codes(actor=cast.secretary, review=review, count=1, masses_count=1)
    member = gradable(cast)[3]
    for kind, code in pairs:
        vote(review, code, {str(member.pk): "优秀" if kind == "masses" else "合格"})
    services.close_poll(actor=cast.secretary, review=review)
    summary = selectors.summary(review)
    assert (summary.poll.issued, summary.poll.returned, summary.poll.masses_issued, summary.poll.masses_returned) == (
        1, 1, 1, 1)
    assert summary.result.tally[str(member.pk)]["合格"] == 1 and summary.result.tally[str(member.pk)]["优秀"] == 0
    assert summary.masses_tally[str(member.pk)]["优秀"] == 1


def test_slips_download_holds_the_codes_and_a_qr_image(cast, review, client_for):
    from zhibu.review.tests.helpers import codes_from_docx

    client = client_for("secretary")
    response = client.post(reverse("review:issue", args=[cast.branch.pk, review.pk]), {"count": "4", "masses_count": "0"})
    assert response.status_code == 200 and response["Content-Type"].endswith("document")
    codes = codes_from_docx(response.content)
    assert len(codes) == 4 and len(set(codes)) == 4
    assert b"word/media/" in response.content  # the QR images
    poll = Poll.objects.get(review=review)
    assert {services.code_digest(poll.key, c) for c in codes} == set(BallotCode.objects.values_list("digest", flat=True))
