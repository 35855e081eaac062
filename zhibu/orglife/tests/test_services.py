import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orglife import services
from zhibu.orglife.models import Attendance, HeartTalk, MakeUpTask, Meeting, Motion
from zhibu.orglife.tests.helpers import at, codes, mark, meeting
from zhibu.orgs.models import Person, Standing

pytestmark = pytest.mark.django_db
D = dt.date


def names(m):
    return sorted(a.person.name for a in m.attendances.select_related("person"))


def test_who_should_attend_follows_the_kind(cast):
    members = sorted(p.name for p in cast.people if p.standing in (Standing.FULL, Standing.PROBATIONARY))
    assert names(meeting(cast, "party_congress")) == members  # 8 正式 + 1 预备, not the activist or masses
    assert names(meeting(cast, "committee_meeting")) == sorted(["王书记", "李组织", "张党员"])
    assert names(meeting(cast, "group_meeting", group=cast.group)) == sorted(p.name for p in cast.people[:4])
    with pytest.raises(ValidationError) as exc:
        meeting(cast, "group_meeting")  # a group meeting needs its group
    assert codes(exc) == {"group_required"}
    with pytest.raises(ValidationError) as exc:
        meeting(cast, "group_meeting", group=cast.other_branch)
    assert codes(exc) == {"group_foreign"}


def test_probationary_present_without_vote(cast):
    m = meeting(cast)
    rows = {a.person.name: a for a in m.attendances.select_related("person")}
    assert rows["郑预备"].voting is False and rows["王书记"].voting is True
    mark(cast, m, {p: "present" for p in cast.people if p.name in ("郑预备", "王书记")})
    c = services.attendance_counts(m.attendances.all())
    assert (c["should"], c["present"], c["voting_should"], c["voting_present"]) == (9, 2, 8, 1)


def test_meeting_is_audited_and_dated_locally(cast):
    m = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="theme_day", topic="党日",
                                starts_at=dt.datetime(2026, 3, 31, 17, 0, tzinfo=dt.UTC),  # 01:00 on 1 April in Beijing
                                ends_at=dt.datetime(2026, 3, 31, 18, 0, tzinfo=dt.UTC))
    assert (m.date, m.month) == (D(2026, 4, 1), 4)
    assert AuditEntry.objects.filter(action="create", object_type="orglife.Meeting", object_id=str(m.pk)).exists()
    services.update_meeting(actor=cast.secretary, meeting=m, topic="新的议题")
    assert AuditEntry.objects.filter(action="update", object_id=str(m.pk)).exists()


def test_update_kind_resyncs_attendance(cast):
    m = meeting(cast, "committee_meeting")
    services.update_meeting(actor=cast.secretary, meeting=m, kind="party_congress")
    assert len(names(m)) == 9


def test_constraints_in_the_database(cast):
    m = meeting(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=m, person=cast.people[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=m.pk).update(ends_at=m.starts_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(meeting=m).update(excluded=True, excluded_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.create(meeting=m, title="x", votes_for=5, votes_against=0, votes_abstain=0, should_attend=4,
                              present=4, quorum_met=True, passed=True, reason="", source="")
    with pytest.raises(IntegrityError), transaction.atomic():
        HeartTalk.objects.create(branch=cast.branch, person_a=cast.people[1], person_b=cast.people[0], date=D(2026, 1, 1))


def test_leave_and_exclusion_need_reasons(cast):
    m = meeting(cast)
    with pytest.raises(ValidationError) as exc:
        mark(cast, m, {cast.people[3]: "leave"})
    assert codes(exc) == {"leave_reason_required"}
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(actor=cast.secretary, meeting=m, entries=[
            {"person_id": cast.people[3].pk, "status": "absent", "excluded": True}])
    assert codes(exc) == {"excluded_reason_required"}
    with pytest.raises(ValidationError) as exc:
        mark(cast, m, {cast.outsider_person: "present"})
    assert codes(exc) == {"not_on_list"}


# --- votes ---------------------------------------------------------------------------------------


def test_vote_fails_for_lack_of_quorum(cast):
    m = meeting(cast)
    # 8 voting members should attend; 4 present (and the 预备党员, who does not count) is not more than half
    mark(cast, m, {p: "present" for p in cast.people[:4] + [cast.people[8]]})
    motion = services.add_motion(actor=cast.secretary, meeting=m, title="接收郑预备转正", votes_for=4, votes_against=0, votes_abstain=0)
    assert (motion.should_attend, motion.present) == (8, 4)
    assert not motion.quorum_met and not motion.passed
    assert "不足法定人数" in motion.reason and "第11条" in motion.source


def test_vote_pass_is_against_should_attend(cast):
    m = meeting(cast)
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    failed = services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=4, votes_against=2, votes_abstain=0)
    passed = services.add_motion(actor=cast.secretary, meeting=m, title="乙", votes_for=5, votes_against=1, votes_abstain=0)
    assert failed.quorum_met and not failed.passed and "未通过" in failed.reason
    assert passed.passed and passed.reason.endswith("通过")


def test_a_vote_keeps_its_counts_when_attendance_is_corrected_afterwards(cast):
    m = meeting(cast)
    mark(cast, m, {p: "present" for p in cast.people[:5] if p != cast.member_person})
    motion = services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=4, votes_against=0, votes_abstain=0)
    assert not motion.quorum_met and (motion.should_attend, motion.present) == (8, 4)
    # two members abroad for over six months are excluded afterwards: 6 should attend now, 4 present
    result = services.record_attendance_checked(actor=cast.secretary, meeting=m, entries=[
        {"person_id": p.pk, "status": "absent", "excluded": True, "excluded_reason": "出国半年以上"} for p in cast.people[6:8]])
    motion.refresh_from_db()
    assert (motion.should_attend, motion.present, motion.passed) == (8, 4, False)  # a fact of the meeting
    assert [x.pk for x in result.stale_motions] == [motion.pk]  # the page warns
    entry = AuditEntry.objects.get(action="orglife.attendance_after_vote", object_id=str(m.pk))
    assert entry.changes["甲"] == {"表决时应到/实到": [8, 4], "更正后应到/实到": [6, 4]}
    # a self sign-in after the vote is recorded the same way, and the vote still does not move
    with clock.frozen(at(m.date, 14)):
        services.sign_in(actor=cast.member, meeting=m)
    motion.refresh_from_db()
    assert (motion.should_attend, motion.present) == (8, 4)
    assert AuditEntry.objects.filter(action="orglife.attendance_after_vote").count() == 2
    # the secretary may then recount explicitly (an audited edit), on the corrected attendance
    motion = services.update_motion(actor=cast.secretary, motion=motion, title="甲", votes_for=5, votes_against=0,
                                    votes_abstain=0, recount=True)
    assert (motion.should_attend, motion.present, motion.passed) == (6, 5, True)
    assert AuditEntry.objects.filter(action="orglife.motion_edit", object_id=str(motion.pk)).exists()


def test_attendance_correction_without_effect_on_counts_is_not_flagged(cast):
    m = meeting(cast)
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=5, votes_against=0, votes_abstain=0)
    result = services.record_attendance_checked(actor=cast.secretary, meeting=m, entries=[
        {"person_id": cast.people[7].pk, "status": "leave", "leave_reason": "病假"}])  # absent → leave: same counts
    assert result.stale_motions == []
    assert not AuditEntry.objects.filter(action="orglife.attendance_after_vote").exists()


def test_votes_cannot_exceed_voting_members_present_plus_written_opinions(cast):
    m = meeting(cast)
    mark(cast, m, {p: "present" for p in cast.people[:5]} | {cast.people[8]: "present"})  # 5 voting + 预备
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=6, votes_against=0, votes_abstain=0)
    assert codes(exc) == {"votes_inconsistent"}  # 6 > 5 present with a vote, though ≤ 8 应到
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=4, votes_against=1, votes_abstain=1)
    assert codes(exc) == {"votes_inconsistent"}
    # written opinions of absent voting members count (发展党员工作细则 第二十五条), at most the absentees
    motion = services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=6, votes_against=0,
                                 votes_abstain=0, written_votes=1)
    assert motion.passed and motion.written_votes == 1
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="y", votes_for=8, votes_against=0, votes_abstain=0,
                            written_votes=4)  # only 3 voting members are absent
    assert codes(exc) == {"votes_inconsistent"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.create(meeting=m, title="z", votes_for=6, votes_against=0, votes_abstain=0, should_attend=8,
                              present=5, quorum_met=True, passed=True, reason="", source="")


def test_motions_edit_and_delete_audited_until_finalised(cast):
    m = meeting(cast)
    mark(cast, m, {p: "present" for p in cast.people[:6]})
    motion = services.add_motion(actor=cast.secretary, meeting=m, title="甲", votes_for=4, votes_against=2, votes_abstain=0)
    assert not motion.passed
    motion = services.update_motion(actor=cast.secretary, motion=motion, title="甲(更正)", votes_for=5, votes_against=1,
                                    votes_abstain=0)
    assert motion.passed and (motion.should_attend, motion.present) == (8, 6)
    entry = AuditEntry.objects.get(action="orglife.motion_edit", object_id=str(motion.pk))
    assert entry.changes["votes_for"] == [4, 5] and entry.changes["passed"] == [False, True]
    other = services.add_motion(actor=cast.secretary, meeting=m, title="乙", votes_for=5, votes_against=0, votes_abstain=0)
    services.delete_motion(actor=cast.secretary, motion=other)
    assert not Motion.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.get(action="orglife.motion_delete", object_id=str(other.pk)).changes["title"] == ["乙", None]
    services.finalise_meeting(actor=cast.secretary, meeting=m)
    assert AuditEntry.objects.filter(action="orglife.finalise", object_id=str(m.pk)).exists()
    for call in (lambda: services.update_motion(actor=cast.secretary, motion=motion, title="甲", votes_for=6,
                                                votes_against=0, votes_abstain=0),
                 lambda: services.delete_motion(actor=cast.secretary, motion=motion),
                 lambda: services.add_motion(actor=cast.secretary, meeting=m, title="丙", votes_for=5, votes_against=0,
                                             votes_abstain=0),
                 lambda: services.update_meeting(actor=cast.secretary, meeting=m, topic="改"),
                 lambda: services.delete_meeting(actor=cast.secretary, meeting=m)):
        with pytest.raises(ValidationError) as exc:
            call()
        assert codes(exc) == {"finalised"}
    with pytest.raises(ValidationError) as exc:
        services.finalise_meeting(actor=cast.secretary, meeting=m)
    assert codes(exc) == {"already_finalised"}
    motion.refresh_from_db()
    assert motion.votes_for == 5


def test_finalising_needs_a_held_meeting_with_attendance(cast):
    m = meeting(cast)
    with pytest.raises(ValidationError) as exc:
        services.finalise_meeting(actor=cast.secretary, meeting=m)
    assert codes(exc) == {"no_attendance"}


def test_votes_only_at_party_congress_and_not_more_than_base(cast):
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=meeting(cast, "theme_day"), title="x", votes_for=1,
                            votes_against=0, votes_abstain=0)
    assert codes(exc) == {"not_congress"}
    m = meeting(cast)
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=1, votes_against=0, votes_abstain=0)
    assert codes(exc) == {"no_attendance"}
    mark(cast, m, {p: "present" for p in cast.people[:8]})
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=9, votes_against=0, votes_abstain=0)
    assert codes(exc) == {"votes_inconsistent"}


# --- sign-in -----------------------------------------------------------------------------------------


def test_sign_in_window(cast):
    m = meeting(cast, day=D(2026, 3, 10))  # 14:00–16:00
    with clock.frozen(at(D(2026, 3, 10), 13)):  # 60 min before: too early (window opens 30 min before)
        with pytest.raises(ValidationError) as exc:
            services.sign_in(actor=cast.member, meeting=m)
        assert codes(exc) == {"signin_early"}
    with clock.frozen(dt.datetime(2026, 3, 10, 13, 31, tzinfo=clock.TZ)):
        row = services.sign_in(actor=cast.member, meeting=m)
        assert row.status == "present" and row.source == "self" and row.signed_in_at
    with clock.frozen(dt.datetime(2026, 3, 10, 16, 1, tzinfo=clock.TZ)):
        with pytest.raises(ValidationError) as exc:
            services.sign_in(actor=cast.committee, meeting=m)
        assert codes(exc) == {"signin_closed"}
    services.set_config(actor=cast.secretary, branch=cast.branch, frequencies={}, signin_before_minutes=10,
                        signin_after_minutes=15)
    with clock.frozen(dt.datetime(2026, 3, 10, 16, 10, tzinfo=clock.TZ)):
        assert services.sign_in(actor=cast.committee, meeting=m).status == "present"
    with clock.frozen(dt.datetime(2026, 3, 10, 13, 45, tzinfo=clock.TZ)):
        assert services.signin_state(m, services.get_config(cast.branch)) == "early"


def test_sign_in_only_for_the_branch_and_host_can_correct(cast):
    m = meeting(cast, "committee_meeting", day=D(2026, 3, 10))
    with clock.frozen(at(D(2026, 3, 10), 14)):
        with pytest.raises(ValidationError) as exc:
            services.sign_in(actor=cast.outsider, meeting=m)
        assert codes(exc) == {"not_member"}
        services.sign_in(actor=cast.committee, meeting=m)
    mark(cast, m, {cast.committee_person: ("leave", "外出培训")})
    row = m.attendances.get(person=cast.committee_person)
    assert row.status == "leave" and row.source == "host" and row.signed_in_at is None


def test_sign_in_refused_for_someone_not_on_the_list(cast):
    member_person = cast.member_person
    other = Person.objects.get(name="钱党员")  # not in the group
    user = cast.member
    Person.objects.filter(pk=member_person.pk).update(user=None)
    Person.objects.filter(pk=other.pk).update(user=user)
    m = meeting(cast, "group_meeting", group=cast.group, day=D(2026, 3, 10))
    with clock.frozen(at(D(2026, 3, 10), 14)):
        with pytest.raises(ValidationError) as exc:
            services.sign_in(actor=user, meeting=m)
        assert codes(exc) == {"not_on_list"}


# --- 补课 ---------------------------------------------------------------------------------------------


def test_makeup_tasks_for_lecture_and_theme_day_absentees(cast):
    m = meeting(cast, "party_lecture", day=D(2026, 3, 10))
    assert not MakeUpTask.objects.exists()  # nothing before attendance is recorded
    mark(cast, m, {cast.people[0]: "present", cast.people[1]: ("leave", "病假"), cast.people[2]: "absent"})
    owing = set(MakeUpTask.objects.values_list("person__name", flat=True))
    assert {"李组织", "张党员"} <= owing and "王书记" not in owing
    mark(cast, m, {cast.people[2]: "present"})
    assert not MakeUpTask.objects.filter(person=cast.people[2]).exists()
    task = MakeUpTask.objects.get(person=cast.people[1])
    with clock.frozen(D(2026, 3, 20)):
        with pytest.raises(ValidationError) as exc:
            services.complete_makeup(actor=cast.secretary, task=task, done_on=D(2026, 3, 1))
        assert codes(exc) == {"date_before_meeting"}
        with pytest.raises(ValidationError) as exc:
            services.complete_makeup(actor=cast.secretary, task=task, done_on=D(2026, 3, 21))
        assert codes(exc) == {"date_in_future"}
        services.complete_makeup(actor=cast.secretary, task=task, done_on=D(2026, 3, 18), note="观看录像并交心得")
    task.refresh_from_db()
    assert task.done_on == D(2026, 3, 18)
    # a 党员大会 has no 补课
    mark(cast, meeting(cast, "party_congress"), {cast.people[3]: "absent"})
    assert not MakeUpTask.objects.filter(meeting__kind="party_congress").exists()


# --- attachments ----------------------------------------------------------------------------------


def test_attachments_type_and_size_checked(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 100
    m = meeting(cast)
    att = services.add_attachment(actor=cast.secretary, meeting=m, upload=SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 x"))
    assert att.content_type == "application/pdf" and (tmp_path / att.file.name).exists()
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(actor=cast.secretary, meeting=m, upload=SimpleUploadedFile("a.exe", b"MZ"))
    assert codes(exc) == {"upload_type"}
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(actor=cast.secretary, meeting=m, upload=SimpleUploadedFile("a.png", b"%PDF-1.4"))
    assert codes(exc) == {"upload_content_mismatch"}
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(actor=cast.secretary, meeting=m, upload=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 200))
    assert codes(exc) == {"upload_too_large"}


# --- 谈心谈话 and settings ------------------------------------------------------------------------


def test_heart_talk_pairs(cast):
    from zhibu.orglife import selectors

    with clock.frozen(D(2026, 5, 1)):
        pairs = selectors.talk_pairs(cast.branch, 2026, D(2026, 5, 1))
        # 3 committee members, 9 members: 3 committee pairs + 3 × 6
        assert len(pairs.pairs) == 21 and len(pairs.missing) == 21
        services.record_heart_talk(actor=cast.secretary, branch=cast.branch, person_a=cast.people[5],
                                   person_b=cast.people[0], date=D(2026, 4, 1))
        pairs = selectors.talk_pairs(cast.branch, 2026, D(2026, 5, 1))
        assert len(pairs.missing) == 20
        assert ("王书记", "孙党员") not in pairs.named(pairs.missing)
        with pytest.raises(ValidationError) as exc:
            services.record_heart_talk(actor=cast.secretary, branch=cast.branch, person_a=cast.people[0],
                                       person_b=cast.outsider_person, date=D(2026, 4, 1))
        assert codes(exc) == {"person_foreign"}
        with pytest.raises(ValidationError) as exc:
            services.record_heart_talk(actor=cast.secretary, branch=cast.branch, person_a=cast.people[0],
                                       person_b=cast.people[0], date=D(2026, 4, 1))
        assert codes(exc) == {"talk_same_person"}
        with pytest.raises(ValidationError) as exc:
            services.record_heart_talk(actor=cast.secretary, branch=cast.branch, person_a=cast.people[0],
                                       person_b=cast.people[1], date=D(2026, 5, 2))
        assert codes(exc) == {"date_in_future"}


def test_config_validated_through_rules(cast):
    c = services.set_config(actor=cast.secretary, branch=cast.branch, frequencies={"party_lecture": "monthly",
                                                                                   "party_congress": "quarterly"})
    assert c.frequencies == {"party_lecture": "monthly"}
    with pytest.raises(ValidationError) as exc:
        services.set_config(actor=cast.secretary, branch=cast.branch, frequencies={"party_congress": "yearly"})
    assert codes(exc) == {"frequency_not_allowed"}
