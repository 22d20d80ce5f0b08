"""The body's letterhead and signature in a document's template: `{% load branding %}`,
then `{% letterhead %}` (a PDF: logo inlined) or `{% letterhead web=True %}` (a printed
page), and `{% signature %}`. Documents are rendered without a request, so without the
context processors: the tags read the cached letterhead themselves."""

from django import template
from django.urls import reverse

from crm.branding.services import current_brand, logo_data_uri

register = template.Library()


@register.inclusion_tag("branding/_letterhead.html")
def letterhead(web=False):
    brand = current_brand()
    if not brand.logo:
        logo_src = ""
    elif web:
        logo_src = f"{reverse('branding:logo')}?v={brand.version}"
    else:
        logo_src = logo_data_uri(brand)
    return {"brand": brand, "logo_src": logo_src, "web": web}


@register.inclusion_tag("branding/_signature.html")
def signature():
    return {"brand": current_brand()}
