"""The inbox (收件箱) and notification preferences: every signed-in person's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm

PAGE_SIZE = 30


@require_GET
@login_required
def inbox(request):
    page = Paginator(selectors.inbox_list(reader=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(request)},
    )


@require_GET
@login_required
def notification_open(request, pk: int):
    """Mark read and go where it points; without a link, show it here."""
    notification = services.notification_open(reader=request.user, pk=pk)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return render(request, "notifications/detail.html", {"notification": notification})


@require_POST
@login_required
def mark_all_read(request):
    count = services.notifications_mark_all_read(reader=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request):
    rows = selectors.preference_rows(person=request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(person=request.user, enabled=form.enabled())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    table = [
        {
            **row,
            "cells": [
                {**cell, "field": form[cell["name"]] if cell["name"] in form.fields else None}
                for cell in row["cells"]
            ],
        }
        for row in rows
    ]
    return render(request, "notifications/preferences.html", {"form": form, "table": table})
