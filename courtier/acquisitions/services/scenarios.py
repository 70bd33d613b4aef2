"""Step 4 (002 §2.4): the scenarios priced from the compliant offers, the client's choice, the
head's authorisation of a non-lowest choice (RCTI art. 48), the financial authorisation, and the
privacy impact assessment (EFVP, DOMAIN §3.1)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import User
from courtier.acquisitions import checks, engine_inputs, pricing, rules, tasks
from courtier.acquisitions.messages import (
    ADDITIONS_NOT_NEGATIVE,
    AMOUNT_POSITIVE,
    AUTHORISED_BY_REQUIRED,
    CANNOT_PRICE,
    CHOICE_MESSAGES,
    DATE_IN_FUTURE,
    DOCUMENT_REQUIRED,
    EFVP_NOT_REQUIRED,
    HEAD_NOT_REQUIRED,
    NO_COMPLIANT_OFFER,
    SCENARIO_INCOMPLETE,
    SCENARIO_NOT_CURRENT,
    WRONG_STEP,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    DocumentKind,
    FinancialAuthorisation,
    HeadAuthorisation,
    Scenario,
    ScenarioRun,
)
from courtier.acquisitions.services.common import (
    _lock,
    _record,
    _require_runs,
    _require_state,
    _today,
    _touch,
)
from courtier.acquisitions.services.documents import file_document_keep
from courtier.catalogue.models import Offer
from courtier.core.formatting import long_date


def _scenario_row(
    run: ScenarioRun,
    file: AcquisitionFile,
    scenario: pricing.Scenario,
    rank: int | None,
    lowest: bool,
    versions: Mapping[int, int | None],
) -> Scenario:
    row = Scenario.objects.create(
        run=run,
        file=file,
        supplier_id=int(scenario.supplier_key),
        versions={key: versions.get(int(key)) for key in scenario.offer_keys},
        rank=rank,
        complete=scenario.complete,
        missing_needs=list(scenario.missing_needs),
        total_cents=scenario.total_cents,
        monthly_cents=list(scenario.monthly_cents),
        line_items=[dataclasses.asdict(item) for item in scenario.line_items],
        member_shares=dict(scenario.member_shares) if scenario.member_shares else None,
        is_lowest=lowest,
    )
    row.offers.set([int(key) for key in scenario.offer_keys])
    return row


@transaction.atomic
def scenarios_compute(*, by: User, file: AcquisitionFile) -> ScenarioRun:
    """Step 4 (002 §2.4.1): price every compliant offer over the desired duration with the prices
    in force today (the latest sheets), find each supplier's cheapest combination and rank them;
    the comparison (XLSX and PDF) joins the file's documents once rendered after the commit. A
    new run replaces the choice."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    compliant = checks.compliant_candidates(file)
    if not compliant:
        raise ValidationError({"candidates": NO_COMPLIANT_OFFER})
    today = _today()
    priced = engine_inputs.priced_components([c.offer_id for c in compliant], today)
    kinds = {
        (offer_id, code): kind
        for offer_id, code, kind in Offer.objects.filter(
            pk__in=[c.offer_id for c in compliant]
        ).values_list("pk", "components__code", "components__kind")
    }
    offers = [
        engine_inputs.offer_prices(
            c,
            priced.get(c.offer_id, {}),
            {code: kind for (oid, code), kind in kinds.items() if oid == c.offer_id},
        )
        for c in compliant
    ]
    plan = engine_inputs.plan_for(file)
    try:
        ranking = pricing.rank(plan, offers)
    except pricing.PricingInputError:
        # Quantities or prices beyond the engine's exact range (pricing.py: int64 bounds).
        raise ValidationError({"scenarios": CANNOT_PRICE}) from None
    number = (file.runs.aggregate(m=Max("number"))["m"] or 0) + 1
    choice_clear(by=by, file=file)
    run = ScenarioRun.objects.create(
        file=file,
        number=number,
        computed_by=by,
        prices_on=today,
        months=plan.months,
        plan=checks.run_inputs(file, plan, compliant),
    )
    versions = dict(
        Offer.objects.filter(pk__in=[c.offer_id for c in compliant]).values_list("pk", "version")
    )
    rank = 0
    for scenario in ranking.scenarios:
        if scenario.complete:
            rank += 1
        _scenario_row(
            run,
            file,
            scenario,
            rank if scenario.complete else None,
            ranking.lowest is not None and scenario is ranking.lowest,
            versions,
        )
    _record(
        by,
        "acquisition.scenarios_computed",
        run,
        file,
        None,
        {
            "run": number,
            "scenarios": len(ranking.scenarios),
            "lowest_cents": ranking.lowest.total_cents if ranking.lowest else None,
        },
    )
    for kind in (DocumentKind.COMPARISON_XLSX, DocumentKind.COMPARISON_PDF):
        tasks.render_after_commit(kind, file=file, by=by, source_id=run.pk)
    _touch(file)
    return run


def choice_clear(*, by: User, file: AcquisitionFile) -> Scenario | None:
    """The file's chosen scenario is chosen no more: a new run replaces the choice, and so does
    going back to step 3. Inside the caller's transaction, on the locked file."""
    chosen = file.scenarios.filter(chosen=True).first()
    if chosen is not None:
        chosen.chosen, chosen.chosen_at = False, None
        chosen.save(update_fields=["chosen", "chosen_at"])
        _record(by, "acquisition.choice_cleared", chosen, file, {"scenario": chosen.pk}, None)
    return chosen


@transaction.atomic
def scenario_choose(
    *, by: User, file: AcquisitionFile, scenario: Scenario, own_rule: str | None = None
) -> Scenario:
    """The client chooses one of the computed scenarios of the latest run (the database holds
    the choice on the scenario row itself, so nothing else can be chosen)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    run = checks.latest_run(file)
    if run is None or scenario.run_id != run.pk or scenario.file_id != file.pk:
        raise ValidationError({"scenario": SCENARIO_NOT_CURRENT})
    if not scenario.complete:
        raise ValidationError({"scenario": SCENARIO_INCOMPLETE})
    previous = file.scenarios.filter(chosen=True).exclude(pk=scenario.pk).first()
    if previous is not None:
        previous.chosen, previous.chosen_at = False, None
        previous.save(update_fields=["chosen", "chosen_at"])
    scenario.chosen, scenario.chosen_at = True, timezone.now()
    scenario.save(update_fields=["chosen", "chosen_at"])
    if own_rule is not None:
        file.own_rule = own_rule.strip()
        file.save(update_fields=["own_rule", "updated_at"])
    _record(
        by,
        "acquisition.scenario_chosen",
        scenario,
        file,
        {"scenario": previous.pk if previous else None},
        {
            "scenario": scenario.pk,
            "supplier": scenario.supplier_id,
            "total_cents": scenario.total_cents,
            "is_lowest": scenario.is_lowest,
            "own_rule": file.own_rule,
        },
    )
    # The comparison is the choice support (002 §2.4.1): produced again with the choice marked.
    for kind in (DocumentKind.COMPARISON_XLSX, DocumentKind.COMPARISON_PDF):
        tasks.render_after_commit(kind, file=file, by=by, source_id=scenario.run_id)
    _touch(file)
    return scenario


def _require_date_not_future(field: str, day: date) -> None:
    if day > _today():
        raise ValidationError({field: DATE_IN_FUTURE})


@transaction.atomic
def head_authorisation_record(
    *,
    by: User,
    file: AcquisitionFile,
    criteria: Sequence[str],
    justification: str,
    head_name: str,
    authorised_on: date,
    document_name: str,
    document: bytes,
    content_type: str,
) -> HeadAuthorisation:
    """RCTI art. 48 (002 §2.4.3): the head's prior authorisation of a non-lowest choice, with a
    justification on one or more criteria and the signed document. It covers the scenario
    chosen now; another choice needs another authorisation."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    chosen = checks.chosen_scenario(file)
    if chosen is None:
        raise ValidationError({"scenario": CHOICE_MESSAGES[rules.ChoiceProblem.NO_CHOICE]})
    if not checks.head_authorisation_needed(file, chosen):
        raise ValidationError({"scenario": HEAD_NOT_REQUIRED})
    errors = checks.head_authorisation_problems(
        criteria=list(criteria),
        justification=justification,
        head_name=head_name,
        authorised_on=authorised_on,
        has_document=bool(document),
    )
    if errors:
        raise ValidationError(errors)
    kept = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.JUSTIFICATION,
        title=str(_("Autorisation du dirigeant d'organisme — {name}")).format(name=head_name),
        name=document_name,
        content=document,
        content_type=content_type,
    )
    old = HeadAuthorisation.objects.filter(file=file).first()
    before = None
    if old is not None:
        before = {"scenario": old.scenario_id, "criteria": old.criteria}
        old.delete()
    head = HeadAuthorisation.objects.create(
        file=file,
        scenario=chosen,
        criteria=sorted(set(criteria)),
        justification=justification.strip(),
        head_name=head_name.strip(),
        authorised_on=authorised_on,
        document=kept,
        recorded_by=by,
    )
    _record(
        by,
        "acquisition.head_authorised",
        head,
        file,
        before,
        {
            "scenario": chosen.pk,
            "criteria": head.criteria,
            "head_name": head.head_name,
            "authorised_on": authorised_on.isoformat(),
            "document": kept.sha256,
        },
    )
    _touch(file)
    return head


@transaction.atomic
def financial_authorisation_record(
    *,
    by: User,
    file: AcquisitionFile,
    amount_cents: int,
    planned_additions_cents: int,
    authorised_on: date,
    authorised_by_name: str,
    reference: str = "",
) -> FinancialAuthorisation:
    """002 §2.4.4: the financial authorisation for the total estimated amount (initial order and
    later additions), obtained inside the client's organisation."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CHOICE)
    errors: dict[str, Any] = {}
    if amount_cents <= 0:
        errors["amount_cents"] = AMOUNT_POSITIVE
    if planned_additions_cents < 0:
        errors["planned_additions_cents"] = ADDITIONS_NOT_NEGATIVE
    if not authorised_by_name.strip():
        errors["authorised_by_name"] = AUTHORISED_BY_REQUIRED
    if authorised_on > _today():
        errors["authorised_on"] = DATE_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    old = FinancialAuthorisation.objects.filter(file=file).first()
    before = (
        {"amount_cents": old.amount_cents, "planned_additions_cents": old.planned_additions_cents}
        if old
        else None
    )
    if old is not None:
        old.delete()
    auth = FinancialAuthorisation.objects.create(
        file=file,
        amount_cents=amount_cents,
        planned_additions_cents=planned_additions_cents,
        authorised_on=authorised_on,
        authorised_by_name=authorised_by_name.strip(),
        reference=reference.strip(),
        recorded_by=by,
    )
    _record(
        by,
        "acquisition.financial_authorised",
        auth,
        file,
        before,
        {
            "amount_cents": amount_cents,
            "planned_additions_cents": planned_additions_cents,
            "authorised_on": authorised_on.isoformat(),
            "authorised_by_name": auth.authorised_by_name,
        },
    )
    _touch(file)
    return auth


@transaction.atomic
def efvp_record(
    *,
    by: User,
    file: AcquisitionFile,
    done_on: date,
    name: str,
    content: bytes,
    content_type: str,
) -> AcquisitionFile:
    """The privacy impact assessment is done (DOMAIN §3.1); it joins the file's documents."""
    file = _lock(file)
    _require_runs(by, file)
    if not file.is_open:
        raise ValidationError({"state": WRONG_STEP})
    if not rules.efvp_required(file.personal_information):
        raise ValidationError({"efvp": EFVP_NOT_REQUIRED})
    if not content:
        raise ValidationError({"document": DOCUMENT_REQUIRED})
    _require_date_not_future("done_on", done_on)
    before = file.audit_snapshot()
    kept = file_document_keep(
        by=by,
        file=file,
        kind=DocumentKind.EFVP,
        title=str(_("EFVP du {date}")).format(date=long_date(done_on)),
        name=name,
        content=content,
        content_type=content_type,
    )
    file.efvp_done_on, file.efvp_document = done_on, kept
    file.updated_at = timezone.now()
    file.save()
    _record(by, "acquisition.efvp_recorded", file, file, before, file.audit_snapshot())
    return file
