"""``assay bench audits --http``: the same audit as ``--db``, over the JSON API only.

It proves a client holding nothing but tokens can run an audit from nothing, and times it. A
throwaway data folder (SQLite, media) is prepared in a child process: migrations and the
accounts only (the operator and four people with a random password: accounts come from
invitations by email, which a bench cannot read). Then ``assay serve`` (gunicorn) listens on a
free loopback port and every step of the work is an HTTP request: each person signs in with
``POST /api/v1/auth/login`` for a token; the operator imports the standard and creates the body
and its roles; the administrator creates the organisation, its offices and contact and the
audit; the contact self-assesses; the sample is drawn; the auditor scores one batch per site
and closes fieldwork; the decision maker decides and (if certifiable) issues the certificate;
the report is downloaded as PDF and XLSX. Planned dates are skipped: no endpoint for them
exists yet (``PLAN_STEP``).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assay.bench.audits import (
    STATES,
    bench_offices,
    bench_scores,
    bench_self_assessment,
    standard_content,
)
from assay.bench.upload import SERVE, _wait_listening, free_port
from assay.engines.audit.decision import Reason, decide

PEOPLE = ("bench-operator", "bench-admin", "bench-auditor", "bench-decider", "bench-contact")
PLAN_STEP = "plan dates: skipped (no endpoint for an audit's planned dates on this version)"


class StepFailed(RuntimeError):
    """A request answered something other than what the step needs."""


@dataclass
class HttpResult:
    """Step name → seconds, the requests made, and what the audit came to."""

    attributes: int
    offices: int
    sites: int = 0
    requests: int = 0
    steps: list[tuple[str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    certifiable: bool | None = None
    engine_certifiable: bool | None = None  # the engine on the scores the client sent
    blocking: int = 0
    certificate: str = ""
    pdf_bytes: int = 0
    xlsx_bytes: int = 0
    setup_seconds: float = 0.0

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.steps.append((name, time.perf_counter() - start))


class Api:
    """A tiny JSON client on one loopback port (a new connection per request: gunicorn's sync
    workers close each one)."""

    def __init__(self, port: int, result: HttpResult) -> None:
        self.port = port
        self.result = result

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        expect: Sequence[int] = (200, 201),
        raw: tuple[bytes, str] | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data: bytes | None = None
        if raw is not None:
            data, headers["Content-Type"] = raw
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        try:
            conn.request(method, "/api/v1/" + path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        self.result.requests += 1
        if response.status not in expect:
            text = content[:500].decode("utf-8", "replace")
            raise StepFailed(f"{method} {path} answered {response.status}: {text}")
        return response.status, content

    def json(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        return json.loads(self.call(method, path, body, **kw)[1])


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "assay-bench-" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def run_work(api: Api, password: str, attributes: int, counts: Sequence[int], seed: int) -> None:
    """Every step of the audit over HTTP (``api.result`` collects the times)."""
    out = api.result
    rng = random.Random(seed)
    tokens: dict[str, str] = {}
    with out.step(f"sign in ({len(PEOPLE)} tokens)"):
        for name in PEOPLE:
            got = api.json("POST", "auth/login", {"username": name, "password": password})
            tokens[name] = got["token"]
    op, admin, auditor, decider, contact = (tokens[n] for n in PEOPLE)
    content = standard_content(attributes)
    with out.step("import standard"):
        upload = _multipart({}, "bench-standard.json", json.dumps(content).encode())
        api.call("POST", "standards", token=op, raw=upload)
        standard = api.json("GET", "standards/bench-standard", token=op)
    codes = _attribute_codes(standard)
    with out.step("body and roles"):
        body = api.json("POST", "bodies", {"name": "Bench body", "reference": "BENCH"}, token=op)
        for name, role in zip(
            PEOPLE[1:4], ("administrator", "auditor", "decision_maker"), strict=True
        ):
            api.call(
                "POST", f"bodies/{body['id']}/roles", {"username": name, "role": role}, token=op
            )
    offices = bench_offices(counts, rng)
    with out.step(f"organisation ({len(offices)} offices, one CSV import)"):
        org = api.json(
            "POST",
            "organisations",
            {"name": "Bench Pty Ltd", "reference": "BENCH-ORG", "body": body["id"]},
            token=admin,
        )
        lines = ["organisation_reference,office,state,main,complaints"]
        lines += [
            f"BENCH-ORG,{o.name},{o.state},{'yes' if o.is_main else 'no'},{o.complaints}"
            for o in offices
        ]
        csv = _multipart({}, "offices.csv", ("\n".join(lines) + "\n").encode())
        imported = json.loads(
            api.call("POST", f"client-imports?body={body['id']}", token=admin, raw=csv)[1]
        )
        if imported["offices"] != len(offices):
            raise StepFailed(f"the import added {imported['offices']} of {len(offices)} offices")
        api.call(
            "POST", f"organisations/{org['id']}/contacts", {"username": PEOPLE[4]}, token=admin
        )
    with out.step("audit and auditor"):
        audit = api.json(
            "POST", "audits", {"organisation": org["id"], "standard": "bench-standard"}, token=admin
        )
        a = audit["id"]
        api.call("POST", f"audits/{a}/auditors", {"username": PEOPLE[2]}, token=admin)
    out.notes.append(PLAN_STEP)
    expected = bench_self_assessment(_standard_for(content), rng)
    with out.step("self-assessment"):
        api.call("POST", f"audits/{a}/advance", {"to": "self_assessment"}, token=admin)
        entries = [{"attribute": code, "score": expected[code]} for code in codes]
        api.call("POST", f"audits/{a}/self-assessment", {"entries": entries}, token=contact)
    with out.step("sample"):
        sample = api.json("POST", f"audits/{a}/sample", {"seed": seed}, token=admin)
    picks = [p["office"] for p in sample["picks"]]
    out.sites = len(picks)
    scores = bench_scores(_standard_for(content), [str(p) for p in picks], rng)
    with out.step(f"scores ({len(picks)} batches x {len(codes)})"):
        api.call("POST", f"audits/{a}/advance", {"to": "fieldwork"}, token=auditor)
        for office in picks:
            batch = [
                {"office": office, "attribute": code, "score": score}
                for code, score in scores[str(office)].items()
            ]
            api.call("POST", f"audits/{a}/scores", {"entries": batch}, token=auditor)
    with out.step("close fieldwork"):
        summary = {"summary": "Bench fieldwork done."}
        api.call("POST", f"audits/{a}/fieldwork-report", summary, token=auditor)
    with out.step("decision"):
        decision = api.json(
            "POST", f"audits/{a}/decision", {"rationale": "Bench decision."}, token=decider
        )
    out.certifiable = bool(decision["certifiable"])
    out.blocking = sum(1 for r in decision["reasons"] if Reason(r["code"], r["text"]).blocking)
    sites = [str(p) for p in picks]
    out.engine_certifiable = decide(_standard_for(content), scores, sites).certifiable
    with out.step("certificate" if out.certifiable else "certificate (refused: not certifiable)"):
        status, answer = api.call(
            "POST", f"audits/{a}/certificate", token=decider, expect=(201, 422)
        )
        if (status == 201) != out.certifiable:
            raise StepFailed(f"certificate answered {status} for certifiable={out.certifiable}")
        if status == 201:
            out.certificate = json.loads(answer)["number"]
    with out.step("report PDF"):
        out.pdf_bytes = len(api.call("GET", f"audits/{a}/report.pdf", token=decider)[1])
    with out.step("report XLSX"):
        out.xlsx_bytes = len(api.call("GET", f"audits/{a}/report.xlsx", token=decider)[1])


def _attribute_codes(standard: dict[str, Any]) -> list[str]:
    """The attribute codes of ``GET /standards/{code}`` (its tree comes flattened)."""
    return [att["code"] for att in standard["attributes"]]


def _standard_for(content: dict[str, Any]) -> Any:
    from assay.audits.standard import standard_from_content

    return standard_from_content(content)


def prepare(password: str) -> None:
    """The child's side (a fresh data folder): migrate and create the accounts."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    users = get_user_model().objects
    users.create_superuser(PEOPLE[0], password=password)
    for name in PEOPLE[1:]:
        users.create_user(name, password=password)


def http_bench(
    attributes: int, counts: Sequence[int], seed: int, *, keep: bool = False
) -> HttpResult:
    """Prepare a throwaway data folder, serve it with gunicorn on loopback, run the work."""
    root = Path(tempfile.mkdtemp(prefix="assay-bench-audits-http-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASSAY_DATA_DIR=str(root),
        ASSAY_TODAY=env.get("ASSAY_TODAY") or "2013-03-01",
        ASSAY_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="assay.config.settings",
    )
    password = secrets.token_urlsafe(18)
    result = HttpResult(attributes=attributes, offices=sum(counts[: len(STATES)]))
    server: subprocess.Popen[bytes] | None = None
    try:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "assay.bench.audits_http", "prepare"],
            env={**env, "ASSAY_BENCH_PASSWORD": password},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise StepFailed(f"preparing the data folder failed:\n{done.stderr.strip()[-2000:]}")
        port = free_port()
        server = subprocess.Popen(
            [*SERVE, "--addr", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_listening(port, server)
        api = Api(port, result)
        # The first request imports the whole site in the worker: not part of the work.
        api.call("GET", "standards")
        result.requests = 0
        result.setup_seconds = time.perf_counter() - start
        run_work(api, password, attributes, counts, seed)
        return result
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def http_report_lines(out: HttpResult) -> list[str]:
    """What ``assay bench audits --http`` prints."""
    lines = [
        f"audits (JSON API over HTTP, gunicorn on loopback): {out.attributes} attributes, "
        f"{out.offices} offices, {out.sites} sites sampled, {out.requests} requests",
        f"  setup (migrate + accounts in a child, server start and first request; "
        "not in the total): "
        f"{out.setup_seconds * 1000:.0f} ms",
        "  steps:",
    ]
    lines += [f"    {name:<40} {seconds * 1000:10.1f} ms" for name, seconds in out.steps]
    total = sum(seconds for _name, seconds in out.steps)
    lines.append(f"    {'total':<40} {total * 1000:10.1f} ms")
    lines += [f"  {note}" for note in out.notes]
    verdict = (
        f"certifiable, certificate {out.certificate}"
        if out.certifiable
        else f"not certifiable ({out.blocking} blocking reasons), certificate refused"
    )
    if out.engine_certifiable is not None:
        agrees = "agrees" if out.engine_certifiable == out.certifiable else "DISAGREES"
        verdict += f" (the engine on the scores sent {agrees})"
    lines.append(
        f"  outcome: {verdict}; report PDF {out.pdf_bytes / 1024:.0f} KiB, "
        f"XLSX {out.xlsx_bytes / 1024:.0f} KiB"
    )
    return lines


def _main(argv: list[str]) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    django.setup()
    if argv[:1] == ["prepare"]:
        prepare(os.environ["ASSAY_BENCH_PASSWORD"])
    else:
        raise SystemExit("usage: python -m assay.bench.audits_http prepare")


if __name__ == "__main__":
    _main(sys.argv[1:])
