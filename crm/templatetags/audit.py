"""{% history_url object %}: the address of a record's History page (crm.security.audit)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    meta = obj._meta
    return reverse(
        "security:history",
        kwargs={"app_label": meta.app_label, "model_name": meta.model_name, "pk": obj.pk},
    )
