import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tact.core.models import Job


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "core/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Internal error.")}, status=500)
    return render(request, "core/500.html", status=500)


def _visible_job(request: HttpRequest, job_id: uuid.UUID) -> Job:
    job = Job.objects.filter(pk=job_id).first()
    user = request.user
    if job is None or not (user.is_staff or (job.owner_id is not None and job.owner_id == user.pk)):
        raise Http404(_("No such job."))
    return job


@login_required
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A job's progress; the page polls job_status until the job is finished."""
    return render(request, "core/jobs/detail.html", {"job": _visible_job(request, job_id)})


@login_required
def job_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _visible_job(request, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "id": str(job.pk),
                "status": job.status,
                "progress": job.progress,
                "message": job.message,
                "error": job.error,
                "result_url": job.result_url,
            }
        )
    return render(request, "core/jobs/_status.html", {"job": job})


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.all() if request.user.is_staff else Job.objects.filter(owner=request.user)
    return render(request, "core/jobs/list.html", {"jobs": jobs.select_related("owner")[:100]})
