"""Other apps add obligations to the grid through the discovered `obligations` hook
(`zhibu.<app>.obligations.branch_obligations(branch, year) -> [(Obligation, [date, …])]`)."""
import datetime as dt
import types

from zhibu.orglife import rules, selectors


def test_an_apps_obligations_join_the_grid_with_their_dates(cast, monkeypatch):
    ob = rules.Obligation("demo:1", "每月政治学习", rules.MONTHLY, "本支部计划", configurable=True)
    module = types.SimpleNamespace(branch_obligations=lambda branch, year: [(ob, [dt.date(2026, 2, 10)])])
    monkeypatch.setattr("zhibu.core.hooks.app_modules", lambda name, **kw: [module] if name == "obligations" else [])
    grid = selectors.branch_obligations(cast.branch, 2026, dt.date(2026, 3, 15))
    cells = dict((o.kind, c) for o, c in grid.grid)["demo:1"]
    assert [c.status.status for c in cells[:4]] == ["overdue", "met", "due", "upcoming"]


def test_the_study_app_is_discovered(cast):
    from zhibu.core.hooks import app_modules

    assert "zhibu.study.obligations" in [m.__name__ for m in app_modules("obligations")]
