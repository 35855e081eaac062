import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from zhibu.core import clock, notify
from zhibu.core.models import Notification
from zhibu.dues import reminders, rules, selectors, services
from zhibu.dues.tests.helpers import give_profiles, members, pay

JAN = dt.date(2026, 1, 1)


def arrears_of(cast, person, today):
    with clock.frozen(today):
        close = selectors.current_arrears(cast.branch, today)
    return next(r for r in close.rows if r.person_id == person.pk)


@pytest.fixture
def ledger(cast):
    """Profiles from Jan 2026; everyone but the member pays Jan–Jun; the member pays only January."""
    with clock.frozen(dt.date(2026, 7, 1)):
        give_profiles(cast)
        for p in members(cast):
            for m in range(1, 7 if p != cast.member_person else 2):
                pay(cast, p, dt.date(2026, m, 1), paid_on=dt.date(2026, m, 10))
    return cast


@pytest.mark.parametrize("today, expected, level", [
    (dt.date(2026, 3, 31), 1, "ok"),  # Feb over, Mar still open
    (dt.date(2026, 4, 1), 2, "ok"),
    (dt.date(2026, 5, 1), 3, "warning"),  # Feb, Mar, Apr
    (dt.date(2026, 6, 15), 4, "warning"),
    (dt.date(2026, 7, 1), 5, "escalate"),
    (dt.date(2026, 8, 1), 6, "lapsed"),
])
def test_thresholds(ledger, today, expected, level):
    row = arrears_of(ledger, ledger.member_person, today)
    assert (row.arrears, row.level, row.first_unpaid) == (expected, level, dt.date(2026, 2, 1))
    other = arrears_of(ledger, ledger.people[3], today)
    assert other.arrears == max(0, rules.month_index(today) - 1 - rules.month_index(dt.date(2026, 6, 1)))


def test_paying_the_current_month_clears_the_streak(ledger):
    with clock.frozen(dt.date(2026, 6, 20)):
        pay(ledger, ledger.member_person, dt.date(2026, 6, 1), paid_on=dt.date(2026, 6, 20))
    assert arrears_of(ledger, ledger.member_person, dt.date(2026, 6, 20)).arrears == 0


def test_exemption_breaks_the_streak(ledger):
    with clock.frozen(dt.date(2026, 7, 1)):
        services.set_profile(actor=ledger.secretary, branch=ledger.branch, person=ledger.member_person, category="in_service",
                             base=D("4500"), effective_month=dt.date(2026, 4, 1), adjustment="exemption", approval_note="批复")
        services.set_profile(actor=ledger.secretary, branch=ledger.branch, person=ledger.member_person, category="in_service",
                             base=D("4500"), effective_month=dt.date(2026, 5, 1))
    assert arrears_of(ledger, ledger.member_person, dt.date(2026, 7, 1)).arrears == 2  # May, June


def test_reminders_warn_at_3_escalate_at_5_once(ledger):
    member_user, secretary = ledger.member, ledger.secretary
    with clock.frozen(dt.date(2026, 4, 30)):
        assert not [k for k in notify.run().keys if k.startswith("dues:")]  # 2 months
    with clock.frozen(dt.date(2026, 5, 2)):
        result = notify.run()
        assert [k for k in result.keys if k.startswith("dues:")] == [f"dues:warning:person={ledger.member_person.pk}:from=2026-02"]
        assert not [k for k in notify.run().keys if k.startswith("dues:")]  # once
    assert Notification.objects.filter(user=member_user, title__contains="3个月").exists()
    with clock.frozen(dt.date(2026, 7, 1)):
        keys = [k for k in notify.run().keys if k.startswith("dues:")]
        assert keys == [f"dues:escalate:person={ledger.member_person.pk}:from=2026-02"]
    n = Notification.objects.get(user=secretary, url__contains="/dues/")
    assert "张党员" in n.title and "5个月" in n.title and n.url.endswith(f"/dues/members/{ledger.member_person.pk}/")


def test_reminder_keys_are_unique(ledger):
    with clock.frozen(dt.date(2026, 12, 1)):  # everyone else: Jul–Nov unpaid, escalated
        keys = [r.key for r in reminders.collect(dt.date(2026, 12, 1))]
    assert len(keys) == len(set(keys))
    assert sum(k.startswith("dues:escalate:") for k in keys) == 9
    # warnings only to members with an account (secretary, committee, member)
    assert sum(k.startswith("dues:warning:") for k in keys) == 3


@given(
    paid=st.sets(st.integers(min_value=0, max_value=30)),
    since=st.integers(min_value=0, max_value=30),
    upto=st.integers(min_value=0, max_value=30),
)
def test_unpaid_streak_matches_consecutive_unpaid(paid, since, upto):
    base = 2024 * 12
    ym = lambda i: ((base + i) // 12, (base + i) % 12 + 1)  # noqa: E731
    expected = rules.consecutive_unpaid({ym(i) for i in paid}, ym(upto), ym(since))
    below = [i for i in paid if i <= upto]
    last = base + max(below) if below else None
    count, first = rules.unpaid_streak(last_paid=last, since=base + since, upto=base + upto)
    assert count == expected
    assert (first is None) == (count == 0)
