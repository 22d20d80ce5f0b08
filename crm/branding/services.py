"""Reading and saving the body's letterhead.

`current_brand()` answers from the cache (at most one query every BRANDING_CACHE_SECONDS
per cache): the header of every page and every PDF read it. Each field left empty on the
branding page falls back to its BRAND_* setting, so a fresh install has a letterhead."""

import base64
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage

from crm.core.concurrency import save_form_if_unchanged
from crm.models import BRANDING_PK, Branding

CACHE_KEY = "crm:branding:v2"  # v2: with the colour


@dataclass(frozen=True)
class Brand:
    name: str
    address: str
    signatory_name: str
    signatory_title: str
    logo: str  # the stored file's name in the default storage, "" without a logo
    colour: str  # "#rrggbb", or "" for the app's own colours
    version: int  # changes with each save: the logo's URL carries it (browser cache)

    @property
    def display_name(self) -> str:
        """The body's name, or the application's own in the user's language."""
        from django.utils.translation import gettext

        return self.name or gettext("Accompagnement ESS")

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


def _from_row(row: Branding | None) -> Brand:
    def pick(field: str, setting: str) -> str:
        value = getattr(row, field, "") if row else ""
        return value or getattr(settings, setting)

    return Brand(
        name=pick("name", "BRAND_NAME"),
        address=pick("address", "BRAND_ADDRESS"),
        signatory_name=pick("signatory_name", "BRAND_SIGNATORY_NAME"),
        signatory_title=pick("signatory_title", "BRAND_SIGNATORY_TITLE"),
        logo=row.logo.name if row and row.logo else "",
        colour=pick("colour", "BRAND_COLOUR"),
        version=row.version if row else 0,
    )


def current_brand() -> Brand:
    """The letterhead as shown now (cached; one query when the cache is cold)."""
    brand = cache.get(CACHE_KEY)
    if brand is None:
        brand = _from_row(Branding.objects.filter(pk=BRANDING_PK).first())
        cache.set(CACHE_KEY, brand, settings.BRANDING_CACHE_SECONDS)
    return brand


def forget_brand() -> None:
    cache.delete(CACHE_KEY)


def prime_default_brand() -> None:
    """Cache the letterhead of an install without a branding row (the settings' values)."""
    cache.set(CACHE_KEY, _from_row(None), settings.BRANDING_CACHE_SECONDS)


def branding_row() -> Branding:
    """The single row the branding page edits (a new one, without a pk, before the first
    save: the form then has no version to compare)."""
    return Branding.objects.filter(pk=BRANDING_PK).first() or Branding()


def branding_save(*, form) -> Branding:
    """Save the branding page's form (refused if someone saved it meanwhile: crm.core.
    concurrency), remove a replaced or removed logo file, and refresh the cache."""
    previous = Branding.objects.filter(pk=BRANDING_PK).values_list("logo", flat=True).first()
    if form.cleaned_data.get("remove_logo"):
        form.instance.logo = ""
    form.instance.pk = BRANDING_PK
    row = save_form_if_unchanged(form)
    if previous and previous != row.logo.name:
        default_storage.delete(previous)
    forget_brand()
    return row


def logo_bytes(brand: Brand) -> tuple[bytes, str] | None:
    """The logo's content and media type, None without a logo (or a file gone missing)."""
    if not brand.logo:
        return None
    try:
        with default_storage.open(brand.logo, "rb") as logo:
            data = logo.read()
    except (FileNotFoundError, OSError):
        return None
    media_type = mimetypes.guess_type(brand.logo)[0] or "application/octet-stream"
    return data, media_type


def logo_data_uri(brand: Brand) -> str:
    """The logo inlined as a data: URI, for a PDF (html_to_pdf fetches no URL)."""
    found = logo_bytes(brand)
    if found is None:
        return ""
    data, media_type = found
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
