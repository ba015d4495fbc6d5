from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import permissions, selectors, services, two_factor
from accounts.forms import SignInForm, TwoFactorCodeForm
from accounts.models import User
from caspa.core.forms import add_validation_errors


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("timed_out") == "1"
        return context

    def form_valid(self, form):
        # Before the session starts: signing in moves `last_login` on to now.
        services.user_record_sign_in(user=form.get_user())
        response = super().form_valid(form)
        # Someone who set up two-factor sign-in is asked for it even where it is not required.
        if two_factor.has_set_up(form.get_user()):
            self.request.session[two_factor.SET_UP_SESSION_KEY] = True
        return response


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@require_safe
def signed_out(request):
    return render(request, "accounts/signed_out.html")


@login_required
@require_safe
def agencies(request):
    return render(request, "accounts/agencies.html", {"agencies": selectors.agency_directory()})


@login_required
def people(request):
    permissions.require_view_people(request.user)
    return render(
        request,
        "accounts/people.html",
        {
            "people": selectors.people_by_agency(),
            "may_reset_two_factor": permissions.can_reset_two_factor(request.user),
        },
    )


# --- Two-factor sign-in (docs/two-factor.md) --------------------------------------------------


def _next_url(request) -> str:
    """Where the user was going before the second factor was asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(url_name: str, request) -> str:
    return reverse(url_name) + "?" + urlencode({"next": _next_url(request)})


def _second_factor_proved(request, device) -> None:
    """django-otp keeps the device in the session; the session gets a new key, as at sign-in,
    now that it opens more."""
    otp_login(request, device)
    request.session[two_factor.SET_UP_SESSION_KEY] = True
    request.session.cycle_key()


@never_cache
@login_required
def two_factor_enrol(request):
    """First sign-in: scan the QR code (or type the secret) into an authenticator app, and
    enter the code it shows to confirm."""
    if two_factor.has_set_up(request.user):
        if request.user.is_verified():
            messages.info(request, services.ALREADY_SET_UP)
            return redirect("home")
        return redirect(_with_next("accounts:two_factor_verify", request))
    key = request.session.get(two_factor.ENROL_KEY_SESSION_KEY)
    if not key:
        key = request.session[two_factor.ENROL_KEY_SESSION_KEY] = random_hex(20)
    form = TwoFactorCodeForm(request.POST or None, backup_codes_allowed=False)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                user=request.user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _second_factor_proved(request, device)
            del request.session[two_factor.ENROL_KEY_SESSION_KEY]
            request.session[two_factor.BACKUP_CODES_SESSION_KEY] = codes
            return redirect(_with_next("accounts:two_factor_backup_codes", request))
    app = TOTPDevice(user=request.user, key=key)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_code": two_factor.qr_code_data_uri(app.config_url),
            "secret": two_factor.secret_in_words(key),
            "next": _next_url(request),
            "required": settings.TWO_FACTOR_REQUIRED,
        },
    )


@never_cache
@login_required
@require_safe
def two_factor_backup_codes(request):
    """The backup codes, shown once, straight after enrolment."""
    codes = request.session.pop(two_factor.BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("home")
    return render(
        request,
        "accounts/two_factor_backup_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
@login_required
def two_factor_verify(request):
    """Each sign-in: the code from the app, or a backup code."""
    if not two_factor.has_set_up(request.user):
        return redirect(_with_next("accounts:two_factor_enrol", request))
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None, backup_codes_allowed=True)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_validation_errors(form, error)
            refusals = getattr(error, "error_dict", {}).get("code", [])
            if any(refusal.code == services.WRONG_CODE for refusal in refusals):
                # A wrong code counts toward the same lock as a wrong password. If this one
                # locks the username, the sign-in ends and axes shows the locked page.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": request.user.get_username()},
                    request=request,
                )
                if getattr(request, "axes_locked_out", False):
                    logout(request)
                    return HttpResponse(status=429)
        else:
            _second_factor_proved(request, device)
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form,
            "next": _next_url(request),
            "lockout_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def two_factor_reset(request, pk):
    """The coordinator's admin staff reset someone's two-factor sign-in (a lost phone)."""
    permissions.require_reset_two_factor(request.user)
    person = get_object_or_404(User, pk=pk)
    try:
        services.two_factor_reset(by=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Two-factor sign-in reset for {person.username}: they set it up again the next "
            "time they sign in.",
        )
    return redirect("accounts:people")
