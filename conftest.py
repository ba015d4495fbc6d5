# Celery 5.7's wheel has no pytest entry point: register its fixtures (celery_worker, …) here.
pytest_plugins = ("celery.contrib.pytest",)
