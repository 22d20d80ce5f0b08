from crm.branding.services import current_brand


def brand(request):
    """The letterhead for the header of every page (cached: no query on most requests)."""
    return {"brand": current_brand()}
