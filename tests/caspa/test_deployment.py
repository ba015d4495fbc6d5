"""docker-compose.yml cannot run here (no Docker engine), so we check what it says."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_database_and_redis():
    assert set(compose()["services"]) == {"web", "worker", "beat", "db", "redis"}


def test_web_is_served_by_gunicorn_after_migrating():
    command = compose()["services"]["web"]["command"]
    assert "manage.py migrate" in command
    assert "gunicorn caspa.wsgi" in command


def test_the_worker_and_exactly_one_beat_run_the_celery_app():
    services = compose()["services"]
    assert services["worker"]["command"].startswith("celery -A caspa worker")
    assert services["beat"]["command"].startswith("celery -A caspa beat")
    assert services["beat"]["deploy"]["replicas"] == 1


def test_redis_refuses_new_work_rather_than_evicting_queued_tasks():
    assert "--maxmemory-policy noeviction" in compose()["services"]["redis"]["command"]


def test_the_app_runs_in_production_mode_with_its_secrets_required():
    for name in ("web", "worker", "beat"):
        env = compose()["services"][name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:6379")


def test_the_image_serves_static_files_collected_at_build_time():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "collectstatic --no-input" in dockerfile
    assert "npm ci" in dockerfile
