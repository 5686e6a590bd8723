"""CSV import runs written by `regulars import`: progress, counts and the first rejected rows."""

from django.core.paginator import Paginator

from regulars.commerce.models import ImportRun
from regulars.core.roles import Permission
from regulars.dashboard.views.base import PAGE_SIZE, page, store_view


@store_view(Permission.VIEW)
def import_list(request):
    runs = ImportRun.objects.filter(store=request.store).order_by("-started_at", "-pk")
    page_obj = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request, "dashboard/imports/list.html", {"section": "imports", "page_obj": page_obj}
    )
