from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_list(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_create(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_detail(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_progress(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_cascade(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_complete(request, **kwargs):
    return render(request, "base.html")


@login_required
def task_cancel(request, **kwargs):
    return render(request, "base.html")


@login_required
def document_list(request, **kwargs):
    return render(request, "base.html")


@login_required
def document_create(request, **kwargs):
    return render(request, "base.html")


@login_required
def document_detail(request, **kwargs):
    return render(request, "base.html")


@login_required
def action_complete(request, **kwargs):
    return render(request, "base.html")


@login_required
def programme_list(request, **kwargs):
    return render(request, "base.html")


@login_required
def programme_create(request, **kwargs):
    return render(request, "base.html")


@login_required
def programme_detail(request, **kwargs):
    return render(request, "base.html")


@login_required
def conference_list(request, **kwargs):
    return render(request, "base.html")


@login_required
def conference_create(request, **kwargs):
    return render(request, "base.html")


@login_required
def conference_detail(request, **kwargs):
    return render(request, "base.html")


@login_required
def key_task_to_task(request, **kwargs):
    return render(request, "base.html")


@login_required
def coordination_list(request, **kwargs):
    return render(request, "base.html")


@login_required
def coordination_create(request, **kwargs):
    return render(request, "base.html")


@login_required
def coordination_detail(request, **kwargs):
    return render(request, "base.html")


@login_required
def coordination_evaluate(request, **kwargs):
    return render(request, "base.html")


@login_required
def file_download(request, **kwargs):
    return render(request, "base.html")
