from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_categories(sender, using="default", **kwargs) -> None:
    """The categories of rules2.md §7 as reference rows, after every migrate and every flush (like
    rectify's sources): missing codes are added, rows a district renamed or retired are left alone."""
    from zhibu.openness.models import Category
    from zhibu.openness.rules import CATEGORIES

    existing = set(Category.objects.using(using).values_list("code", flat=True))
    Category.objects.using(using).bulk_create(
        [
            Category(code=code, channel=channel, name=name, basis=basis, order=order)
            for order, (code, channel, name, basis) in enumerate(CATEGORIES, start=1)
            if code not in existing
        ],
        ignore_conflicts=True,
    )


class Config(AppConfig):
    name = "zhibu.openness"
    label = "openness"
    verbose_name = "三务公开"
    reference_data = ("Category",)  # seeded rows: a fresh database has them (zhibu.core.backup)

    def ready(self) -> None:
        post_migrate.connect(seed_categories, sender=self, dispatch_uid="zhibu.openness.seed_categories")
