"""The concluded contracts the tests of the SEAO sheet and of the list of concluded contracts
work on (issue 14 §4-5), made through the contracts' factories on one world per module
(``tests.helpers.shared_world``) and ``forced`` to concluded and in force (the path to a signed
contract has its own tests): a solutions contract of the Ministère A (RCTI) in force since
2027-05-30, and a services contract of the Ministère A with Prestataire F concluded on
2027-05-25. The tests run on a clock set to ``TODAY`` (after both conclusions)."""

from __future__ import annotations

from datetime import date

from courtier.contracts.models import Contract, ContractState
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.contracts.test_consumption import people_of

MADE_ON = date(2027, 3, 1)
SOLUTIONS_CONCLUDED = date(2027, 5, 20)
SERVICES_CONCLUDED = date(2027, 5, 25)
TODAY = date(2027, 7, 5)


def build(orgs) -> dict[str, Contract]:
    people = people_of(orgs)
    with at(MADE_ON, 10):  # the factories' dates are Quebec's
        solutions = factories.solutions_contract(orgs, people)
        services = factories.services_contract(orgs, people)
    return {
        "solutions": factories.forced(
            solutions, ContractState.IN_FORCE, concluded_on=SOLUTIONS_CONCLUDED
        ),
        "services": factories.forced(
            services, ContractState.CONCLUDED, concluded_on=SERVICES_CONCLUDED
        ),
    }


def today(**kwargs):
    """The tests' clock: ``TODAY`` at 10:00 in Quebec."""
    return at(TODAY, 10, **kwargs)


def not_rcti(contract: Contract, orgs) -> Contract:
    """``contract`` moved to Organisme B, a client not subject to the RCTI."""
    Contract.objects.filter(pk=contract.pk).update(
        client=orgs["client_other"], subject_to_rcti=False
    )
    return Contract.objects.get(pk=contract.pk)
