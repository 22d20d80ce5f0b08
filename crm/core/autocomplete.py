"""The search endpoints behind `crm.core.widgets.AutocompleteSelect`.

Each endpoint answers ``?q=`` with at most `LIMIT` records the user may see, as JSON.
The scoping is the model's `visible_to(user)`: a field never offers what its user could
not open."""

from django.http import JsonResponse

from crm.core.lists import text_search

LIMIT = 20
MIN_LENGTH = 2


def autocomplete_response(request, queryset, *, fields, ordering, describe=str):
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < MIN_LENGTH:
        return JsonResponse({"results": []})
    records = queryset.filter(text_search(fields, query)).order_by(*ordering)[:LIMIT]
    return JsonResponse(
        {"results": [{"id": record.pk, "text": describe(record)} for record in records]}
    )
