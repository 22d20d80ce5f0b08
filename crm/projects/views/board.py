"""The pipeline board: one column per stage, cards moved by their "move" menu or by drag
and drop (htmx swaps the board in place; without JavaScript the menu's buttons post and the
page comes back), the last move undone from a toast."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join

from crm.core import permissions
from crm.models import Project, Stage, Status
from crm.projects import selectors
from crm.projects.filters import ProjectFilter

# A primary key no project has, reversed once and replaced by each card's.
URL_PK_SLOT = 987654321987
# The session key holding the board's last move until the board shows it (crm.projects.
# views.projects.project_move writes it when the move came from the board).
LAST_MOVE_KEY = "board_last_move"


def initials(user) -> str:
    """ "Camille Martin" → "CM"; a user without a name: the first two letters of the login."""
    if user is None:
        return ""
    parts = [part for part in (user.first_name, user.last_name) if part]
    if parts:
        return "".join(part[0] for part in parts).upper()
    return user.get_username()[:2].upper()


def _last_move(request, user):
    """The move the board just made (from the session, read once), for the toast."""
    move = request.session.pop(LAST_MOVE_KEY, None)
    if not move:
        return None
    if move.get("error"):
        return move
    project = Project.objects.visible_to(user).filter(pk=move.get("project")).first()
    if project is None:
        return None
    labels = dict(Stage.choices)
    return {
        **move,
        "name": project.name,
        "from_label": labels.get(move["from_stage"], ""),
        "to_label": labels.get(move["to_stage"], ""),
        "move_url": reverse("crm:project-move", args=[project.pk]),
        "may_undo": not move.get("undo") and project.stage == move["to_stage"],
    }


@login_required
def project_board(request):
    user = request.user
    filterset = ProjectFilter(
        request.GET or None,
        queryset=Project.objects.visible_to(user).current(),
        request=request,
    )
    columns = selectors.project_board(filterset.qs)
    # Up to 250 cards with two links each: one reverse() per route, not per card (about a
    # fifth of the page's time at 250 cards).
    detail_url, move_url = (
        reverse(route, args=[URL_PK_SLOT]) for route in ("crm:project-detail", "crm:project-move")
    )
    slot = str(URL_PK_SLOT)
    list_url = reverse("crm:project-list")
    status_labels = dict(Status.choices)
    for column in columns:
        # Every card of a column offers the same stages: their buttons are built once.
        column["move_options"] = format_html_join(
            "",
            '<li><button type="submit" name="stage" value="{}" class="menu-item">'
            "{}. {}</button></li>",
            (
                (value, index, label)
                for index, (value, label) in enumerate(Stage.choices, start=1)
                if value != column["stage"]
            ),
        )
        for card in column["cards"]:
            card.board_url = detail_url.replace(slot, str(card.pk))
            card.board_move_url = move_url.replace(slot, str(card.pk))
            card.coach_initials = initials(card.coach)
            card.status_label = status_labels.get(card.status, card.status)
        query = request.GET.copy()
        query.setlist("stage", [column["stage"]])
        query.pop("page", None)
        column["list_url"] = f"{list_url}?{query.urlencode()}"
    # Officers move every card; a coach sees only their projects, so moves all of them.
    may_move = permissions.can_move_projects(user)
    return render(
        request,
        "crm/project_board.html",
        {
            "filter": filterset,
            "columns": columns,
            "next_url": request.get_full_path(),
            "may_move": may_move,
            "last_move": _last_move(request, user) if may_move else None,
            "total": sum(column["count"] for column in columns),
            "limit": selectors.BOARD_CARDS_PER_COLUMN,
        },
    )
