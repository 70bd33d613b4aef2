from collections.abc import Callable
from typing import Any, NamedTuple

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.renderers import DjangoTemplates
from django.template.loader import render_to_string

from courtier.core.mail import send_email


class FormRenderer(DjangoTemplates):
    """Each field in a ``div.field``: label, help, errors and input stay together."""

    field_template_name = "forms/field.html"


class Submitted(NamedTuple):
    ok: bool  # the service ran and did not refuse
    result: Any = None


def submit(form: forms.Form, action: Callable[[dict[str, Any]], Any]) -> Submitted:
    """Run ``action(cleaned_data)`` if the form is valid. A service's ValidationError is shown
    on the form; the view then renders it again (with status 422)."""
    if not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, action(form.cleaned_data))
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return Submitted(False)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class QueuedPasswordResetForm(PasswordResetForm):
    """Password-reset emails go through the task queue like every other notification."""

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_email.enqueue(to=[to_email], subject=subject, text=body))
