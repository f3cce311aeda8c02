"""The permission table of /api/v1/plans/: method, URL, user → status.

Outsiders get 404 (they never learn a thing exists), viewers 403 on writes; writes need
`plans.manage` on the issuing / owning unit, progress and completions `plans.report` (or
manage) on the unit. Each row runs for every user in a savepoint that is rolled back.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.plans import models, services

from ...api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

ANON, OFFICER, COMMUNE, REPORTER, VIEWER, STRANGER, ROOT = (
    "anon", "officer", "commune", "reporter", "viewer", "stranger", "root",
)  # fmt: skip


def expect(officer, commune, reporter, viewer, stranger, root):
    return {ANON: 401, OFFICER: officer, COMMUNE: commune, REPORTER: reporter, VIEWER: viewer,
            STRANGER: stranger, ROOT: root}  # fmt: skip


TODAY = timezone.localdate()
EVERYONE = expect(200, 200, 200, 200, 200, 200)
SEE_ALL = expect(200, 200, 200, 200, 404, 200)  # the document, the commune's task
SEE_CITY = expect(200, 404, 404, 200, 404, 200)  # things of the city
CITY_NEW = expect(201, 404, 404, 403, 404, 201)
CITY_WRITE = expect(200, 404, 404, 403, 404, 200)
COMMUNE_MANAGE = expect(200, 200, 403, 403, 404, 200)
COMMUNE_REPORT = expect(201, 201, 201, 403, 404, 201)
D = "documents/{document}"
T, C = "tasks/{task}", "tasks/{child}"
K = "coordination/{coordination}"
DAY = TODAY.isoformat()
LATER = (TODAY + dt.timedelta(days=30)).isoformat()

TABLE = [
    ("GET", "documents", None, EVERYONE),
    ("GET", D, None, SEE_ALL),
    ("GET", D + "/matrix", None, SEE_ALL),
    ("POST", "documents", {"issuer": "{commission}", "kind": "directive", "number": "9-CT/TU",
     "issued_on": DAY, "title": "Chỉ thị", "recipients": ["{commune0}"],
     "actions": [{"kind": "plan", "due_on": LATER}]}, CITY_NEW),
    ("POST", D + "/recipients", {"units": ["{commune5}"]}, CITY_WRITE),
    ("POST", "actions/{action}/completions", {"unit": "{commune0}", "done_on": DAY},
     COMMUNE_REPORT),
    ("GET", "programmes", None, EVERYONE),
    ("GET", "programmes/{programme}", None, SEE_CITY),
    ("POST", "programmes", {"organization": "{party}", "kind": "annual", "title": "CT 2027",
     "start": "2027-01-01", "end": "2027-12-31"}, CITY_NEW),
    ("GET", "tasks", None, EVERYONE),
    ("GET", T, None, SEE_CITY),
    ("GET", C, None, SEE_ALL),
    ("POST", "tasks", {"owner": "{commune0}", "title": "Việc mới", "deadline": LATER},
     expect(201, 201, 403, 403, 404, 201)),
    ("PATCH", C, {"title": "Tên mới"}, COMMUNE_MANAGE),
    ("POST", T + "/cascade", {"units": [{"unit": "{commune5}", "weight": 2}]}, CITY_NEW),
    ("GET", T + "/children", None, SEE_CITY),
    ("POST", C + "/reports", {"reported_on": DAY, "narrative": "Đã làm", "percent": 40},
     COMMUNE_REPORT),
    ("GET", C + "/reports", None, SEE_ALL),
    ("POST", C + "/cancel", {"reason": "Không phù hợp"}, COMMUNE_MANAGE),
    ("POST", C + "/done", None, expect(200, 200, 200, 403, 404, 200)),
    ("GET", "conferences", None, EVERYONE),
    ("GET", "conferences/{conference}", None, SEE_CITY),
    ("POST", "conferences", {"organizer": "{commission}", "kind": "quarterly", "title": "Sơ kết",
     "held_on": DAY, "key_tasks": ["Việc trọng tâm"]}, CITY_NEW),
    ("POST", "key-tasks/{key_task}/task", {"deadline": LATER}, CITY_NEW),
    ("GET", "coordination", None, EVERYONE),
    ("GET", K, None, SEE_ALL),
    ("POST", "coordination", {"lead": "{commission}", "title": "Phối hợp", "start": DAY,
     "end": LATER, "parties": ["{union0}"]}, CITY_NEW),
    ("POST", K + "/activities", {"owner": "{union0}", "title": "Hoạt động", "deadline": LATER},
     expect(201, 201, 403, 403, 404, 201)),
    ("PUT", K + "/evaluations", {"party": "{union0}", "year": TODAY.year, "grade": "good"},
     expect(200, 403, 403, 403, 404, 200)),
]  # fmt: skip


def db_state() -> dict:
    counted = [
        models.Document, models.Recipient, models.RequiredAction, models.Completion,
        models.WorkProgramme, models.Task, models.ProgressReport, models.Conference,
        models.KeyTask, models.CoordinationProgramme, models.PartyEvaluation, AuditEvent,
    ]  # fmt: skip
    state = {m.__name__: m.objects.count() for m in counted}
    state["tasks"] = list(
        models.Task.objects.order_by("pk").values_list("pk", "title", "state", "percent")
    )
    return state


@pytest.fixture
def cast(province, superuser):
    officer = province.officer
    document = services.create_document(
        actor=officer,
        issuer=province.commission,
        kind="directive",
        number="28-CT/TU",
        issued_on=TODAY - dt.timedelta(days=10),
        title="Chỉ thị",
        recipients=province.communes[:5],
        actions=[("plan", TODAY + dt.timedelta(days=20))],
    )
    programme = services.create_programme(
        actor=officer,
        organization=province.party,
        kind="annual",
        title="Chương trình công tác",
        start=dt.date(TODAY.year, 1, 1),
        end=dt.date(TODAY.year, 12, 31),
    )
    task = services.create_task(
        actor=officer,
        owner=province.party,
        title="Đối thoại",
        deadline=TODAY + dt.timedelta(days=60),
        programme=programme,
    )
    child = services.cascade_task(actor=officer, task=task, units=province.communes[:3])[0]
    conference = services.create_conference(
        actor=officer,
        organizer=province.commission,
        kind="quarterly",
        title="Giao ban quý",
        held_on=TODAY,
        key_tasks=["Tiếp tục đối thoại"],
    )
    coordination = services.create_coordination(
        actor=officer,
        lead=province.commission,
        title="Chương trình phối hợp",
        start=TODAY - dt.timedelta(days=100),
        end=TODAY + dt.timedelta(days=365),
        parties=[province.unions[0]],
    )
    ids = {
        "document": document.pk,
        "action": document.actions.get().pk,
        "programme": programme.pk,
        "task": task.pk,
        "child": child.pk,
        "conference": conference.pk,
        "key_task": conference.key_tasks.get().pk,
        "coordination": coordination.pk,
        "commission": province.commission.pk,
        "party": province.party.pk,
        "commune0": province.communes[0].pk,
        "commune5": province.communes[5].pk,
        "union0": province.unions[0].pk,
    }
    users = {ANON: None, OFFICER: officer, COMMUNE: province.commune_officer,
             REPORTER: province.reporter, VIEWER: province.viewer, STRANGER: province.stranger,
             ROOT: superuser}  # fmt: skip
    tokens = {who: token_for(user) if user else None for who, user in users.items()}
    return ids, tokens


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    [pytest.param(*row, id=f"{row[0]} {row[1]}") for row in TABLE],
)
def test_permission_table(cast, method, url, body, expected):
    ids, tokens = cast
    url = "/api/v1/plans/" + url.format(**ids)
    body = _fill(body, ids)
    got = {}
    for who, token in tokens.items():
        with transaction.atomic():
            api = ApiClient(token)
            before = db_state()
            response = api.get(url) if method == "GET" else api.request(method, url, body)
            got[who] = response.status_code
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json"), who
                assert response.json()["message"]
                assert db_state() == before, f"{who}: a refused request wrote something"
            elif method != "GET":
                assert AuditEvent.objects.count() > before["AuditEvent"], f"{who}: no audit"
            transaction.set_rollback(True)
    assert got == expected


def test_table_covers_every_plans_endpoint():
    from danvan.plans.api import router

    served = {
        (method.upper(), path.lstrip("/"))
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }

    def shape(path):
        return "/".join("{}" if p.startswith("{") else p for p in path.split("?")[0].split("/"))

    assert {(m, shape(p)) for m, p in served} == {(m, shape(u)) for m, u, _b, _e in TABLE}
