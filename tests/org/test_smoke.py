from danvan.org.models import Area


def test_official_areas_loaded_once(db):
    assert Area.objects.filter(structure="2025", level="province").count() == 34


def test_tree_fixture_and_scope(alice, tree):
    from danvan.accounts.scope import visible
    from danvan.org.models import Organization

    seen = set(visible(alice, Organization.objects.all()).values_list("code", flat=True))
    assert seen == {"bd-du", "bd-hlhpn"}
