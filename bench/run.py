# ruff: noqa: S603, S608 (runs our own interpreter and scripts; SQL from constants)
"""`make bench` / `make bench-pg`: generate (once) a dataset, run each benchmark several
times, print median, p95 and the ratio to a baseline measured in the same run, and write
bench/results/<date>-<db>.md. Ratios, not absolute times, are what hold on a noisy
machine; nothing here is a test and nothing asserts a time.

    BENCH_SCALE=province|national|commune   (default province)
    BENCH_REPEAT=15                          (runs per in-process benchmark, at most)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
SETTINGS = "danvan.datagen.bench_settings"
YEAR = 2025
PROVINCE_AT = {"national": "01", "province": "31", "commune": "31"}


def say(text: str) -> None:
    print(text, flush=True)


def run(*args: str, env: dict) -> None:
    subprocess.run([PY, "-m", "danvan", *args], check=True, env=env, cwd=ROOT)


def prepare(scale: str, seed: int, env: dict, *, postgres: bool) -> None:
    """Migrate, load areas and generate once per data directory (SQLite) or cluster (PG)."""
    marker = Path(env["DANVAN_VAR_DIR"]) / f"generated-{scale}-{seed}"
    if not postgres and marker.exists():
        say(f"Using the {scale} dataset in {env['DANVAN_VAR_DIR']} (generated before).")
        return
    run("migrate", "--noinput", "-v", "0", env=env)
    run("load_areas", env=env)
    started = time.perf_counter()
    run("generate", "--scale", scale, "--seed", str(seed), env=env)
    say(f"Generated in {time.perf_counter() - started:.0f} s.")
    if not postgres:
        marker.write_text(dt.datetime.now(dt.UTC).isoformat())


def collect_static(env: dict) -> None:
    manifest = Path(env["DANVAN_VAR_DIR"]) / "static" / "staticfiles.json"
    if not manifest.exists():
        run("collectstatic", "--noinput", "-v", "0", env=env)


# Timing ------------------------------------------------------------------------------


def timed(fn, *, repeat: int, budget: float = 20.0) -> list[float]:
    """Milliseconds per call: one warm-up, then up to `repeat` runs (at least 3) within
    `budget` seconds."""
    fn()
    times: list[float] = []
    stop = time.perf_counter() + budget
    while len(times) < repeat and (len(times) < 3 or time.perf_counter() < stop):
        started = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - started))
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Table:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, group, name, times, baseline_name, baseline_times, target="", unit="ms"):
        median = statistics.median(times)
        base = statistics.median(baseline_times) if baseline_times else None
        row = {
            "group": group,
            "name": name,
            "median": median,
            "p95": p95(times),
            "runs": len(times),
            "baseline": baseline_name,
            "baseline_median": base,
            "ratio": (median / base) if base else None,
            "target": target,
            "unit": unit,
        }
        self.rows.append(row)
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] is not None else "–"
        say(
            f"  {group:<22} {name:<44} median {median:9.2f} {unit}  p95 {row['p95']:9.2f}  "
            f"ratio {ratio:>8} to {baseline_name} ({base if base is None else round(base, 2)})"
        )

    def note(self, group, name, value, target=""):
        self.rows.append({"group": group, "name": name, "text": value, "target": target})
        say(f"  {group:<22} {name:<44} {value}")


# In-process benchmarks ---------------------------------------------------------------


def actors(scale: str):
    from django.contrib.auth import get_user_model

    from danvan.org.models import Organization

    User = get_user_model()
    province = PROVINCE_AT[scale]
    p_org = Organization.objects.get(code=f"{province}-tu")
    c_org = (
        Organization.objects.filter(path__startswith=p_org.path, code__endswith="-du")
        .order_by("path")
        .first()
    )
    commune_code = c_org.code.split("-")[0]
    return {
        "national": (User.objects.get(username="bench.admin"), None),
        "province": (User.objects.get(username=f"p{province}.bdv"), p_org),
        "commune": (User.objects.get(username=f"c{commune_code}.bdv"), c_org),
        "handler": User.objects.get(username=f"c{commune_code}.xuly"),
        "commune_code": commune_code,
        "province_code": province,
    }


def raw_cases(path: str | None, start: dt.date, end: dt.date):
    """The best hand-written aggregate for the same figures: one GROUP BY over the matters
    of a path-prefix range of handling units and a period."""
    from django.db import connection

    # For a subtree the best plan starts from the path index; SQLite cannot estimate a path
    # range, so the date column is hidden from its planner with a unary plus.
    date = "+p.received_on" if path and connection.vendor == "sqlite" else "p.received_on"
    sql = (
        "SELECT m.kind, m.state, COUNT(*) FROM voices_matter m "
        "JOIN voices_petition p ON p.id = m.petition_id "
        "JOIN org_organization o ON o.id = m.unit_id "
        f"WHERE o.path >= %s AND o.path < %s AND {date} >= %s AND {date} <= %s "
        "GROUP BY m.kind, m.state"
    )
    low, high = (path, path + "~") if path else ("", "~")
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, high, start, end])
        return cursor.fetchall()


def raw_models(movement_id: int, path: str | None, year: int):
    from django.db import connection

    sql = (
        "SELECT mm.level_id, mm.state, COUNT(*) FROM emulation_movementmodel mm "
        "JOIN org_organization o ON o.id = mm.unit_id "
        "WHERE mm.movement_id = %s AND mm.year = %s AND o.path >= %s AND o.path < %s "
        "GROUP BY mm.level_id, mm.state"
    )
    low, high = (path, path + "~") if path else ("", "~")
    with connection.cursor() as cursor:
        cursor.execute(sql, [movement_id, year, low, high])
        return cursor.fetchall()


def bench_dashboards(table: Table, who: dict, repeat: int) -> None:
    from danvan.emulation import queries as eq
    from danvan.emulation.models import Movement
    from danvan.reports.contrib import Scope
    from danvan.voices import panels as voices_panels
    from danvan.voices import queries as vq

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    today = dt.date(2026, 11, 20)
    targets = {"national": "≤ 50 ms", "province": "≤ 20 ms", "commune": "≤ 5 ms"}
    for level in ("national", "province", "commune"):
        user, unit = who[level]
        path = unit.path if unit else None
        base = timed(lambda path=path: raw_cases(path, start, end), repeat=repeat)
        expected = sum(n for _k, _s, n in raw_cases(path, start, end))
        got = vq.case_counts(user, unit=unit, year=YEAR)["received"]
        if got != expected:
            say(f"  !! case_counts {level}: {got} != raw {expected}")
        table.add(
            f"dashboard {level}",
            "cases by kind and state (summary tables)",
            timed(lambda u=user, o=unit: vq.case_counts(u, unit=o, year=YEAR), repeat=repeat),
            "raw GROUP BY",
            base,
            targets[level],
        )
        table.add(
            f"dashboard {level}",
            "voices dashboard, every figure",
            timed(
                lambda u=user, o=unit: vq.dashboard(u, unit=o, start=start, end=end, today=today),
                repeat=repeat,
            ),
            "raw GROUP BY",
            base,
        )
        scope = Scope(user, unit, start, end, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))
        table.add(
            f"dashboard {level}",
            "voices panel of the reports dashboard (monthly tallies)",
            timed(lambda s=scope: voices_panels.dashboard_panel(s), repeat=repeat),
            "raw GROUP BY",
            base,
        )
    movement = Movement.objects.get(code=f"dvk-{who['province_code']}")
    for level in ("province", "commune"):
        user, unit = who[level]
        path = unit.path if unit else None
        scope_unit = unit if level == "commune" else None
        table.add(
            f"dashboard {level}",
            "emulation dashboard, every figure (raw)",
            timed(
                lambda u=user, o=scope_unit: eq.dashboard(u, movement=movement, year=YEAR, unit=o),
                repeat=repeat,
            ),
            "raw GROUP BY (models)",
            timed(
                lambda p=(path if level == "commune" else None): raw_models(movement.pk, p, YEAR),
                repeat=repeat,
            ),
        )


def bench_similar(table: Table, who: dict, repeat: int) -> None:
    from danvan.org.models import Area
    from danvan.voices import queries as vq
    from danvan.voices.models import Petition

    area = Area.objects.get(structure="2025", level="commune", code=who["commune_code"])
    sample = Petition.objects.filter(area=area, topic__code="land").order_by("pk").first()
    text = sample.contents if sample else "bồi thường giải phóng mặt bằng"
    for label, user in (("case handler", who["handler"]), ("national", who["national"][0])):

        def lookup(user=user):
            return vq.similar_petitions(user, text=text, area=area, topic_code="land")

        def candidates(user=user):
            from django.db.models import Q

            pool = vq.petitions(user).filter(Q(area=area) | Q(topic__code="land"))
            return list(pool.order_by("-received_on", "-pk").values_list("fingerprint")[:400])

        table.add(
            "similar cases",
            f"similar_petitions ({label})",
            timed(lookup, repeat=repeat),
            "fetch of the 400 candidates",
            timed(candidates, repeat=repeat),
            "≤ 50 ms",
        )


IMPORT_SIZES = (1000, 5000)  # 5,000 rows is the most a file may hold


def bench_import(table: Table, who: dict, repeat: int) -> None:
    """The validated import against a raw executemany/COPY of the same model rows, all
    rolled back: `io.run_import` (read the CSV, resolve codes, check every row by the
    rules of `register_model`, write in bulk, one audit event) and `services.register_models`
    alone (already-resolved rows: the checks and the bulk write)."""
    from django.db import connection, transaction

    from danvan.emulation import io, services
    from danvan.emulation.models import Movement, MovementModel, RegistrationWindow
    from danvan.org.models import Organization

    movement = Movement.objects.get(code=f"dvk-{who['province_code']}")
    p_user, p_org = who["province"]
    units = list(
        Organization.objects.filter(path__startswith=p_org.path, is_active=True)
        .select_related("area")
        .order_by("path")[:200]
    )
    RegistrationWindow.objects.get_or_create(
        movement=movement,
        year=2026,
        level=None,
        defaults={"opens_on": dt.date(2026, 1, 1), "closes_on": dt.date(2026, 12, 31)},
    )
    today = dt.date(2026, 11, 20)
    level_id = movement.levels.get(code="commune").pk
    field_id = movement.fields.get(code="economy").pk
    registration = MovementModel.objects.filter(movement=movement).first().registration_id
    raw_name = "raw executemany/COPY" if connection.vendor == "postgresql" else "raw executemany"

    class Undo(Exception):
        pass

    def rolled_back(fn):
        def run():
            try:
                with transaction.atomic():
                    fn()
                    raise Undo
            except Undo:
                pass

        return run

    title = "Mô hình nhập thử số {}"
    for size in IMPORT_SIZES:
        lines = ["unit,year,level,field,title"]
        lines += [
            f"{units[i % len(units)].code},2026,commune,economy,{title.format(i)}"
            for i in range(size)
        ]
        content = ("\n".join(lines) + "\n").encode()
        rows = [
            {
                "year": 2026,
                "level_code": "commune",
                "field_code": "economy",
                "unit": units[i % len(units)],
                "title": title.format(i),
            }
            for i in range(size)
        ]

        def via_file(content=content, size=size):
            result = io.run_import(
                actor=p_user,
                movement=movement,
                file_name="bench.csv",
                content=content,
                today=today,
            )
            assert len(result.models) == size

        def via_service(rows=rows, size=size):
            result = services.register_models(
                actor=p_user, movement=movement, rows=rows, today=today
            )
            assert result.ok and len(result.models) == size, result.errors[:3]

        def raw(size=size):
            from danvan.datagen import bulk

            first = bulk.next_id(MovementModel)
            now = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
            values = [
                (first + i, registration, movement.pk, 2026, level_id, units[i % len(units)].pk,
                 title.format(i), f"mo hinh nhap thu so {i}", field_id, "", "", "", None, None,
                 "registered", None, "", False, now)
                for i in range(size)
            ]  # fmt: skip
            bulk.insert(
                MovementModel,
                ["id", "registration_id", "movement_id", "year", "level_id", "unit_id", "title",
                 "search_name", "field_id", "target_group", "goals", "plan", "start_date",
                 "end_date", "state", "state_changed_on", "abandon_reason", "for_replication",
                 "created_at"],
                values,
            )  # fmt: skip

        raw_times = timed(rolled_back(raw), repeat=repeat)
        raw_rate = size / (statistics.median(raw_times) / 1000)
        for name, fn in (
            (f"run_import: CSV → validated → bulk, {size} rows", via_file),
            (f"register_models: validated → bulk, {size} rows", via_service),
        ):
            times = timed(rolled_back(fn), repeat=repeat)
            table.add("import", name, times, raw_name, raw_times, "≥ 50k rows/s")
            rate = size / (statistics.median(times) / 1000)
            table.note(
                "import",
                f"rows/s, {name.split(':')[0]} {size} (app vs raw)",
                f"{rate:,.0f} vs {raw_rate:,.0f} ({rate / raw_rate:.0%} of raw)",
                "≥ 50k rows/s",
            )


def bench_report(table: Table, who: dict, repeat: int) -> None:
    """The annual report of the province's Party committee: every app's section collected
    (as the background task does) and the DOCX written; rolled back."""
    from django.apps import apps
    from django.db import transaction

    if not apps.is_installed("danvan.reports"):
        table.note("report", "annual province report", "not yet (the reports app has not landed)")
        return
    from danvan.reports import documents
    from danvan.reports import services as reports

    admin, _unit = who["national"]
    _user, province = who["province"]

    class Undo(Exception):
        pass

    def annual():
        try:
            with transaction.atomic():
                report = reports.generate_report(
                    actor=admin, unit=province, period=str(YEAR), run_now=True
                )
                documents.docx_bytes(documents.content(report))
                raise Undo
        except Undo:
            pass

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    table.add(
        "report",
        f"annual province report {YEAR} (all sections + DOCX)",
        timed(annual, repeat=min(repeat, 5), budget=60),
        "raw GROUP BY (province cases)",
        timed(lambda: raw_cases(province.path, start, end), repeat=min(repeat, 5)),
        "≤ 2 s",
    )


# Over HTTP ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def load(port: int, path: str, cookie: str, *, requests: int, seconds: float) -> dict:
    out = subprocess.run(
        [
            PY,
            str(ROOT / "bench" / "load.py"),
            "--port",
            str(port),
            "--path",
            path,
            "--cookie",
            cookie,
            "--requests",
            str(requests),
            "--seconds",
            str(seconds),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def worker_rss_mb(master_pid: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sizes


def bench_http(table: Table, who: dict, env: dict, *, requests: int, seconds: float) -> None:
    from danvan.emulation.models import Movement

    movement = Movement.objects.get(code=f"dvk-{who['province_code']}")
    c_user, _c_org = who["commune"]
    p_user, _p_org = who["province"]
    port = free_port()
    server = subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "danvan.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": SETTINGS},
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        cookies = {
            "commune": session_cookie(c_user),
            "province": session_cookie(p_user),
            "handler": session_cookie(who["handler"]),
        }
        cases = [
            ("hello world (baseline)", "/bench/hello/", cookies["commune"]),
            (
                "models list page (commune user)",
                f"/emulation/{movement.pk}/models/",
                cookies["commune"],
            ),
            (
                "models list page (province user)",
                f"/emulation/{movement.pk}/models/",
                cookies["province"],
            ),
            ("voices worklist page (case handler)", "/voices/", cookies["handler"]),
            (
                "API /emulation/models (province user)",
                f"/api/v1/emulation/models?movement={movement.pk}",
                cookies["province"],
            ),
            ("API /voices/matters (case handler)", "/api/v1/voices/matters", cookies["handler"]),
        ]
        for _label, path, cookie in cases:  # warm both workers (imports, caches)
            load(port, path, cookie, requests=8, seconds=10)
        hello = None
        for label, path, cookie in cases:
            result = load(port, path, cookie, requests=requests, seconds=seconds)
            if hello is None:
                hello = result
            ratio = result["rps"] / hello["rps"] if hello["rps"] else 0
            errors = f", {result['errors']} errors {result['statuses']}" if result["errors"] else ""
            table.note(
                "http",
                label,
                f"{result['rps']:.1f} req/s ({100 * ratio:.0f}% of hello world), "
                f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
                f"{result['requests']} requests{errors}",
                "≥ 60% of hello world" if hello is not result else "",
            )
        sizes = worker_rss_mb(server.pid)
        table.note(
            "memory",
            "gunicorn worker RSS after the run",
            ", ".join(f"{s:.0f} MB" for s in sizes) or "unknown",
            "≤ 250 MB",
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# Report ------------------------------------------------------------------------------


def machine() -> list[str]:
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]} (WAL)"
    load1 = os.getloadavg()[0]
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores (shared with other work; load average at start "
        f"{load1:.1f})",
        f"- memory: {mem}; {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, Django {__import__('django').get_version()}, {db}",
    ]


def counts() -> list[str]:
    from danvan.datagen.generate import generated_models

    return [f"{m._meta.label}: {m.objects.count():,}" for m in generated_models()]


def write(
    table: Table, *, scale: str, db: str, seconds: float, header: list[str], partial: str
) -> Path:
    today = dt.datetime.now(dt.UTC).date().isoformat()  # the machine's zone may be UTC+7
    # A partial run names its scale and parts, so it never overwrites a full run's file.
    suffix = f"-{scale}-{partial}" if partial else ""
    out = ROOT / "bench" / "results" / f"{today}-{db}{suffix}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Benchmarks {today} on {db} — scale {scale}",
        "",
        *header,
        f"- data: {', '.join(counts())}",
        f"- run took {seconds:.0f} s; in-process timings are wall-clock ms per call after one "
        "warm-up; ratio = median / baseline median measured in the same run.",
        "",
        "| group | benchmark | median | p95 | runs | baseline (median) | ratio | target |",
        "|---|---|---:|---:|---:|---|---:|---|",
    ]
    for row in table.rows:
        if "text" in row:
            lines.append(
                f"| {row['group']} | {row['name']} | {row['text']} | | | | | {row['target']} |"
            )
            continue
        base = f"{row['baseline']} ({row['baseline_median']:.2f} ms)" if row["baseline"] else ""
        ratio = f"{row['ratio']:.2f}×" if row["ratio"] is not None else ""
        lines.append(
            f"| {row['group']} | {row['name']} | {row['median']:.2f} ms | {row['p95']:.2f} ms | "
            f"{row['runs']} | {base} | {ratio} | {row['target']} |"
        )
    out.write_text("\n".join(lines) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "province"))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "1")))
    parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "15")))
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        choices=["dashboards", "similar", "import", "report", "http"],
        help="run only these benchmarks (repeatable); the results file is still written",
    )
    args = parser.parse_args()

    url = os.environ.get("DANVAN_DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://", "pgsql://"))
    db = "postgresql" if postgres else "sqlite"
    env = dict(os.environ)
    env.setdefault("DANVAN_VAR_DIR", str(ROOT / "var" / "bench" / args.scale))
    Path(env["DANVAN_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    prepare(args.scale, args.seed, env, postgres=postgres)
    collect_static(env)

    os.environ.update({"DANVAN_VAR_DIR": env["DANVAN_VAR_DIR"], "DJANGO_SETTINGS_MODULE": SETTINGS})
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    header = machine()
    say("\n".join(header))
    table = Table()
    who = actors(args.scale)
    say(f"Benchmarks at scale {args.scale} on {db}:")
    only = set(args.only or ["dashboards", "similar", "import", "report", "http"])
    if args.skip_http:
        only.discard("http")
    groups = [
        ("dashboards", lambda: bench_dashboards(table, who, args.repeat)),
        ("similar", lambda: bench_similar(table, who, args.repeat)),
        ("import", lambda: bench_import(table, who, args.repeat)),
        ("report", lambda: bench_report(table, who, args.repeat)),
        ("http", lambda: bench_http(table, who, env, requests=args.requests, seconds=args.seconds)),
    ]
    for name, run_group in groups:
        if name not in only:
            continue
        try:
            run_group()
        except Exception as exc:  # one broken benchmark must not lose the others' figures
            import traceback

            traceback.print_exc()
            table.note(name, "failed", f"{type(exc).__name__}: {str(exc)[:200]}")
    out = write(
        table,
        scale=args.scale,
        db=db,
        seconds=time.perf_counter() - started,
        header=header,
        partial="-".join(sorted(only)) if (args.only or args.skip_http) else "",
    )
    say(f"Results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
