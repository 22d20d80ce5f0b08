import contextlib
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from crm.core.spreadsheets import set_download_name
from crm.models import User
from followups import selectors, services
from followups.models import Action, CalendarToken, Meeting, new_calendar_token


@login_required
def my_work(request):
    show_all = request.GET.get("all", "")
    context = selectors.my_work(request.user, show_all=show_all)
    context["sections"] = []
    for key, title, empty in [
        ("overdue", _("En retard"), _("Aucune action en retard.")),
        ("this_week", _("Cette semaine"), _("Rien à rendre cette semaine.")),
        ("upcoming", _("Plus tard"), _("Aucune action à venir.")),
    ]:
        actions, total = context[key], context["action_totals"][key]
        context["sections"].append(
            {
                # "week": the CSS class and anchor the page has always used.
                "key": "week" if key == "this_week" else key,
                "name": key,
                "title": title,
                "actions": actions,
                "total": total,
                "more": total - len(actions),
                "may_show_all": show_all != key,
                "empty": empty,
            }
        )
    token = CalendarToken.objects.filter(user=request.user).first()
    context["calendar_url"] = (
        request.build_absolute_uri(reverse("followups:calendar-feed", args=[token.token]))
        if token
        else ""
    )
    return render(request, "followups/my_work.html", context)


@login_required
@require_POST
def action_done(request, pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("project"), pk=pk
    )
    services.action_complete(action=action, by=request.user)
    messages.success(request, _("Action « %(title)s » faite.") % {"title": action.title})
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("followups:my-work")


@login_required
@require_POST
def calendar_regenerate(request):
    """A new secret: the previous URL stops working at once."""
    CalendarToken.objects.update_or_create(
        user=request.user, defaults={"token": new_calendar_token()}
    )
    messages.success(request, _("Nouveau lien d'agenda créé ; l'ancien ne fonctionne plus."))
    return redirect("followups:my-work")


def calendar_feed(request, token):
    """The user's meetings and due actions as iCalendar. No login: the secret token is the
    credential, so an unknown or revoked token is a 404 and a disabled account gets nothing."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    user: User = entry.user
    since = timezone.now() - datetime.timedelta(days=180)
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(Q(led_by=user) | Q(staff=user), start__gte=since)
        .distinct()
    )
    actions = (
        Action.objects.visible_to(user)
        .open()
        .filter(owner=user)
        .select_related("project")
        .order_by("due_on", "pk")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//CRM ESS//Accompagnement//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Accompagnement ESS – %(name)s") % {"name": user})
    host = request.get_host()
    stamp = timezone.now()
    for meeting in meetings.select_related("project").order_by("start", "pk"):
        item = Event()
        item.add("uid", f"meeting-{meeting.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", meeting.start)
        # A row stored before dates were bounded may end past year 9999: such a meeting
        # keeps its start and gets no end rather than breaking its owner's whole feed.
        with contextlib.suppress(OverflowError):
            item.add("dtend", meeting.end)
        item.add("summary", _("Rendez-vous – %(project)s") % {"project": meeting.project})
        if meeting.place:
            item.add("location", meeting.place)
        item.add(
            "url",
            request.build_absolute_uri(reverse("followups:meeting-detail", args=[meeting.pk])),
        )
        calendar.add_component(item)
    for action in actions:
        item = Event()
        item.add("uid", f"action-{action.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", action.due_on)
        # An all-day event without DTEND lasts that day (RFC 5545); written only when the
        # next day exists (an action due on 31/12/9999 has none).
        if action.due_on < datetime.date.max:
            item.add("dtend", action.due_on + datetime.timedelta(days=1))
        item.add(
            "summary",
            _("À faire : %(title)s (%(project)s)")
            % {"title": action.title, "project": action.project},
        )
        calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    return set_download_name(response, "agenda.ics", inline=True)
