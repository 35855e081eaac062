import datetime as dt

from zhibu.study.models import Category

TODAY = dt.date(2026, 6, 15)


def session_post(cast, people, **extra):
    data = {
        "date": "2026-06-10",
        "length": "hours",
        "hours": "2",
        "form": "central",
        "category": Category.objects.get(code="theory").pk,
        "topic": "全体教职工政治学习",
        "speaker": "王书记",
        "audience": "staff",
        "attendees": [p.pk for p in people],
        "summary": "学习文件精神",
    }
    data.update(extra)
    return data
