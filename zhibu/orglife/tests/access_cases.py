import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.core import clock

PUBLIC: set[str] = set()

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def cases(cast):
    from zhibu.orglife import services
    from zhibu.orglife.models import MakeUpTask

    start = clock.now().replace(microsecond=0)
    meeting = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="theme_day", topic="主题党日",
                                      starts_at=start, ends_at=start + dt.timedelta(hours=1))
    services.record_attendance(actor=cast.secretary, meeting=meeting, entries=[
        {"person_id": cast.member_person.pk, "status": "absent"}])
    task = MakeUpTask.objects.get(meeting=meeting, person=cast.member_person)
    motion_meeting = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="party_congress", topic="党员大会",
                                             starts_at=start, ends_at=start + dt.timedelta(hours=1))
    services.record_attendance(actor=cast.secretary, meeting=motion_meeting, entries=[
        {"person_id": p.pk, "status": "present"} for p in cast.people[:6]])
    motion = services.add_motion(actor=cast.secretary, meeting=motion_meeting, title="表决事项", votes_for=5,
                                 votes_against=0, votes_abstain=0)
    att = services.add_attachment(actor=cast.secretary, meeting=meeting,
                                  upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"))
    b, m = cast.branch.pk, meeting.pk
    return {
        "orglife:index": {"org_id": b},
        "orglife:district": {"org_id": b},
        "orglife:district_export": {"org_id": b},
        "orglife:meeting_new": {"org_id": b},
        "orglife:meeting": {"org_id": b, "meeting_id": m},
        "orglife:meeting_edit": {"org_id": b, "meeting_id": m},
        "orglife:meeting_delete": {"org_id": b, "meeting_id": m},
        "orglife:attendance": {"org_id": b, "meeting_id": m},
        "orglife:motion_new": {"org_id": b, "meeting_id": m},
        "orglife:motion_edit": {"org_id": b, "meeting_id": motion_meeting.pk, "motion_id": motion.pk},
        "orglife:motion_delete": {"org_id": b, "meeting_id": motion_meeting.pk, "motion_id": motion.pk},
        "orglife:meeting_finalise": {"org_id": b, "meeting_id": m},
        "orglife:signin_sheet": {"org_id": b, "meeting_id": m},
        "orglife:leave": {"org_id": b, "meeting_id": m},
        "orglife:attachment_new": {"org_id": b, "meeting_id": m},
        "orglife:attachment": {"org_id": b, "meeting_id": m, "attachment_id": att.pk},
        "orglife:attachment_delete": {"org_id": b, "meeting_id": m, "attachment_id": att.pk},
        "orglife:minutes_docx": {"org_id": b, "meeting_id": m},
        "orglife:signin": {"org_id": b, "token": meeting.signin_token},
        "orglife:yearbook_docx": {"org_id": b},
        "orglife:makeups": {"org_id": b},
        "orglife:makeup_done": {"org_id": b, "task_id": task.pk},
        "orglife:talks": {"org_id": b},
        "orglife:settings": {"org_id": b},
    }
