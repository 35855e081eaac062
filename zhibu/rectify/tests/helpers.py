import datetime as dt

from zhibu.rectify import services


def raise_one(cast, **kw):
    data = {
        "actor": cast.secretary,
        "branch": cast.branch,
        "source": "org_life_meeting",
        "problem": "谈心谈话覆盖不全",
        "measures": "补齐谈话",
        "responsible": cast.member_person,
        "kind": "deadline",
        "raised_on": dt.date(2026, 3, 1),
        "deadline": dt.date(2026, 4, 30),
    }
    data.update(kw)
    return services.raise_item(**data)
