"""Consistency: every action a service records reads in French in the audit pages."""

import re
from pathlib import Path

import courtier
from courtier.accounts.models import AccessRequestStatus
from courtier.acquisitions.rules import Action
from courtier.audit.labels import ACTION_LABELS, action_label, object_type_label

SOURCE = Path(courtier.__file__).parent


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        # acquisitions/services.py records through _record(by, "acquisition.…", …).
        found |= set(re.findall(r'_record\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', text))
    # access_request decisions are recorded as f"access_request.{status}".
    found |= {f"access_request.{s}" for s in AccessRequestStatus.values if s != "pending"}
    # File moves are recorded as f"acquisition.{action}" (acquisitions.rules.TRANSITIONS).
    found |= {f"acquisition.{a}" for a in Action}
    return found


def test_every_recorded_action_has_a_french_label():
    actions = recorded_actions()
    assert "access_request.submitted" in actions  # the scan works
    assert "acquisition.scenario_chosen" in actions
    assert actions - set(ACTION_LABELS) == set()


def test_labels_read_in_french(db):
    assert action_label("access_request.refused") == "Demande d'accès refusée"
    assert object_type_label("accounts.accessrequest") == "demande d'accès"
    assert object_type_label("nothing.here") == "nothing.here"
