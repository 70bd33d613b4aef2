"""Forms of the acquisition-file pages (DOMAIN §3; 002 §2): each one reads what a person typed
(amounts in dollars with a decimal comma, quantities as a growth plan or a list of months,
meeting participants one per line) and hands the service the values it takes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.dates import format_date
from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import checks, rules
from courtier.acquisitions.messages import (
    NEED_CODE_INVALID,
    NEEDS_MESSAGES,
    PLAN_MESSAGES,
    QUANTITIES_EITHER,
)
from courtier.acquisitions.models import QUESTION_LABELS, Location, NeedKind, Verdict
from courtier.catalogue.models import Category, Unit
from courtier.core.formatting import babel_locale
from courtier.core.validation import (  # noqa: F401 - the amounts' messages, shared by tests
    AMOUNT_DECIMALS,
    AMOUNT_INVALID,
    AMOUNT_TOO_LARGE,
    AsciiIntegerField,
    BoundedDateField,
    dollars_to_cents,
)
from courtier.files.uploads import check_upload_size, document_field

# Messages shared by the code and the tests.
QUANTITIES_REQUIRED = _(
    "Indiquez la quantité initiale (et, s'il y a lieu, la croissance par mois et le plafond) ou "
    "la liste des quantités de chaque mois."
)
QUANTITIES_LIST_INVALID = _(
    "La liste contient des nombres entiers séparés par des espaces ou des points-virgules."
)
DURATION_FIRST = _("Indiquez d'abord la durée désirée dans le questionnaire.")
PARTICIPANT_LINE_INVALID = _(
    "Ligne %(n)s : écrivez « Nom <courriel> client », « fournisseur » ou « courtier »."
)
PARTICIPANTS_REQUIRED = _("Indiquez au moins un participant par ligne.")

CRITERION_LABELS = {
    rules.Criterion.TECHNICAL_COMPATIBILITY: _("Compatibilité technique"),
    rules.Criterion.TOTAL_COST_OF_OWNERSHIP: _("Coût total de possession"),
    rules.Criterion.EFVP_RESULTS: _(
        "Résultats de l'évaluation des facteurs relatifs à la vie privée"
    ),
    rules.Criterion.OTHER: _("Autre critère lié à l'objet du contrat"),
}
# Participant roles as typed (French) -> as stored.
PARTICIPANT_ROLES = {
    "client": "client",
    "fournisseur": "supplier",
    "courtier": "broker",
}
PARTICIPANT_ROLE_LABELS = {
    "client": _("Client"),
    "supplier": _("Fournisseur"),
    "broker": _("Courtier"),
}
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_PARTICIPANT = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*(?P<role>\S+)$")


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _date(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return BoundedDateField(label=label, required=required, widget=_DATE, **kwargs)


def cents_to_dollars(cents: int | None) -> str:
    """The value shown in an amount field: 1234567 -> « 12345,67 »."""
    if cents is None:
        return ""
    return f"{cents // 100},{cents % 100:02d}" if cents >= 0 else f"-{cents_to_dollars(-cents)}"


class AmountField(forms.CharField):
    """An amount in dollars, French decimal comma accepted, cleaned to integer cents."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        return dollars_to_cents(text)


def month_label(number: int, starts_on: Any = None) -> str:
    """« mois 3 » or, once the contract's start is known, « mois 3 (août 2027) »."""
    if starts_on is None:
        return str(_("mois %(n)s") % {"n": number})
    index = starts_on.month - 1 + number - 1
    when = date(starts_on.year + index // 12, index % 12 + 1, 1)
    month = format_date(when, "MMMM y", locale=babel_locale())
    return str(_("mois %(n)s (%(month)s)") % {"n": number, "month": month})


def parse_quantities(text: str) -> list[int]:
    """« 100 110 120 » or « 100; 110; 120 » -> [100, 110, 120]."""
    parts = [p for p in re.split(r"[\s;]+", text.strip()) if p]
    if not parts or not all(re.fullmatch(r"[0-9]+", p) for p in parts):
        raise forms.ValidationError(QUANTITIES_LIST_INVALID)
    return [int(p) for p in parts]


def parse_participants(text: str) -> list[dict[str, str]]:
    """One participant a line: « Nom <courriel> client|fournisseur|courtier »."""
    people = []
    errors = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _PARTICIPANT.match(line.strip())
        role = PARTICIPANT_ROLES.get(match.group("role").lower()) if match else None
        email = match.group("email") if match else ""
        try:
            validate_email(email)
        except forms.ValidationError:
            role = None
        if match is None or role is None:
            errors.append(PARTICIPANT_LINE_INVALID % {"n": number})
            continue
        people.append({"name": match.group("name").strip(), "email": email, "role": role})
    if errors:
        raise forms.ValidationError(errors)
    if not people:
        raise forms.ValidationError(PARTICIPANTS_REQUIRED)
    return people


def participants_text(participants: list[dict[str, str]]) -> str:
    roles = {v: k for k, v in PARTICIPANT_ROLES.items()}
    return "\n".join(
        f"{p.get('name', '')} <{p.get('email', '')}> {roles.get(p.get('role', ''), '')}"
        for p in participants
    )


# --- the file and step 1 ------------------------------------------------------------------------


class FileCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Titre du dossier"),
        max_length=200,
        help_text=_("Par exemple : Courriel infonuagique pour le personnel du ministère."),
    )
    client = forms.TypedChoiceField(label=_("Organisme client"), coerce=int)
    is_group_purchase = forms.BooleanField(
        label=_("Achat regroupé"),
        required=False,
        help_text=_(
            "Les organismes membres du regroupement saisissent chacun leur propre consommation."
        ),
    )

    def __init__(self, *args: Any, clients: list[Any], group_possible: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [(c.pk, c.name) for c in clients]
        self.only_client = clients[0] if len(clients) == 1 else None
        if self.only_client is not None:  # nothing to choose
            del self.fields["client"]
        if not group_possible:
            del self.fields["is_group_purchase"]


ANSWER_PREFIX = "answer_"
YES_NO = [("", _("— Sans réponse —")), ("yes", _("Oui")), ("no", _("Non"))]


class NeedsForm(forms.Form):
    """The questionnaire of step 1 (DOMAIN §3.1; 002 §2.1)."""

    title = forms.CharField(label=_("Titre du dossier"), max_length=200)
    category = forms.ChoiceField(label=_("Volet du Catalogue recherché"), required=False)
    duration_months = AsciiIntegerField(
        label=_("Durée désirée (mois, renouvellements compris)"),
        required=False,
        min_value=1,
        max_value=rules.MAX_DURATION_MONTHS,
        help_text=_("De 1 à 36 mois : un contrat spécifique dure au plus 3 ans."),
    )
    budget = AmountField(
        label=_("Budget disponible ($)"),
        required=False,
        help_text=_("En dollars, avant taxes ; par exemple 125 000,00."),
    )
    planned_start = _date(_("Début prévu du contrat"), required=False)
    location = forms.ChoiceField(
        label=_("Localisation exigée des centres de données"), choices=Location.choices
    )
    personal_information = forms.BooleanField(
        label=_("Des renseignements personnels sont en cause"),
        required=False,
        help_text=_("Une évaluation des facteurs relatifs à la vie privée (EFVP) sera requise."),
    )
    pi_outside_quebec = forms.BooleanField(
        label=_("Des renseignements personnels seront communiqués hors Québec"),
        required=False,
        help_text=_(
            "L'EFVP est alors obligatoire avant tout contrat (art. 70.1, Loi sur l'accès)."
        ),
    )
    supplier_partner = forms.CharField(
        label=_("Partenaire du fournisseur (s'il y a lieu)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("— Choisissez un volet —")),
            *((c.code, c.label) for c in Category.objects.all()),
        ]
        for question in rules.QUESTIONS:
            label = QUESTION_LABELS[question.code]
            help_text = "" if question.required else _("Facultatif.")
            if question.kind == rules.AnswerKind.BOOLEAN:
                field: forms.Field = forms.ChoiceField(
                    label=label, choices=YES_NO, required=False, help_text=help_text
                )
            else:
                field = _text(label, max_length=rules.MAX_ANSWER_LENGTH, help_text=help_text)
            self.fields[ANSWER_PREFIX + question.code] = field

    @classmethod
    def initial_for(cls, file: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": file.title,
            "category": file.category.code if file.category_id else "",
            "duration_months": file.duration_months,
            "budget": cents_to_dollars(file.budget_cents),
            "planned_start": file.planned_start,
            "location": file.location,
            "personal_information": file.personal_information,
            "pi_outside_quebec": file.pi_outside_quebec,
            "supplier_partner": file.supplier_partner,
        }
        answers = file.answers or {}
        for question in rules.QUESTIONS:
            value = answers.get(question.code)
            if question.kind == rules.AnswerKind.BOOLEAN:
                value = {True: "yes", False: "no"}.get(value, "")  # type: ignore[call-overload]
            initial[ANSWER_PREFIX + question.code] = value or ""
        return initial

    def question_fields(self) -> list[Any]:
        return [self[ANSWER_PREFIX + q.code] for q in rules.QUESTIONS]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for question in rules.QUESTIONS:
            value = data.get(ANSWER_PREFIX + question.code)
            if question.kind == rules.AnswerKind.BOOLEAN:
                if value in ("yes", "no"):
                    answers[question.code] = value == "yes"
            elif value and value.strip():
                answers[question.code] = value.strip()
        return {
            "category_code": data["category"] or "",
            "title": data["title"],
            "duration_months": data["duration_months"],
            "budget_cents": data["budget"],
            "planned_start": data["planned_start"],
            "location": data["location"],
            "personal_information": data["personal_information"],
            "pi_outside_quebec": data["pi_outside_quebec"],
            "supplier_partner": data["supplier_partner"].strip(),
            "answers": answers,
        }

    @staticmethod
    def field_for(key: str) -> str:
        """A service's error key -> the field of this form that shows it."""
        if key.startswith("answers."):
            return ANSWER_PREFIX + key.split(".", 1)[1]
        return {"budget_cents": "budget"}.get(key, key)


class QuantitiesMixin(forms.Form):
    """Quantities given EITHER as a start, a monthly growth and a ceiling (rules.plan_quantities)
    OR as the list of the monthly values."""

    start = AsciiIntegerField(
        label=_("Quantité initiale"), required=False, min_value=0, max_value=rules.MAX_QUANTITY
    )
    growth = AsciiIntegerField(
        label=_("Croissance par mois"),
        required=False,
        min_value=-rules.MAX_QUANTITY,
        max_value=rules.MAX_QUANTITY,
        help_text=_("Unités ajoutées (ou retirées, si négatif) chaque mois."),
    )
    ceiling = AsciiIntegerField(
        label=_("Plafond"), required=False, min_value=0, max_value=rules.MAX_QUANTITY
    )
    monthly = forms.CharField(
        label=_("Ou bien : quantités de chaque mois"),
        required=False,
        max_length=2000,
        help_text=_("Un nombre par mois, séparés par des espaces ou des points-virgules."),
    )

    def __init__(
        self, *args: Any, months: int | None, starts_on: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.months = months
        if months and "monthly" in self.fields:
            # Which month each quantity is (issue 10, point 7): the first and the last named.
            first, last = month_label(1, starts_on), month_label(months, starts_on)
            self.fields["monthly"].help_text = _(
                "Un nombre par mois, séparés par des espaces ou des points-virgules : "
                "%(n)s nombres, du %(first)s au %(last)s."
            ) % {"n": months, "first": first, "last": last}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        growth_given = any(data.get(n) is not None for n in ("start", "growth", "ceiling"))
        listed = (data.get("monthly") or "").strip()
        # Only the quantity fields' own errors stop these checks: the others are shown with
        # them, every error at once (issue 10, point 3).
        if any(name in self.errors for name in ("start", "growth", "ceiling", "monthly")):
            return data
        if growth_given and listed:
            raise forms.ValidationError(QUANTITIES_EITHER)
        if listed:
            try:
                data["quantities"] = parse_quantities(listed)
            except forms.ValidationError as exc:
                self.add_error("monthly", exc)
        elif data.get("start") is not None:
            if not self.months:
                raise forms.ValidationError(DURATION_FIRST)
            problem = rules.plan_problem(data["start"], data.get("ceiling"))
            if problem is not None:  # the service's rule and message (DOMAIN §3.1)
                self.add_error("ceiling", PLAN_MESSAGES[problem])
                return data
            data["quantities"] = rules.plan_quantities(
                data["start"], data.get("growth") or 0, self.months, data.get("ceiling")
            )
        elif growth_given:
            self.add_error("start", QUANTITIES_REQUIRED)
        else:
            raise forms.ValidationError(QUANTITIES_REQUIRED)
        if listed and "quantities" in data:
            problem = rules.quantities_problem(data["quantities"], self.months)
            if problem is not None:  # the service's check, shown with the others
                self.add_error("monthly", NEEDS_MESSAGES[problem])
        return data


def need_code_validator(code: str) -> None:
    """The service's rule and message (rules.need_code_ok), checked as the person types it."""
    if not rules.need_code_ok(code):
        raise forms.ValidationError(NEED_CODE_INVALID)


class NeedLineForm(QuantitiesMixin):
    code = forms.CharField(
        label=_("Code"),
        max_length=rules.MAX_NEED_CODE,
        validators=[need_code_validator],
        help_text=_("Lettres minuscules, chiffres et tirets ; par exemple « utilisateurs »."),
    )
    label = forms.CharField(label=_("Besoin"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature"), choices=NeedKind.choices)
    unit = forms.ChoiceField(label=_("Unité"), choices=Unit.choices)
    field_order = ["code", "label", "kind", "unit", "start", "growth", "ceiling", "monthly"]

    def __init__(self, *args: Any, group: bool = False, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.group = group
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Le code d'une ligne existante ne change pas.")
        if group:  # a group purchase's quantities are the sum of its members' (seed 003)
            for name in ("start", "growth", "ceiling", "monthly"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        if self.group:
            return forms.Form.clean(self)
        return super().clean()

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        plan = None
        quantities = None if self.group else data.get("quantities")
        if not self.group and data.get("start") is not None:
            # The growth plan itself: the service checks its ceiling (DOMAIN §3.1).
            plan = rules.GrowthPlan(data["start"], data.get("growth") or 0, data.get("ceiling"))
            quantities = None
        return {
            "code": data["code"],
            "label": data["label"],
            "kind": data["kind"],
            "unit": data["unit"],
            "quantities": quantities,
            "plan": plan,
        }


class MemberConsumptionForm(QuantitiesMixin):
    member = forms.TypedChoiceField(label=_("Organisme membre"), coerce=int)
    field_order = ["member", "start", "growth", "ceiling", "monthly"]

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.name) for m in members]


# --- steps 2-3 ------------------------------------------------------------------------------------


class CandidateAddForm(forms.Form):
    """An offer picked among the Catalogue's qualified offers matching the file (issue 10,
    point 7); the value is the offer's number (its code is still accepted when posted)."""

    offer = forms.CharField(
        label=_("Offre du Catalogue"),
        max_length=60,
        help_text=_("Les offres qualifiées du volet recherché qui ne sont pas encore retenues."),
    )

    def __init__(self, *args: Any, offers: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["offer"].widget = forms.Select(
            choices=[("", _("— Choisissez une offre —")), *(offers or [])]
        )


class FilePickForm(forms.Form):
    """One of this person's open files at step 2 or 3, for an offer seen in the Catalogue."""

    file = forms.TypedChoiceField(label=_("Dossier d'acquisition"), coerce=int)

    def __init__(self, *args: Any, files: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].choices = files


class RequirementForm(forms.Form):
    label = forms.CharField(
        label=_("Exigence évaluée par votre organisme"),
        max_length=300,
        help_text=_("Par exemple : authentification unique avec notre annuaire."),
    )


class ComplianceForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Résultat"), choices=Verdict.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=rules.MAX_NOTE_LENGTH)


class MappingForm(forms.Form):
    """Need -> the offer's component that covers it (002 §2.4.1)."""

    def __init__(
        self, *args: Any, needs: list[Any], components: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Aucune composante —")), *components]
        for need in needs:
            self.fields[f"need_{need.code}"] = forms.ChoiceField(
                label=need.label, choices=choices, required=False
            )
        self.needs = needs

    def mapping(self) -> dict[str, str]:
        return {n.code: self.cleaned_data.get(f"need_{n.code}") or "" for n in self.needs}


class QuestionForm(forms.Form):
    offer = forms.TypedChoiceField(label=_("Offre visée"), coerce=int)
    text = _text(
        _("Votre question au fournisseur"),
        required=True,
        rows=4,
        max_length=rules.MAX_QUESTION_LENGTH,
    )

    def __init__(self, *args: Any, offers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = offers


class AnswerForm(forms.Form):
    answer = _text(_("Votre réponse"), required=True, rows=4, max_length=rules.MAX_REPLY_LENGTH)


class TrialForm(forms.Form):
    offer = forms.TypedChoiceField(label=_("Offre mise à l'essai"), coerce=int)
    starts_on = _date(_("Début du banc d'essai"))
    ends_on = _date(
        _("Fin du banc d'essai"), help_text=_("Au plus 60 jours, début et fin compris.")
    )
    units = AsciiIntegerField(
        label=_("Nombre d'unités"),
        min_value=0,
        max_value=10_000,
        help_text=_("Au plus 30 unités de chaque offre, tous bancs d'essai compris."),
    )
    attestation = forms.BooleanField(
        label=_(
            "J'atteste qu'aucun renseignement personnel ni confidentiel ne sera utilisé pendant "
            "le banc d'essai"
        ),
        required=False,
    )

    def __init__(self, *args: Any, offers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = offers


class TrialReportForm(forms.Form):
    report = document_field(
        _("Rapport du banc d'essai"), help_text=_("PDF, document texte ou tableur.")
    )
    summary = _text(_("Conclusions"), rows=3, max_length=rules.MAX_QUESTION_LENGTH)

    def clean_report(self) -> Any:
        return check_upload_size(self.cleaned_data.get("report"))


# --- step 4 -----------------------------------------------------------------------------------


class ChoiceForm(forms.Form):
    scenario = forms.TypedChoiceField(
        label=_("Scénario retenu"), coerce=int, widget=forms.RadioSelect
    )
    own_rule = _text(
        _("Règle interne de votre organisme"),
        rows=3,
        max_length=rules.MAX_RULE_LENGTH,
        help_text=_(
            "Requise si vous ne retenez pas le scénario du plus bas prix : votre organisme "
            "n'est pas assujetti au RCTI."
        ),
    )

    def __init__(
        self, *args: Any, scenarios: list[tuple[int, str]], own_rule: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenarios
        if not own_rule:
            del self.fields["own_rule"]


class HeadAuthorisationForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=_("Critères liés à l'objet du contrat"),
        choices=[(c.value, CRITERION_LABELS[c]) for c in rules.Criterion],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    justification = _text(
        _("Justification présentée au dirigeant"), rows=5, max_length=rules.MAX_REPLY_LENGTH
    )
    head_name = forms.CharField(label=_("Dirigeant d'organisme"), max_length=200, required=False)
    authorised_on = _date(_("Autorisé le"))
    document = document_field(_("Autorisation signée"))

    def clean_document(self) -> Any:
        return check_upload_size(self.cleaned_data.get("document"))

    def clean(self) -> dict[str, Any]:
        """The service's own checks too, on every field not refused already: every error at
        once (issue 10, point 3)."""
        data = super().clean()

        def given(name: str) -> Any:
            return None if name in self.errors else data.get(name)

        problems = checks.head_authorisation_problems(
            criteria=given("criteria"),
            justification=given("justification"),
            head_name=given("head_name"),
            authorised_on=given("authorised_on"),
            has_document=None,  # the field says it is required
        )
        for name, message in problems.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class FinancialAuthorisationForm(forms.Form):
    amount = AmountField(
        label=_("Montant autorisé ($)"),
        help_text=_("Le montant total estimé : le scénario choisi et les ajouts prévus."),
    )
    planned_additions = AmountField(label=_("Ajouts prévus ($)"), required=False)
    authorised_on = _date(_("Autorisé le"))
    authorised_by_name = forms.CharField(label=_("Autorisé par"), max_length=200)
    reference = forms.CharField(label=_("Référence interne"), max_length=100, required=False)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "amount_cents": data["amount"],
            "planned_additions_cents": data["planned_additions"] or 0,
            "authorised_on": data["authorised_on"],
            "authorised_by_name": data["authorised_by_name"],
            "reference": data["reference"],
        }

    @staticmethod
    def field_for(key: str) -> str:
        return {"amount_cents": "amount", "planned_additions_cents": "planned_additions"}.get(
            key, key
        )


class EfvpForm(forms.Form):
    done_on = _date(_("EFVP réalisée le"))
    document = document_field(_("Rapport d'EFVP"))

    def clean_document(self) -> Any:
        return check_upload_size(self.cleaned_data.get("document"))


# --- step 5 ---------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    """The startup meeting's date and its participants, picked among the people of the client,
    the broker and the chosen supplier (issue 10, point 7), plus optional extra guests typed
    one a line; the service takes them as ``{name, email, role}``."""

    scheduled_for = forms.DateTimeField(
        label=_("Date et heure de la rencontre"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    people = forms.MultipleChoiceField(
        label=_("Participants des organisations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les personnes du client, du Courtier et du fournisseur retenu."),
    )
    participants = forms.CharField(
        label=_("Autres invités (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "Un invité par ligne : « Nom <courriel> client », « fournisseur » ou « courtier »."
        ),
    )

    def __init__(
        self, *args: Any, people: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # person id (as text) -> {name, email, role, organisation}
        self.people = {str(p["id"]): p for p in people or []}
        self.fields["people"].choices = [
            (key, f"{p['name']} <{p['email']}> — {p['organisation']}")
            for key, p in self.people.items()
        ]

    def clean_participants(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("participants", "")
        return parse_participants(text) if text.strip() else []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "participants" in self.errors or "people" in self.errors:
            return data
        picked = [
            {k: self.people[key][k] for k in ("name", "email", "role")}
            for key in data.get("people") or []
        ]
        data["participants"] = picked + list(data.get("participants") or [])
        if not data["participants"]:
            self.add_error("people", PARTICIPANTS_REQUIRED)
        data.pop("people", None)
        return data
