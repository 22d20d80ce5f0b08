"""E-mails to entrepreneurs: the templates officers keep, and the compose pages of a
project and of a person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.models import Person
from crm.core import permissions
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.forms import add_service_errors
from crm.core.lists import FilteredTableView
from followups import messaging, services
from followups.filters import MessageTemplateFilter
from followups.forms_messages import ComposeForm, MessageTemplateForm
from followups.models import MessageTemplate
from followups.tables import MessageTemplateTable
from followups.views.meetings import get_project_for


class MessageTemplateListView(permissions.PermissionRequiredMixin, FilteredTableView):
    permission = staticmethod(permissions.can_manage_message_templates)
    title = gettext_lazy("Modèles d'e-mail")
    model = MessageTemplate
    table_class = MessageTemplateTable
    filterset_class = MessageTemplateFilter
    template_name = "followups/message_template_list.html"
    default_ordering = ("name", "pk")

    def scoped_queryset(self):
        return MessageTemplate.objects.all()


@login_required
def message_template_form(request, pk=None):
    permissions.require(permissions.can_manage_message_templates(request.user))
    template = get_object_or_404(MessageTemplate, pk=pk) if pk else None
    form = MessageTemplateForm(request.POST or None, instance=template)
    context = {"form": form, "template": template, "merge_fields": messaging.MERGE_FIELDS}
    if request.method == "POST" and form.is_valid():
        try:
            services.message_template_save(
                template=form.save(commit=False),
                by=request.user,
                expected_version=form.expected_version,
            )
        except StaleObjectError as stale:
            context.update(conflict_context(form, stale.current))
            return render(request, "followups/message_template_form.html", context, status=409)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Le modèle d'e-mail est enregistré."))
            return redirect("followups:message-template-list")
    return render(request, "followups/message_template_form.html", context)


def _compose(request, *, project=None, person=None):
    chosen = None
    if request.GET.get("template", "").isdigit():
        chosen = MessageTemplate.objects.filter(pk=int(request.GET["template"])).first()
    initial = {"subject": chosen.subject, "body": chosen.body} if chosen else {}
    form = ComposeForm(
        request.POST or None, initial=initial, user=request.user, project=project, person=person
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipient = person or data["person"]
        try:
            sent = services.message_send(
                person=recipient,
                project=project or data.get("project"),
                subject=data["subject"],
                body=data["body"],
                by=request.user,
                template=MessageTemplate.objects.filter(
                    pk=request.POST.get("template") or None
                ).first()
                if (request.POST.get("template") or "").isdigit()
                else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent.refresh_from_db()
            if sent.error:
                messages.error(
                    request,
                    _("L'e-mail à %(to)s n'a pas pu être remis : %(error)s")
                    % {"to": sent.to_address, "error": sent.error},
                )
            else:
                messages.success(
                    request,
                    _("E-mail « %(subject)s » envoyé à %(to)s.")
                    % {"subject": sent.subject, "to": sent.to_address},
                )
            if project is not None:
                return redirect("crm:project-detail", project.pk)
            return redirect("contacts:person-detail", person.pk)
    return render(
        request,
        "followups/compose.html",
        {
            "form": form,
            "project": project,
            "person": person,
            "templates": MessageTemplate.objects.order_by("name", "pk"),
            "chosen": chosen,
            "merge_fields": messaging.MERGE_FIELDS,
        },
    )


@login_required
def project_message(request, project_pk):
    project = get_project_for(request.user, project_pk)
    permissions.require(permissions.can_write_about_project(request.user, project))
    return _compose(request, project=project)


@login_required
def person_message(request, person_pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=person_pk)
    permissions.require(permissions.can_write_to_entrepreneurs(request.user))
    return _compose(request, person=person)
