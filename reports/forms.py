"""The dashboard's period: a preset (this year, last year, a call edition) or any range."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.core.bounds import BoundedDateField
from crm.core.widgets import DateInput
from crm.models import Call
from reports.selectors.period import Period, year_period

MAX_DAYS = 366 * 10


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Période"), required=False)
    start = BoundedDateField(label=_("Du"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("Au"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.calls = {str(call.pk): call for call in Call.objects.visible_to(user)}
        year = self.today.year
        choices = [
            ("year", _("Cette année (%(year)s)") % {"year": year}),
            ("last_year", _("L'année dernière (%(year)s)") % {"year": year - 1}),
        ]
        choices += [
            (f"call-{pk}", _("Édition %(year)s de l'appel à projets") % {"year": call.year})
            for pk, call in self.calls.items()
        ]
        choices.append(("custom", _("Dates choisies ci-dessous")))
        self.fields["period"].choices = choices
        self.fields["period"].help_text = _(
            "Une édition d'appel à projets couvre son année ; l'enveloppe et les lauréat·es "
            "sont ceux de cet appel."
        )

    def clean(self):
        data = super().clean()
        choice = data.get("period") or ""
        start, end = data.get("start"), data.get("end")
        if not choice and (start or end):
            choice = "custom"
        if choice == "custom":
            if not start:
                self.add_error("start", _("Indiquez la date de début de la période."))
            if not end:
                self.add_error("end", _("Indiquez la date de fin de la période."))
            if start and end and end < start:
                self.add_error("end", _("La date de fin doit suivre la date de début."))
            elif start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("La période ne peut pas dépasser dix ans."))
        data["period"] = choice or "year"
        return data

    def get_period(self) -> Period:
        """The chosen period; this year when the form is unbound or invalid."""
        year = self.today.year
        if not self.is_bound or not self.is_valid():
            return year_period(year)
        choice = self.cleaned_data["period"]
        if choice == "last_year":
            return year_period(year - 1)
        if choice.startswith("call-") and choice[5:] in self.calls:
            call = self.calls[choice[5:]]
            base = year_period(call.year)
            return Period(base.start, base.end, str(call), call=call)
        if choice == "custom":
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            label = _("du %(start)s au %(end)s") % {
                "start": start.strftime("%d/%m/%Y"),
                "end": end.strftime("%d/%m/%Y"),
            }
            return Period(start, end, str(label))
        return year_period(year)
