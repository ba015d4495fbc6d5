"""`make demo` as a user runs it: on another port its e-mails link to that port, `make
demo-reset` starts again from an empty database, and setting up says what it is doing. The
Makefile is read with `make -n` (it prints the commands it would run, running none), and the
settings those commands give are loaded in a process of their own, as the demo would."""

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Each line of the lock that pins a package ("name==version"; the others are comments).
APP_PACKAGES = sum(
    1 for line in (ROOT / "requirements" / "app.lock").read_text().splitlines() if "==" in line
)

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")

# What a user's shell would not have set, and what the test run itself sets.
NOT_THE_USERS = (
    "SITE_URL",
    "PORT",
    "SQLITE_PATH",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ENV",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
)


def users_environment(**variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NOT_THE_USERS}
    return env | variables


def make(*args: str, env: dict[str, str] | None = None, check: bool = True):
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=env or users_environment(),
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


def planned(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """The commands `make -n` would run, one a line."""
    return make("-n", *args, env=env).stdout.splitlines()


def manage_py(commands: list[str], name: str) -> str:
    (line,) = [line for line in commands if f"manage.py {name}" in line]
    return line


def environment_of(command: str) -> dict[str, str]:
    """The VARIABLE=value words that open a shell command."""
    assignments = {}
    for word in shlex.split(command):
        name, is_assignment, value = word.partition("=")
        if not is_assignment or not name.isidentifier():
            break
        assignments[name] = value
    return assignments


EMAIL_LINKS = """
import django, json
django.setup()
from django.conf import settings
from django.urls import reverse
from referrals.models import Referral
from referrals.notices import link_to
print(json.dumps({
    "referral": link_to(Referral(pk=12)),
    "action": settings.SITE_URL.rstrip("/") + reverse("actions:detail", args=[284]),
    "message_id_domain": settings.OUTBOX_MESSAGE_ID_DOMAIN,
}))
"""


def email_links_under(environment: dict[str, str]) -> dict[str, str]:
    """The links an e-mail written under the settings of that environment carries."""
    env = users_environment(DJANGO_SETTINGS_MODULE="caspa.settings") | environment
    done = subprocess.run(
        [sys.executable, "-c", EMAIL_LINKS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_on_another_port_the_demo_serves_there_and_its_emails_link_there():
    commands = planned("demo", "PORT=8101")
    for name in ("migrate", "seed_demo", "runserver"):
        environment = environment_of(manage_py(commands, name))
        assert environment["DJANGO_ENV"] == "demo"
        assert environment["SITE_URL"] == "http://127.0.0.1:8101"
    runserver = manage_py(commands, "runserver")
    assert runserver.endswith("runserver --noreload 127.0.0.1:8101")
    assert 'echo "CASPA demo on http://127.0.0.1:8101/' in "\n".join(commands)

    links = email_links_under(environment_of(runserver))
    assert links["referral"] == "http://127.0.0.1:8101/referrals/12/"
    assert links["action"].startswith("http://127.0.0.1:8101/actions/")
    assert links["message_id_domain"] == "127.0.0.1"


def test_port_from_the_environment_as_the_readme_writes_it():
    commands = planned("demo", env=users_environment(PORT="8080"))
    runserver = manage_py(commands, "runserver")
    assert runserver.endswith("127.0.0.1:8080")
    assert environment_of(runserver)["SITE_URL"] == "http://127.0.0.1:8080"


def test_a_site_url_given_wins_over_the_port():
    commands = planned(
        "demo", env=users_environment(PORT="8101", SITE_URL="https://caspa-demo.example.org")
    )
    runserver = manage_py(commands, "runserver")
    assert runserver.endswith("127.0.0.1:8101")
    links = email_links_under(environment_of(runserver))
    assert links["referral"] == "https://caspa-demo.example.org/referrals/12/"
    assert links["message_id_domain"] == "caspa-demo.example.org"


def test_by_default_the_demo_and_its_emails_are_on_port_8000():
    runserver = manage_py(planned("demo"), "runserver")
    assert runserver.endswith("127.0.0.1:8000")
    assert email_links_under(environment_of(runserver))["referral"].startswith(
        "http://127.0.0.1:8000/"
    )


def test_demo_reset_deletes_the_demos_database_then_seeds_and_runs_it_afresh():
    commands = planned("demo-reset", "PORT=8101")
    (delete,) = [i for i, line in enumerate(commands) if line.startswith("rm -f ")]
    deleted = shlex.split(commands[delete])[2:]
    assert "var/caspa.sqlite3" in deleted
    database = environment_of(manage_py(commands, "migrate"))["SQLITE_PATH"]
    assert database == "var/caspa.sqlite3"
    migrate = commands.index(manage_py(commands, "migrate"))
    seed = commands.index(manage_py(commands, "seed_demo"))
    runserver = commands.index(manage_py(commands, "runserver"))
    assert delete < migrate < seed < runserver


def test_demo_reset_deletes_a_database_elsewhere_when_told_where_it_is():
    commands = planned("demo-reset", env=users_environment(SQLITE_PATH="/tmp/elsewhere.sqlite3"))
    (delete,) = [line for line in commands if line.startswith("rm -f ")]
    assert "/tmp/elsewhere.sqlite3" in shlex.split(delete)
    migrate = environment_of(manage_py(commands, "migrate"))
    assert migrate["SQLITE_PATH"] == "/tmp/elsewhere.sqlite3"


def test_on_a_fresh_machine_each_setup_step_of_the_demo_says_what_it_is_doing():
    said = [line for line in planned("--always-make", "demo") if "==>" in line]
    steps = " / ".join(said)
    for words in (
        "Creating the virtual environment",
        f"Installing {APP_PACKAGES} Python packages",
        "Installing the npm packages",
        "Building the styles",
        "Migrating the demo database",
        "Seeding fictional demo data",
    ):
        assert words in steps


FAKE_PIP = """#!/bin/sh
if [ "$2" = ensurepip ]; then touch "$(dirname "$0")/pip"; exit 0; fi
touch "$(dirname "$0")/pip-ran"
echo "Looking in indexes: https://pypi.org/simple"
echo "Collecting amqp==5.4.2 (from -r requirements/app.lock (line 1))"
echo "  Downloading amqp-5.4.2-py3-none-any.whl (50 kB)"
echo "Processing /opt/pypi/files/six-1.17.0-py2.py3-none-any.whl (from -r requirements/app.lock)"
echo "Collecting django==5.2.19 (from -r requirements/app.lock (line 38))"
if [ -n "$FAKE_PIP_FAILS" ]; then
  echo "ERROR: No matching distribution found for django==5.2.19"; exit 1
fi
echo "Installing collected packages: amqp, six, django"
echo "Successfully installed amqp-5.4.2 django-5.2.19 six-1.17.0"
"""

FAKE_UV = """#!/bin/sh
if [ -n "$FAKE_UV_FAILS" ]; then
  echo "error: Failed to fetch: https://pypi.org/simple/amqp/"; exit 2
fi
echo "Resolved 3 packages in 0.4s"
echo "Installed 3 packages in 30ms"
echo " + amqp==5.4.2"
"""


@pytest.fixture
def fake_venv(tmp_path):
    """A virtual environment whose python stands in for pip, and its uv for uv, each saying
    what they say."""
    (tmp_path / "bin").mkdir()
    for name, script in (("python", FAKE_PIP), ("uv", FAKE_UV)):
        (tmp_path / "bin" / name).write_text(script)
        (tmp_path / "bin" / name).chmod(0o755)
    (tmp_path / ".created").touch()
    return tmp_path


def install_app_packages(venv, **variables):
    return make(f"VENV={venv}", f"{venv}/.app", env=users_environment(**variables), check=False)


def test_installing_the_python_packages_with_pip_shows_each_package_as_it_comes(fake_venv):
    done = install_app_packages(fake_venv, USE_UV="0")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        f"==> Installing {APP_PACKAGES} Python packages from requirements/app.lock"
    )
    assert lines[1:] == [
        "    amqp==5.4.2",
        "    six-1.17.0-py2.py3-none-any.whl",
        "    django==5.2.19",
    ]
    assert (fake_venv / ".app").exists()
    assert (fake_venv / "bin" / "pip").exists()  # the venv is made without pip: put in first


def test_when_pip_fails_the_demo_stops_and_says_why(fake_venv):
    done = install_app_packages(fake_venv, USE_UV="0", FAKE_PIP_FAILS="1")
    assert done.returncode != 0
    assert "ERROR: No matching distribution found for django==5.2.19" in done.stdout
    assert not (fake_venv / ".app").exists()  # the next make demo tries again


def test_uv_installs_the_packages_when_it_is_there_and_says_so(fake_venv):
    done = install_app_packages(fake_venv)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1:] == [
        "Resolved 3 packages in 0.4s",
        "Installed 3 packages in 30ms",
        " + amqp==5.4.2",
    ]
    assert not (fake_venv / "bin" / "pip-ran").exists()
    assert not (fake_venv / "bin" / "pip").exists()
    assert (fake_venv / ".app").exists()


def test_when_uv_fails_pip_installs_the_packages(fake_venv):
    done = install_app_packages(fake_venv, FAKE_UV_FAILS="1")
    assert done.returncode == 0
    said = done.stdout
    assert "error: Failed to fetch" in said
    assert "uv could not install them: pip will\n    amqp==5.4.2\n" in said
    assert (fake_venv / "bin" / "pip-ran").exists()
    assert (fake_venv / ".app").exists()


def test_when_uv_and_pip_both_fail_the_demo_stops(fake_venv):
    done = install_app_packages(fake_venv, FAKE_UV_FAILS="1", FAKE_PIP_FAILS="1")
    assert done.returncode != 0
    assert not (fake_venv / ".app").exists()


def test_the_readme_opens_with_make_demo_then_demo_reset_then_make_test():
    readme = (ROOT / "README.md").read_text()
    opening = readme.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[:2] for line in opening] == [
        ["make", "demo"],
        ["make", "demo-reset"],
        ["make", "test"],
    ]
    assert "make demo-reset" in readme.split("## Demo logins", 1)[0].split("```", 2)[2]
