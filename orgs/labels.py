"""How an organization is named wherever it must be told apart from another of the same name.

Sixteen cells of one committee may each be called «Chi bộ Văn phòng». Every select, picker,
decision sentence and assignment list therefore names an organization with its parent:
«Chi bộ Văn phòng — Đảng bộ Sở Tài chính» (``org_label``). A reader is shown a parent only
when they may read it (the names come from ``Organization.objects.for_user``); a list is
labelled with one query for all its parents, found by path prefix (treebeard's
``MP_Node`` has no parent column to ``select_related``).

The fields at the end give the forms these labels: ``set_org_choices`` sets a field's
organizations and the reader whose scope limits the parents shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator

from orgs.models import Organization

SEPARATOR = " — "
INDENT = "\u2003"  # an em space per level of depth, in the selects listed in tree order


def org_label(name: str, parent_name: str = "") -> str:
    """``name — parent_name``, or ``name`` alone when no parent is to be shown."""
    return f"{name}{SEPARATOR}{parent_name}" if parent_name else name


def name_part(label: str) -> str:
    """The organization's own name in a label (what precedes the parent)."""
    return label.split(SEPARATOR, 1)[0]


def parent_path(path: str) -> str:
    """The path of the parent of the organization at ``path`` ("" at the top of the tree)."""
    return path[: -Organization.steplen]


def parent_names(paths: Iterable[str], *, user: Any) -> dict[str, str]:
    """The names of the parents of the organizations at ``paths``, by the parent's path, in
    one query. Only parents ``user`` may read are named; ``user=None`` names every parent
    (the text of a recorded decision, which states the tree as it was decided)."""
    wanted = {parent_path(p) for p in paths if len(p) > Organization.steplen}
    if not wanted:
        return {}
    orgs = Organization.objects.all() if user is None else Organization.objects.for_user(user)
    return dict(orgs.filter(path__in=wanted).values_list("path", "name"))


def labels(orgs: Iterable[Organization], *, user: Any) -> dict[int, str]:
    """``org_label`` of each organization of ``orgs`` by id, in one query."""
    rows = list(orgs)
    parents = parent_names((o.path for o in rows), user=user)
    return {o.pk: org_label(o.name, parents.get(parent_path(o.path), "")) for o in rows}


def label(org: Organization, *, user: Any) -> str:
    """``org_label`` of one organization (one query)."""
    return labels([org], user=user)[org.pk]


# ---------------------------------------------------------------------------------------
# Form fields


class _LabelledChoices(ModelChoiceIterator):
    """Reads the field's organizations once, then their parents in one more query."""

    field: Any

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset.all())
        self.field.parents = self.field.parents_of(o.path for o in rows)
        for obj in rows:
            yield self.choice(obj)


class _LabelledMixin:
    """``label_from_instance`` through ``org_label``; ``reader`` limits the parents named
    (no reader set, no parent named: a field never shows more than its form was told)."""

    iterator: Any = _LabelledChoices
    reader: Any = None
    parents: dict[str, str] | None = None
    indent = False

    def parents_of(self, paths: Iterable[str]) -> dict[str, str]:
        return {} if self.reader is None else parent_names(paths, user=self.reader)

    def label_from_instance(self, obj: Organization) -> str:
        parents = self.parents if self.parents is not None else self.parents_of([obj.path])
        text = org_label(obj.name, parents.get(parent_path(obj.path), ""))
        return INDENT * max(obj.depth - 1, 0) + text if self.indent else text


class OrganizationChoiceField(_LabelledMixin, forms.ModelChoiceField):
    """One organization, labelled with its parent. ``indent=True`` also indents by depth."""

    def __init__(self, *args: Any, indent: bool = False, **kwargs: Any) -> None:
        self.indent = indent
        super().__init__(*args, **kwargs)


class OrganizationMultipleChoiceField(_LabelledMixin, forms.ModelMultipleChoiceField):
    """Several organizations, each labelled with its parent."""


def set_org_choices(form: forms.Form, name: str, queryset: QuerySet[Organization], *, user: Any) -> None:
    """Offer ``queryset`` in the organization field ``name``; ``user`` reads the labels."""
    field = form.fields[name]
    assert isinstance(field, _LabelledMixin) and isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.reader = user
    field.parents = None


def issuer_above(organization: Organization) -> str:
    """The line above the issuer's name in a party document's header: the organization
    directly above, in capitals ("ĐẢNG BỘ TỈNH BẮC GIANG" over "ĐẢNG ỦY KHỐI …"); none for
    an organization at the top of the tree or directly under the central level, whose
    documents name only their issuer (Hướng dẫn 36-HD/VPTW, 03/4/2018, on the layout of the
    Party's documents: the issuer's name and the body directly above it)."""
    from orgs.models import Level

    parent = Organization.objects.get_parent(organization)
    if parent is None or parent.kind.level == Level.CENTRAL:
        return ""
    return parent.name.upper()
