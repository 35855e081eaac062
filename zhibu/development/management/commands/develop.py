"""`zhibu develop check FILE [--json]`: check a 发展党员 timeline (development.md).

Exit 0 when the timeline was read (violations or not); exit 2 with one line on stderr naming the field
when it is not a valid timeline. Works without a database: the admin holiday table is used only when
the database is reachable and migrated, otherwise `chinesecalendar` alone.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhibu.core import clock
from zhibu.development.rules import (
    EXTENSION,
    RULE_SETS,
    STEP_BY_ID,
    Result,
    TimelineError,
    check_timeline,
    step_name,
)
from zhibu.workdays.calendar import WorkdayCalendar


def load_calendar() -> WorkdayCalendar:
    """The calendar with the admin holiday table when the database is there and migrated; otherwise
    `chinesecalendar` alone (dates in uncovered years come out provisional)."""
    try:
        from django.conf import settings
        from django.db import connection

        from zhibu.workdays.models import HolidayDay, HolidayYear

        db = settings.DATABASES.get("default", {})
        if db.get("ENGINE", "").endswith("sqlite3"):
            name = str(db.get("NAME") or "")
            # Never create an empty SQLite file just to look for holidays.
            if not name or (name != ":memory:" and not name.startswith("file:") and not Path(name).exists()):
                return WorkdayCalendar()
        tables = set(connection.introspection.table_names())
        if {HolidayDay._meta.db_table, HolidayYear._meta.db_table} <= tables:
            from zhibu.workdays.selectors import get_calendar

            return get_calendar()
    except Exception:  # noqa: BLE001 - any database trouble means: no admin table
        pass
    return WorkdayCalendar()


def render_report(result: Result) -> str:
    """A readable Chinese report of a check result."""
    version = result.rules
    lines = [
        f"发展党员程序检查（依据：{RULE_SETS[version].title}({version})；检查日期：{result.as_of}）",
        f"预备期满：{result.probation_end}" if result.probation_end else "预备期满：尚未召开接收预备党员的支部大会",
    ]
    if result.violations:
        lines.append(f"发现问题 {len(result.violations)} 项：")
        for i, v in enumerate(result.violations, 1):
            lines.append(f"  {i}. 【{_step_label(v.step, version)}】{v.message}")
            lines.append(f"     规则：{v.rule}；依据：{v.source}")
    else:
        lines.append("未发现问题。")
    if result.next:
        lines.append("下一步：")
        for item in result.next:
            text = f"  - {_step_label(item.step, version)}"
            if item.step == EXTENSION:  # the extension was voted; its 上级党委 approval is what is due
                text += "（上级党委审批）"
            if item.due is not None:
                text += {
                    "deadline": f"：应于 {item.due} 前完成",
                    "earliest": f"：{item.due} 起可进行",
                    "at": f"：{item.due} 到期",
                    "periodic": f"：下次考察应于 {item.due} 前进行",
                }.get(item.kind or "", f"：{item.due}")
                if item.kind in ("deadline", "at", "periodic") and item.due < result.as_of:
                    text += "（已逾期）"
                if item.provisional:
                    text += "（暂定：该年度节假日安排尚未录入）"
            lines.append(text)
    else:
        lines.append("下一步：全部步骤已完成。")
    return "\n".join(lines)


def _step_label(key: str, version: str) -> str:
    step = STEP_BY_ID.get(key)
    return f"第{step.number}步 {step_name(key, version)}" if step else step_name(key, version)


class Command(BaseCommand):
    help = "检查发展党员时间线是否符合《发展党员工作细则》。"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        check = sub.add_parser("check", help="检查一条时间线（JSON 文件；“-” 表示标准输入）")
        check.add_argument("file", metavar="FILE", help="时间线 JSON 文件，“-” 表示标准输入")
        check.add_argument("--json", action="store_true", dest="as_json", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self.check(options["file"], options["as_json"])

    def check(self, path: str, as_json: bool) -> None:
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"FILE: 无法读取 {path}：{exc}", returncode=2) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"FILE: 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）", returncode=2
            ) from None
        try:
            result = check_timeline(data, calendar=load_calendar(), as_of=clock.today())
        except TimelineError as exc:
            raise CommandError(f"{exc.field}: {exc.message}", returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_report(result))
