"""In a real browser: a member list of a few thousand rows is imported by the task worker,
and the page's progress bar rises while it runs.

Everything runs as it would in production, on a database of its own: the web server
(``manage.py runserver``) and the task worker (``manage.py db_worker`` of django-tasks-db)
are two processes sharing one SQLite file and one media folder. Django's ``live_server``
cannot serve here: its in-memory test database is out of the worker's reach.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from members.tests.import_files import person, xlsx
from tests.browser.chromium import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
ROWS = 30_000  # enough for the writing to span several of the page's 1-second polls

SETUP = """
from orgs.testing import build_small_tree
from accounts.testing import build_cast
build_cast(build_small_tree())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if kwargs.pop("background", False):
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the web server did not start")


def _progress_values(page, until_testid: str, timeout: float = 240, shot: Path | None = None) -> list[int]:
    """aria-valuenow of the progress bar, sampled until the element ``until_testid`` shows.

    Fails at once, with the errors listed, if the job ends with errors instead.
    """
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.get_by_test_id(until_testid).count():
            return seen
        errors = page.get_by_test_id("errors")
        if errors.count():
            raise AssertionError(f"the import ended with errors: {errors.inner_text()[:2000]}")
        bar = page.get_by_test_id("progress-bar")
        if bar.count():
            try:
                value = int(bar.get_attribute("aria-valuenow", timeout=500))
            except Exception:  # noqa: BLE001 - the fragment was being swapped
                value = None
            if value is not None and (not seen or seen[-1] != value):
                seen.append(value)
                if shot is not None and 0 < value < 100:
                    page.screenshot(path=str(shot))
                    shot = None
        time.sleep(0.15)
    raise AssertionError(f"«{until_testid}» never appeared; progress seen: {seen}")


@pytest.mark.browser
@pytest.mark.slow
def test_a_base_secretary_imports_a_large_list_and_watches_the_progress_bar(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangbo.settings",
        "DANGBO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DANGBO_MEDIA_ROOT": str(tmp_path / "media"),
        "DANGBO_DEBUG": "true",
        "DANGBO_AXES_ENABLED": "false",
        "DANGBO_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", SETUP)
    server = _manage(env, "runserver", f"127.0.0.1:{port}", "--noreload", background=True)
    worker = _manage(env, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload", background=True)
    data = xlsx([person(n, cell="cb-van-phong" if n % 2 else "cb-ngan-sach") for n in range(1, ROWS + 1)])
    try:
        _wait_for(port)
        base = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            # No skip when chromium is missing: launching fails, and so does the test.
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
                page.goto(base + "/tai-khoan/dang-nhap/")
                page.fill("#id_username", "bithu.taichinh")
                page.fill("#id_password", "Mat-khau-thu-2026")
                page.get_by_role("button", name="Đăng nhập").click()
                expect(page.get_by_test_id("current-user")).to_be_visible()

                page.goto(base + "/dang-vien/nhap/")
                page.set_input_files(
                    "#id_file",
                    files=[{"name": "danh-sach.xlsx", "mimeType": "application/octet-stream", "buffer": data}],
                )
                page.get_by_test_id("upload-button").click()
                expect(page.get_by_test_id("import-progress")).to_be_visible()
                checking = _progress_values(page, "preview", shot=ARTIFACTS / "member_import_progress.png")
                expect(page.get_by_test_id("counts")).to_contain_text(f"{ROWS} dòng hợp lệ: {ROWS} đảng viên mới")

                page.get_by_test_id("confirm").click()
                writing = _progress_values(page, "result")
                page.screenshot(path=str(ARTIFACTS / "member_import.png"), full_page=True)
                expect(page.get_by_test_id("result")).to_contain_text(f"{ROWS} đảng viên mới")
            finally:
                browser.close()
    finally:
        for process in (server, worker):
            process.terminate()
            process.wait(timeout=20)

    for phase, values in (("check", checking), ("write", writing)):
        assert values, f"no progress bar seen during the {phase}"
        assert values == sorted(values), f"the {phase} progress went backwards: {values}"
    # The check of the rows can finish between two polls (the .xlsx reader is fast); the
    # bar must still be seen standing part-way at least once during the import.
    assert any(0 < v < 100 for v in checking + writing), f"the progress never stood between 0 and 100: {checking} {writing}"
    count = _manage(env, "shell", "-c", "from members.models import Member; print(Member.objects.count())")
    assert count.stdout.decode().split()[-1] == str(ROWS)
