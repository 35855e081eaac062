"""The page shown instead of a document the record cannot support: what is missing, and the way back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

REFUSED_STATUS = 409  # the request is fine; the record is not ready for this document


def refused(
    request: HttpRequest,
    *,
    heading: str,
    reasons: Sequence[str],
    back_url: str = "",
    back_label: str = "返回",
    hint: str = "",
    status: int = REFUSED_STATUS,
    override_action: str = "",
    hidden: Mapping[str, str] | None = None,
) -> HttpResponse:
    """`override_action`: where the one allowed to proceed anyway posts a reason (with `hidden` values)."""
    return render(
        request,
        "core/document_refused.html",
        {
            "heading": heading,
            "reasons": list(reasons),
            "back_url": back_url,
            "back_label": back_label,
            "hint": hint,
            "override_action": override_action,
            "hidden": dict(hidden or {}),
        },
        status=status,
    )
