"""The client's review and the signatures (002 §2.5 steps 6-9; DOMAIN §7), the same for a contract
and for an amendment (an « instrument »): the client's people approve the assembled documents or
return them with a comment; the designated signatories sign the stamped version in order, each
re-entering their password, or a signature made on paper is recorded with its copy (or the copy
to follow, owed to the broker within 5 business days)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from courtier.contracts import forms, policies, rules
from courtier.contracts.models import Amendment, Contract, Party, Signature
from courtier.contracts.services import signing, transitions
from courtier.contracts.views.common import (
    Op,
    SignatoryRow,
    bare,
    guarded,
    party,
    run,
    signatory,
    signing_rows,
    version_url,
)
from courtier.files.uploads import Upload


def may_record_for(user: Any, contract: Contract, row: SignatoryRow) -> bool:
    """Who records a paper signature or its copy: the signatory, or the client's people (client
    side) or the supplier's representatives (supplier side)."""
    if row.signatory.user_id is not None and row.signatory.user_id == user.pk:
        return True
    if row.signatory.party == Party.CLIENT:
        return policies.runs_contract(user, contract)
    return policies.represents_supplier(user, contract)


def context(
    request: HttpRequest,
    contract: Contract,
    amendment: Amendment | None,
    bound: dict[str, Any],
    prefix: str = "",
) -> dict[str, Any]:
    """The review and signing part of an instrument's page; ``prefix`` keeps an amendment's
    bound forms apart from the contract's."""
    user = request.user
    instrument = amendment or contract
    rows = signing_rows(contract, amendment)
    found: dict[str, Any] = {"rows": rows, "urls": urls(contract, amendment)}
    if instrument.state == rules.State.CLIENT_REVIEW and policies.runs_contract(user, contract):
        found["review_form"] = bound.get(f"{prefix}review_form") or forms.CommentForm()
    if instrument.state in rules.SIGNING_STATES and instrument.stamped_id:
        version = signing.chain_head(instrument)
        found["version"] = version
        found["version_url"] = version_url(user, contract, version)
        mine = next((r for r in rows if r.may_sign_now and r.signatory.user_id == user.pk), None)
        if mine is not None:
            found["mine"] = mine
            found["sign_form"] = bound.get(f"{prefix}sign_form") or forms.SignForm(
                initial={"version": version.pk}
            )
        paper = [r.signatory for r in rows if r.may_sign_now and may_record_for(user, contract, r)]
        if paper:
            found["paper_form"] = bound.get(f"{prefix}paper_form") or forms.PaperSignatureForm(
                signatories=paper
            )
    owed = [
        r
        for r in rows
        if r.signature is not None
        and r.signature.version_id is None
        and may_record_for(user, contract, r)
    ]
    if owed:
        found["owed"] = owed
        found["copy_form"] = bound.get(f"{prefix}copy_form")
    return found


def urls(contract: Contract, amendment: Amendment | None) -> dict[str, str]:
    """The addresses of the instrument's operations, by a name the templates can read."""

    def url(op: str) -> str:
        if amendment is None:
            return reverse("contracts:contract_action", args=[contract.pk, op])
        return reverse("contracts:amendment_action", args=[contract.pk, amendment.number, op])

    return {
        name: url(op)
        for name, op in (
            ("approve", "approuver"),
            ("return", "retourner"),
            ("sign", "signer"),
            ("paper", "signature-papier"),
            ("copy", "copie"),
        )
    }


def _instrument(subject: Contract | Amendment) -> tuple[Contract, Amendment | None]:
    if isinstance(subject, Amendment):
        return subject.contract, subject
    return subject, None


@guarded(policies.runs_contract)
def _approve(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
    contract, amendment = _instrument(subject)

    def move(d: dict[str, Any]) -> Any:
        if amendment is not None:
            return transitions.amendment_approve(by=request.user, amendment=amendment)
        return transitions.contract_approve(by=request.user, contract=contract)

    return run("review_form", bare(request), move)


@guarded(policies.runs_contract)
def _return(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
    contract, amendment = _instrument(subject)

    def move(d: dict[str, Any]) -> Any:
        if amendment is not None:
            return transitions.amendment_return(
                by=request.user, amendment=amendment, comment=d["comment"]
            )
        return transitions.contract_return(by=request.user, contract=contract, comment=d["comment"])

    return run("review_form", forms.CommentForm(request.POST), move)


@guarded(signatory)
def _sign(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
    return run(
        "sign_form",
        forms.SignForm(request.POST),
        lambda d: signing.instrument_sign(
            by=request.user, instrument=subject, password=d["password"], version_id=d["version"]
        ),
    )


@guarded(party)
def _paper(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
    contract, amendment = _instrument(subject)
    rows = [r for r in signing_rows(contract, amendment) if r.may_sign_now]
    form = forms.PaperSignatureForm(
        request.POST, request.FILES, signatories=[r.signatory for r in rows]
    )

    def record(d: dict[str, Any]) -> Signature:
        upload = Upload.from_form(d["document"]) if d.get("document") else None
        return signing.instrument_paper_signature_record(
            by=request.user,
            instrument=subject,
            signatory_id=d["signatory"],
            signed_on=d["signed_on"],
            content=upload.content if upload else None,
            name=upload.name if upload else "",
        )

    return run("paper_form", form, record)


@guarded(party)
def _copy(request: HttpRequest, subject: Any) -> tuple[bool, str, Any]:
    contract, amendment = _instrument(subject)
    form = forms.CopyForm(request.POST, request.FILES)

    def add(d: dict[str, Any]) -> Signature:
        signature = Signature.objects.filter(
            pk=d["signature"], contract=contract, amendment=amendment
        ).first()
        if signature is None:
            raise Http404
        upload = Upload.from_form(d["document"])
        return signing.signature_copy_add(
            by=request.user, signature=signature, content=upload.content, name=upload.name
        )

    return run("copy_form", form, add)


# The same operations on a contract's page and on an amendment's part of it.
OPS: dict[str, tuple[Op, str]] = {
    "approuver": (_approve, _("Documents approuvés : le Courtier valide la version finale.")),
    "retourner": (_return, _("Documents retournés au Courtier avec votre commentaire.")),
    "signer": (_sign, _("Signature apposée sur la version validée par le Courtier.")),
    "signature-papier": (_paper, _("Signature sur papier consignée.")),
    "copie": (_copy, _("Copie signée déposée.")),
}
