"""Shared steps for the 组织生活会 tests: a cycle whose checklist is complete but for given talks."""

import datetime as dt

from zhibu.core import clock
from zhibu.orglife.models import HeartTalk
from zhibu.orglifemeeting import rules, services
from zhibu.orglifemeeting.tests.access_cases import make_cycle
from zhibu.orgs.models import MEMBER_STANDINGS, Person


def members(cast):
    return list(Person.objects.filter(branch=cast.branch, active=True, standing__in=MEMBER_STANDINGS).order_by("id"))


def committee(cast):
    return cast.people[:3]


def talk(cast, a, b, on=None):
    a, b = sorted((a, b), key=lambda p: p.pk)
    return HeartTalk.objects.create(branch=cast.branch, person_a=a, person_b=b, date=on or clock.today())


def all_talks_but(cast, skip: int = 0):
    """Talks meeting every need of the default readings except the last `skip` committee pairs."""
    c = committee(cast)
    pairs = [(c[0], c[1]), (c[0], c[2]), (c[1], c[2])]
    for a, b in pairs[: len(pairs) - skip]:
        talk(cast, a, b)
    for m in members(cast):
        if m not in c:
            talk(cast, c[0], m)
    return pairs[len(pairs) - skip :]


def complete_materials_and_steps(cast, cycle):
    today = clock.today()
    services.save_material(actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_COMMITTEE, text="支委会对照检查")
    for p in committee(cast):
        services.save_material(
            actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_MEMBER_REVIEW, person=p, text="对照检查"
        )
    for p in members(cast):
        services.save_material(actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_SELF, person=p, text="党性分析")
    for code in rules.MANUAL_STEPS:
        services.update_step(actor=cast.secretary, cycle=cycle, code=code, done_on=today)


def ready_cycle(cast, **kwargs):
    cycle = make_cycle(cast, planned=kwargs.pop("planned", None) or clock.today() - dt.timedelta(days=1), **kwargs)
    all_talks_but(cast)
    complete_materials_and_steps(cast, cycle)
    return services.mark_ready(actor=cast.secretary, cycle=cycle)
