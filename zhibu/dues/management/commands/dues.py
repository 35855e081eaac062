"""`zhibu dues rate`: the monthly 党费 of one member, from the rules in zhibu.dues.rules. No database.

    zhibu dues rate --category in_service --base 4500 [--json]
    zhibu dues rate --category farmer [--farmer-amount 0.50] [--json]

Amounts on the command line: plain non-negative decimals with at most two decimal places
("4500", "4500.5", "4500.00"). Anything else — not a number, negative, NaN, Infinity, exponent form,
three or more decimal places — is rejected (exit 2, one line on stderr) rather than rounded, because a
yuan amount is known to the fen and rounding it silently would hide a typing error.

Output with --json: {"category", "base", "rate", "amount", "source"}; decimals as strings
("rate": "0.015", "amount": "45.00"); "base" and "rate" are null where they do not apply.
Exit 0 on success, 2 on any usage or input error (one line on stderr).
"""
from __future__ import annotations

import json
import re
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhibu.dues import rules

AMOUNT_RE = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


class OneLineParser(CommandParser):
    """Argparse errors as one line on stderr and exit 2 (not the multi-line usage dump)."""

    def error(self, message):
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: 参数错误: {message}\n")
        raise CommandError(f"参数错误: {message}", returncode=2)


def parse_amount(text: str, what: str) -> Decimal:
    if not AMOUNT_RE.fullmatch(text):
        raise CommandError(
            f"{what}无效: {text!r}(须为非负数,最多两位小数,如 4500 或 4500.00)", returncode=2
        )
    return Decimal(text)


class Command(BaseCommand):
    help = "党费计算(中组发〔2008〕3号)。子命令: rate"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        # Same state, one-line errors; set before add_subparsers so the subparsers inherit the class.
        parser.__class__ = OneLineParser
        sub = parser.add_subparsers(dest="action", required=True, title="子命令")
        rate = sub.add_parser("rate", help="计算某一党员每月应交党费")
        rate.add_argument("--category", required=True, choices=rules.CATEGORIES, help="党员类别")
        rate.add_argument("--base", help="计算基数(元):在职为税后工资收入,离退休为离退休费")
        rate.add_argument("--farmer-amount", help="农民党员由支部确定的每月金额(0.20–1.00元,默认0.20)")
        rate.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        if options["action"] == "rate":
            self.rate(options)

    def rate(self, options):
        category = options["category"]
        base = parse_amount(options["base"], "计算基数") if options["base"] is not None else None
        farmer = options["farmer_amount"]
        farmer = parse_amount(farmer, "农民党员党费") if farmer is not None else None
        try:
            result = rules.monthly_due(category=category, base=base, farmer_amount=farmer)
        except (ValueError, TypeError) as e:
            raise CommandError(str(e), returncode=2) from e

        if options["json"]:
            data = {
                "category": result.category,
                "base": None if result.base is None else str(result.base),
                "rate": None if result.rate is None else str(result.rate),
                "amount": str(result.amount),
                "source": result.source,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        lines = [f"类别: {rules.CATEGORY_LABELS[category]} ({category})"]
        if result.base is not None:
            lines.append(f"计算基数: {result.base} 元")
        if result.rate is not None:
            lines.append(f"比例: {(result.rate * 100).normalize():f}% ({result.rate})")
        lines.append(f"每月党费: {result.amount} 元")
        lines.append(f"依据: {result.source}")
        lines.append(f"取舍: {rules.ROUNDING_NOTE}")
        self.stdout.write("\n".join(lines))
