from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from courtier.accounts import services
from courtier.accounts.models import EligibilityCategory, Organisation, OrganisationKind, Role
from courtier.accounts.rules import role_allowed_for_kind


class AccessRequestForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(
        label=_("Courriel professionnel"),
        max_length=254,
        help_text=_("L'adresse de votre organisation : c'est elle qui servira à vous connecter."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label=_("— Choisissez votre organisation —"),
    )
    role = forms.ChoiceField(
        label=_("Rôle demandé"),
        # Grouped by kind of organisation, so the right role is easy to find without script.
        choices=[
            ("", _("— Choisissez un rôle —")),
            (
                _("Organisme public ou regroupement d'achats"),
                [
                    (r, r.label)
                    for r in (
                        Role.CLIENT_PROCUREMENT,
                        Role.CLIENT_HEAD,
                        Role.CLIENT_FINANCE,
                        Role.CLIENT_SIGNATORY,
                    )
                ],
            ),
            (
                _("Fournisseur ou prestataire de services"),
                [(r, r.label) for r in (Role.SUPPLIER_REP, Role.PROVIDER_REP)],
            ),
            (_("Courtier"), [(r, r.label) for r in (Role.BROKER_ADMIN, Role.BROKER_AGENT)]),
            (_("Vérification"), [(Role.AUDITOR, Role.AUDITOR.label)]),
        ],
        help_text=_("Le rôle doit exister pour le type de votre organisation."),
    )
    reason = forms.CharField(
        label=_("Motif de la demande"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pourquoi avez-vous besoin d'accéder au Catalogue du Courtier ?"),
    )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce motif est envoyé à la personne qui a fait la demande."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Par exemple : « Intégration du système financier »."),
    )
    days = forms.IntegerField(
        label=_("Validité (jours)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


class DigestForm(forms.Form):
    receive = forms.BooleanField(
        label=_("Recevoir chaque jour le courriel de ce qui m'attend"),
        required=False,
        help_text=_("Un seul courriel par jour, et aucun quand rien ne vous attend."),
    )


class OrganisationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=OrganisationKind.choices)
    name = forms.CharField(label=_("Nom"), max_length=200)
    short_name = forms.CharField(label=_("Sigle"), max_length=40, required=False)
    eligibility_category = forms.ChoiceField(
        label=_("Catégorie d'admissibilité"),
        choices=[
            ("", _("— Aucune (fournisseur, prestataire, Courtier) —")),
            *EligibilityCategory.choices,
        ],
        required=False,
        help_text=_("Obligatoire pour un organisme public client (guide 004, section 2.4)."),
    )
    subject_to_rcti = forms.BooleanField(
        label=_("Assujetti au RCTI"),
        required=False,
        help_text=_(
            "Certaines règles (article 48 du RCTI, publication au SEAO) "
            "ne visent que ces organismes."
        ),
    )


class OrganisationEditForm(OrganisationForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Les personnes d'une organisation inactive perdent leur accès."),
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        del self.fields["kind"]  # the kind never changes


class MemberBodyForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Organisme membre"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.CLIENT, is_active=True),
        empty_label=_("— Choisissez un organisme client —"),
    )


class GrantRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("Courriel de la personne"),
        help_text=_("La personne doit déjà avoir un compte."),
    )
    role = forms.ChoiceField(label=_("Rôle"))

    def __init__(self, *args, organisation: Organisation, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role.value, role.label)
            for role in Role
            if role_allowed_for_kind(role, organisation.kind)
        ]


class AuditedPasswordMixin:
    """Password forms save through the service, which records the change in the audit trail."""

    how = ""

    def save(self, commit: bool = True):  # type: ignore[no-untyped-def]
        return services.user_password_set(
            user=self.user,  # type: ignore[attr-defined]
            password=self.cleaned_data["new_password1"],  # type: ignore[attr-defined]
            how=self.how,
        )


class AuditedSetPasswordForm(AuditedPasswordMixin, SetPasswordForm):
    how = "reset"


class AuditedPasswordChangeForm(AuditedPasswordMixin, PasswordChangeForm):
    how = "change"
