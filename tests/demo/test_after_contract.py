"""The demo data of every app, checked on one load of the whole demo (tests/demo/loaded.py,
about half a minute) instead of one per app: the demo Catalogue and acquisition files, the apps
after the contract (issue 14 « Done when »: the demo has a complaint, an evaluation campaign,
an exit plan and a published SEAO sheet, and its OCDS export validates), the fees (issue 15)
and every account's work awaiting it (issue 10). The checks live beside each app's other tests,
in its ``demo_checks.py``; the tests that run the demo themselves (on another day, twice) stay
in the apps' ``test_demo.py``."""

from __future__ import annotations

from tests.acquisitions.demo_checks import TestTheDemoAcquisitionFiles
from tests.catalogue.demo_checks import TestTheDemoCatalogue
from tests.complaints.demo_checks import TestTheDemoComplaints
from tests.core.demo_checks import TestTheDemoWorkspace
from tests.demo.loaded import demo_loaded, loaded  # noqa: F401 (fixtures)
from tests.evaluations.demo_checks import TestTheDemoEvaluations
from tests.exitplans.demo_checks import TestTheDemoExitPlan
from tests.fees.demo_checks import TestTheDemoFees
from tests.publication.demo_checks import TestTheDemoPublication
from tests.publication.ocds_demo_checks import TestTheOcdsExportOfTheDemo, in_force  # noqa: F401
from tests.publication.test_ocds import validator  # noqa: F401 (a fixture)

__all__ = [
    "TestTheDemoAcquisitionFiles",
    "TestTheDemoCatalogue",
    "TestTheDemoComplaints",
    "TestTheDemoEvaluations",
    "TestTheDemoExitPlan",
    "TestTheDemoFees",
    "TestTheDemoPublication",
    "TestTheDemoWorkspace",
    "TestTheOcdsExportOfTheDemo",
]
