"""Every environment variable the settings read is documented; production passes --deploy."""

import os
import re
import subprocess
import sys
from pathlib import Path

from motcua.conf import REGISTRY, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def test_every_environment_variable_is_documented():
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_][A-Z0-9_]*)` \|", doc, flags=re.M))
    assert REGISTRY, "settings registered no variable"
    missing = sorted(set(REGISTRY) - documented)
    assert not missing, f"docs/configuration.md lacks: {missing}"


def test_settings_read_the_environment_only_through_the_registry():
    offenders = []
    for path in (ROOT / "src" / "motcua").rglob("*.py"):
        if path.name == "conf.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"os\.environ\.get|os\.getenv|os\.environ\[", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"read the environment via motcua.conf instead: {offenders}"


def test_bad_values_give_clear_errors(monkeypatch):
    monkeypatch.setenv("X_TEST_BOOL", "maybe")
    try:
        env_bool("X_TEST_BOOL", False, "doc")
    except ValueError as exc:
        assert "X_TEST_BOOL" in str(exc)
    else:
        raise AssertionError("expected ValueError")
    monkeypatch.setenv("X_TEST_INT", "ten")
    try:
        env_int("X_TEST_INT", 1, "doc")
    except ValueError as exc:
        assert "X_TEST_INT" in str(exc)
    else:
        raise AssertionError("expected ValueError")
    REGISTRY.pop("X_TEST_BOOL", None)
    REGISTRY.pop("X_TEST_INT", None)


def _motcua(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _motcua(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MOTCUA_ENV="production",
        SECRET_KEY="k" * 20 + "-Zx9!q7@p3#w8$e5%r2^t6&y1*u4(i0)o",
        ALLOWED_HOSTS="motcua.example.gov.vn",
        DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _motcua("check", MOTCUA_ENV="production", DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_json_logs_in_production(tmp_path):
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('motcua.test').warning('xin chào')"
    )
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        MOTCUA_ENV="production",
        SECRET_KEY="s" * 60,
        DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    line = result.stderr.strip().splitlines()[-1]
    import json

    record = json.loads(line)
    assert record["message"] == "xin chào"
    assert record["level"] == "WARNING"
