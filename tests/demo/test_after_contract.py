"""The demo data of the apps after the contract (issue 14 « Done when »: the demo has a
complaint, an evaluation campaign, an exit plan and a published SEAO sheet, and its OCDS export
validates), checked on one load of the whole demo (tests/demo/loaded.py) instead of one per
app. The checks live beside each app's other tests, in its ``demo_checks.py``."""

from __future__ import annotations

from tests.complaints.demo_checks import TestTheDemoComplaints
from tests.demo.loaded import demo_loaded, loaded  # noqa: F401 (fixtures)
from tests.evaluations.demo_checks import TestTheDemoEvaluations
from tests.exitplans.demo_checks import TestTheDemoExitPlan
from tests.publication.demo_checks import TestTheDemoPublication
from tests.publication.ocds_demo_checks import TestTheOcdsExportOfTheDemo, in_force  # noqa: F401
from tests.publication.test_ocds import validator  # noqa: F401 (a fixture)

__all__ = [
    "TestTheDemoComplaints",
    "TestTheDemoEvaluations",
    "TestTheDemoExitPlan",
    "TestTheDemoPublication",
    "TestTheOcdsExportOfTheDemo",
]
