from zhibu.openness import services
from zhibu.openness.models import BranchLink, Category


def propose(cast, **kw):
    data = {
        "channel": "finance",
        "category": Category.objects.get(code="fees"),
        "scope": "public",
        "title": "保育教育费收费标准公示",
        "body": "按物价部门核定标准收取保育教育费。",
        "means": "公开栏",
    }
    data.update(kw)
    return services.propose(actor=cast.committee, branch=cast.branch, data=data)


def published(cast, start, end, **kw):
    n = propose(cast, **kw)
    services.review(actor=cast.committee, notice=n, secrecy_checked=True)
    services.approve(actor=cast.secretary, notice=n)
    return services.publish(actor=cast.secretary, notice=n, starts_on=start, ends_on=end)


def link(cast, **kw) -> BranchLink:
    return BranchLink.objects.create(branch=cast.branch, **kw)
