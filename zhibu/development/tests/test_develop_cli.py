"""`zhibu develop check FILE [--json]` run as a subprocess (no database), plus one in-process run
that reads the admin holiday table."""
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

# The interpreter running the tests, so a clone anywhere works (zhibu/__main__.py).
ZHIBU = [sys.executable, "-m", "zhibu"]

TIMELINE = {
    "birth_date": "1999-04-30",
    "rules": "auto",
    "as_of": "2026-11-26",
    "steps": {
        "application": "2025-03-03",
        "application_talk": "2025-03-20",
        "activist": "2025-06-03",
        "candidate": "2026-06-01",  # two days short of a year
        "candidate_publicity": {"start": "2026-09-29", "end": "2026-10-09"},  # 4 working days (National Day)
        "candidate_approved": "2026-10-12",
        "pre_review": "2026-10-20",
        "admission_meeting": {"date": "2026-11-20", "should_attend": 12, "present": 9, "for": 8,
                              "against": 1, "abstain": 0, "secret_ballot": True},
    },
}


def run(tmp_path, *args, stdin=None):
    env = dict(os.environ, ZHIBU_DATA_DIR=str(tmp_path / "no-db"), DJANGO_SETTINGS_MODULE="zhibu.settings")
    env.pop("ZHIBU_DATABASE_URL", None)
    return subprocess.run(
        [*ZHIBU, "develop", *args], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=120,
    )


def write(tmp_path, data, name="timeline.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_output(tmp_path):
    proc = run(tmp_path, "check", str(write(tmp_path, TIMELINE)), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"rules", "violations", "probation_end", "next"}
    assert data["rules"] == "2026"
    assert [(v["rule"], v["step"]) for v in data["violations"]] == [
        ("activist_min_one_year", "candidate"),
        ("publicity_5_workdays", "candidate_publicity"),
    ]
    assert data["violations"][0]["source"] == "发展党员工作细则(2026) 第13条"
    assert data["probation_end"] == "2027-11-20"
    # 2026-11-20 + 3 months = 2027-02-20 (not rolled: development.md), a year chinesecalendar does not know
    assert data["next"] == [
        {"step": "approval_talk", "due": "2027-02-20", "provisional": True},
        {"step": "approval", "due": "2027-02-20", "provisional": True},
    ]
    assert not (tmp_path / "no-db" / "zhibu.sqlite3").exists()  # no database file was created


def test_stdin_and_readable_report(tmp_path):
    proc = run(tmp_path, "check", "-", stdin=json.dumps(TIMELINE))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "发现问题 2 项" in out
    assert "activist_min_one_year" in out and "发展党员工作细则(2026) 第13条" in out
    assert "预备期满：2027-11-20" in out
    assert "第17步 上级党委审批：应于 2027-02-20 前完成" in out
    assert "暂定" in out


def test_clean_timeline_exits_zero(tmp_path):
    proc = run(tmp_path, "check", "-", stdin=json.dumps({"as_of": "2026-11-26", "steps": {"application": "2026-11-02"}}))
    assert proc.returncode == 0
    assert "未发现问题" in proc.stdout
    assert "第2步 党组织派人谈话：应于 2026-12-02 前完成" in proc.stdout


def test_as_of_defaults_to_today(tmp_path):
    proc = run(tmp_path, "check", "-", "--json", stdin="{}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["next"] == [{"step": "application", "due": None, "provisional": False}]


def one_line_error(proc):
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_bad_json_exits_2(tmp_path):
    line = one_line_error(run(tmp_path, "check", str(write(tmp_path, '{"steps": {'))))
    assert "FILE" in line and "JSON" in line


def test_bad_json_on_stdin_exits_2(tmp_path):
    line = one_line_error(run(tmp_path, "check", "-", "--json", stdin="not json"))
    assert "FILE" in line


@pytest.mark.parametrize(
    "timeline, field",
    [
        ({"steps": {"oath": "2026-02-30"}}, "steps.oath"),
        ({"birth_date": "30/04/1999"}, "birth_date"),
        ({"steps": {"admission_meeting": {"date": "2026-07-10", "present": "nine"}}}, "steps.admission_meeting.present"),
        ({"rules": "2030"}, "rules"),
        ({"steps": {"unknown_step": "2026-01-01"}}, "steps.unknown_step"),
    ],
)
def test_invalid_timeline_exits_2_naming_the_field(tmp_path, timeline, field):
    line = one_line_error(run(tmp_path, "check", str(write(tmp_path, timeline)), "--json"))
    assert field in line


def test_missing_file_exits_2(tmp_path):
    line = one_line_error(run(tmp_path, "check", str(tmp_path / "absent.json")))
    assert "FILE" in line


def test_usage_errors_exit_2(tmp_path):
    assert run(tmp_path).returncode == 2
    assert run(tmp_path, "check").returncode == 2
    assert run(tmp_path, "verify", "x.json").returncode == 2


@pytest.mark.django_db
def test_in_process_uses_the_admin_holiday_table(tmp_path):
    from zhibu.workdays import services

    services.set_holiday(actor=None, date=dt.date(2027, 2, 22), is_workday=False, name="假设的假日")
    services.set_year_complete(actor=None, year=2027, complete=True)
    out = io.StringIO()
    call_command("develop", "check", str(write(tmp_path, TIMELINE)), "--json", stdout=out)
    data = json.loads(out.getvalue())
    # 2027 is declared complete by an administrator: the deadline is no longer provisional
    assert data["next"][1] == {"step": "approval", "due": "2027-02-20", "provisional": False}


def test_text_report_with_an_extension(tmp_path):
    timeline = {"rules": "2026", "as_of": "2026-09-01", "steps": {
        "admission_meeting": {"date": "2025-07-20"}, "extension": {"date": "2026-07-20", "months": 6}}}
    proc = run(tmp_path, "check", str(write(tmp_path, timeline)))
    assert proc.returncode == 0, proc.stderr
    assert "预备期满：2027-01-20" in proc.stdout
    assert "延长预备期（上级党委审批）：应于 2026-10-20 前完成" in proc.stdout
