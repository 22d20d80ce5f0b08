"""Form widgets shared by the apps."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from crm.core.bounds import MAX_ID


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _attributes(attrs: dict) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them, in the same order:
    True gives the bare name, False leaves the attribute out."""
    return mark_safe(  # noqa: S308 - names are the widget's own, values are escaped
        "".join(
            f" {name}" if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickSelectMixin:
    """Render a select in Python instead of one template per option.

    Django renders every <option> through its own template include: a list's filter bar
    with a network's hundred coaches and hundred officers took 16 ms of each list page at
    scale 1000. The markup is the same as Django's select.html and select_option.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


# The plain Django widgets a list's filter bar swaps for the quick ones (crm.core.lists).
QUICK_WIDGETS = {forms.Select: QuickSelect, forms.SelectMultiple: QuickSelectMultiple}


class AutocompleteSelect(forms.Select):
    """A select that renders only its chosen option and searches the rest on the server.

    With thousands of people or structures, a select listing them all makes the page heavy
    and the choice impossible. This one carries the URL of a search endpoint (JSON
    ``{"results": [{"id", "text"}]}``); crm/autocomplete.js turns it into a combobox.
    Validation is unchanged: the field's queryset still decides what may be chosen."""

    def __init__(self, url_name: str, attrs=None, choices=()):
        super().__init__(attrs=attrs, choices=choices)
        self.url_name = url_name
        # {pk: label} a formset loads once for all its rows, saving a query per row.
        self.known_labels: dict[str, str] = {}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete"] = reverse(self.url_name)
        # The script's words, translated here so it needs no catalogue of its own.
        attrs["data-autocomplete-hint"] = _("Tapez au moins deux lettres du nom")
        attrs["data-autocomplete-none"] = _("Aucun résultat")
        attrs["data-autocomplete-count"] = _("%(count)s résultat(s), flèches pour choisir")
        return attrs

    def optgroups(self, name, value, attrs=None):
        # Only the empty choice and the chosen record, fetched by primary key.
        chosen = {str(v) for v in value if v not in (None, "")}
        options = []
        queryset = getattr(self.choices, "queryset", None)
        if getattr(self.choices, "field", None) is not None and (
            self.choices.field.empty_label is not None
        ):
            options.append(self.create_option(name, "", self.choices.field.empty_label, False, 0))
        labels = {pk: self.known_labels[pk] for pk in chosen if pk in self.known_labels}
        # A key beyond any primary key (?project=10**30) would overflow the query.
        missing = [pk for pk in chosen - set(labels) if pk.isdigit() and int(pk) <= MAX_ID]
        if missing and queryset is not None:
            for record in queryset.filter(pk__in=missing):
                labels[str(record.pk)] = str(record)
        for index, (pk, label) in enumerate(sorted(labels.items()), start=1):
            options.append(self.create_option(name, pk, label, True, index))
        return [(None, options, 0)]
