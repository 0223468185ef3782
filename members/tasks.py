"""Running a member import as a job: check the file, show a preview, then write all or none.

Every upload becomes an ``ImportJob``. A small file is checked (and later written) within
the request; a large one by a django-tasks task in the worker (``manage.py db_worker``),
while the page polls the job for its progress. The check and the write are the same
functions either way (``members.importing``).

Progress lives in the job row while the file is read and checked. While the rows are
written, the writer holds one transaction, and on SQLite no other connection may write
meanwhile: that phase's progress goes to a small file beside the upload
(``<upload>.progress``) which the page reads instead.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django_tasks import task

from lib.importer import ImportRefused, ParseResult
from lib.tabular import TabularError, read_rows
from members.importing import count_kinds, members_import, members_parse, preview_rows
from members.models import ImportJob
from members.models import ImportJobStatus as S

logger = logging.getLogger(__name__)

# Files estimated above this many rows run in the background (settings may lower it).
SYNC_MAX_ROWS = 2000
PREVIEW_ROWS = 20
KEPT_ERRORS = 1000  # the engine keeps at most this many; the count says how many more


def sync_max_rows() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS))


def estimate_rows(path: str | Path, filename: str) -> int:
    """Data rows in the file, roughly: what the sheet declares, or a guess from its size."""
    try:
        reader = read_rows(str(path), filename)
    except TabularError:
        return 0  # checked at once: the parse reports what is wrong
    estimate = reader.estimated_rows
    del reader
    if estimate:
        return max(estimate - 1, 0)
    size = Path(path).stat().st_size
    per_row = 60 if str(filename).lower().endswith((".xlsx", ".xlsm")) else 150
    return size // per_row


def job_create(*, upload: UploadedFile, user: Any) -> ImportJob:
    """Store the upload under MEDIA_ROOT/imports/ and decide whether it runs in the background."""
    job = ImportJob(created_by=user, filename=Path(upload.name or "tep").name[:255])
    job.file.save(job.filename, upload, save=False)
    job.total = estimate_rows(job.file.path, job.filename)
    job.background = job.total > sync_max_rows()
    job.save()
    return job


def job_start_check(job: ImportJob) -> None:
    """Check the file now (small) or in the worker (large)."""
    if job.background:
        import_check_task.enqueue(job.pk)
    else:
        job_check(job)


def job_start_write(job: ImportJob) -> None:
    job.status = S.WRITING
    job.processed = 0
    job.save(update_fields=["status", "processed"])
    if job.background:
        import_write_task.enqueue(job.pk)
    else:
        job_write(job)


# --- progress -----------------------------------------------------------------------------


def _progress_file(job: ImportJob) -> Path:
    return Path(job.file.path + ".progress")


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(done, total) of the phase running now; total is never 0."""
    done, total = job.processed, job.total
    if job.status == S.WRITING:
        try:
            text = _progress_file(job).read_text()
            done, total = (int(x) for x in text.split())
        except (OSError, ValueError):
            pass
    total = max(total, done, 1)
    return done, total


def percent(job: ImportJob) -> int:
    if job.status in (S.PARSED, S.INVALID, S.DONE, S.FAILED):
        return 100
    done, total = progress_of(job)
    return min(100, done * 100 // total)


def _row_reporter(job: ImportJob, *, offset: int = 0, scale: int = 1):
    """Progress of reading the file, into the job row (no transaction is open then)."""

    def report(done: int, estimate: int | None) -> None:
        rows = max(estimate or 0, job.total // scale, done)
        ImportJob.objects.filter(pk=job.pk).update(processed=offset + done, total=rows * scale)

    return report


def _file_reporter(job: ImportJob, *, offset: int, scale: int):
    """Progress of writing, beside the upload: the job row is out of reach inside the transaction."""
    path = _progress_file(job)

    def report(done: int, total: int | None) -> None:
        total = total or 1
        path.write_text(f"{offset + done} {max(total * scale, offset + done)}")

    return report


# --- the two steps ------------------------------------------------------------------------


def _finish(job: ImportJob, result: ParseResult, status: str) -> None:
    job.row_count = result.total
    job.error_count = result.error_count
    job.errors = result.messages()[: KEPT_ERRORS + 1]
    job.warnings = list(result.warnings)
    job.status = status
    if status in (S.DONE, S.FAILED):
        job.finished_at = timezone.now()


def job_check(job: ImportJob) -> ImportJob:
    """Read and check the whole file; the job ends PARSED (with a preview and counts) or INVALID."""
    ImportJob.objects.filter(pk=job.pk).update(status=S.PARSING, processed=0)
    job.refresh_from_db()
    try:
        with job.file.open("rb") as handle:
            result = members_parse(handle, job.filename, user=job.created_by, progress=_row_reporter(job))
        _finish(job, result, S.PARSED if result.ok else S.INVALID)
        job.new_count, job.update_count = count_kinds(result)
        job.preview = preview_rows(result, PREVIEW_ROWS)
        job.processed = job.total = max(result.total, 1)
    except Exception:
        logger.exception("member import %s: the check failed", job.pk)
        job.status = S.FAILED
        job.errors = ["Lỗi hệ thống khi kiểm tra tệp; không có gì được ghi. Hãy báo cho quản trị viên."]
        job.finished_at = timezone.now()
    job.save()
    return job


def job_write(job: ImportJob) -> ImportJob:
    """Check the file again (the register may have changed since the preview), then write all rows or none."""
    job.refresh_from_db()
    estimate = max(job.row_count, 1)
    ImportJob.objects.filter(pk=job.pk).update(status=S.WRITING, processed=0, total=2 * estimate)
    job.refresh_from_db()
    progress_file = _progress_file(job)
    try:
        with job.file.open("rb") as handle:
            result = members_parse(handle, job.filename, user=job.created_by, progress=_row_reporter(job, scale=2))
        progress_file.write_text(f"{result.total} {2 * max(result.total, 1)}")
        if not result.ok:
            _finish(job, result, S.INVALID)
        else:
            reporter = _file_reporter(job, offset=result.total, scale=2)
            summary = members_import(
                parsed=result,
                user=job.created_by,
                progress=reporter,
                reason=f"Nhập từ tệp «{job.filename}»",
            )
            _finish(job, result, S.DONE)
            job.new_count, job.update_count, job.unchanged_count = summary.created, summary.updated, summary.unchanged
        job.processed = job.total = 2 * max(result.total, 1)
    except ImportRefused as exc:
        _finish(job, exc.result, S.FAILED)
    except Exception:
        logger.exception("member import %s: the write failed", job.pk)
        job.status = S.FAILED
        job.errors = ["Lỗi hệ thống khi ghi; không dòng nào được ghi. Hãy báo cho quản trị viên."]
        job.finished_at = timezone.now()
    finally:
        progress_file.unlink(missing_ok=True)
    job.save()
    return job


@task()
def import_check_task(job_id: int) -> str:
    job = job_check(ImportJob.objects.select_related("created_by").get(pk=job_id))
    return job.status


@task()
def import_write_task(job_id: int) -> str:
    job = job_write(ImportJob.objects.select_related("created_by").get(pk=job_id))
    return job.status
