from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_categories(sender, using="default", **kwargs) -> None:
    """The study categories of issue 16 as reference rows (data, not code): missing codes are added
    after every migrate and flush; rows a district renamed or retired stay as they are."""
    from zhibu.study.models import Category
    from zhibu.study.rules import CATEGORIES

    existing = set(Category.objects.using(using).values_list("code", flat=True))
    Category.objects.using(using).bulk_create(
        [
            Category(code=code, name=name, order=order)
            for order, (code, name) in enumerate(CATEGORIES, start=1)
            if code not in existing
        ],
        ignore_conflicts=True,
    )


class Config(AppConfig):
    name = "zhibu.study"
    label = "study"
    verbose_name = "学习教育"
    reference_data = ("Category",)

    def ready(self) -> None:
        post_migrate.connect(seed_categories, sender=self, dispatch_uid="zhibu.study.seed_categories")
