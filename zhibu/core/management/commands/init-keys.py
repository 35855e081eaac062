"""zhibu init-keys: write the random secret key and encryption key files into the data folder
(mode 0600). Idempotent: an existing file is never changed."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from zhibu.core import keys


class Command(BaseCommand):
    help = "在数据目录中生成密钥文件（secret_key、encryption_keys，权限 0600）；已有的文件不会改动"
    requires_system_checks: list = []

    def handle(self, *args, **options):
        created = keys.init_files(settings.DATA_DIR)
        for path in created:
            self.stdout.write(f"已生成 {path}")
        if not created:
            self.stdout.write(f"密钥文件已存在，未改动（{settings.DATA_DIR}）")
        self.stdout.write("请妥善备份这两个文件：丢失 encryption_keys 后，已加密的身份证号和手机号无法恢复。")
