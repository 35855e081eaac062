"""`zhibu review check FILE [--json]`: the tally and checks of a 民主评议 (../shared/spec/review.md).

FILE is JSON ("-" = stdin). Exit 0 when it was read (violations or not); exit 2 with one line on
stderr naming the field when it is not valid. The same rule functions as the web app
(zhibu.review.rules.check). No database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhibu.review import rules


class OneLineParser(CommandParser):
    def error(self, message):
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: 参数错误: {message}\n")
        raise CommandError(f"参数错误: {message}", returncode=2)


def render_text(result: rules.Result) -> str:
    cap = "不设上限" if result.excellent_max is None else f"{result.excellent_max}名"
    lines = [f"正式党员（计入基数）：{result.base}名；优秀上限：{cap}；评为优秀：{result.excellent}名"]
    if result.tally:
        lines.append("测评汇总：")
        for key, counts in result.tally.items():
            parts = "，".join(f"{g}{counts[g]}" for g in rules.GRADES)
            lines.append(f"  {key}：{parts}，未填{counts[rules.BLANK]}")
    if result.violations:
        lines.append(f"发现问题 {len(result.violations)} 项：")
        for i, v in enumerate(result.violations, 1):
            who = f"（{'、'.join(str(m) for m in v.members)}）" if v.members else ""
            lines.append(f"  {i}. [{v.rule}] {v.message}{who}")
    else:
        lines.append("未发现问题。")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "民主评议党员：测评汇总与检查。子命令: check"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.__class__ = OneLineParser
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        check = sub.add_parser("check", help="检查民主评议（JSON 文件；“-” 表示标准输入）")
        check.add_argument("file", metavar="FILE", help="JSON 文件，“-” 表示标准输入")
        check.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def _fail(self, line: str) -> None:
        if getattr(self, "_called_from_command_line", False):
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
            raise SystemExit(2)
        raise CommandError(line, returncode=2)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check(options["file"], options["as_json"])

    def check(self, path: str, as_json: bool) -> None:
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            text = raw.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self._fail(f"FILE: 无法读取 {path}（{exc.__class__.__name__}）")
            return
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except (json.JSONDecodeError, ValueError) as exc:
            detail = f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else "含 NaN 或 Infinity"
            self._fail(f"FILE: 不是有效的 JSON（{detail}）")
            return
        try:
            result = rules.check_input(data)
        except rules.InputError as exc:
            self._fail(f"{exc.field}: {exc.message}")
            return
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_text(result))


def _no_constant(name: str):
    raise ValueError(name)
