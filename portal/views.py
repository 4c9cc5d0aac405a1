from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def profile(request):
    return render(request, "portal/profile.html", {"person": request.user})


def placeholder(title):
    """A nav target whose feature has not landed yet: says so instead of a 404."""

    @require_GET
    @login_required
    def view(request):
        return render(request, "portal/placeholder.html", {"title": title})

    return view
