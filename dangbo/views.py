from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "home.html", {"organization": request.user.primary_organization()})
