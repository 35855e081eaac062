import datetime as dt
from decimal import Decimal as D

from zhibu.dues import services
from zhibu.dues.models import DuesBase
from zhibu.orgs.models import MEMBER_STANDINGS


def members(cast):
    return [p for p in cast.people if p.standing in MEMBER_STANDINGS]


def give_profiles(cast, month=dt.date(2026, 1, 1), base=D("4500.00")) -> list[DuesBase]:
    """Every member of the cast's branch in service with `base` (due 45.00) from `month`."""
    return [services.set_profile(actor=cast.secretary, branch=cast.branch, person=p, category="in_service",
                                 base=base, effective_month=month, verified_on=month) for p in members(cast)]


def pay(cast, person, month, amount=D("45.00"), paid_on=None, **kw):
    return services.record_payment(actor=cast.secretary, branch=cast.branch, person=person, month=month, amount=amount,
                                   paid_on=paid_on or month, **kw)
