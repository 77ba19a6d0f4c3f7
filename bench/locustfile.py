"""The people ``bench.load`` simulates: learners, preceptors and leads doing what their day has in it.

Run by ``python -m bench.load`` (which writes the accounts file and sets the environment), not by hand:
``LOAD_ACCOUNTS`` names a JSON file of accounts per role; ``LOAD_PAUSE`` is "5,15" (seconds between
a person's actions) or "0" for the closed loop; ``LOAD_EACH`` (if set) spawns exactly that many
people of each role instead of sharing the users by weight (the test's short form); ``LOAD_RETRIES``
names the file the count of retried GETs is written to at the end. Each request is named by what the
person does, so the figures come out per endpoint of the mix. Each person goes round their role's
``day`` in order (the weights are the repeats), so even a short run has every person do every kind of thing.

The figures count from the moment the last person has signed in: everyone signs in at the start, at the
spawn rate, which no working day has. What was asked until then is written to ``LOAD_RAMP`` (a JSON file)
before the statistics are reset, so the sign-in rush is measured and shown apart.

A lead's download of a trust's report is prepared by the job worker: the person waits on the job's page,
which asks ``progress.json`` every 3 s as its script does, and downloads the file once it is ready.

A person's connection is kept alive between actions, as a browser's is, and gunicorn closes one idle
for ``keepalive`` (5 s). A request sent on it just as it closes meets a reset; a browser then sends a
GET again on a new connection (RFC 9112 section 9.3.1), and so does this person, once, counting it.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from datetime import date, timedelta
from itertools import count

import gevent
from locust import HttpUser, between, constant, events, task
from locust.clients import LocustHttpAdapter
from locust.env import Environment
from urllib3.util import Retry

PASSWORD = "bench password 2026"  # bench.generate.PASSWORD (not imported: locust's gevent patches come first)
ACCOUNTS = json.loads(open(os.environ.get("LOAD_ACCOUNTS", "/dev/null")).read() or "{}")
LOW, _, HIGH = os.environ.get("LOAD_PAUSE", "5,15").partition(",")
PAUSE = between(float(LOW), float(HIGH)) if HIGH else constant(float(LOW))
EACH = int(os.environ["LOAD_EACH"]) if os.environ.get("LOAD_EACH") else None
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN = re.compile(r'action="(/preceptor/enrolments/\d+/competencies/[^/"]+/sign\?from=queue)"')
PROBLEMS = re.compile(r'nhsuk-error-summary__list">(.*?)</ul>', re.S)
TAG = re.compile(r"<[^>]+>")
JOB = re.compile(r"/jobs/(\d+)$")
JOB_REFRESH_SECONDS = 3  # app/jobs/routes.py REFRESH_SECONDS
_next = count()
RETRIED: Counter[str] = Counter()
STARTED = count(1)  # people who have finished signing in (or failed to)


class BrowserRetry(Retry):
    """Send a GET (never a POST) again once when its connection failed under it, and count it."""

    def increment(self, method=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        retry = super().increment(method, *args, **kwargs)  # raises when not retried
        RETRIED[str(method)] += 1
        return retry


RETRY = BrowserRetry(total=1, connect=1, read=1, status=0, other=0, redirect=0, backoff_factor=0,
                     allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False)  # fmt: skip


@events.quitting.add_listener
def _write_retries(**_kwargs) -> None:
    if path := os.environ.get("LOAD_RETRIES"):
        with open(path, "w") as file:
            json.dump(dict(RETRIED), file)


def _end_of_ramp(environment: Environment) -> None:
    """Write what was asked while people were signing in, then count afresh from now."""
    stats = environment.stats
    if path := os.environ.get("LOAD_RAMP"):
        entries = [*stats.entries.values(), stats.total]
        with open(path, "w") as file:
            json.dump([{"name": e.name, "requests": e.num_requests, "failures": e.num_failures,
                        "per_second": e.total_rps, "p50": e.get_response_time_percentile(0.5) or 0,
                        "p95": e.get_response_time_percentile(0.95) or 0,
                        "p99": e.get_response_time_percentile(0.99) or 0} for e in entries], file)  # fmt: skip
    stats.reset_all()


def _token(page: str) -> str:
    found = TOKEN.search(page)
    return found.group(1) if found else ""


def problems(page: str) -> str:
    """The error summary's messages, as the person would read them (locust groups failures by this text)."""
    found = PROBLEMS.search(page)
    if not found:
        return "no error summary"
    items = [" ".join(TAG.sub(" ", item).split()) for item in found.group(1).split("</li>")]
    return "; ".join(item for item in items if item)


class Person(HttpUser):
    abstract = True
    wait_time = PAUSE
    fixed_count = EACH or 0
    role = ""
    day: tuple[str, ...] = ()
    done = 0

    @task
    def next_action(self) -> None:
        getattr(self, self.day[self.done % len(self.day)])()
        self.done += 1

    def on_start(self) -> None:
        self.client.mount("http://", LocustHttpAdapter(pool_manager=self.pool_manager, max_retries=RETRY))
        people = ACCOUNTS[self.role]
        self.account = people[next(_next) % len(people)]
        form = self.client.get("/login", name="sign in (form)").text
        data = {"email": self.account["email"], "password": PASSWORD, "csrf_token": _token(form)}
        with self.client.post("/login", data=data, name="sign in", catch_response=True) as response:
            if "/login" in response.url:
                response.failure(f"not signed in as {self.account['email']}")
        runner = self.environment.runner
        if runner is not None and next(STARTED) == runner.target_user_count:
            _end_of_ramp(self.environment)


class Learner(Person):
    weight = 6
    role = "learner"
    day = ("home", "log_hours", "home", "home")

    def home(self) -> None:
        self.client.get("/learner/", name="learner home")

    def log_hours(self) -> None:
        url = f"/learner/enrolments/{self.account['enrolment']}/hours/new"
        form = self.client.get(url, name="log hours (form)")
        if not form.ok or not _token(form.text):  # a person who never saw the form cannot save it
            return
        first, last = date.fromisoformat(self.account["from"]), date.fromisoformat(self.account["to"])
        worked_on = first + timedelta(days=random.randrange((last - first).days + 1))  # a day the programme counts
        data = {
            "csrf_token": _token(form.text),
            "worked_on[day]": str(worked_on.day),
            "worked_on[month]": str(worked_on.month),
            "worked_on[year]": str(worked_on.year),
            "hours": "0.5",
            "activity_type": "study",
            "learning": "Read the trust's guidance on falls prevention and discussed it with my preceptor.",
        }
        with self.client.post(url, data=data, name="log hours (save)", catch_response=True) as response:
            if "/hours/new" in response.url:  # the form came back: the hours were refused
                response.failure(f"hours not saved ({response.status_code}): {problems(response.text)}")


class Preceptor(Person):
    weight = 3
    role = "preceptor"
    day = ("sign_off", "caseload", "caseload")

    def caseload(self) -> None:
        self.client.get("/preceptor/", name="caseload")

    def sign_off(self) -> None:
        queue = self.client.get("/preceptor/signoffs", name="sign-off queue").text
        found = SIGN.search(queue)
        if found:  # the queue holds requests bench.load made; an empty queue is a visit, not a failure
            data = {"csrf_token": _token(queue)}
            self.client.post(found.group(1).replace("&amp;", "&"), data=data, name="sign off")


class Lead(Person):
    weight = 1
    role = "lead"
    day = ("cohort", "report", "download", "cohort", "report", "cohort")

    def cohort(self) -> None:
        self.client.get(f"/lead/cohorts/{random.choice(self.account['cohorts'])}", name="cohort")

    def report(self) -> None:
        self.client.get("/reports/cohorts", name="report page")

    def download(self) -> None:
        asked = self.client.get("/reports/cohorts/download.csv", name="report download")
        job = JOB.search(asked.url)
        if job is None:  # small enough to be prepared in the request: the file came back
            return
        url = f"/jobs/{job.group(1)}"
        while True:
            gevent.sleep(JOB_REFRESH_SECONDS)
            with self.client.get(f"{url}/progress.json", name="report download (progress)",
                                 catch_response=True) as progress:  # fmt: skip
                status = progress.json().get("status") if progress.ok else None
                if status == "failed" or status is None:
                    progress.failure(f"the report was not prepared ({progress.status_code}, {status})")
                    return
            if status == "done":
                break
        self.client.get(f"{url}/download", name="report download (file)")


class Hello(HttpUser):
    """The bare Flask hello (bench.hello), asked in a closed loop like the pages' ceiling."""

    wait_time = constant(0)

    @task
    def hello(self) -> None:
        self.client.get("/", name="hello")
