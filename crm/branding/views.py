"""The branding page (officers) and the logo it uploads, shown in the header of every page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from crm.branding.forms import BrandingForm
from crm.branding.services import branding_row, branding_save, current_brand, logo_bytes
from crm.core import permissions
from crm.core.colours import palette
from crm.core.concurrency import StaleObjectError, conflict_context
from crm.core.permissions import permission_required


@permission_required(permissions.can_manage_branding)
def branding_edit(request):
    row = branding_row()
    form = BrandingForm(request.POST or None, request.FILES or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            branding_save(form=form)
        except StaleObjectError as stale:
            context = conflict_context(form, stale.current, form_kwargs={"files": request.FILES})
            return render(request, "branding/branding_form.html", context, status=409)
        messages.success(request, _("Identité de l'organisme enregistrée."))
        return redirect("branding:edit")
    return render(
        request,
        "branding/branding_form.html",
        {"form": form, "row": row},
        status=400 if form.is_bound else 200,
    )


@require_safe
def branding_logo(request):
    """The logo for the header, login page included: public, as on the body's letters."""
    found = logo_bytes(current_brand())
    if found is None:
        raise Http404
    data, media_type = found
    response = HttpResponse(data, content_type=media_type)
    # The URL carries the version: a new logo gets a new URL.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def branding_colours(request):
    """The body's colour as CSS variables (a stylesheet: the CSP allows no inline style).
    Public, like the logo: the login page and the public form wear it too."""
    brand = current_brand()
    if not brand.colour:
        raise Http404
    rules = "".join(f"{name}: {value}; " for name, value in palette(brand.colour).items())
    response = HttpResponse(f":root {{ {rules}}}\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"  # the URL carries the version
    response["X-Content-Type-Options"] = "nosniff"
    return response
