"""The home page, the error pages and the favicon."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control

from accounts.http import AuthedRequest
from dangbo.home import dashboard_organization, own_record, working_lists
from targets.views import dashboard_context


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    organization = dashboard_organization(request.user)
    if organization is not None:
        context = dashboard_context(request.user, organization)
        context.update(working_lists=working_lists(request.user), is_home=True)
        return render(request, "targets/dashboard.html", context)
    context = {
        "organization": request.user.primary_organization(),
        "working_lists": working_lists(request.user),
        "own_record": own_record(request.user),
    }
    return render(request, "home.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent from a stale page (or another site), in Vietnamese."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the site's page with its navigation when the request still renders,
    else the same page without it (the error may lie in what the navigation needs)."""
    template = loader.get_template("500.html")
    try:
        body = template.render({}, request)
    except Exception:  # the page for an error must not fail on a second one
        logging.getLogger("django.request").exception("Rendering 500.html with the request failed")
        body = template.render({})
    return HttpResponseServerError(body)


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask ``/favicon.ico`` whatever the page links: point them to the SVG."""
    return HttpResponseRedirect(static("img/favicon.svg"))
