from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orgs.models import Organization


@login_required
def tree(request: HttpRequest, code: str = "") -> HttpResponse:
    roots = Organization.objects.for_user(request.user).active().order_by("path")[:50]
    return render(request, "orgs/tree.html", {"roots": roots})
