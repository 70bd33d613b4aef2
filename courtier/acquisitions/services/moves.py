"""What the moves of ``acquisitions.workflow.FILE_WORKFLOW`` write and what follows them (002
§2): the move's own audit event, the writes made with it in the service's transaction (the
compliance records, the choice cleared, the frozen strategy) and the effects after the commit
(the documents the step produced, rendered by a task, and the emails)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from courtier.accounts.selectors import broker_staff_emails
from courtier.acquisitions import checks, tasks
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    DocumentKind,
    Scenario,
)
from courtier.acquisitions.services.candidates import requirements_fill
from courtier.acquisitions.services.common import _client_emails, _file_url, _record
from courtier.acquisitions.services.scenarios import choice_clear
from courtier.core.mail import notify
from courtier.core.workflow import Outcome, Transition
from courtier.documents.services.retention import retention_recompute

# --- the move itself ------------------------------------------------------------------------------


def move_save(file: AcquisitionFile, move: Transition) -> None:
    """The file saved with its new step."""
    file.updated_at = timezone.now()
    file.save(update_fields=["state", "updated_at"])


def move_record(
    by: Any, file: AcquisitionFile, move: Transition, before: str, values: Mapping[str, Any]
) -> None:
    """One audit event per move, named after its action: the step before and after."""
    _record(by, f"acquisition.{move.action}", file, file, {"state": before}, {"state": file.state})


# --- writes, in the move's transaction ------------------------------------------------------------


def file_closed(outcome: Outcome) -> None:
    """An abandoned file closes today: the documents kept for it count their retention from
    this day, no longer pending a contract that will never be (DOMAIN §7)."""
    file = outcome.subject
    file.closed_on = timezone.localdate()
    file.save(update_fields=["closed_on"])
    retention_recompute(subject=file)


def records_fill(outcome: Outcome) -> None:
    """Confirming the list (002 §2.3.1): the automatic requirements and a record per offer and
    requirement."""
    requirements_fill(outcome.subject)


def choice_cleared(outcome: Outcome) -> None:
    """Back to step 3 (002 §2.3): the choice made at step 4 no longer holds."""
    choice_clear(by=outcome.by, file=outcome.subject)


def _strategy_content(file: AcquisitionFile, chosen: Scenario) -> dict[str, Any]:
    needs = {n.code: n for n in file.needs.all()}
    offers = []
    for offer in chosen.offers.select_related("version").order_by("pk"):
        candidate = file.candidates.filter(offer=offer).first()
        mapping = candidate.mapping if candidate else {}
        offers.append(
            {
                "offer": offer.pk,
                "code": offer.code,
                "name": offer.name,
                "sheet_version": chosen.versions.get(str(offer.pk)),
                "components": [
                    {
                        "component": component,
                        "need": need_code,
                        "label": needs[need_code].label if need_code in needs else need_code,
                        "unit": needs[need_code].unit if need_code in needs else "",
                        "quantities": needs[need_code].quantities if need_code in needs else [],
                    }
                    for need_code, component in sorted(mapping.items())
                ],
            }
        )
    return {
        "supplier": chosen.supplier_id,
        "supplier_name": chosen.supplier.name,
        "supplier_partner": file.supplier_partner,
        "duration_months": file.duration_months,
        "total_cents": chosen.total_cents,
        "monthly_cents": chosen.monthly_cents,
        "offers": offers,
        "member_shares": chosen.member_shares,
        "is_lowest": chosen.is_lowest,
    }


def strategy_frozen(outcome: Outcome) -> None:
    """The strategy of the chosen scenario, frozen (002 §2.5), with its own audit event."""
    file, by = outcome.subject, outcome.by
    chosen = checks.chosen_scenario(file)
    assert chosen is not None  # a missing choice is a missing prerequisite (a guard)
    strategy = AcquisitionStrategy.objects.create(
        file=file,
        scenario=chosen,
        supplier_id=chosen.supplier_id,
        duration_months=file.duration_months or 0,
        total_cents=chosen.total_cents,
        content=_strategy_content(file, chosen),
        frozen_by=by,
    )
    _record(by, "acquisition.strategy_frozen", strategy, file, None, strategy.content)


# --- effects, after the commit ------------------------------------------------------------------


def needs_document(outcome: Outcome) -> None:
    """The needs as submitted (DOMAIN §7: the choice support)."""
    tasks.render_after_commit(DocumentKind.NEEDS, file=outcome.subject, by=outcome.by)


def compliance_documents(outcome: Outcome) -> None:
    """The compliant list (002 §2.3.1), and the questions to suppliers and their answers when
    there were any (004 §3.3.2)."""
    file = outcome.subject
    tasks.render_after_commit(DocumentKind.COMPLIANCE, file=file, by=outcome.by)
    if file.questions.exists():
        tasks.render_after_commit(DocumentKind.QUESTIONS, file=file, by=outcome.by)


def strategy_document(outcome: Outcome) -> None:
    """The frozen strategy, handed to contract preparation (002 §2.5)."""
    file = outcome.subject
    tasks.render_after_commit(
        DocumentKind.STRATEGY, file=file, by=outcome.by, source_id=file.strategy.pk
    )


def broker_told_ready(outcome: Outcome) -> None:
    """002 §2.5: the broker's agents convene the startup meeting once the choice is confirmed."""
    file = outcome.subject
    notify(
        to=broker_staff_emails(),
        template="acquisitions/email/ready_for_startup",
        context={"file": file, "url": _file_url(file)},
    )


def strategy_announced(outcome: Outcome) -> None:
    """The client's and the broker's people learn the strategy is frozen (002 §2.5)."""
    file = outcome.subject
    notify(
        to=_client_emails(file) + broker_staff_emails(),
        template="acquisitions/email/strategy_frozen",
        context={"file": file, "strategy": file.strategy, "url": _file_url(file)},
    )
