"""Real processes for the fault tests (docs/resilience.md): a throwaway redis-server that a
test may stop and start again, Celery workers and app servers in fresh interpreters on the
test database (sending their e-mail to tests/smtp_server.py), a small HTTP client with
cookies, and the switch that makes this process queue its tasks on a broker, as production
does, rather than run them where they are queued.

Each is started once per test module (the sweep fault tests' workers, once per test) and
stopped at its end, before the test database is dropped. Nothing here stops the shared Redis
on 6379."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.processes import ROOT, UNSET

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    """Poll until `condition()` is true (its value is returned) or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop(process: subprocess.Popen, *, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


# --- Redis ----------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on a free port, keeping nothing on disk; stop() and start()
    it as an outage would."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, what=f"redis-server on port {self.port}")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


# --- the broker this process queues its tasks on ---------------------------------------------


@contextlib.contextmanager
def publishing_to(broker_url: str, **conf):
    """While in it, this process queues its tasks on the broker at `broker_url`, as the app
    does in production (the test settings run each task where it is queued), with any other
    Celery settings given; each is put back afterwards."""
    from celery import current_app

    changed = {"task_always_eager": False, "broker_url": broker_url, **conf}
    saved = {key: current_app.conf[key] for key in changed}
    current_app.conf.update(changed)
    reset_connection_pool()
    try:
        yield
    finally:
        current_app.conf.update(saved)
        reset_connection_pool()


def reset_connection_pool() -> None:
    """Drop the connection and producer pools, so the next task opens fresh connections to
    the broker configured now."""
    from celery import current_app

    current_app._pool = None
    current_app.amqp._producer_pool = None


def minutely_beat_task():
    """The task beat queues every minute (the outbox's sender)."""
    from caspa.celery import app

    [name] = [
        e["task"]
        for e in app.conf.beat_schedule.values()
        if isinstance(e["schedule"], int | float) and e["schedule"] <= 60
    ]
    return app.tasks[name]


def result_of(queued, results_url: str, *, timeout: float = 60):
    """Wait for a task queued on the broker to be run by a worker; its return value."""
    from celery.backends.redis import RedisBackend
    from celery.result import AsyncResult

    from caspa.celery import app

    backend = RedisBackend(app=app, url=results_url)
    return AsyncResult(queued.id, backend=backend, app=app).get(timeout=timeout)


# --- workers and app servers on the test database --------------------------------------------


def environment(*, broker: str, smtp_port: int, **extra) -> dict:
    """The environment of a worker or app process: the test run's own database (the test
    database pytest-django made), the broker and mail server given."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    base = {k: v for k, v in os.environ.items() if k not in UNSET}
    return {
        **base,
        "DJANGO_ENV": "test",
        "DATABASE_URL": database_url,
        "REDIS_URL": broker,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@dataclass
class Process:
    """A process started here, its output in a log file a test can read."""

    name: str
    args: list[str]
    env: dict
    log_path: Path
    ready_when: str
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, *, timeout: float = 60) -> "Process":
        return self.launch().wait_until_ready(timeout=timeout)

    def launch(self) -> "Process":
        """Start it without waiting (start several, then wait for each)."""
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        return self

    def wait_until_ready(self, *, timeout: float = 60) -> "Process":
        wait_for(self._ready, timeout=timeout, what=f"{self.name} to be ready")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.output()[-3000:]}")
        return self.ready_when in self.output()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: nothing runs after it, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None
            self.log.close()


def celery_worker(name: str, env: dict, log_dir: Path, *, results: str | None = None) -> Process:
    """A Celery worker, one task at a time, as deployed (caspa/celery.py). Given `results` (a
    Redis URL), it keeps its tasks' results there, so that a test can wait for each."""
    return Process(
        name=name,
        args=[
            str(BIN / "celery"),
            "-A",
            "caspa",
            *([f"--result-backend={results}"] if results else []),
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        log_path=log_dir / f"{name}.log",
        ready_when=" ready.",
    )


# The test settings run tasks in-process when queued (caspa/settings.py); an app server here
# queues them on the broker, as it does in production.
GUNICORN_CONFIG = """
def post_worker_init(worker):
    from caspa.celery import app
    app.conf.task_always_eager = False
"""


@dataclass
class AppServer(Process):
    port: int = 0

    def wait_until_ready(self, *, timeout: float = 60) -> "AppServer":
        super().wait_until_ready(timeout=timeout)
        wait_for(self.answers, timeout=timeout, what=f"{self.name} to answer on {self.port}")
        return self

    def answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", "/")
            connection.getresponse().read()
            return True
        except OSError:
            return False


def app_server(name: str, port: int, env: dict, log_dir: Path, *, threads: int) -> AppServer:
    """The app under gunicorn on 127.0.0.1:`port`: one process of `threads` threads, queueing
    its tasks on the broker."""
    config = log_dir / "gunicorn_config.py"
    config.write_text(GUNICORN_CONFIG)
    return AppServer(
        name=name,
        args=[
            str(BIN / "gunicorn"),
            "caspa.wsgi",
            f"--config={config}",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--timeout=120",
            "--access-logfile=-",
        ],
        env=env,
        log_path=log_dir / f"{name}.log",
        ready_when="Booting worker",
        port=port,
    )


# --- HTTP with cookies ------------------------------------------------------------------------

# Django accepts an unmasked secret as both the CSRF cookie and the form's token.
CSRF_SECRET = "faulttests" + "x" * 22


@dataclass
class Browser:
    """One signed-in browser: its cookies (the session's, CSRF's, messages') sent with each
    request, and any the server sets kept."""

    port: int
    cookies: dict

    @classmethod
    def signed_in(cls, port: int, user) -> "Browser":
        from django.test import Client

        client = Client()
        client.force_login(user)  # a session row in the (committed) test database
        return cls(port, {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_SECRET})

    def request(self, method: str, path: str, data: dict | None = None):
        body = urlencode({**data, "csrfmiddlewaretoken": CSRF_SECRET}) if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers.get("Location", ""), text

    def post_then_follow(self, path: str, data: dict):
        """POST, and when it redirects, the page it leads to (where its message is shown)."""
        status, location, text = self.request("POST", path, data)
        if status != 302:
            return status, location, text
        _, _, page = self.request("GET", location)
        return status, location, page
