from django import forms
from django.utils.translation import gettext_lazy as _


class ClosureForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.CharField(label=_("Motif"), max_length=120)
