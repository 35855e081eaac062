"""The demo has what the dues pages need to show: transfers in and out, voluntary payments (one wholly
to the Centre, one reversed), a cancelled and a corrected entry, a 少交 month, and the first four
branches in each warning state."""
import datetime as dt
import io

import pytest
from django.db import transaction

from zhibu.core import clock
from zhibu.dues import demo as dues_demo
from zhibu.dues import rules, selectors
from zhibu.dues.models import EntryKind, LedgerEntry, VoluntaryPayment
from zhibu.orgs.models import Transfer, TransferDirection

TODAY = dt.date(2026, 10, 15)


@pytest.fixture
def ctx(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=5, members=12, year=2026, seed=3, progress=io.StringIO())
        with transaction.atomic():
            dues_demo.generate(ctx)
        yield ctx


def test_demo_shows_every_state_the_pages_know(ctx):
    first = ctx.branches[0]
    assert Transfer.objects.filter(branch=first, direction=TransferDirection.OUT).count() == 1
    came = Transfer.objects.get(branch=first, direction=TransferDirection.IN)
    assert not LedgerEntry.objects.filter(person=came.person, month__lte=came.dues_paid_to).exists()
    kinds = list(LedgerEntry.objects.filter(branch=first, kind=EntryKind.REVERSAL).values_list("note", flat=True))
    assert len(kinds) == 3 and any("作废" in n for n in kinds)
    assert VoluntaryPayment.objects.filter(to_centre=True, reverses__isnull=True).exists()
    assert VoluntaryPayment.objects.filter(reverses__isnull=False).count() == 1
    close = selectors.current_arrears(None, TODAY)
    levels = {}
    for r in close.rows:
        levels.setdefault(r.branch_id, set()).add(rules.arrears_level(r.arrears))
    worst = [max(levels[b.pk], key=rules.ARREARS_LEVELS.index) for b in ctx.branches[:4]]
    assert worst == ["ok", "warning", "escalate", "lapsed"]
    owed = [r for r in close.rows if r.branch_id == first.pk and r.owed]
    assert len(owed) >= 2  # the cancelled entry's month and the 少交 month stay owed
    assert any(amount < r.due for r in owed for _m, amount in r.owed)  # the rest of a 少交 month
