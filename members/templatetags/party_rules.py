"""``{% party_rule "NAME" as value %}``: a number from a party document, for a template's text.

Templates never type such a number: they read the one constant in ``members.rules`` that
names its document, so a change of rule changes every page that states it.
"""

from __future__ import annotations

from typing import Any

from django import template

from members import rules

register = template.Library()


@register.simple_tag
def party_rule(name: str) -> Any:
    """The value of the constant ``name`` of ``members.rules`` (an unknown name is an error)."""
    if not name.isupper() or not hasattr(rules, name):
        raise template.TemplateSyntaxError(f"members.rules has no constant {name!r}")
    return getattr(rules, name)
