from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_sources(sender, using="default", **kwargs) -> None:
    """The sources of rules2.md §6 as reference rows, after every migrate and every flush (a test
    database emptied by a transactional test gets them back): missing codes are added, rows a
    district renamed or retired are left as they are."""
    from zhibu.rectify.models import Source
    from zhibu.rectify.rules import SOURCES

    existing = set(Source.objects.using(using).values_list("code", flat=True))
    Source.objects.using(using).bulk_create(
        [
            Source(code=code, name=name, order=order)
            for order, (code, name) in enumerate(SOURCES, start=1)
            if code not in existing
        ],
        ignore_conflicts=True,
    )


class Config(AppConfig):
    name = "zhibu.rectify"
    label = "rectify"
    verbose_name = "整改台账"
    reference_data = ("Source",)  # seeded rows: a fresh database has them (zhibu.core.backup)

    def ready(self) -> None:
        post_migrate.connect(seed_sources, sender=self, dispatch_uid="zhibu.rectify.seed_sources")
