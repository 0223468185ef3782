"""Pages of the member import: upload (with the template), progress, preview, confirm, result.

One page per job (``importjob_detail``) shows whichever step the job is at; while the job
runs, a fragment of it (``importjob_progress``) is polled by htmx. Jobs belong to the
user who uploaded them: anyone else gets 404. Only a user who keeps the member register
somewhere may import (else 403); what each row may touch is decided row by row by
``members.importing`` from the same scope.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from lib.tabular import ACCEPTED_SUFFIXES
from members import tasks
from members.column_mapping import field_choices, mapping_from_post, show_mapping
from members.exporting import XLSX_TYPE, members_import_template
from members.importing import KIND_LABELS
from members.models import ImportJob, ImportJobStatus
from members.permissions import keeps_any_register

MAX_UPLOAD_MB = 100


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh sách đảng viên (.xlsx, .xls hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(_("Chỉ nhận tệp Excel (.xlsx, .xls) hoặc CSV (.csv)."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": MAX_UPLOAD_MB})
        return upload


def _require_keeper(request: HttpRequest) -> None:
    if not keeps_any_register(request.user):
        raise PermissionDenied(_("Bạn không có quyền nhập danh sách đảng viên."))


def _job(request: AuthedRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request: AuthedRequest) -> HttpResponse:
    _require_keeper(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = tasks.job_create(upload=form.cleaned_data["file"], user=request.user)
        tasks.job_start_check(job)
        return redirect("members:importjob_detail", pk=job.pk)
    recent = [tasks.job_detect_interrupted(job) for job in ImportJob.objects.for_user(request.user)[:5]]
    return render(request, "members/import_upload.html", {"form": form, "recent": recent})


@login_required
@require_GET
def member_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(members_import_template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien-7-HSDV.xlsx"'
    return response


# A poll that has not answered after this long is given up, and the next one is sent
# (htmx waits for ever by default, and a request that never answers stops the polling).
POLL_TIMEOUT_MS = 10_000


def _common_options(job: ImportJob) -> list[list[str]]:
    """The options every unanswered question offers alike (the duplicates' update, skip,
    create), when there are two or more: one answer may then be given to all of them."""
    open_questions = job.unanswered
    if len(open_questions) < 2:
        return []
    shared = set.intersection(*({value for value, _label in q["options"]} for q in open_questions))
    return [option for option in open_questions[0]["options"] if option[0] in shared]


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "common_options": _common_options(job),
        "percent": tasks.percent(job),
        "S": ImportJobStatus,
        "poll_timeout_ms": POLL_TIMEOUT_MS,
        "field_choices": field_choices(),
        "kind_labels": {k: str(v) for k, v in KIND_LABELS.items()},
        "can_decide": job.status in (ImportJobStatus.PARSED, ImportJobStatus.INVALID) and bool(job.headers),
        "mapping_open": job.status == ImportJobStatus.INVALID or show_mapping(job.headers),
        "valid_count": job.new_count + job.update_count + job.unchanged_count + job.waiting_count,
    }


@login_required
@require_GET
def importjob_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = tasks.job_detect_interrupted(_job(request, pk))
    return render(request, "members/import_job.html", _job_context(job))


@login_required
@require_GET
def importjob_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The polled fragment; once the job stops running, htmx reloads the whole page.

    It writes nothing (a job found dead aside), so it answers while an import holds the
    database's write lock; while the job runs, the fragment it returns polls again.
    """
    job = tasks.job_detect_interrupted(_job(request, pk))
    response = render(request, "members/import_progress.html", _job_context(job))
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def importjob_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    _require_keeper(request)
    if job.created_by_id != request.user.pk:
        # An administrator reads every job; only the one who uploaded the file writes it.
        raise PermissionDenied(_("Chỉ người tải tệp lên mới ghi được lượt nhập này."))
    if job.status != ImportJobStatus.PARSED:
        messages.error(request, _("Lượt nhập này không ở bước chờ ghi."))
        return redirect("members:importjob_detail", pk=job.pk)
    if job.unanswered:
        messages.error(request, _("Hãy trả lời các câu hỏi phía trên bảng xem trước trước khi ghi."))
        return redirect("members:importjob_detail", pk=job.pk)
    tasks.job_start_write(job)
    job.refresh_from_db()
    if job.status == ImportJobStatus.DONE:
        messages.success(
            request,
            _("Đã ghi %(new)s đảng viên mới, cập nhật %(updated)s đảng viên; %(unchanged)s dòng không thay đổi.")
            % {"new": job.new_count, "updated": job.update_count, "unchanged": job.unchanged_count},
        )
    return redirect("members:importjob_detail", pk=job.pk)


@login_required
@require_POST
def importjob_rerun(request: AuthedRequest, pk: int) -> HttpResponse:
    """Run a failed job again on the file it was given (after a crash, say)."""
    job = tasks.job_detect_interrupted(_job(request, pk))
    _require_keeper(request)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied(_("Chỉ người tải tệp lên mới chạy lại được lượt nhập này."))
    try:
        tasks.job_rerun(job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("members:importjob_detail", pk=job.pk)


@login_required
@require_POST
def importjob_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """The user's column mapping (a select per file column) or answers to the questions; the
    file is checked again with them. A mapping is remembered for the next file with the same headers."""
    job = _job(request, pk)
    _require_keeper(request)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied(_("Chỉ người tải tệp lên mới chọn được cho lượt nhập này."))
    mapping: dict[str, str] | None = None
    answers: dict[str, dict] | None = None
    if request.POST.get("step") == "mapping":
        try:
            mapping = mapping_from_post(request.POST, job.headers)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("members:importjob_detail", pk=job.pk)
    elif request.POST.get("step") == "answers":
        answers = {}
        for i, question in enumerate(job.questions):
            value = request.POST.get(f"q-{i}")
            if value is None:
                continue
            if value not in {option[0] for option in question["options"]}:
                messages.error(request, _("Lựa chọn không hợp lệ cho câu hỏi: %(prompt)s") % {"prompt": question["prompt"]})
                return redirect("members:importjob_detail", pk=job.pk)
            reason = request.POST.get(f"r-{i}", "").strip()
            if value in question["reason_for"] and not reason:
                messages.error(request, _("Hãy ghi lý do cho lựa chọn của câu hỏi: %(prompt)s") % {"prompt": question["prompt"]})
            answers[question["key"]] = {"value": value, "reason": reason[:500]}
        # One answer for every question still open that offers it, unless answered above.
        alike = request.POST.get("all", "")
        if alike:
            if alike not in {value for value, _label in _common_options(job)}:
                messages.error(request, _("Lựa chọn chung không áp dụng được cho các câu hỏi này."))
                return redirect("members:importjob_detail", pk=job.pk)
            reason = request.POST.get("all-reason", "").strip()
            if not reason and any(alike in q["reason_for"] for q in job.unanswered):
                messages.error(request, _("Hãy ghi lý do chung cho lựa chọn này."))
                return redirect("members:importjob_detail", pk=job.pk)
            for question in job.unanswered:
                if question["key"] not in answers:
                    answers[question["key"]] = {"value": alike, "reason": reason[:500]}
    else:
        messages.error(request, _("Không rõ bạn muốn lưu lựa chọn nào."))
        return redirect("members:importjob_detail", pk=job.pk)
    try:
        tasks.job_decide(job, mapping=mapping, answers=answers)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if mapping is not None:
            messages.success(
                request, _("Đã lưu cách ghép cột và kiểm tra lại tệp; lần sau tệp có cùng dòng tiêu đề sẽ được ghép như vậy.")
            )
        else:
            messages.success(request, _("Đã lưu câu trả lời và kiểm tra lại tệp."))
    return redirect("members:importjob_detail", pk=job.pk)
