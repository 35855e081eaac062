"""zhibu remind [--date YYYY-MM-DD]: send due and overdue reminders, each exactly once.
Run daily from cron or a systemd timer (see the README)."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhibu.core import idempotency, notify


class Command(BaseCommand):
    help = "发送到期与逾期提醒(每条只发一次)"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期计算(默认今天)")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date 应为 YYYY-MM-DD", returncode=2) from None
        result = notify.run(today)
        idempotency.purge_old()
        self.stdout.write(f"已发送 {result.sent} 条提醒(邮件 {result.emails} 封),跳过已发送 {result.skipped} 条。")
