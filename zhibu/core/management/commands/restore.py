"""zhibu restore ARCHIVE: restore a `zhibu backup` archive into an empty database and data folder.
Every checksum is verified before anything is written; a corrupt or foreign archive, one of the other
database vendor, and a database that already holds data are refused (exit 1, one line)."""

from django.core.management.base import BaseCommand, CommandError

from zhibu.core import backup


class Command(BaseCommand):
    help = "从备份压缩包恢复数据库和上传文件（只能恢复到空数据库）"

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="ARCHIVE", help="zhibu backup 生成的 .tar.gz 文件")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = manifest["counts"]
        self.stdout.write(
            f"已恢复 {manifest['created']} 的备份：{len(counts['tables'])} 张表、{counts['rows']} 条记录，"
            f"上传文件 {counts['files']} 个。"
        )
        self.stdout.write("如程序版本比备份新，请接着运行 zhibu migrate。密钥文件不在备份中，请确认已放回数据目录。")
