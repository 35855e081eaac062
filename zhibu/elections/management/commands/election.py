"""`zhibu election check FILE [--json]`: count a branch committee election (election.md).

FILE is the contract's JSON ("-" = standard input). Exit 0 when the file was read (violations or not);
exit 2 with one line on stderr naming the field when it is not valid. Needs no database: the count is
zhibu.elections.rules.check, the same function the web app uses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhibu.elections import rules


def render_report(result: rules.Result) -> str:
    lines = [
        f"应到会有选举权的党员：{result.should_attend}人；候选人至少：{result.min_candidates}人",
        "计票结果：有效" if result.valid else "计票结果：选举无效",
        f"当选：{'、'.join(result.elected) if result.elected else '无'}",
    ]
    if result.runoff:
        lines.append(f"票数相等、须再次投票：{'、'.join(result.runoff)}")
    if result.unfilled:
        lines.append(f"尚缺{result.unfilled}名，须另行选举")
    for v in result.violations:
        lines.append(f"问题：{v.message}（{v.rule}）")
    lines.append(f"依据：{rules.SOURCE_COUNT}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "按《中国共产党基层组织选举工作条例》计算支部委员会选举的计票结果。"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        check = sub.add_parser("check", help="检查一次选举的计票（JSON 文件；“-” 表示标准输入）")
        check.add_argument("file", metavar="FILE", help="计票 JSON 文件，“-” 表示标准输入")
        check.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check_file(options["file"], options["as_json"])

    def check_file(self, path: str, as_json: bool) -> None:
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"FILE: 无法读取 {path}：{exc}", returncode=2) from None
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            where = (
                f"（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）" if isinstance(exc, json.JSONDecodeError) else ""
            )
            raise CommandError(f"FILE: 不是有效的 JSON{where}", returncode=2) from None
        try:
            result = rules.check(data)
        except rules.InputError as exc:
            raise CommandError(f"{exc.field}: {exc.message}", returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_report(result))
