"""The year-end pack of a demo branch: every file opens (python-docx, openpyxl) and holds that
branch's name and the year; the 工作总结 draft is written from the records; the index lists every file."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, checks
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.yearend import services
from zhibu.yearend.tests.helpers import open_pack

YEAR = 2026


@pytest.fixture
def demo_branch(db):
    call_command("demo", branches=2, members=30, year=YEAR, seed=5, stdout=io.StringIO(), stderr=io.StringIO())
    return Organisation.objects.filter(kind=OrgKind.BRANCH).order_by("id").first()


def _build(branch, year=YEAR, on=dt.date(YEAR, 12, 28)):
    steps = []
    with clock.frozen(on):
        name, content = services.build_pack(
            lambda done, total, message: steps.append((done, total, message)), branch_id=branch.pk, year=year
        )
    return name, content, steps


def test_the_pack_of_a_demo_branch_opens_file_by_file_each_naming_the_branch_and_the_year(demo_branch):
    name, content, steps = _build(demo_branch)
    assert name == f"{demo_branch.name}{YEAR}年度年终材料.zip"
    texts = open_pack(content)
    folders = {path.split("/")[0] for path in texts if "/" in path}
    # the demo keeps plans, meetings, development files, dues and 整改 items: each app's 台账 is there
    assert {"工作计划", "组织生活", "发展党员", "党费", "整改台账"} <= folders, folders
    assert any(p.startswith("组织生活/") and p.endswith("会议记录本.docx") for p in texts)
    assert any(p.startswith("党费/") and "党费收缴登记表" in p for p in texts)
    for path, text in texts.items():
        assert demo_branch.name in text, path
        assert str(YEAR) in text, path
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]  # progress from 0 to the end

    # the 工作总结 draft: written from the records, and a proper document
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        summary = archive.read(next(n for n in names if "工作总结（初稿）" in n))
        index_name = next(n for n in names if n.startswith("材料目录"))
        wb = load_workbook(io.BytesIO(archive.read(index_name)))
    assert checks.problems(summary, kind=OUTWARD) == []
    text = checks.text_of(summary)
    for heading in (
        "基本情况",
        "落实年度工作计划情况",
        "组织生活开展情况",
        "发展党员工作",
        "党费收缴管理",
        "整改落实情况",
    ):
        assert heading in text, heading
    assert "完成率" in text and "收缴率" in text

    # the index: every file with its source and count
    rows = [r for r in wb.worksheets[0].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert {r[1] for r in rows} == set(names) - {index_name}
    assert all(r[2] and r[3] is not None for r in rows)
    ledger = next(r for r in rows if "整改台账" in r[1])
    assert ledger[3] >= 1  # the numbered rows of the sheet


def test_an_app_whose_hook_fails_is_named_in_the_index_and_the_others_still_come(demo_branch, monkeypatch):
    from zhibu.rectify import yearend as rectify_yearend

    def broken(branch, year):
        raise RuntimeError("boom")

    from zhibu.orglife import yearend as orglife_yearend

    monkeypatch.setattr(rectify_yearend, "documents", broken)
    monkeypatch.setattr(orglife_yearend, "documents", lambda branch, year: [])  # (the slowest: not needed here)
    _name, content, _steps = _build(demo_branch)
    texts = open_pack(content)
    assert not any(p.startswith("整改台账/") for p in texts)
    assert any(p.startswith("党费/") for p in texts)
    index = next(t for p, t in texts.items() if p.startswith("材料目录"))
    assert "整改台账的台账未能生成" in index


def test_a_year_without_records_still_gives_a_summary_and_an_index(demo_branch):
    _name, content, _steps = _build(demo_branch, year=2030, on=dt.date(2026, 12, 28))
    texts = open_pack(content)
    # nothing kept in 2030 (the 整改台账 carries the items still open from before)
    old_apps = {"工作计划", "组织生活", "发展党员", "党费", "组织生活会"}
    assert not {p.split("/")[0] for p in texts if "/" in p} & old_apps
    mine = [t for p, t in texts.items() if "/" not in p]
    assert len(mine) == 2  # the 工作总结 draft and the index
    assert all(demo_branch.name in t and "2030" in t for t in mine)


def test_the_bench_figures_come_from_a_demo_district(db):
    import os

    from zhibu.orgs.management.commands.demo import build
    from zhibu.yearend import bench

    ctx = build(branches=2, members=10, year=YEAR, seed=3, progress=open(os.devnull, "w"))
    figures = {f["name"]: f for f in bench.run(ctx)}
    assert set(figures) == {"yearend_pack_seconds", "yearend_district_queries", "yearend_district_ms"}
    assert figures["yearend_pack_seconds"]["target"] == 30
    assert figures["yearend_district_queries"]["ok"]
