"""`zhibu election check FILE [--json]` (election.md): exit codes, stdin, JSON output, one-line errors."""

import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.elections.tests.test_rules import case


def run(tmp_path, data, *args):
    path = tmp_path / "count.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_output_follows_the_contract(tmp_path, capsys):
    path = run(tmp_path, case(seats=3, votes=(9, 7, 7, 7, 1)))
    call_command("election", "check", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {
        "should_attend": 10,
        "min_candidates": 4,
        "valid": True,
        "elected": ["候选0"],
        "runoff": ["候选1", "候选2", "候选3"],
        "unfilled": 0,
        "violations": [],
    }


def test_text_report_in_chinese(tmp_path, capsys):
    path = run(tmp_path, case(seats=3, votes=(9, 8, 5, 1)))
    call_command("election", "check", str(path))
    out = capsys.readouterr().out
    assert "当选：候选0、候选1" in out and "另行选举" in out


def test_invalid_field_exits_2_naming_it(tmp_path):
    data = case()
    data["ballots"].pop("issued")
    with pytest.raises(CommandError) as exc:
        call_command("election", "check", str(run(tmp_path, data)), "--json")
    assert exc.value.returncode == 2 and str(exc.value).startswith("ballots.issued:")


def test_not_json_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{nope", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("election", "check", str(path))
    assert exc.value.returncode == 2


def test_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("election", "check", str(tmp_path / "none.json"))
    assert exc.value.returncode == 2


def test_the_console_script_reads_stdin_and_exits_0_or_2():
    ok = subprocess.run(
        [sys.executable, "-m", "zhibu", "election", "check", "-", "--json"],
        input=json.dumps(case(full=10, present=8)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["valid"] is False
    bad = subprocess.run(
        [sys.executable, "-m", "zhibu", "election", "check", "-", "--json"],
        input=json.dumps({"seats": 3}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1 and "voters" in bad.stderr
