"""A believable demo: Hải Phòng with a few communes, their organizations and users per role."""

import contextlib

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from danvan.accounts import services as account_services
from danvan.audit.context import request_context
from danvan.audit.log import record
from danvan.core.errors import Conflict
from danvan.core.registry import app_modules
from danvan.org.models import Area, Organization
from danvan.org.services import create_organization

DEMO_PASSWORD = "danvan-demo-2026"
# An office's public contact (a demo value): where citizens ask about their petitions.
OFFICE_CONTACT = (
    "Bộ phận tiếp công dân, tầng 1 trụ sở; sáng thứ Hai đến thứ Sáu, 7 giờ 30 – 11 giờ 30"
)
PROVINCE_CODE = "31"  # Thành phố Hải Phòng (merged with Hải Dương in 2025)
COMMUNES = 8

PROVINCE_ORGS = [
    # code suffix, parent suffix, type, name
    ("tu", None, "party-committee", "Thành ủy Hải Phòng"),
    ("bdv", "tu", "mass-mobilization-commission", "Ban Dân vận Thành ủy Hải Phòng"),
    ("ubnd", "tu", "peoples-committee", "Ủy ban nhân dân thành phố Hải Phòng"),
    ("mttq", "tu", "fatherland-front", "Ủy ban MTTQ Việt Nam thành phố Hải Phòng"),
    ("hlhpn", "mttq", "womens-union", "Hội Liên hiệp Phụ nữ thành phố Hải Phòng"),
    ("doan", "mttq", "youth-union", "Thành đoàn Hải Phòng"),
    ("hnd", "mttq", "farmers-association", "Hội Nông dân thành phố Hải Phòng"),
    ("hccb", "mttq", "veterans-association", "Hội Cựu chiến binh thành phố Hải Phòng"),
    ("ldld", "mttq", "trade-union", "Liên đoàn Lao động thành phố Hải Phòng"),
]

COMMUNE_ORGS = [
    ("du", None, "party-committee", "Đảng ủy {name}"),
    ("bdv", "du", "mass-mobilization-commission", "Ban Dân vận Đảng ủy {name}"),
    ("ubnd", "du", "peoples-committee", "Ủy ban nhân dân {name}"),
    ("mttq", "du", "fatherland-front", "Ủy ban MTTQ Việt Nam {name}"),
    ("hlhpn", "mttq", "womens-union", "Hội Liên hiệp Phụ nữ {name}"),
    ("doan", "mttq", "youth-union", "Đoàn Thanh niên {name}"),
    ("hnd", "mttq", "farmers-association", "Hội Nông dân {name}"),
    ("hccb", "mttq", "veterans-association", "Hội Cựu chiến binh {name}"),
    ("thon1", "ubnd", "hamlet", "Thôn 1, {name}"),
    ("thon2", "ubnd", "hamlet", "Thôn 2, {name}"),
    ("thon3", "ubnd", "hamlet", "Thôn 3, {name}"),
]

# username, full name, role, grant node ("area:<code>" or "org:<code>")
USERS = [
    ("quantri", "Nguyễn Văn Quản", "administrator", "org:31-tu"),
    ("bdv.thanhpho", "Trần Thị Hằng", "commission_officer", "area:31"),
    ("lanhdao", "Phạm Minh Đức", "leader", "org:31-tu"),
    ("bdv.xa", "Lê Văn Thắng", "commission_officer", "org:{c0}-du"),
    ("hoiphunu.xa", "Đỗ Thị Lan", "organization_officer", "org:{c0}-hlhpn"),
    ("xuly.don", "Vũ Quốc Huy", "case_handler", "org:{c0}-ubnd"),
    ("chinhquyen.xa", "Ngô Thị Mai", "government_officer", "org:{c0}-ubnd"),
    ("xem", "Hoàng Thu Trang", "viewer", "org:{c1}-du"),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo data and demo users. Safe to run again."

    def handle(self, *args, **options):
        if not Area.objects.filter(structure="2025", level="province", code=PROVINCE_CODE).exists():
            call_command("load_areas", stdout=self.stdout)
        with request_context(), transaction.atomic():
            admin = self._user("admin", "Quản trị hệ thống", superuser=True)
            province = Area.objects.get(structure="2025", level="province", code=PROVINCE_CODE)
            communes = list(Area.objects.get_children(province).order_by("path")[:COMMUNES])
            self._orgs(
                admin, PROVINCE_ORGS, prefix=PROVINCE_CODE, area=province, root_parent=None, name=""
            )
            city_party = Organization.objects.get(code=f"{PROVINCE_CODE}-tu")
            for commune in communes:
                self._orgs(
                    admin,
                    COMMUNE_ORGS,
                    prefix=commune.code,
                    area=commune,
                    root_parent=city_party,
                    name=commune.name,
                )
            codes = {f"c{i}": c.code for i, c in enumerate(communes[:2])}
            lines = []
            for username, full_name, role, node in USERS:
                self._user(username, full_name)
                kind, code = node.format(**codes).split(":")
                target = (
                    {
                        "area": Area.objects.get(
                            structure="2025",
                            code=code,
                            level="province" if len(code) == 2 else "commune",
                        )
                    }
                    if kind == "area"
                    else {"organization": Organization.objects.get(code=code)}
                )
                with contextlib.suppress(Conflict):  # already granted: the demo runs again
                    account_services.grant_role(
                        actor=admin, username=username, role_code=role, **target
                    )
                node = target.get("area") or target.get("organization")
                lines.append(f"  {username:<14} {DEMO_PASSWORD:<18} {role} — {node}")
            # Each app's demo.build, in INSTALLED_APPS order: reports comes last, its
            # dashboards and reports draw on the other apps' demo data.
            for _app, demo in app_modules("demo", having="build"):
                demo.build(admin=admin)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:")
        )
        self.stdout.write(f"  {'username':<14} {'password':<18} role")
        self.stdout.write(f"  {'admin':<14} {DEMO_PASSWORD:<18} system administrator (superuser)")
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(
            "  admin, and the users who can read citizens' identities or administer, set up "
            "two-step sign-in (an authenticator app) at their first sign-in."
        )

    def _user(self, username, full_name, *, superuser=False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _sep, last = full_name.rpartition(" ")
            user = User(
                username=username,
                first_name=last,
                last_name=first,
                is_staff=superuser,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            record(
                actor=None,
                action="accounts.create_user",
                obj=user,
                changes={"username": [None, username]},
            )
        return user

    def _orgs(self, actor, spec, *, prefix, area, root_parent, name):
        for suffix, parent_suffix, type_code, name_pattern in spec:
            code = f"{prefix}-{suffix}"
            if Organization.objects.filter(code=code).exists():
                continue
            parent = (
                Organization.objects.get(code=f"{prefix}-{parent_suffix}")
                if parent_suffix
                else root_parent
            )
            create_organization(
                actor=actor,
                code=code,
                name=name_pattern.format(name=name),
                type_code=type_code,
                area_code=area.code,
                parent=parent,
                public_contact=OFFICE_CONTACT if type_code == "peoples-committee" else "",
            )
