"""Views of the project pipeline: home, project list, project pages and the board.

`views.home` and `views.ProjectListView` are the names crm.projects.urls uses."""

from crm.projects.views.board import project_board
from crm.projects.views.esf import esf_edit
from crm.projects.views.list_tools import project_bulk, project_list_columns, project_view_save
from crm.projects.views.lists import ArchivedProjectListView, ProjectListView, home
from crm.projects.views.measures import measure_create, measure_list
from crm.projects.views.panel import project_panel, project_panel_assign, project_panel_move
from crm.projects.views.projects import (
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
    "esf_edit",
    "home",
    "measure_create",
    "measure_list",
    "project_archive",
    "project_board",
    "project_create",
    "project_detail",
    "project_bulk",
    "project_list_columns",
    "project_move",
    "project_panel",
    "project_panel_assign",
    "project_panel_move",
    "project_restore",
    "project_search",
    "project_view_save",
]
