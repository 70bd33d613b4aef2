"""What acquisitions adds to the menu, and what its files await from whom (``core.workitems``):
computed from each open file's state and what its checks still find missing, never stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courtier.accounts import permissions
from courtier.accounts.models import Role
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import organisations_with_role
from courtier.acquisitions import checks, rules
from courtier.acquisitions.messages import PREREQUISITE_MESSAGES
from courtier.acquisitions.models import (
    QUESTION_LABELS,
    AcquisitionFile,
    FinancialAuthorisation,
    MemberConsumption,
    StartupMeeting,
    SupplierQuestion,
)
from courtier.acquisitions.policies import may_manage
from courtier.acquisitions.workflow import FILE_WORKFLOW
from courtier.core import navigation, workitems
from courtier.core.workitems import Awaits, WorkItem

# Acquisition files: the broker's staff and the client bodies' people (DOMAIN §3).
navigation.entry("acquisitions", lambda user: permissions.has_perm(user, Perm.BROWSE_CATALOGUE))
# Questions to suppliers: the suppliers asked, and the broker who follows delays.
navigation.entry(
    "questions",
    lambda user: (
        permissions.has_perm(user, Perm.ANSWER_QUESTIONS)
        or permissions.has_perm(user, Perm.SEE_ALL_ORGANISATIONS)
    ),
)

KIND_FILE = gettext_lazy("Dossier d'acquisition")
FORWARD_ACTIONS = frozenset(
    {
        rules.Action.SUBMIT_NEEDS,
        rules.Action.CONFIRM_CANDIDATES,
        rules.Action.CLOSE_COMPLIANCE,
        rules.Action.CONFIRM_CHOICE,
        rules.Action.FREEZE_STRATEGY,
    }
)


def _is_answer(key: str) -> bool:
    # The questionnaire's problems are keyed ``answers.<question code>`` (rules.needs_problems).
    return key.startswith("answers.") and key.removeprefix("answers.") in QUESTION_LABELS


def _messages(problems: Mapping[str, Any]) -> list[str]:
    """What a move still misses, said once each: the questionnaire's unanswered questions as
    one count (not "Répondez à cette question." eight times), every other problem once."""
    unanswered = sum(1 for key in problems if _is_answer(key))
    found: list[str] = []
    if unanswered:
        found.append(
            ngettext(
                "%(n)s question du questionnaire sans réponse",
                "%(n)s questions du questionnaire sans réponse",
                unanswered,
            )
            % {"n": unanswered}
        )
    for key, value in problems.items():
        if _is_answer(key):
            continue
        for message in value if isinstance(value, list | tuple) else [value]:
            text = str(message).strip().rstrip(".")
            if text not in found:
                found.append(text)
    return found


def _detail(file: AcquisitionFile, missing: list[str]) -> str:
    """The file's title, then what is missing, each once, without doubled punctuation."""
    parts = list(dict.fromkeys(str(m).strip().rstrip(".") for m in missing))
    return f"{file.title} — {' ; '.join(parts)}." if parts else file.title


def _file_url(file: AcquisitionFile) -> str:
    return reverse("acquisitions:file_detail", args=[file.pk])


def startup_due_on(file: AcquisitionFile) -> date | None:
    """DOMAIN §3 step 5 (002 §2.5): at least 30 days from the startup contact to a signed
    contract, so the file must reach its startup meeting 30 days before the planned start."""
    if file.planned_start is None:
        return None
    return file.planned_start - timedelta(days=rules.STARTUP_TO_SIGNED_CONTRACT_DAYS)


def _item(
    file: AcquisitionFile,
    what: str,
    label: str,
    *,
    organisation: str,
    detail: str = "",
    due_on: date | None = None,
) -> WorkItem:
    return WorkItem(
        key=f"acquisitions.{what}:{file.pk}",
        title=f"{label} — {file.reference}",
        url=_file_url(file),
        kind=str(KIND_FILE),
        detail=detail or file.title,
        organisation=organisation,
        due_on=due_on,
        awaits=Awaits.ORGANISATION,
    )


def _next_step(file: AcquisitionFile, organisation: str) -> WorkItem | None:
    """The client's procurement people: what the current step needs next (its forward move's
    guards), due by the date the startup meeting must be reached (DOMAIN §3 step 5)."""
    awaiting = FILE_WORKFLOW.awaits.get(file.state)
    if awaiting is None or awaiting.actor != rules.Actor.CLIENT:
        return None
    moves = [t for t in FILE_WORKFLOW.from_state(file.state) if t.action in FORWARD_ACTIONS]
    missing = _messages(FILE_WORKFLOW.problems(moves[0], file)) if moves else []
    detail = _detail(file, missing)
    return _item(
        file,
        f"step.{file.state}",
        str(awaiting.label),
        detail=detail,
        organisation=organisation,
        due_on=startup_due_on(file),
    )


def _choice_items(
    file: AcquisitionFile, heads: Mapping[int, str], finance: Mapping[int, str]
) -> Iterator[WorkItem]:
    """Step 4 (002 §2.4.3-2.4.4): the head's authorisation of a non-lowest choice (RCTI
    art. 48), the financial authorisation of the total amount."""
    chosen = checks.chosen_scenario(file)
    if chosen is None:
        return
    if (
        file.client_id in heads
        and checks.head_authorisation_needed(file, chosen)
        and not checks.head_authorisation_valid(file, chosen)
    ):
        yield _item(
            file,
            "head_authorisation",
            _("Autoriser le choix d'un scénario qui n'est pas le plus bas (RCTI, art. 48)"),
            organisation=heads[file.client_id],
            due_on=startup_due_on(file),
        )
    if file.client_id in finance:
        financial = FinancialAuthorisation.objects.filter(file=file).first()
        if (
            financial is None
            or financial.amount_cents < chosen.total_cents + financial.planned_additions_cents
        ):
            yield _item(
                file,
                "financial_authorisation",
                _("Donner l'autorisation financière du montant total"),
                organisation=finance[file.client_id],
                due_on=startup_due_on(file),
            )


def _startup_items(file: AcquisitionFile) -> Iterator[WorkItem]:
    """Step 5 (002 §2.5), for the broker's agents: convene the meeting once its prerequisites
    hold, freeze the strategy once it has taken place."""
    meeting = StartupMeeting.objects.filter(file=file).first()
    if meeting is None:
        if not checks.missing_prerequisites(file):
            yield _item(
                file,
                "meeting",
                _("Convoquer la rencontre de démarrage"),
                organisation=_("Courtier"),
                due_on=startup_due_on(file),
            )
    elif meeting.scheduled_for <= timezone.now():
        yield _item(
            file,
            "freeze",
            _("Figer la stratégie d'acquisition"),
            organisation=_("Courtier"),
            due_on=timezone.localdate(meeting.scheduled_for),
        )


def _missing_prerequisites(file: AcquisitionFile, organisation: str) -> WorkItem | None:
    """Step 5 for the client: what the broker still misses before convening (002 §2.5)."""
    missing = checks.missing_prerequisites(file)
    if not missing:
        return None
    return _item(
        file,
        "prerequisites",
        _("Réunir les préalables de la rencontre de démarrage"),
        detail=_detail(file, [str(PREREQUISITE_MESSAGES[p]) for p in missing]),
        organisation=organisation,
        due_on=startup_due_on(file),
    )


def _member_items(file: AcquisitionFile, members: Mapping[int, str]) -> Iterator[WorkItem]:
    """A group purchase (seed 003): each member body enters its own consumption of each line."""
    if file.state != rules.State.NEEDS or not file.is_group_purchase:
        return
    needs = list(file.needs.order_by("position", "code"))
    entered = set(
        MemberConsumption.objects.filter(need__file=file).values_list("need_id", "member_id")
    )
    for member_id in file.client.members.filter(pk__in=list(members)).values_list("pk", flat=True):
        missing = [n for n in needs if (n.pk, member_id) not in entered]
        if missing:
            yield WorkItem(
                key=f"acquisitions.member_consumption:{file.pk}:{member_id}",
                title=f"{_('Indiquer votre consommation')} — {file.reference}",
                url=reverse("acquisitions:member_consumption", args=[file.pk, missing[0].code]),
                kind=str(KIND_FILE),
                detail=_detail(file, [n.label for n in missing]),
                organisation=members[member_id],
            )


def _question_items(user: Any, broker: bool) -> Iterator[WorkItem]:
    """Questions to suppliers (DOMAIN §3 step 3, 004 §3.3.2): the supplier's people answer
    within 3 business days (``due_on``); the broker follows those overdue."""
    suppliers = organisations_with_role(user, [Role.SUPPLIER_REP])
    today = timezone.localdate()
    url = reverse("acquisitions:questions_inbox")
    open_questions = SupplierQuestion.objects.filter(answered_at__isnull=True).select_related(
        "file", "supplier"
    )
    if suppliers:
        for q in open_questions.filter(supplier_id__in=list(suppliers)):
            yield WorkItem(
                key=f"acquisitions.question:{q.pk}",
                title=f"{_('Répondre à une question')} — {q.file.reference}",
                url=url,
                kind=_("Question d'un client"),
                due_on=q.due_on,
                detail=q.text[:200],
                organisation=q.supplier.name,
            )
    if broker:
        for q in open_questions.filter(due_on__lt=today):
            yield WorkItem(
                key=f"acquisitions.question_overdue:{q.pk}",
                title=f"{_('Relancer un fournisseur en retard')} — {q.supplier.name}",
                url=url,
                kind=_("Question en retard"),
                due_on=q.due_on,
                detail=f"{q.file.reference} — {q.text[:200]}",
                organisation=_("Courtier"),
            )


def _signature_items(user: Any) -> Iterator[WorkItem]:
    """DOMAIN §3 step 5: once the strategy is frozen the broker prepares the specific contract
    and the client's hierarchy signs it before the planned start. Until the contracts workflow
    exists (it will register its own items), the frozen file awaits its signatories up to its
    planned start."""
    signatories = organisations_with_role(user, [Role.CLIENT_SIGNATORY])
    if not signatories:
        return
    today = timezone.localdate()
    files = (
        permissions.scope(user, AcquisitionFile.objects.filter(state=rules.State.FROZEN))
        .filter(client_id__in=list(signatories))
        .exclude(planned_start__lt=today)
        .select_related("client")
    )
    for file in files:
        yield _item(
            file,
            "signature",
            _("Prévoir la signature du contrat spécifique"),
            detail=_("%(title)s ; stratégie figée, contrat préparé par le Courtier")
            % {"title": file.title},
            organisation=signatories[file.client_id],
            due_on=file.planned_start,
        )


@workitems.provider("acquisitions")
def work_items(user: Any) -> Iterable[WorkItem]:
    g = permissions.grants(user)
    if not g.anywhere(Perm.WRITE):  # the auditor does nothing
        return []
    roles = organisations_with_role(user, [Role.CLIENT_PROCUREMENT])
    heads = organisations_with_role(user, [Role.CLIENT_HEAD])
    finance = organisations_with_role(user, [Role.CLIENT_FINANCE])
    broker = may_manage(user)
    items: list[WorkItem] = [*_question_items(user, broker), *_signature_items(user)]
    if not (roles or heads or finance or broker):
        return items
    files = permissions.scope(
        user, AcquisitionFile.objects.filter(state__in=list(rules.OPEN_STATES))
    ).select_related("client")
    for file in files:
        if file.client_id in roles:
            step = _next_step(file, roles[file.client_id])
            if step is not None:
                items.append(step)
            if file.state == rules.State.STARTUP:
                prerequisites = _missing_prerequisites(file, roles[file.client_id])
                if prerequisites is not None:
                    items.append(prerequisites)
            if rules.efvp_required(file.personal_information) and file.efvp_done_on is None:
                # Access Act art. 70.1 (DOMAIN §3 step 1): an EFVP when personal information
                # is involved, before the contract.
                items.append(
                    _item(
                        file,
                        "efvp",
                        _("Réaliser l'évaluation des facteurs relatifs à la vie privée (EFVP)"),
                        organisation=roles[file.client_id],
                    )
                )
        if file.state == rules.State.CHOICE:
            items.extend(_choice_items(file, heads, finance))
        if broker and file.state == rules.State.STARTUP:
            items.extend(_startup_items(file))
        items.extend(_member_items(file, roles))
    return items
