"""The kinds of request an upper committee decides, declared by the apps that own the subjects.

Each app lists its kinds in a hook module `zhibu/<app>/approvals.py`:

    KINDS: dict[str, Kind] = {"development.candidate_approved": Kind(label=..., source=..., ...)}

`on_approved(approval)` runs inside the approving transaction (a plain helper of the owning app that
writes its own models and audits); `on_returned(approval)` likewise after a 打回; `subject_url(approval)`
is the subject's own page (no queries: build it from `approval.branch_id` / `approval.subject_id`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured, ValidationError

if TYPE_CHECKING:
    from zhibu.approvals.models import Approval


@dataclass(frozen=True)
class Kind:
    label: str  # Chinese, e.g. "发展对象报上级党委同意"
    source: str  # the rule that makes the upper committee decide (article, rules.md §, or local practice)
    deadline_workdays: int | None  # working days the upper committee has to decide; None: no deadline
    on_approved: Callable[[Approval], None]
    on_returned: Callable[[Approval], None] | None = None
    subject_url: Callable[[Approval], str] | None = None


@cache
def registry() -> dict[str, Kind]:
    """Every kind of every installed app (`<app>.approvals.KINDS`), keyed "<app>.<name>"."""
    from zhibu.core.hooks import app_label, app_modules

    found: dict[str, Kind] = {}
    for module in app_modules("approvals"):
        app = app_label(module)
        for key, kind in getattr(module, "KINDS", {}).items():
            if not key.startswith(f"{app}."):
                raise ImproperlyConfigured(f"approval kind {key!r} of {app} must start with '{app}.'")
            if key in found:
                raise ImproperlyConfigured(f"approval kind {key!r} declared twice")
            found[key] = kind
    return found


def get(key: str) -> Kind:
    kind = registry().get(key)
    if kind is None:
        raise ValidationError(f"未知的报批事项：{key}", code="unknown_kind")
    return kind


def label(key: str) -> str:
    kind = registry().get(key)
    return kind.label if kind else key


def choices() -> list[tuple[str, str]]:
    return [(k, v.label) for k, v in registry().items()]
