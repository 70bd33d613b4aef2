"""Amendments on the contract's page (002 §4.5): the client's people ask for one on a concluded or
in-force contract (one at a time; what the rules forbid is refused with its reason); the broker
prepares it with its management fee, or refuses it; then it is generated, reviewed, stamped and
signed like the contract. Each amendment shows its 30-day lead time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courtier.acquisitions.forms import cents_to_dollars
from courtier.contracts import forms, policies, rules
from courtier.contracts.models import Amendment, AmendmentState, Contract
from courtier.contracts.services import amendments as services
from courtier.contracts.services import generation, transitions
from courtier.contracts.views import signing as signing_views
from courtier.contracts.views.common import Op, bare, broker, guarded, run
from courtier.core import proposals

PREFIX = "a_"
MODULES = {"amendments": services, "generation": generation, "transitions": transitions}
# The amendment's states in which the client may still withdraw it (rules' table).
WITHDRAWABLE = frozenset(
    t.source for t in rules.AMENDMENT_TRANSITIONS if t.action == rules.AmendmentAction.WITHDRAW
)


def context(request: HttpRequest, contract: Contract, bound: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    is_broker = policies.is_broker_agent(user)
    runs = policies.runs_contract(user, contract)
    rows = []
    for amendment in contract.amendments.order_by("number"):
        row: dict[str, Any] = {
            "amendment": amendment,
            "changes": services.describe_changes(contract, amendment.changes),
            "lead_time_on": services.lead_time_on(amendment),
            "open": amendment.state not in services.CLOSED_STATES,
        }
        if row["open"]:
            row |= _open_context(request, contract, amendment, bound, is_broker, runs)
        rows.append(row)
    found: dict[str, Any] = {"amendments": rows}
    if runs and contract.state in rules.SIGNED_STATES and not any(r["open"] for r in rows):
        found["amendment_form"] = bound.get("amendment_form") or forms.ChangesForm(
            contract=contract
        )
    return found


def _open_context(
    request: HttpRequest,
    contract: Contract,
    amendment: Amendment,
    bound: dict[str, Any],
    is_broker: bool,
    runs: bool,
) -> dict[str, Any]:
    state = amendment.state
    found: dict[str, Any] = {
        "urls": {
            name: reverse("contracts:amendment_action", args=[contract.pk, amendment.number, op])
            for name, op in (
                ("prepare", "preparer"),
                ("update", "modifier"),
                ("refuse", "refuser"),
                ("withdraw", "retirer"),
                ("generate", "generer"),
                ("send", "transmettre"),
                ("validate", "valider"),
            )
        }
    }
    if is_broker and state == AmendmentState.REQUESTED:
        # 002 §4.5: the fee the grid in force today charges per amendment, when one does.
        fee = proposals.proposed("amendment_fee", timezone.localdate())
        found["fee_form"] = bound.get(f"{PREFIX}fee_form") or forms.FeeForm(
            initial={} if fee is None else {"fee": cents_to_dollars(fee)}
        )
        found["refuse_form"] = bound.get(f"{PREFIX}refuse_form") or forms.CommentForm()
    if is_broker and state == AmendmentState.PREPARATION:
        found["update_form"] = bound.get(f"{PREFIX}update_form") or forms.AmendmentUpdateForm(
            contract=contract, initial=forms.changes_initial(amendment)
        )
        found["may_generate"] = True
    found["may_validate"] = is_broker and state == AmendmentState.APPROVED
    found["may_withdraw"] = runs and state in WITHDRAWABLE
    found["signing"] = signing_views.context(request, contract, amendment, bound, PREFIX)
    return found


@guarded(policies.runs_contract)
def _request(request: HttpRequest, contract: Contract) -> tuple[bool, str, Any]:
    form = forms.ChangesForm(request.POST, contract=contract)
    return run(
        "amendment_form",
        form,
        lambda d: services.amendment_request(
            by=request.user, contract=contract, reason=d["reason"], changes=form.changes()
        ),
    )


# On the contract's page.
CONTRACT_OPS: dict[str, tuple[Op, str]] = {
    "avenant": (
        _request,
        _(
            "Avenant demandé : le Courtier le prépare (prévoyez 30 jours pour le préparer et "
            "le signer)."
        ),
    ),
}


@guarded(broker)
def _prepare(request: HttpRequest, amendment: Amendment) -> tuple[bool, str, Any]:
    return run(
        "fee_form",
        forms.FeeForm(request.POST),
        lambda d: services.amendment_prepare(
            by=request.user, amendment=amendment, fee_cents=d["fee"]
        ),
    )


@guarded(broker)
def _update(request: HttpRequest, amendment: Amendment) -> tuple[bool, str, Any]:
    form = forms.AmendmentUpdateForm(request.POST, contract=amendment.contract)
    return run(
        "update_form",
        form,
        lambda d: services.amendment_update(
            by=request.user,
            amendment=amendment,
            changes=form.changes(),
            fee_cents=d["fee"],
            reason=d["reason"],
        ),
    )


@guarded(broker)
def _refuse(request: HttpRequest, amendment: Amendment) -> tuple[bool, str, Any]:
    return run(
        "refuse_form",
        forms.CommentForm(request.POST),
        lambda d: services.amendment_refuse(
            by=request.user, amendment=amendment, comment=d["comment"]
        ),
    )


def _move(module: str, name: str, may: Any = broker) -> Op:
    """A move that asks for nothing: ``services.<module>.<name>(by=, amendment=)``."""

    @guarded(may)
    def op(request: HttpRequest, amendment: Amendment) -> tuple[bool, str, Any]:
        call = getattr(MODULES[module], name)
        return run("move_form", bare(request), lambda d: call(by=request.user, amendment=amendment))

    return op


# On an amendment (its own address under the contract's); the review and signatures are the
# contract's operations, on the amendment.
AMENDMENT_OPS: dict[str, tuple[Op, str]] = {
    "preparer": (_prepare, _("Avenant en préparation ; frais de gestion consignés.")),
    "modifier": (_update, _("Avenant modifié : générez-le de nouveau.")),
    "refuser": (_refuse, _("Demande d'avenant refusée, avec votre commentaire.")),
    "retirer": (
        _move("amendments", "amendment_withdraw", policies.runs_contract),
        _("Demande d'avenant retirée."),
    ),
    "generer": (
        _move("generation", "amendment_generate"),
        _("Génération de l'avenant lancée : le PDF paraît ici sous peu."),
    ),
    "transmettre": (
        _move("transitions", "amendment_send_for_review"),
        _("Avenant transmis au client pour validation."),
    ),
    "valider": (
        _move("transitions", "amendment_validate"),
        _("Version finale de l'avenant validée et revêtue du cachet du Courtier."),
    ),
    **signing_views.OPS,
}
