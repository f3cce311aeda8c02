"""The home page's items on the demo data, per role: what each app contributes (core/home.py)
follows the role's actions and the unit's subtree, and never reaches outside it."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from danvan.core import home
from danvan.org.models import Organization


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _items(username):
    """The user's items, looking at the unit of their grant (as the home page does)."""
    from danvan.accounts.models import Grant

    user = get_user_model().objects.get(username=username)
    grant = Grant.objects.select_related("organization").get(user=user)
    unit = grant.organization or Organization.objects.get(code="31-tu")
    return home.collect(user, unit)


def test_each_role_gets_the_to_do_its_actions_allow(demo):
    officer, union = _items("bdv.xa"), _items("hoiphunu.xa")
    handler, viewer = _items("xuly.don"), _items("xem")
    officer_apps = {i.app for i in officer[home.TODO]}
    assert "Phong trào thi đua" in officer_apps or "Chương trình, nhiệm vụ" in officer_apps
    # The case handler's to-do is cases only; the union officer's never is.
    assert {i.app for i in handler[home.TODO]} <= {"Ý kiến, kiến nghị của Nhân dân"}
    assert "Ý kiến, kiến nghị của Nhân dân" not in {i.app for i in union[home.TODO]}
    assert viewer[home.TODO] == []
    # Attention items are counts with a link to the list behind them, the worst first.
    city = _items("lanhdao")
    assert city[home.ATTENTION] and all(i.count > 0 and i.url for i in city[home.ATTENTION])
    order = [i.tone for i in city[home.ATTENTION]]
    assert order == sorted(order, key=lambda t: {"bad": 0, "warn": 1}.get(t, 2))


def test_an_outsider_gets_nothing(demo):
    user = get_user_model().objects.create(username="ngoai")
    found = home.collect(user, None)
    assert found == {home.TODO: [], home.ATTENTION: []}
