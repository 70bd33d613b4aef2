from django import template

from courtier.audit import labels

register = template.Library()
register.filter("action_label", labels.action_label)
register.filter("object_type_label", labels.object_type_label)
