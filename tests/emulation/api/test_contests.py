"""Contests over the API: list, detail, create, teams, judges, scores, closing a round,
ranking, prizes, entries, the coverage rule and coverage."""

from danvan.emulation.models import Judge, RoundTeam

from .conftest import YEAR, Api


def test_list_and_detail(world, alice, bob, charlie, superuser):
    assert {c["code"] for c in Api(bob).get("contests").json()["items"]} == {
        "hoi-thi-dvk",
        "bao-chi",
    }
    assert Api(charlie).get("contests").json()["count"] == 0
    assert [c["code"] for c in Api(alice).get("contests", kind="entries").json()["items"]] == [
        "bao-chi"
    ]
    assert Api(alice).get("contests", year=YEAR - 1).json()["count"] == 0
    assert Api(alice).get("contests", q="Hội thi").json()["count"] == 1
    body = Api(bob).get(f"contests/{world.contest.pk}").json()
    assert [r["name"] for r in body["rounds"]] == ["Vòng sơ khảo", "Chung kết"]
    assert body["rounds"][0]["judges"] == ["judy"] and body["rounds"][0]["advance"] == 1
    assert body["criteria"][0]["max_score"] == "10.00"
    assert body["teams"][0]["members"] == [{"name": "Nguyễn Thị Hoa", "role": "đội trưởng"}]
    assert body["coverage_rule"] is None and body["prizes"] == []


def test_a_judge_sees_the_contest(world, charlie):
    from tests.factories import UserFactory

    outsider_judge = UserFactory(username="expert")
    Judge.objects.create(round=world.contest.rounds.get(order=1), user=outsider_judge)
    assert [c["code"] for c in Api(outsider_judge).get("contests").json()["items"]] == [
        "hoi-thi-dvk"
    ]
    assert Api(charlie).get(f"contests/{world.contest.pk}").status_code == 404


def test_create(tree, alice):
    r = Api(alice).post(
        "contests",
        {
            "organizer": tree["ward"].pk,
            "code": "hoi-thi-2",
            "name": "Hội thi tuyên truyền",
            "kind": "teams",
            "year": YEAR,
            "criteria": [{"name": "Nội dung", "max_score": 20, "weight": 2}, {"name": "Hình thức"}],
            "rounds": [
                {"name": "Vòng cụm", "advance": 2, "group_by": "area"},
                {"name": "Chung kết"},
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert [c["weight"] for c in body["criteria"]] == ["2.00", "1.00"]
    assert [(r["order"], r["group_by"], r["advance"]) for r in body["rounds"]] == [
        (1, "area", 2),
        (2, "none", None),
    ]


def test_teams_judges_scores_close_ranking_prize(world, alice, superuser):
    ids = world.ids
    api, base = Api(alice), f"contests/{world.contest.pk}"
    r = api.post(
        f"{base}/teams",
        {"name": "Đội Đảng ủy", "unit": world.tree["ward"].pk, "members": [{"name": "Lê Văn An"}]},
    )
    assert r.status_code == 201, r.content
    second = r.json()["id"]
    r = api.post(f"{base}/rounds/{ids['round1']}/judges", {"username": "alice"})
    assert r.status_code == 201 and r.json()["username"] == "alice"
    # Alice and judy judge round 1.
    r = api.post(
        f"{base}/rounds/{ids['round1']}/scores", {"team": world.team.pk, "scores": {ids["cc"]: 9}}
    )
    assert r.status_code == 200, r.content
    assert r.json()["team"]["name"] == "Đội Phụ nữ"
    api.post(f"{base}/rounds/{ids['round1']}/scores", {"team": second, "scores": {ids["cc"]: 7}})
    Api(world.judge_user).post(
        f"{base}/rounds/{ids['round1']}/scores", {"team": second, "scores": {ids["cc"]: 8}}
    )
    r = api.post(f"{base}/rounds/{ids['round1']}/close")
    assert r.status_code == 200, r.content
    ranking = r.json()
    assert [(p["team"]["name"], p["rank"], p["advanced"]) for p in ranking] == [
        ("Đội Phụ nữ", 1, True),
        ("Đội Đảng ủy", 2, False),
    ]
    assert ranking[0]["total"] == "9.00" and ranking[1]["total"] == "7.50"
    assert api.get(f"{base}/rounds/{ids['round1']}/ranking").json() == ranking
    final = api.get(f"{base}/rounds/{ids['round2']}/ranking").json()
    assert [p["team"]["name"] for p in final] == ["Đội Phụ nữ"]
    assert RoundTeam.objects.filter(round_id=ids["round2"]).count() == 1
    r = api.post(
        f"contests/{world.contest.pk}/prizes", {"name": "Giải Nhất", "team": world.team.pk}
    )
    assert r.status_code == 201 and r.json()["team_id"] == world.team.pk
    assert api.get(base).json()["prizes"][0]["name"] == "Giải Nhất"


def test_entries_prize_and_coverage(world, alice, bob, superuser):
    api, base = Api(alice), f"contests/{world.entries_contest.pk}"
    r = api.put(f"{base}/coverage-rule", {"unit_type": "womens-union", "minimum": 1})
    assert r.status_code == 200, r.content
    assert r.json() == {"unit_type": "womens-union", "area_level": "", "minimum": 1}
    coverage = api.get(f"{base}/coverage").json()
    assert coverage["expected"] >= 1 and coverage["covered"] == 0
    assert "bd-hlhpn" in [u["code"] for u in coverage["missing"]]
    r = api.post(
        f"{base}/entries",
        {
            "unit": world.tree["union"].pk,
            "title": "Phụ nữ Ba Đình khéo vận động",
            "author": "Phạm Thu",
            "outlet": "Báo Hà Nội mới",
            "link": "https://hanoimoi.vn/bai-viet",
        },
    )
    assert r.status_code == 201, r.content
    entry = r.json()
    assert entry["unit"]["code"] == "bd-hlhpn"
    coverage = Api(bob).get(f"{base}/coverage").json()
    assert "bd-hlhpn" not in [u["code"] for u in coverage["missing"]]
    assert any(row["unit"]["code"] == "bd-hlhpn" and row["covered"] for row in coverage["rows"])
    assert [e["id"] for e in Api(bob).get(f"{base}/entries").json()["items"]] == [entry["id"]]
    r = api.post(f"{base}/prizes", {"name": "Giải A", "entry": entry["id"]})
    assert r.status_code == 201 and r.json()["entry_id"] == entry["id"]


def test_coverage_without_rule(world, alice):
    body = Api(alice).get(f"contests/{world.entries_contest.pk}/coverage").json()
    assert body == {
        "rule": None, "expected": 0, "covered": 0, "percent": None, "missing": [], "rows": []
    }  # fmt: skip


def test_coverage_needs_the_organizer_in_sight(world, tree, hanoi_ward):
    """The ward's Fatherland Front (under the city, in the same ward) takes part in the
    ward's contest, but the coverage list is for those who see the organizer."""
    from tests.factories import OrganizationFactory, UserFactory, grant

    front = OrganizationFactory(
        code="bd-mttq", name="Ủy ban MTTQ phường Ba Đình", area=hanoi_ward, parent=tree["city"]
    )
    officer = UserFactory(username="otto")
    grant(officer, "organization_officer", front)
    base = f"contests/{world.entries_contest.pk}"
    assert Api(officer).get(base).status_code == 200
    assert Api(officer).get(f"{base}/coverage").status_code == 404
