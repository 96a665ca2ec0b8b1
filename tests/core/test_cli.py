"""The ``motcua`` console command: Django's commands under one name, errors in one line."""

import os
import subprocess
import sys

import pytest


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(DATA_DIR=str(data), MOTCUA_ENV="development")
    result = _run(environment, "migrate", "-v", "0")
    assert result.returncode == 0, result.stderr
    return environment


def _run(environment, *args):
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_hyphenated_names_reach_the_django_command(env):
    result = _run(env, "import-divisions", "-v", "0")
    assert result.returncode == 0, result.stderr
    assert "3355 thêm mới" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["due-date", "--received", "hôm qua", "--limit", "3 working days"],
        ["due-date", "--received", "2026-02-13 16:20", "--limit", "-3 working days"],
        [
            "due-date",
            "--agency",
            "000.99.99.H99",
            "--received",
            "2026-02-13 16:20",
            "--limit",
            "3 working days",
        ],
        ["import-procedures", "/nonexistent/folder"],
        ["demo-catalogue", "--no-such-option"],
    ],
)
def test_bad_input_gives_one_clear_line_and_a_non_zero_exit(env, args):
    result = _run(env, *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "an error message is expected"
    assert len(lines[-1]) > 10
