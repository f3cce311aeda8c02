"""Fixtures for the reports app: a city with its Mass Mobilization Commission (Party
format) and a ward People's Committee (state format), petitions received in Q1 2026."""

import datetime as dt

import pytest

from danvan.org.models import Organization, OrganizationType
from danvan.reports import services
from danvan.voices import services as voices_services

from ..factories import OrganizationFactory, UserFactory, grant

IN_Q1 = dt.date(2026, 2, 13)
IN_Q4_2025 = dt.date(2025, 11, 20)
# Every Vietnamese vowel with every tone mark, and đ: if one glyph fell back to another
# font, pdffonts would list it and the text would not come back from pdftotext.
DIACRITICS = (
    "ả á à ạ ã ă ắ ằ ẳ ẵ ặ â ấ ầ ẩ ẫ ậ đ é è ẻ ẽ ẹ ê ế ề ể ễ ệ í ì ỉ ĩ ị ó ò ỏ õ ọ "
    "ô ố ồ ổ ỗ ộ ơ ớ ờ ở ỡ ợ ú ù ủ ũ ụ ư ứ ừ ử ữ ự ý ỳ ỷ ỹ ỵ "
    "Ả Á À Ạ Ã Ă Ắ Ằ Ẳ Ẵ Ặ Â Ấ Ầ Ẩ Ẫ Ậ Đ Ế Ề Ể Ễ Ệ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ Ứ Ừ Ử Ữ Ự Ỳ Ỷ Ỹ Ỵ"
)

PHRASE = (
    "Tiếp tục đổi mới nội dung, phương thức công tác dân vận; phát huy quyền làm chủ của Nhân dân."
)


def _type(code):
    return OrganizationType.objects.get(code=code)


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Tasks run as soon as they are enqueued (after the commit)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def units(tree, hanoi_ward):
    commission = OrganizationFactory(
        code="hn-bdv",
        name="Ban Dân vận Thành ủy Hà Nội",
        area=tree["city"].area,
        parent=tree["city"],
        type=_type("mass-mobilization-commission"),
    )
    committee = OrganizationFactory(
        code="bd-ubnd",
        name=f"Ủy ban nhân dân {hanoi_ward.name}",
        area=hanoi_ward,
        parent=tree["ward"],
        type=_type("peoples-committee"),
    )
    return {
        **tree,
        "commission": Organization.objects.get(pk=commission.pk),
        "committee": Organization.objects.get(pk=committee.pk),
    }


@pytest.fixture
def officer(units):
    """Commission officer of the city: generates, edits and issues reports."""
    user = UserFactory(username="dung", first_name="Dũng", last_name="Nguyễn")
    grant(user, "commission_officer", units["city"])
    return user


@pytest.fixture
def viewer(units):
    """Viewer of the city: reads reports, never writes."""
    user = UserFactory(username="vy")
    grant(user, "viewer", units["city"])
    return user


@pytest.fixture
def ward_officer(units):
    """Commission officer of the sibling ward: sees nothing of the city's reports."""
    user = UserFactory(username="other")
    grant(user, "commission_officer", units["other"])
    return user


@pytest.fixture
def handler(units):
    user = UserFactory(username="hana")
    grant(user, "case_handler", units["city"])
    return user


@pytest.fixture
def receive(units, handler, hanoi_ward):
    def _receive(unit=None, *, kinds=("complaint",), on=IN_Q1):
        return voices_services.receive_petition(
            actor=handler,
            unit=unit or units["committee"],
            channel="letter",
            received_on=on,
            area=hanoi_ward,
            topic_code="land",
            contents="Đề nghị xem xét việc thu hồi đất làm đường liên xã.",
            matters=[{"kind": k, "summary": f"Một {k}"} for k in kinds],
            citizens=[{"name": "Trần Văn Khải", "address": "", "contact": ""}],
        )

    return _receive


@pytest.fixture
def petitions(units, receive):
    """Q1 2026: 3 complaints, 2 denunciations, 1 recommendation under the ward; one complaint
    at the sibling ward; Q4 2025: 2 complaints (the previous period)."""
    receive(kinds=("complaint", "complaint", "denunciation"))
    receive(kinds=("complaint", "denunciation", "recommendation"))
    receive(units["other"], kinds=("complaint",))
    receive(kinds=("complaint", "complaint"), on=IN_Q4_2025)


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Generate through the service, running the background task after the commit."""

    def _generate(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.generate_report(**kwargs)
        report.refresh_from_db()
        return report

    return _generate
