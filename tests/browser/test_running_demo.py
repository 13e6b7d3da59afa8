"""The real demo, end to end: `scripts/demo.sh` (what `make demo` runs after setting up) migrates
a fresh SQLite file, seeds a small synthetic municipality with the demo users, starts gunicorn
and the task worker; then Chromium logs in as every demo user from the login page's list and
sees that user's start page.

Unlike test_demo_logins.py (factories, Django's live server), nothing here is built by the test:
the users, their data and the server are the demo's own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from trappen.core.synthetic.demo_users import DEMO_USERS

from .start_pages import START_HEADINGS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
STARTUP_LIMIT_S = 240  # migrate, seed, and on a fresh clone collectstatic (about 30 s)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def running_demo(tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    port = _free_port()
    inherited = ("TRAPPEN_", "DATABASE_URL", "DJANGO_", "DEMO_", "SECRET_KEY")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'demo.sqlite3'}",
        DEMO_CHILDREN="1500",
        DEMO_YEARS="2",
        PORT=str(port),
        WORKERS="1",
    )
    log_path = work / "demo.log"
    with log_path.open("w") as log:
        demo = subprocess.Popen(  # noqa: S603 - our own script
            [str(REPO / "scripts" / "demo.sh")],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while not _answers(f"{url}/healthz"):
            if demo.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the demo did not start:\n{log_path.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(demo.pid, signal.SIGINT)  # as Ctrl-C: the script stops gunicorn and the worker
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()


def test_make_demo_logs_in_every_demo_user_to_their_start_page(page, running_demo):
    assert {u.role for u in DEMO_USERS} == set(START_HEADINGS), "a demo user for every role"
    for demo_user in DEMO_USERS:
        page.goto(f"{running_demo}/login/")
        expect(page.get_by_text("Demo – alle personer er fiktive")).to_be_visible()
        page.locator(f'button[data-username="{demo_user.username}"]').click()
        page.wait_for_url(f"{running_demo}/")
        heading = page.get_by_role("heading", level=2, name=START_HEADINGS[demo_user.role])
        expect(heading).to_be_visible()
        expect(page.locator(".portal-user")).to_contain_text(demo_user.role.label)
        page.locator(".portal-user").get_by_role("button", name="Log af").click()
        page.wait_for_url(f"{running_demo}/login/")
    assert page.problems == []
