"""The permission engine's invariant (accounts/permissions.py): a policy's ``change`` never holds
for an object its ``scope`` hides, so that deciding a change needs no query. Checked for every
registered model on the demo's rows (files at every step, proposals, questions, group purchase),
for every demo person."""

import pytest

from courtier.accounts import permissions
from courtier.accounts.models import User
from courtier.demo.loaders import USERS, load_demo
from tests.helpers import world_kept_for

ROWS_PER_MODEL = 6


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and removed after it."""
    with world_kept_for(django_db_blocker):
        load_demo()
        yield


def test_every_app_declares_policies():
    labels = {model._meta.app_label for model in permissions.registered_models()}
    assert {"accounts", "audit", "businesscalendar", "catalogue", "acquisitions", "files"} <= labels


@pytest.mark.django_db
def test_whoever_may_change_an_object_may_see_it(demo):
    people = list(User.objects.filter(email__in=[u.email for u in USERS]))
    wrong = []
    for model in permissions.registered_models():
        for obj in model._default_manager.order_by("-pk")[:ROWS_PER_MODEL]:
            for person in people:
                if permissions.can_change(person, obj) and not permissions.can_view(person, obj):
                    wrong.append(f"{person.email} may change {model.__name__} {obj.pk} unseen")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_refused_change_is_403_when_visible_and_404_when_hidden(demo):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from courtier.acquisitions.models import AcquisitionFile

    file = AcquisitionFile.objects.filter(client__name__startswith="Ministère").first()
    auditor = User.objects.get(email="verificateur@courtier.example")
    supplier = User.objects.get(email="representant@nuagique.example")
    with pytest.raises(PermissionDenied):
        permissions.require_change(auditor, file)  # sees every file, changes none
    with pytest.raises(Http404):
        permissions.require_change(supplier, file)  # never sees a client's file
