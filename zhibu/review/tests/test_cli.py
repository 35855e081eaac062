"""`zhibu review check FILE [--json]` run as a subprocess (no database)."""

import json
import os
import subprocess
import sys

ZHIBU = [sys.executable, "-m", "zhibu"]
DATA = {
    "cap": {"ratio": "1/3", "rounding": "floor"},
    "members": [
        {"id": "m1", "status": "full", "excluded": False, "grade": "优秀"},
        {"id": "m2", "status": "probationary", "grade": None},
        {"id": "m3", "status": "full", "grade": "合格"},
    ],
    "poll": {"issued": 3, "returned": 2, "ballots": [{"m1": "优秀", "m2": "合格"}, {"m3": "良好"}]},
}


def run(tmp_path, *args, stdin=None):
    env = dict(os.environ, ZHIBU_DATA_DIR=str(tmp_path / "no-db"), DJANGO_SETTINGS_MODULE="zhibu.settings")
    env.pop("ZHIBU_DATABASE_URL", None)
    return subprocess.run(
        [*ZHIBU, "review", *args], input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


def test_json_output_from_a_file(tmp_path):
    path = tmp_path / "review.json"
    path.write_text(json.dumps(DATA, ensure_ascii=False), encoding="utf-8")
    done = run(tmp_path, "check", str(path), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["base", "excellent_max", "excellent", "tally", "violations"]
    assert (out["base"], out["excellent_max"], out["excellent"]) == (2, 0, 1)
    assert out["tally"]["m3"] == {"优秀": 0, "合格": 0, "基本合格": 0, "不合格": 0, "blank": 1}
    assert [v["rule"] for v in out["violations"]] == ["excellent_cap", "unknown_grade"]


def test_stdin_and_text_output(tmp_path):
    done = run(tmp_path, "check", "-", stdin=json.dumps(DATA, ensure_ascii=False))
    assert done.returncode == 0
    assert "优秀上限" in done.stdout


def test_invalid_input_exits_2_with_one_chinese_line_naming_the_field(tmp_path):
    bad = dict(DATA, members=[{"id": "m1", "status": "member"}])
    done = run(tmp_path, "check", "-", "--json", stdin=json.dumps(bad))
    assert done.returncode == 2 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("members[0].status:") and "正式党员" in lines[0]


def test_not_json_and_missing_file_exit_2(tmp_path):
    done = run(tmp_path, "check", "-", stdin="{nope")
    assert done.returncode == 2 and done.stderr.startswith("FILE:")
    done = run(tmp_path, "check", str(tmp_path / "missing.json"))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
