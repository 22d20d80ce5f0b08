"""The body's colour on screen: checked readable on white, and its darker and lighter
shades for the header, the buttons and the tinted panels (crm.branding)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from crm.core.formatting import number

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # text and links in this colour on white (WCAG AA)


def _channels(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0–1) of `other` mixed in."""
    pairs = zip(_channels(colour), _channels(other), strict=True)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in pairs)


def validate_brand_colour(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(
            _("Indiquez une couleur au format #RRVVBB, par exemple #1d3f8f."), code="format"
        )
    ratio = contrast(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "Cette couleur est trop claire : %(ratio)s:1 sur fond blanc, il faut au moins "
                "%(minimum)s:1 pour que les textes et les liens restent lisibles. "
                "Choisissez-la plus foncée."
            )
            % {"ratio": number(round(ratio, 1), 1), "minimum": number(MIN_CONTRAST, 1)},
            code="contrast",
        )


def palette(colour: str) -> dict[str, str]:
    """The CSS variables the stylesheet reads (crm/static/crm/app.css)."""
    return {
        "--blue": colour.lower(),
        "--blue-dark": mix(colour, "#000000", 0.35),
        "--blue-light": mix(colour, "#ffffff", 0.9),
    }
