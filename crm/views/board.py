"""The pipeline board: one column per stage, cards moved by drag and drop or a select."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from crm import roles, selectors
from crm.filters import ProjectFilter
from crm.models import Project, Stage


@login_required
def project_board(request):
    user = request.user
    filterset = ProjectFilter(
        request.GET or None,
        queryset=Project.objects.visible_to(user).current(),
        request=request,
    )
    columns = selectors.project_board(filterset.qs)
    list_url = reverse("crm:project-list")
    for column in columns:
        query = request.GET.copy()
        query.setlist("stage", [column["stage"]])
        query.pop("page", None)
        column["list_url"] = f"{list_url}?{query.urlencode()}"
    # Officers move every card; a coach sees only their projects, so moves all of them.
    may_move = roles.is_officer(user) or roles.is_coach(user)
    return render(
        request,
        "crm/project_board.html",
        {
            "filter": filterset,
            "columns": columns,
            "stage_choices": Stage.choices,
            "may_move": may_move,
            "total": sum(column["count"] for column in columns),
            "limit": selectors.BOARD_CARDS_PER_COLUMN,
        },
    )
