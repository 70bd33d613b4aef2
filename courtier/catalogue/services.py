"""Writes for the Catalogue: supplier-sheet drafts and their review, publication of dated sheet
versions (with the change history and the projection the search reads), price lists,
framework agreements, qualifications, subscriptions and supporting documents.

Each function is atomic, locks what it changes, checks the rules, writes one audit event per
change and queues its emails for after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, Role, User
from courtier.accounts.rules import Perm
from courtier.accounts.selectors import emails_with_roles
from courtier.audit.services import audit_event_record
from courtier.calendar import selectors as calendar
from courtier.catalogue import rules
from courtier.catalogue.models import (
    BillingFrequency,
    Category,
    Component,
    DataCentre,
    FrameworkAgreement,
    Offer,
    OfferStatus,
    PriceLine,
    PriceList,
    PriceListStatus,
    ProviderQualification,
    Qualification,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
    SupportingDocumentVersion,
    Unit,
)
from courtier.core.mail import notify
from courtier.files.models import StoredFile
from courtier.files.services import stored_file_save

# Error messages, shared by the code and the tests.
NOT_A_SUPPLIER = _("Seul un fournisseur a une fiche au Catalogue.")
DRAFT_ALREADY_OPEN = _(
    "Une proposition de modification est déjà ouverte pour ce fournisseur : poursuivez-la."
)
DRAFT_NOT_EDITABLE = _("Cette proposition n'est plus modifiable dans son état actuel.")
TRANSITION_REFUSED = _("Cette action n'est pas possible dans l'état actuel de la proposition.")
RETURN_COMMENT_REQUIRED = _("Expliquez au fournisseur ce qu'il doit corriger.")
DRAFT_OUTDATED = _(
    "Une autre version de la fiche a été publiée depuis le début de cette proposition : "
    "abandonnez-la et recommencez à partir de la version en vigueur."
)
NOTHING_CHANGED = _("Cette proposition ne change rien à la fiche en vigueur.")
PRICE_NOT_FIRST_BUSINESS_DAY = _(
    "Les prix ne peuvent changer que le premier jour ouvrable d'un mois : le %(day)s n'en est "
    "pas un (le premier jour ouvrable de ce mois est le %(first)s)."
)
PRICE_IN_THE_PAST = _(
    "Une liste de prix publiée ne change jamais : la date d'effet doit être aujourd'hui ou plus "
    "tard (le %(day)s est passé)."
)
PRICE_UNKNOWN_OFFER = _("L'offre « %(code)s » ne figure pas dans la fiche proposée.")
PRICE_UNKNOWN_COMPONENT = _(
    "La composante « %(component)s » n'existe pas dans l'offre « %(code)s »."
)
PRICE_LIST_EMPTY = _("Une liste de prix doit contenir au moins une ligne.")
PRICE_LINE_DUPLICATE = _(
    "La composante « %(component)s » a deux prix pour le palier à partir de %(tier)s."
)
PRICE_NEGATIVE = _("Un prix ne peut pas être négatif.")
PRICE_NOT_A_NUMBER = _("Saisissez un nombre entier positif ou nul.")
PRICE_NOT_YES_NO = _("Saisissez vrai ou faux.")
PRICE_LIST_IN_FORCE = _(
    "La liste de prix de l'offre « %(code)s » du %(day)s est déjà en vigueur : elle ne peut plus "
    "être remplacée. Proposez une liste pour le premier jour ouvrable d'un mois à venir."
)
DOCUMENT_FILE_UNKNOWN = _(
    "Ce fichier n'a pas été déposé pour cette fiche : déposez-le avec le formulaire du document."
)
CONTENT_PROBLEMS = {
    rules.ContentProblem.UNKNOWN_FIELD: _("Ce champ n'existe pas dans une fiche."),
    rules.ContentProblem.REQUIRED: _("Ce champ est obligatoire."),
    rules.ContentProblem.DUPLICATE_CODE: _("Ce code est déjà utilisé dans cette section."),
    rules.ContentProblem.BAD_CHOICE: _("Cette valeur n'est pas permise : « %(value)s »."),
    rules.ContentProblem.UNKNOWN_DATA_CENTRE: _(
        "Le centre de données « %(value)s » n'est pas décrit dans la fiche."
    ),
    rules.ContentProblem.AUTHORISED_NEEDS_DATE: _(
        "Indiquez depuis quand ce centre est autorisé pour les renseignements personnels."
    ),
    rules.ContentProblem.BAD_DATE: _("Date invalide : « %(value)s » (format AAAA-MM-JJ)."),
    rules.ContentProblem.NOT_A_LIST: _("Cette section doit être une liste."),
    rules.ContentProblem.NOT_TEXT: _("Ce champ doit être un texte : « %(value)s »."),
    rules.ContentProblem.TOO_LONG: _("Ce texte est trop long : %(value)s caractères au plus."),
}
SUBSCRIPTION_EXISTS = _("Vous êtes déjà abonné à ces modifications.")
SUBSCRIPTION_ONE_SCOPE = _("Choisissez un volet ou un fournisseur, pas les deux.")
AGREEMENT_HOLDER = _("Une entente-cadre se conclut avec un fournisseur ou un prestataire.")
AGREEMENT_NUMBER_TAKEN = _("Une entente-cadre porte déjà ce numéro.")
AGREEMENT_DATES = _("La fin de l'entente doit suivre son début.")
NOT_A_PROVIDER = _("Seul un prestataire de services peut être qualifié.")
AGREEMENT_OF_ANOTHER = _("Cette entente-cadre appartient à une autre organisation.")
ALREADY_QUALIFIED = _("Ce prestataire est déjà qualifié pour cette qualification.")
QUALIFICATION_CODE_TAKEN = _("Une qualification porte déjà ce code.")
DOCUMENT_TITLE_TAKEN = _("Un document porte déjà ce titre.")


def _today() -> date:
    return timezone.localdate()


def _moment(day: date) -> datetime:
    """Now, or noon (local time) of an earlier ``day`` given explicitly (demo history)."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12)))


def _require_sheet_access(by: User | None, supplier: Organisation) -> None:
    """The broker's agents, or the supplier's own representatives (DOMAIN §1)."""
    if by is None:
        return
    g = permissions.grants(by)
    if g.anywhere(Perm.PUBLISH_CATALOGUE):
        return
    if supplier.pk in g.organisations_with(Perm.PROPOSE_SHEET):
        return
    permissions.require_view(by, supplier)
    raise permissions.PermissionDenied


def latest_version(supplier: Organisation | int) -> SheetVersion | None:
    supplier_id = getattr(supplier, "pk", supplier)
    return SheetVersion.objects.filter(supplier_id=supplier_id).order_by("-number").first()


# --- drafts -----------------------------------------------------------------------------------


@transaction.atomic
def sheet_draft_create(*, by: User | None, supplier: Organisation, summary: str = "") -> SheetDraft:
    """Start a proposed change from the sheet in force (or an empty sheet)."""
    if supplier.kind != OrganisationKind.SUPPLIER:
        raise ValidationError({"supplier": NOT_A_SUPPLIER})
    _require_sheet_access(by, supplier)
    Organisation.objects.select_for_update().get(pk=supplier.pk)
    if SheetDraft.objects.filter(supplier=supplier, status__in=rules.OPEN_DRAFT_STATES).exists():
        raise ValidationError({"supplier": DRAFT_ALREADY_OPEN})
    base = latest_version(supplier)
    draft = SheetDraft.objects.create(
        supplier=supplier,
        base_version=base,
        content=base.content if base else rules.empty_content(),
        summary=summary.strip(),
        created_by=by,
    )
    audit_event_record(
        actor=by,
        action="sheet_draft.created",
        obj=draft,
        organisation=supplier,
        after={"base_version": base.pk if base else None, "summary": draft.summary},
    )
    return draft


def content_errors(content: Mapping[str, Any]) -> dict[str, list[str]]:
    """French messages per path for everything wrong in ``content`` (empty when fine)."""
    codes = Category.objects.values_list("code", flat=True)
    errors: dict[str, list[str]] = {}
    for problem in rules.content_problems(content, categories=codes):
        message = CONTENT_PROBLEMS[problem.problem] % {"value": problem.value}
        errors.setdefault(problem.path, []).append(message)
    return errors


def _lock_editable(by: User | None, draft: SheetDraft) -> SheetDraft:
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    _require_sheet_access(by, draft.supplier)
    if draft.status not in rules.EDITABLE_DRAFT_STATES:
        raise ValidationError({"status": DRAFT_NOT_EDITABLE})
    return draft


def _normalise_content(content: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**rules.empty_content(), **content}
    return {key: merged[key] for key in rules.SHEET_FIELDS if key in merged} | {
        key: value for key, value in content.items() if key not in rules.SHEET_FIELDS
    }


@transaction.atomic
def sheet_draft_update(
    *, by: User | None, draft: SheetDraft, content: Mapping[str, Any], summary: str | None = None
) -> SheetDraft:
    """Replace the proposed content. Refused whole, with every problem named, if any is wrong."""
    draft = _lock_editable(by, draft)
    content = _normalise_content(content)
    errors = content_errors(content) or _foreign_files(draft, content)
    if errors:
        raise ValidationError(errors)
    before = {"summary": draft.summary, "content": draft.content}
    draft.content = content
    if summary is not None:
        draft.summary = summary.strip()
    draft.updated_at = timezone.now()
    draft.save(update_fields=["content", "summary", "updated_at"])
    audit_event_record(
        actor=by,
        action="sheet_draft.updated",
        obj=draft,
        organisation=draft.supplier,
        before=before,
        after={"summary": draft.summary, "content": draft.content},
    )
    return draft


def _foreign_files(draft: SheetDraft, content: Mapping[str, Any]) -> dict[str, list[str]]:
    """A sheet may point only at files its own supplier, the broker or the system (demo,
    commands) deposited, or that it already pointed at: a file's hash must not open another
    supplier's document."""
    known = {doc.get("file_sha256") for doc in draft.content.get("documents", [])}
    wanted = {
        i: doc.get("file_sha256")
        for i, doc in enumerate(content.get("documents", []))
        if doc.get("file_sha256") not in known
    }
    if not wanted:
        return {}
    depositors = Organisation.objects.filter(
        Q(pk=draft.supplier_id) | Q(kind=OrganisationKind.BROKER)
    ).values("memberships__user_id")
    allowed = set(
        StoredFile.objects.filter(sha256__in=set(wanted.values()))
        .filter(Q(created_by_id__in=depositors) | Q(created_by__isnull=True))
        .values_list("sha256", flat=True)
    )
    return {
        f"documents[{i}].file_sha256": [str(DOCUMENT_FILE_UNKNOWN)]
        for i, sha in wanted.items()
        if sha not in allowed
    }


def _transition(
    by: User | None, draft: SheetDraft, action: rules.DraftAction, **fields: Any
) -> SheetDraft:
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    target = rules.next_draft_state(draft.status, action)
    if target is None:
        raise ValidationError({"status": TRANSITION_REFUSED})
    before = draft.status
    draft.status = target
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.updated_at = timezone.now()
    draft.save()
    audit_event_record(
        actor=by,
        action=f"sheet_draft.{target}",
        obj=draft,
        organisation=draft.supplier,
        before={"status": before},
        after={
            "status": str(target),
            **{k: str(v) for k, v in fields.items() if k.endswith("comment")},
        },
    )
    return draft


def _brokers_to_tell() -> list[str]:
    return emails_with_roles([Role.BROKER_ADMIN, Role.BROKER_AGENT])


def _supplier_emails(supplier: Organisation) -> list[str]:
    return emails_with_roles([Role.SUPPLIER_REP], supplier)


@transaction.atomic
def sheet_draft_submit(*, by: User | None, draft: SheetDraft) -> SheetDraft:
    """The supplier sends its proposal to the broker for review (DOMAIN §2)."""
    _require_sheet_access(by, draft.supplier)
    errors = content_errors(draft.content)
    if errors:
        raise ValidationError(errors)
    draft = _transition(by, draft, rules.DraftAction.SUBMIT, submitted_at=timezone.now())
    notify(
        to=_brokers_to_tell(),
        template="catalogue/email/draft_submitted",
        context={"draft": draft, "url": reverse("catalogue:draft_detail", args=[draft.pk])},
    )
    return draft


@transaction.atomic
def sheet_draft_return(*, by: User | None, draft: SheetDraft, comment: str) -> SheetDraft:
    """The broker sends the proposal back with what to correct."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if not comment.strip():
        raise ValidationError({"comment": RETURN_COMMENT_REQUIRED})
    draft = _transition(
        by,
        draft,
        rules.DraftAction.RETURN,
        review_comment=comment.strip(),
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    notify(
        to=_supplier_emails(draft.supplier),
        template="catalogue/email/draft_returned",
        context={"draft": draft, "url": reverse("catalogue:draft_detail", args=[draft.pk])},
    )
    return draft


@transaction.atomic
def sheet_draft_abandon(*, by: User | None, draft: SheetDraft) -> SheetDraft:
    _require_sheet_access(by, draft.supplier)
    draft = _transition(by, draft, rules.DraftAction.ABANDON)
    PriceList.objects.filter(draft=draft, status=PriceListStatus.DRAFT).update(
        status=PriceListStatus.DISCARDED
    )
    return draft


# --- prices -----------------------------------------------------------------------------------


def price_date_error(effective_from: date, *, today: date | None = None) -> str | None:
    """The French message for a price date that breaks the first-business-day rule, or None."""
    closures = calendar.closure_days()
    problem = rules.price_date_problem(effective_from, today=today or _today(), closures=closures)
    if problem is rules.PriceDateProblem.NOT_FIRST_BUSINESS_DAY:
        first = calendar.first_business_day_of_month(effective_from.year, effective_from.month)
        return str(PRICE_NOT_FIRST_BUSINESS_DAY % {"day": effective_from, "first": first})
    if problem is rules.PriceDateProblem.IN_THE_PAST:
        return str(PRICE_IN_THE_PAST % {"day": effective_from})
    return None


# What a proposed price line may hold (PriceLine's field names; prices in cents).
PRICE_LINE_FIELDS = frozenset({"component_code", "tier_min_quantity", *rules.PRICE_TERMS})


_LINE_INTEGERS = {
    "unit_price_cents": rules.MAX_PRICE_CENTS,
    "tier_min_quantity": 2_147_483_647,
    "minimum_quantity": 2_147_483_647,
    "minimum_term_months": 32_767,
    "max_yearly_increase_bp": 100_000,
}
_LINE_BOOLEANS = ("all_units_from_signature", "may_decrease")


def _check_line_types(i: int, line: Mapping[str, Any]) -> None:
    """Numbers are whole, non-negative and bounded; flags are booleans (DOMAIN §2 price lines)."""
    if not isinstance(line.get("component_code"), str):
        raise ValidationError(
            {f"lines[{i}].component_code": CONTENT_PROBLEMS[rules.ContentProblem.REQUIRED]}
        )
    if "unit_price_cents" not in line:
        raise ValidationError(
            {f"lines[{i}].unit_price_cents": CONTENT_PROBLEMS[rules.ContentProblem.REQUIRED]}
        )
    for name, maximum in _LINE_INTEGERS.items():
        value = line.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value > maximum:
            raise ValidationError({f"lines[{i}].{name}": PRICE_NOT_A_NUMBER})
        if value < 0:
            message = PRICE_NEGATIVE if name == "unit_price_cents" else PRICE_NOT_A_NUMBER
            raise ValidationError({f"lines[{i}].{name}": message})
    for name in _LINE_BOOLEANS:
        if name in line and not isinstance(line[name], bool):
            raise ValidationError({f"lines[{i}].{name}": PRICE_NOT_YES_NO})


def _in_force_conflict(
    supplier_id: int, offer_code: str, effective_from: date, today: date
) -> str | None:
    """A published list that has taken effect is never replaced (DOMAIN §2: a past price list
    is never altered); one scheduled for a later day may be."""
    if effective_from > today:
        return None
    taken = _published_lists(supplier_id, offer_code).filter(effective_from=effective_from).exists()
    return str(PRICE_LIST_IN_FORCE % {"code": offer_code, "day": effective_from}) if taken else None


def _offer_components(content: Mapping[str, Any]) -> dict[str, set[str]]:
    return {
        offer["code"]: {c["code"] for c in offer.get("components") or []}
        for offer in content.get("offers", [])
    }


@transaction.atomic
def sheet_draft_set_prices(
    *,
    by: User | None,
    draft: SheetDraft,
    offer_code: str,
    effective_from: date,
    lines: Sequence[Mapping[str, Any]],
    today: date | None = None,
) -> PriceList:
    """Propose the price list of one offer from one date (replacing one proposed before for the
    same offer and date). Lines use PriceLine's field names; prices in cents. ``today`` (the
    local date by default) lets the demo rebuild a history; the rule itself never changes."""
    draft = _lock_editable(by, draft)
    message = price_date_error(effective_from, today=today) or _in_force_conflict(
        draft.supplier_id, offer_code, effective_from, today or _today()
    )
    if message:
        raise ValidationError({"effective_from": message})
    components = _offer_components(draft.content)
    if offer_code not in components:
        raise ValidationError({"offer_code": PRICE_UNKNOWN_OFFER % {"code": offer_code}})
    if not lines:
        raise ValidationError({"lines": PRICE_LIST_EMPTY})
    seen: set[tuple[str, int]] = set()
    for i, line in enumerate(lines):
        _check_line_types(i, line)
        key = (line["component_code"], int(line.get("tier_min_quantity", 0)))
        if key[0] not in components[offer_code]:
            raise ValidationError(
                {
                    f"lines[{i}].component_code": PRICE_UNKNOWN_COMPONENT
                    % {"component": key[0], "code": offer_code}
                }
            )
        if key in seen:
            raise ValidationError(
                {f"lines[{i}]": PRICE_LINE_DUPLICATE % {"component": key[0], "tier": key[1]}}
            )
        if int(line["unit_price_cents"]) < 0:
            raise ValidationError({f"lines[{i}].unit_price_cents": PRICE_NEGATIVE})
        for name in line:
            if name not in PRICE_LINE_FIELDS:
                raise ValidationError(
                    {f"lines[{i}].{name}": CONTENT_PROBLEMS[rules.ContentProblem.UNKNOWN_FIELD]}
                )
        for name, allowed in (
            ("unit", Unit.values),
            ("billing_frequency", BillingFrequency.values),
        ):
            if line.get(name) not in allowed:
                raise ValidationError(
                    {
                        f"lines[{i}].{name}": CONTENT_PROBLEMS[rules.ContentProblem.BAD_CHOICE]
                        % {"value": line.get(name, "")}
                    }
                )
        seen.add(key)
    replaced = PriceList.objects.filter(
        draft=draft, offer_code=offer_code, effective_from=effective_from, status="draft"
    )
    replaced_lines = sum(replaced.values_list("line_count", flat=True))
    PriceLine.objects.filter(price_list__in=replaced).delete()
    replaced.delete()
    offer = Offer.objects.filter(supplier=draft.supplier, code=offer_code).first()
    price_list = PriceList.objects.create(
        offer=offer,
        supplier=draft.supplier,
        offer_code=offer_code,
        effective_from=effective_from,
        status=PriceListStatus.DRAFT,
        draft=draft,
        line_count=len(lines),
    )
    PriceLine.objects.bulk_create(
        PriceLine(price_list=price_list, offer=offer, **dict(line)) for line in lines
    )
    audit_event_record(
        actor=by,
        action="price_list.proposed",
        obj=price_list,
        organisation=draft.supplier,
        before={"lines": replaced_lines} if replaced_lines else None,
        after={
            "offer": offer_code,
            "effective_from": effective_from.isoformat(),
            "lines": len(lines),
            "draft": draft.pk,
        },
    )
    return price_list


def _price_terms(
    lines: Iterable[PriceLine], offer_code: str
) -> dict[rules.PriceKey, dict[str, Any]]:
    return {
        (offer_code, line.component_code, line.tier_min_quantity): {
            term: getattr(line, term) for term in rules.PRICE_TERMS
        }
        for line in lines
    }


def _published_lists(supplier_id: int, offer_code: str) -> QuerySet[PriceList]:
    """The published price lists of one offer of one supplier."""
    return PriceList.objects.filter(
        supplier_id=supplier_id, offer_code=offer_code, status=PriceListStatus.PUBLISHED
    )


def _published_before(price_list: PriceList, *, same_day: bool) -> PriceList | None:
    """The latest published list of the same offer starting before ``price_list`` (or, with
    ``same_day``, on its day too)."""
    lookup = "effective_from__lte" if same_day else "effective_from__lt"
    return (
        _published_lists(price_list.supplier_id, price_list.offer_code)
        .filter(**{lookup: price_list.effective_from})
        .order_by("-effective_from")
        .first()
    )


def draft_changes(draft: SheetDraft) -> dict[str, Any]:
    """What publishing ``draft`` now would record (rules.sheet_changes against the version in
    force, plus its proposed price lists line by line): the review page's side-by-side diff.
    Reads only."""
    previous = latest_version(draft.supplier_id)
    proposed = PriceList.objects.filter(draft=draft, status=PriceListStatus.DRAFT).order_by(
        "offer_code", "effective_from"
    )
    rows = _price_change_rows(proposed.prefetch_related("lines"))
    return rules.sheet_changes(previous.content if previous else None, draft.content, rows)


def _price_change_rows(price_lists: Iterable[PriceList]) -> list[dict[str, Any]]:
    """Line-by-line changes of proposed lists (in offer and date order). Each list is compared
    with the one it replaces: the previous list of the same offer in the proposal, else the
    published list in force or scheduled on that day."""
    rows: list[dict[str, Any]] = []
    proposed: dict[str, dict[rules.PriceKey, dict[str, Any]]] = {}
    for price_list in price_lists:
        code = price_list.offer_code
        if code in proposed:
            before = proposed[code]
        else:
            # The list it replaces: one scheduled for the same day, else the one in force before.
            base = _published_before(price_list, same_day=True)
            before = _price_terms(base.lines.all(), code) if base else {}
        after = _price_terms(price_list.lines.all(), code)
        rows += rules.price_changes(before, after, effective_from=price_list.effective_from)
        proposed[code] = after
    return rows


# --- publication ------------------------------------------------------------------------------


@transaction.atomic
def sheet_draft_publish(
    *, by: User | None, draft: SheetDraft, today: date | None = None
) -> SheetVersion:
    """Publish the proposal as a new dated version of the sheet (004 §3.2): freeze its content,
    its prices and the change history against the previous version, update the offers the
    search reads, and tell the subscribers. ``today`` (the local date by default) is the
    publication day; the demo passes earlier days to rebuild a history."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    draft = SheetDraft.objects.select_for_update().select_related("supplier").get(pk=draft.pk)
    supplier = Organisation.objects.select_for_update().get(pk=draft.supplier_id)
    if rules.next_draft_state(draft.status, rules.DraftAction.PUBLISH) is None:
        raise ValidationError({"status": TRANSITION_REFUSED})
    errors = content_errors(draft.content)
    if errors:
        raise ValidationError(errors)
    previous = latest_version(supplier)
    if previous is not None and draft.base_version_id != previous.pk:
        raise ValidationError({"base_version": DRAFT_OUTDATED})
    today = today or _today()
    price_lists = list(
        PriceList.objects.select_for_update()
        .filter(draft=draft, status=PriceListStatus.DRAFT)
        .order_by("offer_code", "effective_from")
    )
    components = _offer_components(draft.content)
    for price_list in price_lists:
        message = price_date_error(price_list.effective_from, today=today) or _in_force_conflict(
            supplier.pk, price_list.offer_code, price_list.effective_from, today
        )
        if message:
            raise ValidationError({"effective_from": f"{price_list.offer_code} : {message}"})
        if price_list.offer_code not in components:
            raise ValidationError(
                {"offer_code": PRICE_UNKNOWN_OFFER % {"code": price_list.offer_code}}
            )
    price_rows = _price_change_rows(price_lists)
    changes = rules.sheet_changes(previous.content if previous else None, draft.content, price_rows)
    count = rules.change_count(changes)
    if count == 0:  # also an empty first sheet: nothing to publish
        raise ValidationError({"content": NOTHING_CHANGED})
    same_day = SheetVersion.objects.filter(supplier=supplier, published_on=today).count()
    version = SheetVersion.objects.create(
        supplier=supplier,
        number=(previous.number + 1) if previous else 1,
        published_on=today,
        name=rules.version_name(supplier.name, today, same_day + 1),
        content=draft.content,
        changes=changes,
        change_count=count,
        previous=previous,
        draft=draft,
        published_by=by,
        published_at=_moment(today),
    )
    offers = _project(version)
    for price_list in price_lists:
        _publish_price_list(price_list, version, offers[price_list.offer_code])
    _transition(by, draft, rules.DraftAction.PUBLISH, reviewed_by=by, reviewed_at=timezone.now())
    audit_event_record(
        actor=by,
        action="sheet_version.published",
        obj=version,
        organisation=supplier,
        before={"version": previous.name} if previous else None,
        after={
            "version": version.name,
            "changes": count,
            "price_lists": [pl.pk for pl in price_lists],
        },
    )
    transaction.on_commit(lambda: _enqueue_digest(version.pk))
    return version


def _publish_price_list(price_list: PriceList, version: SheetVersion, offer: Offer) -> None:
    published = _published_lists(price_list.supplier_id, price_list.offer_code)
    replaced = _published_before(price_list, same_day=False)  # in force just before this one
    later = (
        published.filter(effective_from__gt=price_list.effective_from)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    # A list published earlier for the same day is replaced by this one.
    same_day = published.filter(effective_from=price_list.effective_from)
    if same_day.exists():
        # Only a list that has not taken effect yet can be replaced (_in_force_conflict checked).
        same_day.update(status=PriceListStatus.DISCARDED, effective_until=price_list.effective_from)
    if replaced is not None and (
        replaced.effective_until is None or replaced.effective_until > price_list.effective_from
    ):
        PriceList.objects.filter(pk=replaced.pk).update(effective_until=price_list.effective_from)
    if price_list.offer_id is None:
        PriceLine.objects.filter(price_list=price_list).update(offer=offer)
    price_list.offer = offer
    price_list.status = PriceListStatus.PUBLISHED
    price_list.version = version
    price_list.effective_until = later
    price_list.save(update_fields=["offer", "status", "version", "effective_until"])


def _changed(row: Any, values: Mapping[str, Any]) -> bool:
    """Set ``values`` on ``row``; whether any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _project(version: SheetVersion) -> dict[str, Offer]:
    """Write the version's content into the rows the search reads. Rows are kept by code: an
    offer that leaves the sheet stays, withdrawn, because acquisitions may point at it.
    Existing rows are read once and only what differs is written (publication stays quick
    for a large sheet)."""
    content, supplier = version.content, version.supplier
    categories = {c.code: c for c in Category.objects.all()}
    existing_centres = {dc.code: dc for dc in DataCentre.objects.filter(supplier=supplier)}
    centres: dict[str, DataCentre] = {}
    for dc in content.get("data_centres", []):
        since = dc.get("authorised_since") or None
        values = {
            "city": dc["city"],
            "province": dc.get("province") or "",
            "country": dc["country"].upper(),
            "role": dc["role"],
            "personal_information_authorised": bool(dc.get("personal_information_authorised")),
            "authorised_since": date.fromisoformat(since) if since else None,
            "active": True,
        }
        centre = existing_centres.get(dc["code"])
        if centre is None:
            centre = DataCentre.objects.create(supplier=supplier, code=dc["code"], **values)
        elif _changed(centre, values):
            centre.save(update_fields=list(values))
        centres[dc["code"]] = centre
    DataCentre.objects.filter(supplier=supplier, active=True).exclude(code__in=centres).update(
        active=False
    )
    dc_content = {dc["code"]: dc for dc in content.get("data_centres", [])}
    existing_offers = {o.code: o for o in Offer.objects.filter(supplier=supplier)}
    existing_components: dict[int, dict[str, Component]] = {}
    for row in Component.objects.filter(offer__supplier=supplier):
        existing_components.setdefault(row.offer_id, {})[row.code] = row
    offers: dict[str, Offer] = {}
    supplier_name = supplier.name
    now = timezone.now()
    for item in content.get("offers", []):
        used = [dc_content[c] for c in item.get("data_centres") or []]
        flags = rules.hosting(used)
        components = item.get("components") or []
        category = categories[item["category"]]
        values = {
            "name": item["name"],
            "category_id": category.pk,
            "status": item["status"],
            "description": item.get("description") or "",
            "training_languages": "," + ",".join(item.get("training_languages") or []) + ",",
            "search_text": rules.search_text(
                item["name"],
                item.get("description") or "",
                supplier_name,
                category.name,
                *(c["name"] for c in components),
            ),
            "hosted_in_canada_only": flags.canada_only,
            "hosted_in_quebec_only": flags.quebec_only,
            "personal_information_authorised": flags.personal_information_authorised,
            "version": version,
            "updated_at": now,
        }
        offer = existing_offers.get(item["code"])
        if offer is None:
            offer = Offer.objects.create(supplier=supplier, code=item["code"], **values)
        else:
            _changed(offer, values)
            offer.save(update_fields=list(values))
        offer.data_centres.set([centres[c] for c in item.get("data_centres") or []])
        rows = existing_components.get(offer.pk, {})
        new, changed = [], []
        for component in components:
            values = {
                "name": component["name"],
                "kind": component["kind"],
                "description": component.get("description") or "",
                "active": True,
            }
            row = rows.get(component["code"])
            if row is None:
                new.append(Component(offer=offer, code=component["code"], **values))
            elif _changed(row, values):
                changed.append(row)
        Component.objects.bulk_create(new)
        if changed:
            Component.objects.bulk_update(changed, ["name", "kind", "description", "active"])
        codes = {c["code"] for c in components}
        gone = [row.pk for code, row in rows.items() if code not in codes and row.active]
        if gone:
            Component.objects.filter(pk__in=gone).update(active=False)
        offers[item["code"]] = offer
    Offer.objects.filter(supplier=supplier).exclude(code__in=offers).update(
        status=OfferStatus.WITHDRAWN, version=version, updated_at=now
    )
    return offers


def _enqueue_digest(version_id: int) -> None:
    from courtier.catalogue.tasks import send_change_digest

    send_change_digest.enqueue(version_id=version_id)


def subscribers_of(version: SheetVersion) -> list[User]:
    """Everyone subscribed to everything, to this supplier, or to a category of its offers."""
    categories = {item["category"] for item in version.content.get("offers", [])}
    if version.previous_id:
        categories |= {item["category"] for item in version.previous.content.get("offers", [])}
    match = (
        Q(category__isnull=True, supplier__isnull=True)
        | Q(supplier_id=version.supplier_id)
        | Q(category__code__in=categories)
    )
    # Subscribers at the time of publication: the digest is sent later, by a task.
    ids = Subscription.objects.filter(
        match, user__is_active=True, created_at__lte=version.published_at
    ).values("user_id")
    users = User.objects.filter(pk__in=ids).order_by("pk")
    # Only people who may still see the sheet are told about it.
    return [user for user in users if permissions.can_view(user, version)]


# --- subscriptions ------------------------------------------------------------------------------


@transaction.atomic
def subscription_create(
    *, by: User, category: Category | None = None, supplier: Organisation | None = None
) -> Subscription:
    """004 §3.2: clients ask to be told by email when the Catalogue changes."""
    permissions.require_perm(by, Perm.BROWSE_CATALOGUE)
    permissions.require_perm(by, Perm.WRITE)  # the auditor changes nothing, not even this
    if category is not None and supplier is not None:
        raise ValidationError({"category": SUBSCRIPTION_ONE_SCOPE})
    if supplier is not None and supplier.kind != OrganisationKind.SUPPLIER:
        raise ValidationError({"supplier": NOT_A_SUPPLIER})
    if Subscription.objects.filter(user=by, category=category, supplier=supplier).exists():
        raise ValidationError({"category": SUBSCRIPTION_EXISTS})
    subscription = Subscription.objects.create(user=by, category=category, supplier=supplier)
    audit_event_record(
        actor=by,
        action="subscription.created",
        obj=subscription,
        after={
            "category": getattr(category, "code", None),
            "supplier": getattr(supplier, "pk", None),
        },
    )
    return subscription


@transaction.atomic
def subscription_delete(*, by: User, subscription: Subscription) -> None:
    permissions.require_change(by, subscription)
    audit_event_record(
        actor=by,
        action="subscription.deleted",
        obj=subscription,
        before={
            "category": subscription.category_id,
            "supplier": subscription.supplier_id,
        },
    )
    subscription.delete()


# --- framework agreements and qualifications --------------------------------------------------


def _agreement_snapshot(agreement: FrameworkAgreement) -> dict[str, Any]:
    return {
        "organisation": agreement.organisation_id,
        "number": agreement.number,
        "title": agreement.title,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "status": agreement.status,
        "categories": sorted(agreement.categories.values_list("code", flat=True)),
    }


@transaction.atomic
def framework_agreement_save(
    *,
    by: User | None,
    organisation: Organisation,
    number: str,
    title: str,
    starts_on: date,
    ends_on: date,
    status: str = "in_force",
    categories: Sequence[Category] = (),
    agreement: FrameworkAgreement | None = None,
) -> FrameworkAgreement:
    """Record (or correct) an entente-cadre signed by the broker (DOMAIN §1)."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if organisation.kind not in (OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER):
        raise ValidationError({"organisation": AGREEMENT_HOLDER})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": AGREEMENT_DATES})
    number = number.strip()
    taken = FrameworkAgreement.objects.filter(number__iexact=number)
    if agreement is not None:
        taken = taken.exclude(pk=agreement.pk)
        agreement = FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    if taken.exists():
        raise ValidationError({"number": AGREEMENT_NUMBER_TAKEN})
    before = _agreement_snapshot(agreement) if agreement else None
    agreement = agreement or FrameworkAgreement()
    agreement.organisation = organisation
    agreement.number, agreement.title = number, title.strip()
    agreement.starts_on, agreement.ends_on, agreement.status = starts_on, ends_on, status
    agreement.save()
    agreement.categories.set(categories)
    after = _agreement_snapshot(agreement)
    if after != before:
        audit_event_record(
            actor=by,
            action="framework_agreement.created"
            if before is None
            else "framework_agreement.updated",
            obj=agreement,
            organisation=organisation,
            before=before,
            after=after,
        )
    return agreement


@transaction.atomic
def qualification_create(
    *, by: User | None, code: str, name: str, scope_description: str
) -> Qualification:
    """A qualification for professional or technical services, with its scope (002 §3)."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if Qualification.objects.filter(code=code).exists():
        raise ValidationError({"code": QUALIFICATION_CODE_TAKEN})
    qualification = Qualification.objects.create(
        code=code, name=name.strip(), scope_description=scope_description.strip()
    )
    audit_event_record(
        actor=by,
        action="qualification.created",
        obj=qualification,
        after={"code": code, "name": qualification.name},
    )
    return qualification


@transaction.atomic
def provider_qualify(
    *,
    by: User | None,
    qualification: Qualification,
    provider: Organisation,
    agreement: FrameworkAgreement,
    qualified_on: date,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
) -> ProviderQualification:
    """Add a provider to the list of those qualified in ``qualification``."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if provider.kind != OrganisationKind.PROVIDER:
        raise ValidationError({"provider": NOT_A_PROVIDER})
    if agreement.organisation_id != provider.pk:
        raise ValidationError({"agreement": AGREEMENT_OF_ANOTHER})
    if ProviderQualification.objects.filter(
        qualification=qualification, provider=provider
    ).exists():
        raise ValidationError({"provider": ALREADY_QUALIFIED})
    row = ProviderQualification.objects.create(
        qualification=qualification,
        provider=provider,
        agreement=agreement,
        qualified_on=qualified_on,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
    )
    audit_event_record(
        actor=by,
        action="provider.qualified",
        obj=row,
        organisation=provider,
        after={
            "qualification": qualification.code,
            "agreement": agreement.number,
            "qualified_on": qualified_on.isoformat(),
        },
    )
    return row


# --- supporting documents -----------------------------------------------------------


@transaction.atomic
def supporting_document_publish(
    *,
    by: User | None,
    kind: str,
    title: str,
    file_name: str,
    content: bytes,
    content_type: str,
    notes: str = "",
    description: str = "",
) -> SupportingDocumentVersion:
    """Publish a new version of a template or guide (002 §2.3.1). Earlier versions stay."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    document, created = SupportingDocument.objects.select_for_update().get_or_create(
        title=title.strip(), defaults={"kind": kind, "description": description.strip()}
    )
    if not created and document.kind != kind:
        raise ValidationError({"title": DOCUMENT_TITLE_TAKEN})
    stored = stored_file_save(by=by, name=file_name, content=content, content_type=content_type)
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SupportingDocumentVersion.objects.create(
        document=document, number=number, file=stored, notes=notes.strip(), published_by=by
    )
    audit_event_record(
        actor=by,
        action="supporting_document.published",
        obj=version,
        after={
            "document": document.title,
            "number": number,
            "sha256": stored.sha256,
            "notes": version.notes,
        },
    )
    return version
