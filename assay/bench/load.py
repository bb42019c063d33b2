"""``assay bench load``: N concurrent users against the real server on loopback.

1. A child process prepares a throwaway data folder (SQLite, media): ``demo_load`` (the demo
   centre, its staff and portfolios), a bearer token for the assessor Alice, and one unit of
   one of her candidates that she may judge (found by judging it once through the service).
2. ``assay serve`` (gunicorn, its default workers and threads) starts on a free 127.0.0.1 port.
3. Each user (a thread with its own connection and cookies) signs in through the login form
   as Alice, then repeats the mix below until the time or the request budget runs out.
4. Every request's latency is recorded by endpoint; errors are requests that raised and
   answers other than the expected one (pages and API reads 200, the sign-in's redirect 302,
   the judgement 201): so any 4xx/5xx, and a page that sends the user back to sign in. The
   folder is removed afterwards; the project's database is never touched.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

USERNAME, PASSWORD = "alice", "assay-demo"  # assay.demo.centre: an assessor
CLI = (sys.executable, "-c", "from assay.cli.main import main; main()")
SERVE = (*CLI, "serve")
FEEDBACK = "Load test: show this in a second piece of evidence."
UPLOAD_BYTES = 16 * 1024  # each upload: a 16 KiB text file of its own
LOCKED = b"database is locked"
DRAIN_SECONDS = 120.0


# The throwaway world (run in a child process whose settings point at the throwaway folder).


def prepare_world() -> dict[str, Any]:
    """Load the demo; pick a unit Alice may judge (judging it once proves it); mint a token."""
    from django.contrib.auth import get_user_model

    from assay import clock
    from assay.accounts.services import token_create
    from assay.demo.load import demo_load
    from assay.errors import InvalidInput, NotAllowed
    from assay.portfolios.assessment import criterion_judge
    from assay.portfolios.coverage import unit_spec, unit_targets
    from assay.portfolios.services import evidence_add
    from assay.registrations.models import PlanUnit

    for _ in demo_load():
        pass
    alice = get_user_model().objects.get(username=USERNAME)
    rows = PlanUnit.objects.filter(assessor=alice).select_related("registration")
    for row in rows.order_by("registration_id", "unit_number"):
        reg, unit = row.registration, row.unit_number
        try:
            criteria = [t for t in unit_targets(unit_spec(reg, unit)) if "." in t]
            if not criteria:
                continue
            criterion_judge(
                by=alice,
                registration=reg,
                unit=unit,
                criterion=criteria[0],
                met=False,
                feedback=FEEDBACK,
            )
        except (InvalidInput, NotAllowed):
            continue
        _, token = token_create(user=alice, name="bench load")
        item = evidence_add(
            by=alice,
            registration=reg,
            method="product",
            started_on=clock.today(),
            description="Load test: notes uploaded by the load bench.",
            context="real_job",
        )
        return {
            "evidence_item": item.pk,
            "registration": reg.pk,
            "centre": reg.centre_id,
            "unit": unit,
            "criterion": criteria[0],
            "token": token,
        }
    raise SystemExit("the demo has no unit Alice may judge")


def _prepare(env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "assay.bench.load", "prepare"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing the load test failed:\n{done.stderr.strip()[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# Figures.


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (0 when empty)."""
    if not values:
        return 0.0
    rank = max(1, -(-len(values) * q // 100))  # ceil(n * q / 100)
    return values[int(rank) - 1]


@dataclass
class Figures:
    requests: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)

    def line(self, name: str) -> str:
        ms = sorted(x * 1000 for x in self.latencies)
        return (
            f"  {name:<22} {self.requests:>7} {self.errors:>6} {percentile(ms, 50):>9.1f} "
            f"{percentile(ms, 95):>9.1f} {(ms[-1] if ms else 0.0):>9.1f}"
        )


@dataclass
class LoadResult:
    users: int
    seconds: float
    endpoints: dict[str, Figures]
    first_errors: list[str]
    folder: str = ""  # the throwaway data folder, when kept
    setup: str = ""  # what served: processes, database, storage, worker
    locked: int = 0  # "database is locked" lines the servers and the worker logged
    jobs: dict[str, int] = field(default_factory=dict)  # background jobs by state, at the end

    @property
    def total(self) -> Figures:
        out = Figures()
        for f in self.endpoints.values():
            out.requests += f.requests
            out.errors += f.errors
            out.latencies += f.latencies
        return out

    def lines(self) -> list[str]:
        total = self.total
        rate = total.requests / self.seconds if self.seconds else 0.0
        head = f"  {'endpoint':<22} {'requests':>7} {'errors':>6} {'p50 ms':>9} {'p95 ms':>9}"
        out = [
            f"load: {self.users} users, {self.seconds:.1f} s, {rate:.1f} requests/s",
            *([f"setup: {self.setup}"] if self.setup else []),
            f"{head} {'max ms':>9}",
        ]
        out += [self.endpoints[name].line(name) for name in sorted(self.endpoints)]
        out.append(total.line("overall"))
        if self.jobs:
            states = ", ".join(f"{n} {state}" for state, n in sorted(self.jobs.items()))
            out.append(f"background jobs: {states}")
        out.append(f'"database is locked": {self.locked}')
        out.append(f"requests: {total.requests}")
        out.append(f"errors: {total.errors}")
        out += [f"  error: {e}" for e in self.first_errors]
        if self.folder:
            out.append(f"data folder kept: {self.folder}")
        return out


# The users.


class Budget:
    """Stops every user at the deadline or once ``limit`` requests have been started."""

    def __init__(self, seconds: float, limit: int | None) -> None:
        self.deadline = time.monotonic() + seconds
        self.limit = limit
        self.started = 0
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if time.monotonic() >= self.deadline:
                return False
            if self.limit is not None and self.started >= self.limit:
                return False
            self.started += 1
            return True


class User:
    """One browser-like client: a keep-alive connection, cookies, Alice's session."""

    def __init__(self, port: int, world: dict[str, Any], record: Callable[..., None]) -> None:
        self.port = port
        self.world = world
        self.record = record
        self.cookies: dict[str, str] = {}
        self.uploads = 0
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        name: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        expect: int = 200,
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()  # the server closed a kept-alive connection: once more
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            self.record(name, time.perf_counter() - started, f"{method} {path}: {exc!r}")
            return 0, b""
        elapsed = time.perf_counter() - started
        for value in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(value)
            self.cookies.update({k: m.value for k, m in jar.items()})
        ok = response.status == expect
        error = f"{method} {path}: HTTP {response.status}, expected {expect}"
        self.record(name, elapsed, None if ok else error)
        return response.status, data

    def sign_in(self) -> bool:
        _, page = self.request("web sign-in form", "GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None:
            return False
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": USERNAME,
                "password": PASSWORD,
            }
        ).encode()
        status, _ = self.request(
            "web sign-in",
            "POST",
            "/accounts/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/accounts/login/",
            },
            expect=302,
        )
        return status == 302

    def steps(self) -> list[Callable[[], object]]:
        w = self.world
        reg, unit = w["registration"], w["unit"]
        bearer = _bearer(w)
        judgement = json.dumps(
            {"criterion": w["criterion"], "met": False, "feedback": FEEDBACK}
        ).encode()
        return [
            lambda: self.request("web caseload", "GET", "/caseload/"),
            lambda: self.request("web portfolio", "GET", f"/registrations/{reg}/portfolio/"),
            lambda: self.request("web unit screen", "GET", f"/registrations/{reg}/units/{unit}/"),
            lambda: self.request("api caseload", "GET", "/api/v1/caseload", headers=bearer),
            lambda: self.request(
                "api registrations",
                "GET",
                f"/api/v1/centres/{w['centre']}/registrations",
                headers=bearer,
            ),
            self.upload,
            self.export,
            lambda: self.request(
                "api judgement",
                "POST",
                f"/api/v1/registrations/{reg}/units/{unit}/judgements",
                judgement,
                {**bearer, "Content-Type": "application/json"},
                expect=201,
            ),
        ]

    def upload(self) -> object:
        """A new file (unique content, so it is stored, never found) on the prepared item."""
        self.uploads += 1
        note = f"Load test note {self.port} {id(self)} {self.uploads} {time.time_ns()}\n"
        content = (note * (UPLOAD_BYTES // len(note) + 1))[:UPLOAD_BYTES].encode()
        boundary = f"assay-load-{time.time_ns()}"
        body = (
            (
                f"--{boundary}\r\n"
                'Content-Disposition: form-data; name="file"; filename="note.txt"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "api upload",
            "POST",
            f"/api/v1/evidence/{self.world['evidence_item']}/files",
            body,
            {**_bearer(self.world), "Content-Type": f"multipart/form-data; boundary={boundary}"},
            expect=201,
        )

    def export(self) -> object:
        """Ask for the portfolio's ZIP (a background job): the page redirects to the job."""
        return self.request(
            "web export job",
            "POST",
            f"/registrations/{self.world['registration']}/portfolio/export-job",
            b"",
            {
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
                "Referer": f"http://127.0.0.1:{self.port}/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            expect=302,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with status {server.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not listen on port {port} within {timeout:.0f} s")


def _warm_up(port: int, world: dict[str, Any]) -> None:
    """The first requests import the whole site: make them before the clock starts."""
    user = User(port, world, lambda *args: None)
    user.request("warm-up", "GET", "/accounts/login/")
    user.request("warm-up", "GET", "/api/v1/caseload", headers=_bearer(world))
    user.conn.close()


def _bearer(world: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {world['token']}"}


def drive(
    ports: list[int], world: dict[str, Any], users: int, seconds: float, limit: int | None
) -> LoadResult:
    """Run ``users`` threads against the listening servers (user i on server i mod n)."""
    endpoints: dict[str, Figures] = {}
    first_errors: list[str] = []
    lock = threading.Lock()

    def record(name: str, elapsed: float, error: str | None) -> None:
        with lock:
            figures = endpoints.setdefault(name, Figures())
            figures.requests += 1
            figures.latencies.append(elapsed)
            if error is not None:
                figures.errors += 1
                if len(first_errors) < 5:
                    first_errors.append(error)

    budget = Budget(seconds, limit)

    def run(index: int) -> None:
        user = User(ports[index % len(ports)], world, record)
        try:
            if not (budget.take() and budget.take()):  # the form and the POST
                return
            if not user.sign_in():
                return
            steps = user.steps()
            turn = index  # users start at different points of the mix
            while budget.take():
                steps[turn % len(steps)]()
                turn += 1
        finally:
            user.conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(users, time.perf_counter() - started, endpoints, first_errors)


def load_bench(
    users: int,
    seconds: float,
    limit: int | None,
    *,
    keep: bool = False,
    processes: int = 1,
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    worker: bool = False,
    storage: str = "disk",
) -> LoadResult:
    """Prepare the throwaway folder (and database), start the servers (and the worker), drive
    them, stop them, clean up.

    ``storage="s3"`` starts a throwaway SeaweedFS on loopback and points every process at it.
    ``worker`` starts ``assay worker`` beside the servers; the users' export jobs are then
    waited for (at most ``DRAIN_SECONDS``) and counted by state. ``database_url`` is a
    PostgreSQL server URL (``postgres://user@host:port``): a throwaway
    database is created on it for the run and dropped afterwards. ``extra_env`` reaches every
    process (for example the object-storage settings). Each process's log goes to a file in
    the folder, where the "database is locked" lines are counted.
    """
    root = Path(tempfile.mkdtemp(prefix="assay-bench-load-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASSAY_DATA_DIR=str(root),
        ASSAY_TODAY=env.get("ASSAY_TODAY") or "2013-03-01",
        ASSAY_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="assay.config.settings",
    )
    env.update(extra_env or {})
    try:
        with contextlib.ExitStack() as stack:
            if storage == "s3":
                from assay.bench.seaweedfs import seaweedfs

                env.update(stack.enter_context(seaweedfs(root / "seaweedfs")).env())
            return _load_run(
                env, root, users, seconds, limit, keep, processes, database_url, worker
            )
    finally:
        if not keep:  # after the store has stopped
            shutil.rmtree(root, ignore_errors=True)


def _load_run(
    env: dict[str, str],
    root: Path,
    users: int,
    seconds: float,
    limit: int | None,
    keep: bool,
    processes: int,
    database_url: str | None,
    worker: bool,
) -> LoadResult:
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    database = ""
    try:
        if database_url:
            database = f"assay_load_{os.getpid()}_{time.time_ns() % 10**9}"
            _database_create(database_url, database)
            env["DATABASE_URL"] = f"{database_url.rstrip('/')}/{database}"
        world = _prepare(env)
        ports = [free_port() for _ in range(processes)]
        for index, port in enumerate(ports):
            procs.append(
                _start([*SERVE, "--addr", f"127.0.0.1:{port}"], env, root, f"server-{index}", logs)
            )
        if worker:
            procs.append(_start([*CLI, "worker"], env, root, "worker", logs))
        for port, proc in zip(ports, procs, strict=False):
            _wait_listening(port, proc)
            _warm_up(port, world)
        result = drive(ports, world, users, seconds, limit)
        result.folder = str(root) if keep else ""
        if worker:  # let the worker finish what the users queued (bounded)
            deadline = time.monotonic() + DRAIN_SECONDS
            while time.monotonic() < deadline:
                result.jobs = _jobs(env)
                if not result.jobs.get("queued") and not result.jobs.get("running"):
                    break
                time.sleep(1)
        else:
            result.jobs = _jobs(env)
        storage = env.get("ASSAY_STORAGE", "disk")
        result.setup = (
            f"{processes} app process{'es' if processes > 1 else ''}"
            f"{' + 1 worker' if worker else ''}, "
            f"{'PostgreSQL' if database_url else 'SQLite'}, {storage} storage"
        )
        _stop(procs)
        result.locked = sum(path.read_bytes().count(LOCKED) for path in logs if path.exists())
        return result
    finally:
        _stop(procs)
        if database_url and database:
            _database_drop(database_url, database)


def _start(
    command: list[str], env: dict[str, str], root: Path, name: str, logs: list[Path]
) -> subprocess.Popen[bytes]:
    log = root / f"{name}.log"
    logs.append(log)
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _database_create(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def _database_drop(server_url: str, name: str) -> None:
    import psycopg

    with (
        contextlib.suppress(psycopg.Error),
        psycopg.connect(f"{server_url.rstrip('/')}/postgres", autocommit=True) as conn,
    ):
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _main(argv: list[str]) -> None:
    """The child process's side: ``prepare``; prints JSON on its last line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    django.setup()
    if argv[:1] == ["prepare"]:
        print(json.dumps(prepare_world()))
    elif argv[:1] == ["jobs"]:
        print(json.dumps(job_states()))
    else:
        raise SystemExit("usage: python -m assay.bench.load prepare|jobs")


def job_states() -> dict[str, int]:
    """How many background jobs are in each state (queued, running, done, failed)."""
    from django.db.models import Count

    from assay.jobs.models import Job

    rows = Job.objects.values("state").annotate(n=Count("pk"))
    return {str(row["state"]): int(row["n"]) for row in rows}


def _jobs(env: dict[str, str]) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-m", "assay.bench.load", "jobs"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"counting the jobs failed:\n{done.stderr.strip()[-2000:]}")
    return {k: int(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


if __name__ == "__main__":
    _main(sys.argv[1:])
