"""zhibu backup [--to DIR] [--keep N]: one archive (.tar.gz) with the database, the uploaded files, a
manifest and checksums (zhibu.core.backup). Safe while the site runs. Run daily (docs/DEPLOY.md)."""

from django.core.management.base import BaseCommand, CommandError

from zhibu.core import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个压缩包（含清单和校验和）"

    def add_arguments(self, parser):
        parser.add_argument("--to", metavar="DIR", help="备份目录（默认：数据目录下的 backups）")
        parser.add_argument("--keep", type=int, metavar="N", help="只保留该目录中最新的 N 份备份")

    def handle(self, *args, to=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 应为正整数", returncode=2)
        try:
            path, manifest = backup.create(to)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["counts"]
        self.stdout.write(f"已备份到 {path}")
        self.stdout.write(
            f"数据库（{backup.VENDOR_NAMES[manifest['vendor']]}）{len(counts['tables'])} 张表、"
            f"{counts['rows']} 条记录，上传文件 {counts['files']} 个。"
        )
        if keep:
            for old in backup.prune(path.parent, keep):
                self.stdout.write(f"已删除旧备份 {old.name}")
