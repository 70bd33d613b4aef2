"""Each app declares the policies of its own models (accounts/permissions.py is a registry);
the engine's invariant (a policy's ``change`` never wider than its ``scope``) is checked on the
demo's rows in tests/acquisitions/test_demo.py, where the demo is loaded once."""

from courtier.accounts import permissions


def test_every_app_declares_policies():
    labels = {model._meta.app_label for model in permissions.registered_models()}
    assert {"accounts", "audit", "businesscalendar", "catalogue", "acquisitions", "files"} <= labels
