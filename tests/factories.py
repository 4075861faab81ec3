"""Test data builders. Organizations go through treebeard so paths are real."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from organizations.models import (
    Body,
    Discipline,
    DisciplineForm,
    Gender,
    Kinship,
    Membership,
    Organization,
    OrgKind,
    Person,
    Position,
    Relation,
    Tenure,
)

_codes = itertools.count(1)
PASSWORD = "Mat-khau-thu-2026"


def make_org(parent: Organization | None = None, kind: str = OrgKind.CELL,
             name: str | None = None) -> Organization:
    n = next(_codes)
    fields = {"name": name or f"Tổ chức {n}", "code": f"org-{n}", "kind": kind}
    if parent is None:
        return Organization.objects.add_root(fields)
    parent.refresh_from_db()  # treebeard needs the current numchild
    return Organization.objects.add_child(parent, fields)


def position(code: str) -> Position:
    return Position.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Trần Văn Thử {n}")
    gender = Gender.MALE
    birth_date = dt.date(1980, 5, 17)
    join_date = dt.date(2005, 3, 26)
    official_date = dt.date(2006, 3, 26)
    card_number = factory.Sequence(lambda n: f"79{n:08d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    start = dt.date(2020, 1, 1)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body


class TenureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenure

    person = factory.SubFactory(PersonFactory)
    start = dt.date(2020, 10, 1)


class KinshipFactory(factory.django.DjangoModelFactory):
    """A declared relative. The holding organization (``organization=``) is the caller's to give, as the
    services give it: nothing derives it."""

    class Meta:
        model = Kinship

    person = factory.SubFactory(PersonFactory)
    relative = factory.SubFactory(PersonFactory)
    relation = Relation.SPOUSE
    declared_on = dt.date(2025, 3, 1)


class DisciplineFactory(factory.django.DjangoModelFactory):
    """A measure on a person (or ``organization=``). Its ``owner=`` is the caller's to give: nothing derives it."""

    class Meta:
        model = Discipline

    form = DisciplineForm.REPRIMAND
    decided_on = dt.date(2025, 5, 1)
