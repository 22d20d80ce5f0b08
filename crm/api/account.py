"""The account page's API tokens: list, create (the key shown once), revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crm.api import tokens
from crm.core import permissions
from crm.core.forms import add_service_errors
from crm.core.widgets import DateInput
from crm.models import ApiToken


class TokenCreateForm(forms.Form):
    """Creation only (a token is never edited, only revoked): the service validates the
    model, whose errors come back on these fields."""

    name = forms.CharField(
        label=gettext_lazy("Nom du jeton (l'outil qui l'utilise)"), max_length=100
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expire le"),
        required=False,
        widget=DateInput(),
        help_text=ApiToken._meta.get_field("expires_on").help_text,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens; a new one's key is shown on this page once, never again."""
    permissions.require(permissions.can_use_api(request.user))
    form = TokenCreateForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = tokens.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = TokenCreateForm()
    user_tokens = ApiToken.objects.visible_to(request.user)
    response = render(
        request, "api/tokens.html", {"form": form, "tokens": user_tokens, "new_key": new_key}
    )
    # The key must not stay in a shared cache or the browser's back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
    tokens.token_revoke(token=token, by=request.user)
    messages.success(request, _("Le jeton « %(name)s » est révoqué.") % {"name": token.name})
    return redirect("api:token-list")


def docs(request):
    """The API's documentation (Swagger UI from drf-spectacular-sidecar's static files,
    started by our own static script: no inline script under the CSP)."""
    return render(request, "api/docs.html")
