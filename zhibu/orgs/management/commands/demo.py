"""zhibu demo --branches N --members M --year YYYY [--seed S] [--if-empty] [--reset]"""
from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhibu.core import clock
from zhibu.core.hooks import app_label, app_modules
from zhibu.orgs import demo
from zhibu.orgs.models import Organisation

def reset_all() -> None:
    """Delete every Zhibu row (demo or not) and the users, in dependency order."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection

    with transaction.atomic():
        models = [m for m in apps.get_models() if m.__module__.startswith("zhibu.")]
        with connection.constraint_checks_disabled():
            for model in models:
                model.objects.all()._raw_delete(model.objects.db)
            get_user_model().objects.all().delete()


def build(*, branches: int, members: int, year: int, seed: int = 1, progress=sys.stderr, only_orgs: bool = False):
    """Organisations and people, then each app's records (`zhibu.<app>.demo.generate(ctx)`)."""
    ctx = demo.generate(branches=branches, members=members, year=year, seed=seed, progress=progress)
    if not only_orgs:
        for module in app_modules("demo", exclude=("core", "orgs")):  # orgs.demo is the base above
            t1 = time.monotonic()
            with transaction.atomic():
                module.generate(ctx)
            demo.say(progress, f"  {app_label(module)}: {time.monotonic() - t1:.1f}s")
    return ctx


class Command(BaseCommand):
    help = "生成演示数据(确定性,可重复)"

    def add_arguments(self, parser):
        parser.add_argument("--branches", type=int, default=12)
        parser.add_argument("--members", type=int, default=25)
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="已有数据时什么也不做")
        parser.add_argument("--reset", action="store_true", help="先删除全部数据")
        parser.add_argument("--only-orgs", action="store_true", help="只生成组织和人员")

    def handle(self, *args, branches, members, year, seed, if_empty, reset, only_orgs, **options):
        if branches < 2 or members < 5:
            raise CommandError("至少需要2个支部、每支部5人", returncode=2)
        year = year or clock.today().year
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("已有数据,跳过演示数据生成。")
                self._print_accounts()
                return
            if not reset:
                raise CommandError("数据库中已有数据:加 --reset 清空后重建,或加 --if-empty 跳过", returncode=2)
            reset_all()
        t0 = time.monotonic()
        self.stderr.write(f"生成演示数据:{branches} 个支部 × {members} 人,{year} 年,种子 {seed}")
        build(branches=branches, members=members, year=year, seed=seed, progress=self.stderr, only_orgs=only_orgs)
        self.stderr.write(f"完成,用时 {time.monotonic() - t0:.1f}s")
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write("演示账号(密码均为 %s):" % demo.DEMO_PASSWORD)
        for username, label in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<10} {label}")
