"""docs/DEPLOY.md names every setting the code reads from the environment, and nothing the code does
not read; its production env file holds what `check --deploy` is run with in test_security_platform."""
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
ONLY_MAKE_RUN = {"ZHIBU_WORKERS"}  # scripts/run.sh, not the application


def names(text: str) -> set[str]:
    return set(re.findall(r"\bZHIBU_[A-Z_]+[A-Z]\b", text))


def test_deploy_doc_lists_exactly_the_environment_the_code_reads():
    code = set()
    for path in (REPO / "zhibu").rglob("*.py"):
        if "tests" not in path.parts:
            code |= {n for n in names(path.read_text(encoding="utf-8"))
                     if re.search(rf"environ(?:\.get)?[\[(]\s*\"{n}\"", path.read_text(encoding="utf-8"))}
    doc = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert {"ZHIBU_DATABASE_URL", "ZHIBU_SECRET_KEY", "ZHIBU_ENCRYPTION_KEYS", "ZHIBU_HTTPS"} <= code
    assert code - names(doc) == set(), "read by the code but not in docs/DEPLOY.md"
    assert names(doc) - code - ONLY_MAKE_RUN == set(), "in docs/DEPLOY.md but read nowhere"


def test_deploy_env_file_has_the_settings_check_deploy_is_tested_with():
    doc = (REPO / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    env_file = doc.split("/etc/zhibu/zhibu.env")[1].split("```")[1]
    for line in ("ZHIBU_PRODUCTION=1", "ZHIBU_HTTPS=1", "ZHIBU_ALLOWED_HOSTS=", "ZHIBU_SECRET_KEY=",
                 "ZHIBU_ENCRYPTION_KEYS=", "ZHIBU_DATABASE_URL=postgres://"):
        assert line in env_file, line
    tested = (REPO / "zhibu" / "core" / "tests" / "test_security_platform.py").read_text(encoding="utf-8")
    block = tested.split("def test_check_deploy_with_the_documented_production_settings")[1].split("\ndef ")[0]
    assert names(block) <= names(env_file)
