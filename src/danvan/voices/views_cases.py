from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from danvan.core.errors import NotFound

from . import queries


@login_required
def matter_detail(request, matter_id: int):
    try:
        matter = queries.get_matter(request.user, matter_id)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "voices/matter_detail.html", {"matter": matter})
