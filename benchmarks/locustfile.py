"""The load `make bench` and `make soak` put on the app: four roles, each doing what its people
do in a day (docs/benchmarks.md), every page preceded by the floor page so that each is
measured against a floor taken just before it, under the same load.

Run by benchmarks/run.py, which starts the app and reads what this writes: every request's
time, size and query count (the bench's `X-Queries` header), to BENCH_RAW at the end.
"""

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from locust import HttpUser, between, events, task

from benchmarks.signin import as_behind_the_proxy, csrf, sign_in

ROOT = Path(__file__).resolve().parent.parent
WORLD = json.loads(Path(os.environ.get("BENCH_WORLD", ROOT / "var/bench/world.json")).read_text())
RAW = Path(os.environ.get("BENCH_RAW", ROOT / "var/bench/raw.json"))
FLOOR = os.environ.get("BENCH_FLOOR", "/about/")
WARM_UP = float(os.environ.get("BENCH_WARMUP", "30"))
# Seconds a user pauses between tasks: people read a page before the next click. Much less and
# 50 users saturate 2 workers, when every page's time is the queue's (docs/benchmarks.md).
WAIT = [float(s) for s in os.environ.get("BENCH_WAIT", "10,30").split(",")]
# Requests not part of the table: signing in.
NOT_MEASURED = {"sign in", "two-factor code", "start a draft"}

samples = defaultdict(list)  # name -> [(ms, bytes, queries, status, server ms)]
failures = defaultdict(int)
# POSTs answered with the form again (200) or a version conflict (409): a refusal the user is
# told, not an error.
refused = defaultdict(int)
started_at = time.monotonic()
accounts = {role: itertools.cycle(WORLD["accounts"][role]) for role in WORLD["accounts"]}


@events.request.add_listener
def on_request(name, response_time, response_length, response, exception, **kwargs):
    if name in NOT_MEASURED or time.monotonic() - started_at < WARM_UP:
        return
    status = getattr(response, "status_code", 0) if response is not None else 0
    queries = server_ms = None
    if response is not None and response.headers.get("X-Queries"):
        queries = int(response.headers["X-Queries"])
        server_ms = float(response.headers["X-Server-Ms"])
    samples[name].append((response_time, response_length, queries, status, server_ms))
    if exception is not None:
        failures[name] += 1


@events.quitting.add_listener
def on_quitting(environment, **kwargs):
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.write_text(
        json.dumps(
            {
                "floor": FLOOR,
                "samples": samples,
                "failures": failures,
                "refused": refused,
                "warm_up": WARM_UP,
            }
        )
    )


VERSION = re.compile(r'name="(?:[\w-]+-)?version" value="(\d+)"')


class Role(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = ""

    def on_start(self):
        as_behind_the_proxy(self.client, self.host)
        self.account = next(accounts[self.role])
        self.sign_in()

    def csrf(self, html: str) -> str:
        return csrf(html)

    def sign_in(self):
        password = self.account.get("password", WORLD["password"])
        sign_in(
            self.client,
            "",
            self.account["username"],
            password,
            self.account["key"],
            names=("sign in", "two-factor code"),
        )

    def page(self, name: str, path: str, **kwargs):
        """The floor, then the page: every page's p95 is read against the floor's."""
        self.client.get(FLOOR, name="floor")
        return self.client.get(path, name=name, **kwargs)

    def post(self, name: str, path: str, data: dict, referer_html: str = ""):
        self.client.get(FLOOR, name="floor")
        data = {**data, "csrfmiddlewaretoken": self.csrf(referer_html)}
        with self.client.post(
            path, data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code in (200, 409):
                response.success()
                if time.monotonic() - started_at >= WARM_UP:
                    refused[name] += 1
        return response


class Coordinator(Role):
    weight = 2
    role = "coordinator"

    @task(3)
    def screening(self):
        self.page("screening queue", "/referrals/screening/")
        if WORLD["screening"]:
            pk = random.choice(WORLD["screening"])
            self.page("screening detail", f"/referrals/screening/{pk}/")

    @task(3)
    def case(self):
        self.page("case (coordinator)", f"/cases/{random.choice(WORLD['cases'])}/")

    @task(2)
    def action_log(self):
        self.page("action log", "/actions/")

    @task(2)
    def meeting(self):
        meeting = WORLD["meeting"]
        position = random.randint(0, meeting["n"])
        screen = self.page("meeting display", f"/cases/meetings/{meeting['pk']}/screen/{position}/")
        self.post(
            "meeting control",
            f"/cases/meetings/{meeting['pk']}/screen/{position}/show/",
            {},
            screen.text,
        )


class Spoc(Role):
    weight = 4
    role = "spoc"

    @task(3)
    def home(self):
        self.page("home (SPoC)", "/")

    @task(3)
    def case(self):
        cases = WORLD["cases_by_agency"].get(str(self.account["agency"]))
        if cases:
            self.page("case (SPoC)", f"/cases/{random.choice(cases)}/")

    @task(2)
    def update_action(self):
        actions = WORLD["open_actions_by_agency"].get(str(self.account["agency"]))
        if not actions:
            return
        pk = random.choice(actions)
        detail = self.page("action", f"/actions/{pk}/")
        version = VERSION.search(detail.text)
        self.post(
            "update an action",
            f"/actions/{pk}/update/",
            {
                "version": version.group(1) if version else "1",
                "status": "in_progress",
                "note": "Benchmark update (fictional): visited, records shared.",
            },
            detail.text,
        )

    @task(1)
    def agency_return(self):
        returns = WORLD["returns_by_agency"].get(str(self.account["agency"]))
        if returns:
            self.page("return", f"/cases/returns/{random.choice(returns)}/")


class Referrer(Role):
    weight = 3
    role = "referrer"

    def on_start(self):
        super().on_start()
        home = self.client.get("/referrals/new/", name="start a draft")
        made = self.client.post(
            "/referrals/new/draft/",
            {"csrfmiddlewaretoken": self.csrf(home.text)},
            name="start a draft",
        )
        found = re.search(r"/referrals/(\d+)/", made.url)
        self.draft = found.group(1) if found else None

    @task(3)
    def status(self):
        self.page("referral list", "/referrals/")
        mine = WORLD["referrals_by_referrer"].get(str(self.account["pk"]))
        if mine:
            self.page("referral status", f"/referrals/{random.choice(mine)}/")

    @task(2)
    def form(self):
        if self.draft:
            section = random.choice(WORLD["draft_sections"])
            self.page("referral form", f"/referrals/{self.draft}/{section}/")


class Manager(Role):
    weight = 1
    role = "manager"

    @task(4)
    def dashboard(self):
        self.page("dashboard", "/dashboard/")

    @task(1)
    def pdf(self):
        self.page("Board report PDF", f"/dashboard/report/{WORLD['quarter']}.pdf")
