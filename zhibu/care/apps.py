from django.apps import AppConfig
from django.db.models.signals import post_migrate

PAIR_KINDS = (
    ("staff", "教职工", True),
    ("activist", "入党积极分子", True),
    ("family", "幼儿（学生）家庭", False),
)


def seed_pair_kinds(sender, using="default", **kwargs) -> None:
    """The default 结对 kinds as reference rows, after every migrate and flush (like rectify's
    sources): missing codes are added, rows a district renamed or retired stay as they are."""
    from zhibu.care.models import PairKind

    existing = set(PairKind.objects.using(using).values_list("code", flat=True))
    PairKind.objects.using(using).bulk_create(
        [
            PairKind(code=c, name=n, in_roster=r, order=i)
            for i, (c, n, r) in enumerate(PAIR_KINDS, 1)
            if c not in existing
        ],
        ignore_conflicts=True,
    )


class Config(AppConfig):
    name = "zhibu.care"
    label = "care"
    verbose_name = "关怀与共建"
    reference_data = ("PairKind",)

    def ready(self) -> None:
        post_migrate.connect(seed_pair_kinds, sender=self, dispatch_uid="zhibu.care.seed_pair_kinds")
