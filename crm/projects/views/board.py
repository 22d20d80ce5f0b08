"""The pipeline board: one column per stage, cards moved by drag and drop or a select."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join

from crm.core import permissions
from crm.models import Project, Stage
from crm.projects import selectors
from crm.projects.filters import ProjectFilter

# A primary key no project has, reversed once and replaced by each card's.
URL_PK_SLOT = 987654321987


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
    for column in columns:
        # Every card of a column offers the same stages: their options are built once.
        column["move_options"] = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((value, label) for value, label in Stage.choices if value != column["stage"]),
        )
        for card in column["cards"]:
            card.board_url = detail_url.replace(slot, str(card.pk))
            card.board_move_url = move_url.replace(slot, str(card.pk))
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
            "total": sum(column["count"] for column in columns),
            "limit": selectors.BOARD_CARDS_PER_COLUMN,
        },
    )
