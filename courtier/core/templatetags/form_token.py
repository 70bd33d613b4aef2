"""``{% csrf_token %}`` that also writes the form's one-time token (courtier.core.replay).

Registered as a template builtin (settings.TEMPLATES), it replaces Django's own tag of the same
name: every form that posts already carries ``{% csrf_token %}``, so every one carries a token,
the admin's and those still to be written included, without a line changed in the templates.
Where Django's tag writes nothing (no request, an email), this one writes nothing either.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html
from django.utils.safestring import SafeString

from courtier.core.replay import FORM_TOKEN_FIELD, new_form_token

register = template.Library()


class CsrfAndFormTokenNode(CsrfTokenNode):
    def render(self, context: template.Context) -> SafeString | str:
        csrf = super().render(context)
        if not csrf:
            return csrf
        return csrf + format_html(
            '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, new_form_token()
        )


@register.tag
def csrf_token(parser: template.base.Parser, token: template.base.Token) -> CsrfAndFormTokenNode:
    return CsrfAndFormTokenNode()
