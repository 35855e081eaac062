"""`zhibu plan parse|check FILE [--json]` run as a real process (no database involved)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"  # copies of the shared plan corpus
REPO = Path(__file__).resolve().parents[3]
SCRIPT = Path(sys.executable).parent / "zhibu"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "zhibu.manage"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8", DJANGO_SETTINGS_MODULE="zhibu.settings",
               ZHIBU_DATABASE_URL="sqlite:////nonexistent-dir/never-used.sqlite3")
    return subprocess.run(cmd + list(args), input=stdin or b"", capture_output=True, cwd=REPO, env=env,
                          timeout=60)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_corpus_file_parses_and_checks(path):
    parsed = run("plan", "parse", str(path), "--json")
    assert parsed.returncode == 0, parsed.stderr.decode()
    data = json.loads(parsed.stdout.decode())
    assert set(data) == {"title", "year", "sections", "calendar", "targets"}
    assert data["sections"]
    checked = run("plan", "check", str(path), "--json")
    assert checked.returncode == 0, checked.stderr.decode()
    gaps = json.loads(checked.stdout.decode())
    assert set(gaps) == {"gaps"}
    for gap in gaps["gaps"]:
        assert set(gap) == {"kind", "rule", "missing_months", "source"}
    human = run("plan", "check", str(path))
    assert human.returncode == 0 and human.stdout.decode().strip()


def test_plan06_human_summary_and_stdin():
    path = CORPUS / "plan06.txt"
    out = run("plan", "parse", str(path)).stdout.decode()
    assert "标题:【篇六】幼儿园党建工作计划2022年" in out and "行事历:36 项" in out
    assert "[7-8月] 党建工作小结" in out
    via_stdin = run("plan", "parse", "-", "--json", stdin=path.read_bytes())
    assert via_stdin.returncode == 0
    assert json.loads(via_stdin.stdout) == json.loads(run("plan", "parse", str(path), "--json").stdout)
    check = run("plan", "check", str(path)).stdout.decode()
    assert "主题党日(每月)" in check and "第16条" in check


def test_gb18030_from_stdin():
    text = "党支部2023年工作计划\n行事历\n三月份：\n1、召开支委会。\n2、收缴党费\n"
    result = run("plan", "parse", "-", "--json", stdin=text.encode("gb18030"))
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["year"] == 2023
    assert [(c["months"], c["text"]) for c in data["calendar"]] == [([3], "召开支委会"), ([3], "收缴党费")]


@pytest.mark.parametrize("case", ["missing", "junk", "empty", "prose", "directory", "bad_docx"])
@pytest.mark.parametrize("action", ["parse", "check"])
def test_bad_input_exits_2_with_one_line(case, action, tmp_path):
    path = tmp_path / "input.txt"
    if case == "missing":
        path = tmp_path / "does-not-exist.txt"
    elif case == "junk":
        path.write_bytes(bytes(range(256)) * 16)
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "prose":
        path.write_text("今天天气很好,我们一起去公园散步,然后吃了午饭。\n下午看书。\n", encoding="utf-8")
    elif case == "directory":
        path = tmp_path
    elif case == "bad_docx":
        path = tmp_path / "broken.docx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("plan", action, str(path), "--json")
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err


def test_bad_stdin_exits_2():
    result = run("plan", "parse", "-", stdin=b"")
    assert result.returncode == 2 and result.stderr.decode().count("\n") == 1


@pytest.mark.parametrize("args", [("plan",), ("plan", "parse"), ("plan", "frob", "x"), ("plan", "parse", "x", "--bogus")])
def test_usage_errors_exit_2_with_one_line(args):
    result = run(*args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "Traceback" not in err


def test_corpus_fixtures_are_in_the_repo():
    assert len(corpus_files()) == 12, "zhibu/plans/tests/fixtures/corpus holds the twelve corpus plans"


def test_a_prose_only_plan_exits_0_with_an_empty_calendar_its_targets_and_a_warning(tmp_path):
    path = tmp_path / "prose.txt"
    path.write_text("某小学党支部2025年工作计划\n1、加强理论学习，每月开展一次集中学习。\n2、每季度召开一次党员大会。\n",
                    encoding="utf-8")
    parsed = run("plan", "parse", str(path), "--json")
    assert parsed.returncode == 0, parsed.stderr.decode()
    data = json.loads(parsed.stdout.decode())
    assert data["calendar"] == []
    assert [t["kind"] for t in data["targets"]] == ["study", "party_congress"]
    assert "行事历" in parsed.stderr.decode()
    assert run("plan", "check", str(path), "--json").returncode == 0
