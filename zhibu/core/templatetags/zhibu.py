from django import template


register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_label(action: str) -> str:
    from zhibu.core.audit import ACTION_LABELS

    return ACTION_LABELS.get(action, action)
