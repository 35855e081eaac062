"""zhibu rotate-keys: re-encrypt every encrypted field with the first key of ZHIBU_ENCRYPTION_KEYS
(and recompute the lookup digests). Run it with the service stopped after putting a new key first;
afterwards the old keys can be removed from the list."""
from __future__ import annotations

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError

from zhibu.core import crypto


class Command(BaseCommand):
    help = "用第一个加密密钥重新加密全部加密字段（先停止服务，把新密钥放在 ZHIBU_ENCRYPTION_KEYS 的最前面）"
    requires_system_checks: list = []

    def handle(self, *args, **options):
        try:
            counts = crypto.rotate_all()
        except InvalidToken:
            raise CommandError("有数据无法用配置的任何一个密钥解密，未做任何改动。请把写入这些数据时的密钥加入 ZHIBU_ENCRYPTION_KEYS。")
        for name, n in counts.items():
            self.stdout.write(f"{name}：{n} 条")
        self.stdout.write("已全部用第一个密钥重新加密。")
