from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def tasks_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def documents_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def matrix_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def programmes_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def conferences_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def coordinations_export(request, **kwargs):
    return render(request, "base.html")


@login_required
def import_tasks(request, **kwargs):
    return render(request, "base.html")


@login_required
def import_template(request, **kwargs):
    return render(request, "base.html")


@login_required
def import_confirm(request, **kwargs):
    return render(request, "base.html")
