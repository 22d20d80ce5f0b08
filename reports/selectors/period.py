"""The dashboard's period, its portfolio, and the query helpers every figure shares."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from crm.models import Call


@dataclass(frozen=True)
class Period:
    """A closed range of days, and the call edition it stands for (if any)."""

    start: datetime.date
    end: datetime.date
    label: str
    call: Call | None = field(default=None, compare=False)

    @property
    def start_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def end_at(self) -> datetime.datetime:
        """The first instant after the period."""
        day = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def months(self) -> list[datetime.date]:
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def year_period(year: int, label: str = "") -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), label or str(year))


def portfolio(projects, period: Period):
    """Projects followed during the period: received before its end, not exited before."""
    return projects.followed_between(period.start, period.end)


def pks(queryset):
    return queryset.order_by().values("pk")


def count_by(queryset, *fields) -> list[dict]:
    return list(queryset.order_by().values(*fields).annotate(count=Count("pk")).order_by(*fields))
