"""manage.py in a fresh interpreter: for the tests that check settings as another kind of
place (production) would read them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Not the test run's own settings: its database and broker, the browser tests' async switch,
# and whether it asks for a second factor (production decides that for itself).
UNSET = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "TWO_FACTOR_REQUIRED")


def run_manage(*args, **env):
    """manage.py in a fresh interpreter, reading its settings from the environment given."""
    base = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
