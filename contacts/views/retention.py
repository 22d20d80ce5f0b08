"""What falls due in the next RETENTION_NOTICE_DAYS days, and an officer's extension."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.gdpr.forms import ExtensionForm
from contacts.gdpr.retention import due_by, due_on, retention_extend, with_retention
from contacts.gdpr.tables import RetentionFilter, RetentionTable
from contacts.models import Person, RetentionRule
from crm.core import permissions
from crm.core.lists import FilteredTableView
from crm.core.permissions import PermissionRequiredMixin


def horizon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.RETENTION_NOTICE_DAYS)


class RetentionListView(PermissionRequiredMixin, FilteredTableView):
    permission = staticmethod(permissions.can_manage_retention)
    title = gettext_lazy("Conservation : échéances à venir")
    template_name = "contacts/retention.html"
    model = Person
    table_class = RetentionTable
    filterset_class = RetentionFilter
    default_ordering = ("reference", "pk")

    def scoped_queryset(self):
        return due_by(horizon(), Person.objects.visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(horizon=horizon(), notice_days=settings.RETENTION_NOTICE_DAYS)
        return context


@login_required
def retention_extend_view(request, pk):
    permissions.require(permissions.can_manage_retention(request.user))
    person = get_object_or_404(
        with_retention(Person.objects.visible_to(request.user).filter(erasure__isnull=True)),
        pk=pk,
    )
    due = due_on(person)
    form = ExtensionForm(request.POST if request.method == "POST" else None, due=due)
    if request.method == "POST" and form.is_valid():
        retention_extend(
            person=person,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            _("La fiche de %(name)s est conservée jusqu'au %(date)s.")
            % {"name": person, "date": form.cleaned_data["until"].strftime("%d/%m/%Y")},
        )
        return redirect("contacts:retention")
    return render(
        request,
        "contacts/retention_extend.html",
        {
            "person": person,
            "due": due,
            "rule_label": RetentionRule(person.rule).label,
            "form": form,
            "extensions": person.retention_extensions.select_related("by")[:20],
        },
        status=400 if request.method == "POST" else 200,
    )
