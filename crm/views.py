from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from crm import selectors


@login_required
def home(request):
    """The home page, whose content depends on the user's role."""
    return render(request, "crm/home.html", selectors.home_summary(request.user))
