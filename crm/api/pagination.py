"""Cursor pagination: stable pages whatever is written meanwhile, and no COUNT(*)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    # Each view sets `ordering` (ending with a unique key); ?ordering= may change it.
    ordering = ("pk",)
