"""A real Chromium (Debian's) driven by Playwright against Django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to run
# unless told that is intended (docs/engineering-notes.md, "Tests in a browser").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
# The machine has no network: stop Chromium reaching for Google's services at every start.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 720},
    }


@pytest.fixture(autouse=True)
def no_console_errors(page):
    """A blocked script or style (our CSP at work against our own page) shows here first."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The console says only "404"; name the address too.
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    yield
    assert errors == []


# What Chromium says when the document under a script is replaced by a navigation.
NAVIGATING = ("reading 'documentElement'", "Execution context was destroyed")


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Runs axe-core on the page as it is now; any violation fails the test with axe's report."""

    def check(page):
        results = None
        # A click on a link returns before the next page has loaded; axe started while the
        # old document is torn down finds no document. Check the page the user lands on.
        for _attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page)
                break
            except PlaywrightError as error:
                if not any(sign in str(error) for sign in NAVIGATING):
                    raise
        assert results is not None, "the page never settled long enough for axe to run"
        assert results.violations_count == 0, results.generate_report()

    return check
