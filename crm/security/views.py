"""Login with an optional second factor, two-factor enrolment, History pages and the access
log. Kept apart from crm/projects/views/, which holds the project pages."""

import base64

import django_filters
import django_tables2 as tables
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from crm.core import permissions
from crm.core.lists import DayFilter, FilteredTableView, ListFilterSet, ListTable, text_search
from crm.core.permissions import PermissionRequiredMixin
from crm.models import AccessEvent, AccessEventKind
from crm.security import audit
from crm.security.sessions import start_session_clock, user_has_device

# Session keys of a login waiting for its second factor.
PENDING_USER_KEY = "crm_otp_pending_user"
PENDING_BACKEND_KEY = "crm_otp_pending_backend"
# Session key of the secret offered on the enrolment page, until confirmed.
ENROL_KEY = "crm_otp_enrol_key"


class CrmLoginView(LoginView):
    """Django's login; a user with a confirmed device is asked for a code before the
    session is opened (crm_otp_pending_* hold who passed the password step)."""

    def form_valid(self, form):
        user = form.get_user()
        if not user_has_device(user):
            response = super().form_valid(form)
            start_session_clock(self.request)
            return response
        self.request.session[PENDING_USER_KEY] = user.pk
        self.request.session[PENDING_BACKEND_KEY] = user.backend
        query = urlencode({"next": self.get_success_url()})
        return HttpResponseRedirect(f"{reverse('security:otp-verify')}?{query}")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres de votre application"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("Le code ne contient que des chiffres."))
        return token


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """Second login step: the code from the user's authenticator application."""
    user_pk = request.session.get(PENDING_USER_KEY)
    if user_pk is None:
        return redirect(settings.LOGIN_URL)
    user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed = device is not None and device.verify_is_allowed()[0]
        if allowed and device.verify_token(form.cleaned_data["token"]):
            backend = request.session.pop(PENDING_BACKEND_KEY)
            request.session.pop(PENDING_USER_KEY)
            login(request, user, backend=backend)
            otp_login(request, device)
            start_session_clock(request)
            return redirect(_safe_next(request))
        audit.log_access_event(
            kind=AccessEventKind.LOGIN_FAILED,
            request=request,
            username=user.get_username(),
            detail=_("Code de double authentification refusé"),
        )
        form.add_error(
            "token",
            _("Ce code n'est pas valide ou a expiré. Réessayez.")
            if allowed
            else _("Trop d'essais : patientez quelques secondes avant de réessayer."),
        )
    return render(request, "security/otp_verify.html", {"form": form, "next": _safe_next(request)})


def _qr_svg(device: TOTPDevice) -> str:
    # segno writes plain SVG paths (no script, no style attribute): safe under our CSP.
    # omitsize: a viewBox instead of a fixed size, so the CSS scales it without cropping.
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#1b1b1b", light="#ffffff", omitsize=True, title=_("QR code à scanner")
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Enrol (or remove) a TOTP authenticator for an officer or an administrator."""
    permissions.require(permissions.can_enrol_two_factor(request.user))
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    form = TokenForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and form.is_valid():
            if confirmed.verify_token(form.cleaned_data["token"]):
                TOTPDevice.objects.filter(user=user).delete()
                messages.success(request, _("La double authentification est désactivée."))
                return redirect("security:two-factor")
            form.add_error("token", _("Ce code n'est pas valide ou a expiré. Réessayez."))
        return render(request, "security/two_factor.html", {"device": confirmed, "form": form})

    # The secret waits in the session until a code proves the app holds it: a GET
    # writes nothing, and only a confirmed device is ever stored.
    key = request.session.get(ENROL_KEY)
    if key is None:
        key = request.session[ENROL_KEY] = default_key()
    pending = TOTPDevice(user=user, key=key, name=_("Application d'authentification"))
    if request.method == "POST" and form.is_valid():
        totp = TOTP(pending.bin_key, pending.step, pending.t0, pending.digits, pending.drift)
        if totp.verify(int(form.cleaned_data["token"]), tolerance=pending.tolerance):
            pending.confirmed = True
            pending.last_t = totp.t()
            pending.save()
            del request.session[ENROL_KEY]
            otp_login(request, pending)
            messages.success(
                request,
                _("Double authentification activée : un code sera demandé à chaque connexion."),
            )
            return redirect("security:two-factor")
        form.add_error("token", _("Ce code n'est pas valide ou a expiré. Réessayez."))
    return render(
        request,
        "security/two_factor.html",
        {
            "device": None,
            "form": form,
            "qr_svg": mark_safe(_qr_svg(pending)),  # generated by segno, no user input
            "secret": _base32(pending),
        },
    )


def _base32(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@login_required
@require_safe
def history(request, app_label: str, model_name: str, pk: int):
    """The change history of one record, field by field, for whoever may see the record."""
    model = audit.history_model(app_label, model_name)
    if model is None:
        raise Http404
    obj = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "security/history.html",
        {
            "object": obj,
            "model_name": model._meta.verbose_name,
            "entries": audit.history_entries(obj),
        },
    )


class AccessEventFilter(ListFilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Identifiant ou adresse"), method="search")
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Événement"),
        choices=AccessEventKind.choices,
        empty_label=gettext_lazy("Tous"),
    )
    after = DayFilter(label=gettext_lazy("Depuis le"), field_name="at")
    before = DayFilter(label=gettext_lazy("Jusqu'au"), field_name="at", until=True)
    person_pk = django_filters.NumberFilter(label=gettext_lazy("Fiche n°"), min_value=1)

    class Meta:
        model = AccessEvent
        fields = ["q", "kind", "after", "before", "person_pk"]

    def search(self, queryset, name, value):
        return queryset.filter(
            text_search(["username", "ip_address", "user__last_name", "detail"], value)
        )


class AccessEventTable(ListTable):
    at = tables.DateTimeColumn(verbose_name=gettext_lazy("Date"), format="d/m/Y H:i:s")
    kind = tables.Column(verbose_name=gettext_lazy("Événement"))
    username = tables.Column(verbose_name=gettext_lazy("Identifiant"))
    user = tables.Column(
        verbose_name=gettext_lazy("Utilisateur·rice"), order_by=("user__last_name", "pk")
    )
    ip_address = tables.Column(verbose_name=gettext_lazy("Adresse IP"))
    user_agent = tables.Column(verbose_name=gettext_lazy("Navigateur"), orderable=False)
    detail = tables.Column(verbose_name=gettext_lazy("Détail"), orderable=False)
    person_pk = tables.Column(verbose_name=gettext_lazy("Fiche n°"), orderable=False)
    # API reads: requests counted on the token's line of the day (crm.api.reads).
    reads = tables.Column(verbose_name=gettext_lazy("Lectures"), orderable=False)

    class Meta(ListTable.Meta):
        model = AccessEvent
        fields = [
            "at",
            "kind",
            "username",
            "user",
            "ip_address",
            "user_agent",
            "detail",
            "person_pk",
            "reads",
        ]

    def render_user_agent(self, value):
        return value if len(value) <= 60 else f"{value[:60]}…"


class AccessLogView(PermissionRequiredMixin, FilteredTableView):
    """The access log, for officers: newest first, filtered by kind, person and dates."""

    title = gettext_lazy("Journal d'accès")
    model = AccessEvent
    table_class = AccessEventTable
    filterset_class = AccessEventFilter
    default_ordering = ("-at", "-pk")
    permission = staticmethod(permissions.can_read_access_log)

    def scoped_queryset(self):
        return AccessEvent.objects.visible_to(self.request.user).select_related("user")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form refused for its missing or stale token, explained in French
    in the app's layout instead of Django's English page (the reason stays in the logs)."""
    return render(request, "403_csrf.html", status=403)
