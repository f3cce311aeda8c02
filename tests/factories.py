"""factory_boy factories for every model of the foundation."""

import factory
from django.contrib.auth import get_user_model

from danvan.accounts.models import Grant, Role
from danvan.org.models import Area, Organization, OrganizationType

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Lan"
    last_name = "Nguyễn Thị"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class OrganizationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Loại tổ chức {n}")
    name_en = factory.Sequence(lambda n: f"Organization type {n}")


class AreaFactory(factory.django.DjangoModelFactory):
    """Test areas under structure "2025" with codes that never clash with the official ones."""

    class Meta:
        model = Area

    structure = "2025"
    level = "province"
    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    kind = "tỉnh"

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return Area.objects.add_root(create_kwargs=kwargs)
        kwargs.setdefault("level", "commune")
        return Area.objects.add_child(parent, create_kwargs=kwargs)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Hội Phụ nữ Xã Đông Hòa {n}")
    type = factory.LazyFunction(lambda: OrganizationType.objects.get(code="womens-union"))
    area = factory.SubFactory(AreaFactory)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return Organization.objects.add_root(create_kwargs=kwargs)
        return Organization.objects.add_child(parent, create_kwargs=kwargs)


def grant(user, role_code: str, node) -> Grant:
    """Give `user` a role on an organization or area directly (test setup, not audited)."""
    field = "organization" if isinstance(node, Organization) else "area"
    return Grant.objects.create(user=user, role=Role.objects.get(code=role_code), **{field: node})


def complete_model(*, actor, model, on=None):
    """A model completed the movement's way: progress at 100% reported (which starts it),
    then completed. For movements whose rule is "reported"; an "evaluated" movement also
    needs the accepting level's scores first (the service says so)."""
    import datetime as dt

    from danvan.audit.context import request_context
    from danvan.emulation import services

    day = on or dt.date(model.year, 6, 1)  # never "today": tests do not read the clock
    with request_context():
        services.report_progress(
            actor=actor, model=model, reported_on=day, percent=100, narrative="Hoàn thành."
        )
        return services.change_state(actor=actor, model=model, state="completed", on=day)
