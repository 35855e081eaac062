"""zhibu plan parse FILE [--json] | zhibu plan check FILE [--json]   (FILE "-" = stdin)

Reads an annual work plan (.txt UTF-8/GB18030 or .docx), prints its structure or the obligations its
calendar misses.  Never touches the database.  Exit 0 on success; 2 with one line on stderr for
unreadable or non-plan input and for bad arguments.
"""
from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhibu.plans.check import check_plan, covered_months, gaps_to_json
from zhibu.plans.parser import KIND_LABELS, PlanInputError, load_plan, months_label, to_json

RULE_LABELS = {"monthly": "每月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}


class _OneLineParser(CommandParser):
    """argparse errors: one line on stderr, exit 2."""

    def error(self, message):
        if self.called_from_command_line:
            sys.stderr.write(f"{self.prog}: 参数错误 (usage error): {' '.join(str(message).split())}\n")
            sys.exit(2)
        raise CommandError(f"参数错误 (usage error): {message}", returncode=2)


class Command(BaseCommand):
    help = "解析年度工作计划 / 检查行事历缺项 (parse an annual work plan, or check its calendar)"
    requires_system_checks = []
    requires_migrations_checks = False

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, parser_class=_OneLineParser,
                                    metavar="{parse,check}")
        for name, text in (("parse", "解析计划 (parse the plan)"), ("check", "检查缺项 (list missed obligations)")):
            p = sub.add_parser(name, help=text)
            p.add_argument("file", help='计划文件 .txt 或 .docx;"-" 表示标准输入 (plan file; "-" = stdin)')
            p.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")

    def handle(self, *args, **options):
        source = options["file"]
        try:
            if source == "-":
                plan = load_plan(sys.stdin.buffer.read(), "-")
            else:
                plan = load_plan(source)
        except PlanInputError as exc:
            raise CommandError(" ".join(str(exc).split()), returncode=2) from None
        for warning in plan.warnings:  # e.g. a prose-only plan: exit 0, an empty calendar, a warning
            self.stderr.write(f"提示 (warning): {warning}")
        if options["action"] == "parse":
            if options["json"]:
                self._print_json(to_json(plan))
            else:
                self._print_plan(plan)
        else:
            gaps = check_plan(plan)
            if options["json"]:
                self._print_json(gaps_to_json(gaps))
            else:
                self._print_gaps(plan, gaps)

    def _print_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _print_plan(self, plan) -> None:
        out = self.stdout.write
        out(f"标题:{plan.title or '(无)'}")
        out(f"年度:{plan.year if plan.year is not None else '(未注明)'}")
        out(f"章节:{len(plan.sections)} 个")
        for s in plan.sections:
            indent = "  " if s.level == 1 else "    "
            num = f"{s.number}、" if s.level == 1 else f"({s.number})"
            out(f"{indent}{num}{s.heading}")
        if plan.targets:
            out(f"工作目标:{len(plan.targets)} 项")
            for t in plan.targets:
                out(f"  {t.text}({KIND_LABELS.get(t.kind, '优秀比例上限' if t.kind == 'review_cap' else t.kind)})")
        if not plan.calendar:
            out("行事历:无")
            return
        out(f"行事历:{len(plan.calendar)} 项")
        theme = None
        for item in plan.calendar:
            if item.theme and item.theme != theme and item.theme != item.text:
                out(f"  专题:{item.theme}")
            theme = item.theme
            kinds = "、".join(KIND_LABELS.get(k, k) for k in item.kinds)
            out(f"  [{months_label(item.months)}] {item.text}" + (f"({kinds})" if kinds else ""))

    def _print_gaps(self, plan, gaps) -> None:
        out = self.stdout.write
        covered = covered_months(plan)
        if not covered:
            out("该计划没有行事历,无法按月检查。")
            return
        out(f"检查范围:{months_label(covered)}(行事历覆盖的月份)")
        if not gaps:
            out("未发现缺项。")
            return
        out(f"缺项:{len(gaps)} 类")
        for g in gaps:
            missing = "、".join(str(m) for m in g.missing_months)
            out(f"  {g.label or KIND_LABELS.get(g.kind, g.kind)}({RULE_LABELS.get(g.rule, g.rule)}):"
                f"缺 {missing} 月 —— 依据:{g.source}")
