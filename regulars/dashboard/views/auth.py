"""Sign in (e-mail and password, rate-limited), sign out, and the home redirect."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from regulars.core.roles import Permission
from regulars.core.services import stores_for_user
from regulars.dashboard.forms import EmailAuthenticationForm
from regulars.dashboard.views.base import store_view


class LoginView(auth_views.LoginView):
    template_name = "dashboard/auth/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    """The user's first store, or a page saying they are not staff of any store yet."""
    stores = stores_for_user(request.user)
    if stores:
        return redirect("dashboard:customers", store_slug=stores[0].slug)
    return render(request, "dashboard/auth/no_store.html", {"stores": []})


@store_view(Permission.VIEW)
def store_home(request):
    return redirect("dashboard:customers", store_slug=request.store.slug)
