"""Production settings pass Django's deployment checks and refuse to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests allow async-unsafe ORM use in the test process; production never does.
    inherited = ("TRAPPEN_", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TRAPPEN_ENV="production",
        SECRET_KEY="p" * 20 + "r0dUct10n-s3cr3t-k3y-w1th-3n0ugh-3ntr0py-XyZ!",
        TRAPPEN_FIELD_KEY=Fernet.generate_key().decode(),
        TRAPPEN_LOOKUP_KEY="lookup-key-for-the-check-only",
        ALLOWED_HOSTS="trappen.example.dk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    result = _manage("check", TRAPPEN_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
