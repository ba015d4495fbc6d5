"""Named personas, one per role, in two agencies (Adult Social Care and Housing), plus a
Police SPoC for the "other agency" cases. Tests ask for them by name. What celery's own
fixtures run a worker in this process on. And the demo's data, seeded once a session for
every test that asks for `demo`."""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.roles import Role
from caspa.core import documents
from tests.factories import AgencyFactory, UserFactory

# The whole run is watched for a person's details in logs and e-mails (docs/privacy.md).
pytest_plugins = ["tests.privacy_plugin"]

# A loaded two-core CI machine is slow to generate examples; correctness, not speed, is tested.
settings.register_profile(
    "caspa", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("caspa")


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once():
    """Each test client loads the middleware afresh, and WhiteNoise lists every static file
    from the finders as it starts (1,100 files, 50 ms): list them once a process instead. The
    files are the same for the whole run, and each client still serves them through its own
    middleware."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed = {}

    def add_files_from_finders(self):
        how = (self.static_prefix, self.max_age, self.charset, self.allow_all_origins)
        if how not in listed:
            before = set(self.files)
            list_files(self)
            listed[how] = {url: f for url, f in self.files.items() if url not in before}
        self.files.update(listed[how])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield


@pytest.fixture(scope="session", autouse=True)
def emptied_by_delete():
    """After each test in a transaction of its own (the live server's, the Celery tests'),
    Django empties every table with one TRUNCATE, which on PostgreSQL makes new files for
    each of the 76 tables and their indexes: 2.5 s here, where a DELETE of every table takes
    0.07 s. The tables end as empty either way, and their sequences go on as they do after
    Django's own flush (it resets none); Django's foreign keys are checked at the commit,
    once every table is empty."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {self.quote_name(t)};" for t in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture
def asc(db):
    return AgencyFactory(name="Adult Social Care", short_name="ASC", is_host=True)


@pytest.fixture
def housing(db):
    return AgencyFactory(name="Housing", short_name="Housing")


@pytest.fixture
def police(db):
    return AgencyFactory(name="Bedfordshire Police", short_name="Police")


def persona(username, first_name, role, agency):
    return UserFactory(username=username, first_name=first_name, role=role, agency=agency)


@pytest.fixture
def cora(asc):
    """Cora, the panel coordinator at Adult Social Care."""
    return persona("cora", "Cora", Role.COORDINATOR, asc)


@pytest.fixture
def adam(asc):
    """Adam, panel admin staff at Adult Social Care."""
    return persona("adam", "Adam", Role.ADMIN_STAFF, asc)


@pytest.fixture
def chidi(asc):
    """Chidi, who chairs the panel."""
    return persona("chidi", "Chidi", Role.CHAIR, asc)


@pytest.fixture
def maya(asc):
    """Maya, a Safeguarding Adults Board manager: aggregates only."""
    return persona("maya", "Maya", Role.MANAGER, asc)


@pytest.fixture
def harriet(housing):
    """Harriet, Housing's single point of contact."""
    return persona("harriet", "Harriet", Role.SPOC, housing)


@pytest.fixture
def rosa(housing):
    """Rosa, a housing officer who refers people."""
    return persona("rosa", "Rosa", Role.REFERRER, housing)


@pytest.fixture
def milo(housing):
    """Milo, Housing's panel member."""
    return persona("milo", "Milo", Role.PANEL_MEMBER, housing)


@pytest.fixture
def piers(police):
    """Piers, the Police SPoC: another agency."""
    return persona("piers", "Piers", Role.SPOC, police)


@pytest.fixture
def client_for(client):
    """client_for(user) is a test client signed in as that user."""

    def sign_in(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return sign_in


@pytest.fixture
def cora_client(client_for, cora):
    return client_for(cora)


@pytest.fixture
def rosa_client(client_for, rosa):
    # One signed-in client for all of a test's examples: hypothesis runs them in one test.
    return client_for(rosa)


@pytest.fixture
def harriet_client(client_for, harriet):
    return client_for(harriet)


# --- a Celery worker in the test process ------------------------------------------------------


@pytest.fixture(scope="session")
def celery_config():
    """What celery's own fixtures (celery_app, celery_worker) run on: the real Redis broker,
    tasks going through it rather than run where they are queued. A test using them is in the
    xdist group `broker`: two workers would take each other's tasks from the one queue."""
    redis = os.environ.get("REDIS_URL")
    if not redis:
        pytest.skip("REDIS_URL is not set: the Celery tests need the real broker")
    return {"broker_url": redis, "result_backend": redis, "task_always_eager": False}


# --- the demo's data ------------------------------------------------------------------------
#
# Seeding plays two years of the pathway through the real services and takes most of a
# minute, so it happens once a session, committed, for every test that asks for `demo`; those
# tests only read it (or change it inside their own rolled-back transaction). They run after
# every other test that uses the database, so no other test sees the demo's data: first
# those in a transaction, then those on the live server, whose teardown flushes the database.
# The tests without a database run last, as pytest-django orders them.


def pytest_collection_modifyitems(config, items):
    # pytest-django has put the tests in a transaction before the transactional ones, and
    # those without a database last; a stable sort keeps that order within each part.
    items.sort(key=_part_of_the_run)
    # Under xdist the tests on the demo run in one process, so it is seeded in one.
    for item in items:
        if "demo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))
    if getattr(config.option, "loadgroup", False):  # --dist loadgroup, on a worker
        for item in items:
            _name_its_group(item)


def _name_its_group(item) -> None:
    """xdist's loadgroup sends the tests of one xdist_group to one process by the group's name
    after an @ at the end of the test's id; xdist 3.8 writes it to `item._nodeid`, which pytest
    9 no longer reads, so every group was split between the processes (two Celery workers on
    one queue; the demo seeded in both). The name is put where pytest 9 reads the id."""
    from _pytest.nodeid import NodeId

    names = sorted(
        {
            str(m.args[0] if m.args else m.kwargs.get("name", "default"))
            for m in item.iter_markers("xdist_group")
        }
    )
    if names and "@" not in item.nodeid.rpartition("]")[2] and hasattr(item, "_id"):
        item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


def _part_of_the_run(item) -> int:
    fixtures = set(getattr(item, "fixturenames", ()))
    if "demo" in fixtures:
        return 1
    uses_db = item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES
    return 0 if uses_db else 2


DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def seed_demo() -> str:
    """Runs `manage.py seed_demo`; returns what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_is_seeded() -> bool:
    from panel.models import PanelMeeting

    return PanelMeeting.objects.exists()


@pytest.fixture(scope="session")
def demo_seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        printed = seed_demo()
    yield printed
    with django_db_blocker.unblock():
        if demo_is_seeded():  # a kept test database (--reuse-db) starts empty next time
            call_command("flush", interactive=False, verbosity=0)
        # Once Playwright's event loop runs in this thread, Django keeps a connection per
        # context, and the one this teardown used is not the one closed before the test
        # database is dropped: close it, or dropping the database fails.
        connections.close_all()


@pytest.fixture
def demo(demo_seeded, django_db_blocker, monkeypatch) -> str:
    """The demo's data, committed; returns what seed_demo printed (the logins)."""
    with django_db_blocker.unblock():
        if not demo_is_seeded():  # flushed by an earlier live-server test that read it
            seed_demo()
    # Each test's documents are rolled back with it, so every test on the demo would build
    # the same PDFs again (the access table: one a persona). WeasyPrint makes the same PDF of
    # the same HTML: it runs once a process for each HTML; each build is still recorded.
    monkeypatch.setattr(documents, "write_pdf", _pdf_of)
    return demo_seeded


_write_pdf = documents.write_pdf
_built_pdfs: dict[tuple[str, str], bytes] = {}


def _pdf_of(html: str) -> bytes:
    from django.conf import settings as django_settings

    key = (django_settings.SITE_URL, html)  # write_pdf makes links absolute to SITE_URL
    if key not in _built_pdfs:
        _built_pdfs[key] = _write_pdf(html)
    return _built_pdfs[key]
