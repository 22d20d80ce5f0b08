"""Views of the project pipeline: home, project list, project pages and the board.

`crm.views.home` and `crm.views.ProjectListView` are the names the URLconf imports."""

from crm.views.board import project_board
from crm.views.lists import ArchivedProjectListView, ProjectListView, home
from crm.views.projects import (
    ProjectUpdateView,
    project_archive,
    project_create,
    project_detail,
    project_move,
    project_restore,
    project_search,
)

__all__ = [
    "ArchivedProjectListView",
    "ProjectListView",
    "ProjectUpdateView",
    "home",
    "project_archive",
    "project_board",
    "project_create",
    "project_detail",
    "project_move",
    "project_restore",
    "project_search",
]
