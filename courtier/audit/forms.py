"""The trail's filters as lists of labels; each value is a code, so a filtered list is a URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from courtier.audit import selectors

PERIOD_REVERSED = _("La fin de la période précède son début.")
ANY = [("", _("Tous"))]


class EventFilterForm(forms.Form):
    type = forms.ChoiceField(label=_("Type d'objet"), required=False)
    id = forms.CharField(label=_("Identifiant de l'objet"), required=False, max_length=64)
    action = forms.ChoiceField(label=_("Action"), required=False)
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), required=False, coerce=int, empty_value=None
    )
    actor = forms.TypedChoiceField(
        label=_("Personne"), required=False, coerce=int, empty_value=None
    )
    since = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = ANY + selectors.object_type_choices()
        self.fields["action"].choices = ANY + selectors.action_choices()
        asked = self.data.get("organisation", "")
        also = int(asked) if str(asked).isdigit() and len(str(asked)) < 12 else None
        self.fields["organisation"].choices = ANY + [
            (str(pk), name) for pk, name in selectors.organisation_choices(user, also=also)
        ]
        self.fields["actor"].choices = ANY + [
            (str(pk), label) for pk, label in selectors.actor_choices(user)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", PERIOD_REVERSED)
        return data

    def filters(self) -> selectors.EventFilters:
        data = self.cleaned_data
        return selectors.EventFilters(
            object_type=data.get("type") or "",
            object_id=(data.get("id") or "").strip(),
            action=data.get("action") or "",
            organisation_id=data.get("organisation"),
            actor_id=data.get("actor"),
            since=data.get("since"),
            until=data.get("until"),
        )
