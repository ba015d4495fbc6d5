from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts import permissions, selectors, services
from accounts.forms import SignInForm


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
        return super().form_valid(form)


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
    return render(request, "accounts/people.html", {"people": selectors.people_by_agency()})
