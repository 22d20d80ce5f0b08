"""The gate of every page of the space: a signed-in entrepreneur, their account passed on."""

import functools

from django.contrib.auth.decorators import login_required

from crm.portal import selectors


def entrepreneur_view(view):
    """Anonymous visitors go to log in; anyone but an entrepreneur gets 404."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        account = selectors.account_for(request.user)
        return view(request, account, *args, **kwargs)

    return wrapper
