"""Headers and settings that protect special-category data."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.processes import ROOT, run_manage


def test_the_content_security_policy_forbids_inline_and_eval(client, db):
    policy = client.get(reverse("accounts:sign_in"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_carry_no_inline_script_or_style(client_for, cora):
    html = client_for(cora).get(reverse("home")).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in tag, tag
    assert "<style" not in html
    assert " style=" not in html


def test_htmx_is_told_not_to_eval_or_inject_styles(client_for, cora):
    html = client_for(cora).get(reverse("home")).text
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-" + "q7Zp" * 8,
    "ALLOWED_HOSTS": "caspa.example.org",
}


def test_production_settings_pass_djangos_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = run_manage("check", **env, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = run_manage("check", DJANGO_ENV="staging")
    assert result.returncode != 0
    assert "DJANGO_ENV must be one of" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "sqlite3 IMMEDIATE 20"),
        ({"DATABASE_URL": "postgres://caspa@db.example.org:5432/caspa"}, "postgresql - -"),
    ],
)
def test_the_database_comes_from_database_url_or_is_embedded_sqlite(env, expected):
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "o = d.get('OPTIONS', {}); engine = d['ENGINE'].rsplit('.', 1)[1];"
        "print(engine, o.get('transaction_mode', '-'), o.get('timeout', '-'))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, DJANGO_ENV="demo", **env)
    assert result.stdout.strip() == expected, result.stderr


def test_production_cookies_are_secure_and_hsts_lasts_a_year():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    session_secure, csrf_secure, hsts = result.stdout.split()
    assert (session_secure, csrf_secure) == ("True", "True"), result.stderr
    assert int(hsts) >= 31536000


# The project's own code (not the tests, the venv or node_modules).
OWN_CODE = ["accounts", "actions", "audit", "caspa", "dashboard", "demo", "panel", "referrals"]


def test_bandit_finds_nothing_of_high_severity_in_the_projects_code():
    bandit = Path(sys.executable).with_name("bandit")
    result = subprocess.run(
        [str(bandit), "-r", *OWN_CODE, "--severity-level", "high", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in json.loads(result.stdout)["results"]
    ]
    print("\n".join(found), result.stderr)
    assert found == []
    assert result.returncode == 0, result.stderr
