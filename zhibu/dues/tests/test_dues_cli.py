"""`zhibu dues rate` by subprocess of the real console script."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "zhibu"  # the console script next to the running interpreter
ZHIBU = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "zhibu.manage"]


def run(*args):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([*ZHIBU, "dues", "rate", *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.parametrize(
    "category, base, rate, amount",
    [
        ("in_service", "4500", "0.01", "45.00"),
        ("in_service", "3000", "0.005", "15.00"),
        ("in_service", "3000.01", "0.01", "30.00"),
        ("in_service", "5000.01", "0.015", "75.00"),
        ("in_service", "6000", "0.015", "90.00"),
        ("in_service", "10000.01", "0.02", "200.00"),
        ("in_service", "3000.50", "0.01", "30.01"),
        ("retired", "5000", "0.005", "25.00"),
        ("retired", "5000.01", "0.01", "50.00"),
    ],
)
def test_rate_json(category, base, rate, amount):
    rc, out, err = run("--category", category, "--base", base, "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert set(data) == {"category", "base", "rate", "amount", "source"}
    assert data["category"] == category
    assert data["rate"] == rate and data["amount"] == amount
    assert isinstance(data["base"], str) and data["base"].count(".") == 1
    assert "中组发〔2008〕3号" in data["source"]


def test_fixed_and_farmer_json():
    rc, out, _ = run("--category", "student", "--json")
    assert rc == 0
    assert json.loads(out) == {
        "category": "student", "base": None, "rate": None, "amount": "0.20", "source": "中组发〔2008〕3号 第6条"
    }
    rc, out, _ = run("--category", "low_income", "--base", "800", "--json")
    assert rc == 0 and json.loads(out)["amount"] == "0.20"
    rc, out, _ = run("--category", "farmer", "--farmer-amount", "0.5", "--json")
    assert rc == 0 and json.loads(out)["amount"] == "0.50"


def test_text_output():
    rc, out, _ = run("--category", "in_service", "--base", "6000")
    assert rc == 0
    assert "90.00" in out and "1.5%" in out and "四舍五入" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--category", "cadre", "--base", "100"],
        ["--category", "in_service", "--base", "abc"],
        ["--category", "in_service", "--base", "-5"],
        ["--category", "in_service", "--base", "NaN"],
        ["--category", "in_service", "--base", "inf"],
        ["--category", "in_service", "--base", "Infinity"],
        ["--category", "in_service", "--base", "1e3"],
        ["--category", "in_service", "--base", "100.001"],
        ["--category", "in_service", "--base", ""],
        ["--category", "in_service", "--base", "4,500"],
        ["--category", "in_service"],
        ["--category", "farmer", "--farmer-amount", "1.5"],
        ["--base", "100"],
        ["--category", "in_service", "--base", "100", "--bogus"],
    ],
)
def test_errors_exit_2_with_one_line(args):
    rc, out, err = run(*args)
    assert rc == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
