"""While an import holds SQLite's write lock, other users' pages and the progress poll answer.

As in production, on a database file of its own: ``manage.py runserver`` serves it, and
this test holds the lock a long import's write transaction holds (``BEGIN IMMEDIATE`` on
its own connection) while it makes the requests. SQLite in WAL mode lets readers read
meanwhile; any request that wrote (a session saved on every request did) would wait for
the lock and fail after the busy timeout (400).
"""

from __future__ import annotations

import http.client
import os
import sqlite3
from contextlib import closing

import pytest
from django.urls import reverse

from tests.browser.test_member_import import _free_port, _manage, _wait_for

SETUP = """
import datetime as dt
from django.test import Client
from django.utils import timezone
from orgs.testing import build_small_tree
from accounts.testing import build_cast
from members.models import ImportJob
cast = build_cast(build_small_tree())
job = ImportJob.objects.create(
    created_by=cast.base, filename="ds.xlsx", file="imports/ds.xlsx", status="writing",
    background=True, total=200, processed=100, heartbeat_at=timezone.now() + dt.timedelta(hours=1),
)
client = Client()
client.force_login(cast.base)
print(job.pk, client.cookies["sessionid"].value)
"""


def _get(port: int, path: str, session: str, **headers: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={session}", **headers})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.slow
def test_pages_and_the_progress_poll_answer_while_another_connection_holds_the_write_lock(tmp_path):
    db = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dangbo.settings",
        "DANGBO_SQLITE_PATH": str(db),
        "DANGBO_MEDIA_ROOT": str(tmp_path / "media"),
        "DANGBO_DEBUG": "true",
        "DANGBO_AXES_ENABLED": "false",
        "DANGBO_REQUIRE_2FA_FOR_STAFF": "false",
    }
    env.pop("DATABASE_URL", None)
    _manage(env, "migrate", "--noinput")
    job_id, session = _manage(env, "shell", "-c", SETUP).stdout.decode().split()[-2:]
    port = _free_port()
    server = _manage(env, "runserver", f"127.0.0.1:{port}", "--noreload", background=True)
    pages = [reverse("home"), reverse("members:member_list"), reverse("members:importjob_detail", args=[job_id])]
    poll = reverse("members:importjob_progress", args=[job_id])
    try:
        _wait_for(port)
        assert _get(port, pages[0], session) == 200  # logged in, before the lock
        # The writer waits until it gets the lock: right after answering, the server closes
        # its connection, and closing the last connection to a WAL database checkpoints it
        # under a brief exclusive lock (on a loaded machine a zero timeout met it).
        with closing(sqlite3.connect(db, isolation_level=None, timeout=60)) as writer:
            writer.execute("BEGIN IMMEDIATE")  # what the import's write transaction holds
            try:
                answers = {path: _get(port, path, session) for path in pages}
                answers[poll] = _get(port, poll, session, **{"HX-Request": "true"})
            finally:
                writer.execute("ROLLBACK")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert answers == dict.fromkeys([*pages, poll], 200)
