from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.notifications.services import notifications_mark_read
from accord.partnerships.needs_me import needs_for


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(request.user.notifications.select_related("partnership"), 50).get_page(  # type: ignore[union-attr]
        request.GET.get("page")
    )
    needs = needs_for(request.user)
    return render(request, "notifications/list.html", {"page": page, "needs": needs})


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notification_list")
