"""Who the portfolio's entrepreneurs are: women, under-26s, jobseekers, QPV residents."""

from django.db.models import Count, Q

from contacts.models import EmploymentSituation, Gender, Person
from crm.models import ProjectMember
from reports.selectors.period import Period, pks

JOBSEEKERS = (EmploymentSituation.JOBSEEKER, EmploymentSituation.JOBSEEKER_LONG_TERM)
YOUNG_AGE = 26


def people_profiles(projects_in_period, period: Period) -> dict:
    """Two queries: shares among the entrepreneurs of the portfolio, and projects in a QPV."""
    people = Person.objects.filter(
        pk__in=ProjectMember.objects.filter(project__in=pks(projects_in_period)).values("person")
    )
    young_from = period.end.year - YOUNG_AGE + 1
    figures = people.aggregate(
        people=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        gender_known=Count("pk", filter=~Q(gender="")),
        under_26=Count("pk", filter=Q(birth_year__gte=young_from)),
        age_known=Count("pk", filter=Q(birth_year__isnull=False)),
        jobseekers=Count("pk", filter=Q(employment_situation_at_entry__in=JOBSEEKERS)),
        situation_known=Count("pk", filter=~Q(employment_situation_at_entry="")),
        qpv_residents=Count("pk", filter=Q(lives_in_qpv=True)),
        qpv_known=Count("pk", filter=Q(lives_in_qpv__isnull=False)),
    )
    figures.update(
        projects_in_period.aggregate(
            projects=Count("pk"), projects_in_qpv=Count("pk", filter=Q(in_qpv=True))
        )
    )
    return figures
