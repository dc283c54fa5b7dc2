from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """Label of a controlled value; the value itself where no label exists."""
    return mapping.get(key, key)
