"""Links: the URLs of the lists behind the dashboard's charts, carrying its filters and period."""

from urllib.parse import urlencode

from django.urls import reverse


class Links:
    """URLs of the lists behind the charts, carrying the dashboard's project filters and
    its period, so that a list holds the projects its chart counted."""

    def __init__(self, filter_params: dict[str, list[str]], period, *, may_read_calls=True):
        self.filters = filter_params
        self.period = period
        # A coach's dashboard shows the call figures of their projects but links to no page
        # a coach may not open (crm.core.permissions.can_read_calls): "" is no link.
        self.may_read_calls = may_read_calls

    def calls(self) -> str:
        return reverse("crm:call-list") if self.may_read_calls else ""

    def call(self, pk: int) -> str:
        return reverse("crm:call-detail", args=[pk]) if self.may_read_calls else ""

    def _project_list(self, scope: dict, extra: dict) -> str:
        params = {k: v for k, v in self.filters.items() if k not in extra}
        params.update(scope)
        params.update({k: v if isinstance(v, list) else [v] for k, v in extra.items()})
        return reverse("crm:project-list") + "?" + urlencode(params, doseq=True)

    def projects(self, **extra) -> str:
        """The period's portfolio: received before its end, not exited before its start."""
        scope = {
            "received_to": [self.period.end.isoformat()],
            "not_exited_before": [self.period.start.isoformat()],
        }
        return self._project_list(scope, extra)

    def received(self, **extra) -> str:
        """The projects received during the period (the funnel's applicants)."""
        scope = {
            "received_from": [self.period.start.isoformat()],
            "received_to": [self.period.end.isoformat()],
        }
        return self._project_list(scope, extra)

    def entered(self, **extra) -> str:
        """The projects whose entry date falls in the period (the EU-fund view)."""
        scope = {
            "entry_from": [self.period.start.isoformat()],
            "entry_to": [self.period.end.isoformat()],
        }
        return self._project_list(scope, extra)

    def created(self, year: int | None = None) -> str:
        """The projects whose structure was created (in `year`, or ever): the cohorts."""
        params = {k: v for k, v in self.filters.items() if k != "created_year"}
        params["created_year"] = [str(year) if year else "any"]
        return reverse("crm:project-list") + "?" + urlencode(params, doseq=True)

    def meetings(self) -> str:
        query = urlencode(
            {"start_from": self.period.start.isoformat(), "start_to": self.period.end.isoformat()}
        )
        return f"{reverse('followups:meeting-list')}?{query}"

    def events(self) -> str:
        query = urlencode({"start_from": self.period.start.isoformat()})
        return f"{reverse('followups:event-list')}?{query}"
