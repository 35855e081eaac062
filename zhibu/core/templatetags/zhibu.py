from django import template


register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_label(action: str) -> str:
    from zhibu.core.audit import ACTION_LABELS

    return ACTION_LABELS.get(action, action)


@register.filter
def zh(text) -> str:
    """Full-width punctuation in Chinese text shown on a page (a rule's source kept as the spec
    writes it, e.g. "发展党员工作细则(2026) 第13条", reads "发展党员工作细则（2026） 第13条")."""
    from zhibu.core.punctuation import fix_text

    return fix_text(str(text)) if text not in (None, "") else ""
