"""The HTTP harness of the server benchmarks: the production server (gunicorn) on a free
local port, client threads with keep-alive connections, bearer tokens for the run, and
latency percentiles. Shared by ``bench_intake.py`` and ``bench_queue.py``."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import generate_dossiers as gen


def percentiles(seconds: list[float]) -> dict:
    """p50/p95/p99/mean/max in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    if len(ms) < 2:
        value = ms[0] if ms else float("nan")
        return dict.fromkeys(("p50", "p95", "p99", "mean", "max"), value)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "mean": statistics.fmean(ms),
        "max": ms[-1],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The production server (gunicorn) on 127.0.0.1, production settings over plain HTTP."""

    def __init__(self, url: str, *, workers: int = 2, worker_class: str = "gthread",
                 threads: int = 4) -> None:  # fmt: skip
        self.url, self.workers = url, workers
        self.worker_class, self.threads = worker_class, threads
        self.port = free_port()
        self.host = "127.0.0.1"
        self.folder = Path(tempfile.mkdtemp(prefix="motcua-bench-server-"))
        self.log = self.folder / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def executable() -> str | None:
        beside = Path(sys.executable).parent / "gunicorn"
        return str(beside) if beside.exists() else shutil.which("gunicorn")

    def describe(self) -> str:
        kind = self.worker_class + (
            f" × {self.threads} threads" if self.worker_class == "gthread" else ""
        )
        return f"gunicorn {self.workers} workers ({kind}) on http://{self.host}:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        exe = self.executable()
        if exe is None:
            raise RuntimeError("gunicorn is not installed: .venv/bin/pip install gunicorn==27.0.1")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "MOTCUA_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": self.host,
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DEBUG": "false",
            "DATABASE_URL": self.url,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(gen.ROOT / "src"),
        }
        command = [exe, "motcua.wsgi:application", "--bind", f"{self.host}:{self.port}"]
        command += ["--workers", str(self.workers), "--worker-class", self.worker_class]
        if self.worker_class == "gthread":
            command += ["--threads", str(self.threads)]
        command += ["--keep-alive", "30", "--timeout", "60", "--graceful-timeout", "5"]
        command += ["--log-level", "warning", "--error-logfile", str(self.log)]
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start-up:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"the server did not answer /healthz in {timeout:.0f} s\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop the master, then anything left in its process group (its workers)."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the group we started
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Server:
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def issue_tokens(usernames: list[str], name: str) -> dict[str, str]:
    """A bearer token per user (``accounts.tokens.issue_token``), named ``name``."""
    from django.contrib.auth import get_user_model

    from motcua.accounts.tokens import issue_token

    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    missing = sorted(set(usernames) - set(users))
    if missing:
        raise RuntimeError(f"no such users: {', '.join(missing)} (run `motcua demo-org`)")
    return {username: issue_token(users[username], name) for username in usernames}


def revoke_tokens(name: str) -> None:
    from motcua.accounts.models import ApiToken

    ApiToken.objects.filter(name=name).delete()


def run_clients(host: str, port: int, requests: list, clients: int, seconds: float,
                think: float = 0.0):  # fmt: skip
    """Send ``requests`` [(method, path, body, headers)] from ``clients`` threads with keep-alive
    connections; each thread takes the next request until none is left or time is up, waiting
    ``think`` seconds after each answer (a person reading the page). Returns [(start, end,
    status)] and the wall time."""
    counter = itertools.count()
    results: list[tuple[float, float, object]] = []
    start_line = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        start_line.wait()
        while True:
            i = next(counter)
            if i >= len(requests) or time.perf_counter() > deadline[0]:
                break
            method, path, body, headers = requests[i]
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status: object = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            results.append((began, time.perf_counter(), status))
            if think:
                time.sleep(think)
        conn.close()

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def describe_statuses(results) -> str:
    counts: dict[object, int] = {}
    for _s, _e, status in results:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{k} × {v:,}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
