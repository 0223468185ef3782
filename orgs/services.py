"""Changes to the organization tree: found, rename, move, merge, split, dissolve.

Each service validates first (Vietnamese messages in ``ValidationError``), then changes
the tree, closes and opens ``OrgVersion`` rows so the tree as of any date stays right,
and records an ``OrgChange`` with the decision. Each returns a ``ChangeResult`` whose
``effects`` say in Vietnamese what happened; ``lib.services.preview`` runs a service and
rolls it back, so a preview shows exactly what saving would do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lib.dates import format_date
from orgs import labels as org_labels
from orgs.models import (
    ALLOWED_PARENT_LEVELS,
    ChangeKind,
    CommitteeSeat,
    Level,
    LinkRole,
    Organization,
    OrgChange,
    OrgChangeLink,
    OrgKind,
    OrgVersion,
    Sector,
    Term,
)
from orgs.scope import subtree_q


@dataclass
class ChangeResult:
    change: OrgChange | None = None
    organization: Organization | None = None
    effects: list[str] = field(default_factory=list)


@dataclass
class NewOrgSpec:
    """What a new organization (founded, or made by a merge or a split) needs."""

    code: str
    name: str
    kind: OrgKind
    short_name: str = ""
    sector: Sector | None = None
    host_unit: str = ""


# Callbacks that later apps register (from AppConfig.ready) to move what hangs on an
# organization when it is merged into another: members app moves the members of a cell.
MERGE_HANDLERS: list[Callable[..., list[str]]] = []


def register_merge_handler(handler: Callable[..., list[str]]) -> None:
    if handler not in MERGE_HANDLERS:
        MERGE_HANDLERS.append(handler)


# Context managers that later apps register to follow a move of a subtree: each is
# entered with the moved organization before its paths change and left after (the
# members app keeps its per-organization counts so).
MOVE_FOLLOWERS: list[Callable[[Organization], AbstractContextManager[Any]]] = []


def register_move_follower(follower: Callable[[Organization], AbstractContextManager[Any]]) -> None:
    if follower not in MOVE_FOLLOWERS:
        MOVE_FOLLOWERS.append(follower)


# Callbacks that later apps register to check (and settle) what still hangs on an
# organization that ends without a successor: dissolved, or split with the source ended.
# Each is called as ``handler(organization=..., date=..., user=...)`` before the
# organization ends, raises ``ValidationError`` to refuse, and returns its effects.
# The members app refuses while a cell in the subtree still has members.
DISSOLVE_HANDLERS: list[Callable[..., list[str]]] = []


def register_dissolve_handler(handler: Callable[..., list[str]]) -> None:
    if handler not in DISSOLVE_HANDLERS:
        DISSOLVE_HANDLERS.append(handler)


@dataclass(frozen=True)
class SplitShareHandler:
    """What a later app hands out among the new organizations of a split (the members app:
    the members of a cell), so that a split needs no transfers beforehand.

    ``items(organization)`` lists what hangs on the organization as ``(id, label)`` pairs,
    for the split form to offer, each to one new organization; ``distribute(organization=,
    destinations=, date=, user=)`` gives each item id to its new organization (in the
    split's transaction), returns its effects, or raises ``ValidationError``. A
    ``SplitPart`` names the items it receives under the handler's ``key``.
    """

    key: str
    title: Any  # what is handed out, as a heading: "Đảng viên" (lazily translated)
    items: Callable[[Organization], list[tuple[int, str]]]
    distribute: Callable[..., list[str]]


SPLIT_HANDLERS: dict[str, SplitShareHandler] = {}


def register_split_handler(handler: SplitShareHandler) -> None:
    SPLIT_HANDLERS[handler.key] = handler


def _run_dissolve_handlers(org: Organization, date: dt.date, user: Any) -> list[str]:
    effects: list[str] = []
    for handler in DISSOLVE_HANDLERS:
        effects.extend(handler(organization=org, date=date, user=user))
    return effects


# ---------------------------------------------------------------------------------------
# Checks


def _check_date(date: dt.date | None) -> dt.date:
    if date is None:
        raise ValidationError({"effective_on": _("Hãy nhập ngày hiệu lực.")})
    if date > dt.date.today():
        raise ValidationError({"effective_on": _("Ngày hiệu lực không được sau ngày hôm nay.")})
    return date


def _check_after_last_change(org: Organization, date: dt.date) -> None:
    """Changes of one organization are recorded in date order, so history stays linear."""
    if date < org.founded_on:
        raise ValidationError(
            {
                "effective_on": _("«%(name)s» được thành lập ngày %(date)s; ngày hiệu lực phải từ ngày đó trở đi.")
                % {"name": org.name, "date": format_date(org.founded_on)}
            }
        )
    last = org.versions.order_by("-valid_from").first()
    if last and date < last.valid_from:
        raise ValidationError(
            {
                "effective_on": _(
                    "«%(name)s» đã có thay đổi ngày %(date)s; thay đổi mới phải có ngày hiệu lực từ ngày đó trở đi."
                )
                % {"name": org.name, "date": format_date(last.valid_from)}
            }
        )


def _check_active(org: Organization, date: dt.date, role: str | None = None) -> None:
    if not org.is_active_on(date) or (org.dissolved_on is not None):
        raise ValidationError(
            _("%(role)s «%(name)s» đã giải thể hoặc chưa thành lập vào ngày %(date)s.")
            % {"role": role or _("Tổ chức"), "name": org.name, "date": format_date(date)}
        )


def check_placement(*, kind: OrgKind, parent: Organization | None, date: dt.date) -> None:
    """A kind's level must be allowed under the parent's level; the parent must be active."""
    if not kind.is_valid_on(date):
        raise ValidationError(
            {
                "kind": _("Loại tổ chức «%(kind)s» không áp dụng vào ngày %(date)s.")
                % {"kind": kind.name, "date": format_date(date)}
            }
        )
    if parent is not None and (parent.dissolved_on is not None or not parent.is_active_on(date)):
        raise ValidationError(
            {
                "parent": _("Không thể đặt tổ chức dưới «%(name)s» vì tổ chức này đã giải thể hoặc chưa thành lập.")
                % {"name": parent.name}
            }
        )
    parent_level = parent.kind.level if parent else None
    if parent_level not in ALLOWED_PARENT_LEVELS[kind.level]:
        raise ValidationError({"parent": _placement_message(kind.level, parent)})


def _placement_message(level: str, parent: Organization | None) -> str:
    if parent is None:
        return _("%(level)s phải có tổ chức cấp trên.") % {"level": Level(level).label}
    if parent.kind.level in (Level.BASE_CELL, Level.CELL):
        return _("«%(name)s» là chi bộ: dưới chi bộ không có tổ chức đảng nào.") % {"name": parent.name}
    if level in (Level.BASE_COMMITTEE, Level.BASE_CELL):
        return _("Tổ chức cơ sở đảng phải trực thuộc một đảng bộ cấp trên cơ sở.")
    if level == Level.PARTIAL_COMMITTEE:
        return _("Đảng bộ bộ phận phải trực thuộc một đảng bộ cơ sở.")
    if level == Level.CELL:
        return _("Chi bộ trực thuộc phải trực thuộc một đảng bộ cơ sở hoặc đảng bộ bộ phận.")
    return _("%(level)s không thể trực thuộc «%(name)s» (%(kind)s).") % {
        "level": Level(level).label,
        "name": parent.name,
        "kind": parent.kind.name,
    }


def _check_code_free(code: str) -> None:
    if not code:
        raise ValidationError({"code": _("Hãy nhập mã tổ chức.")})
    if Organization.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Mã «%(code)s» đã được dùng cho một tổ chức khác.") % {"code": code}})


def _active_children(org: Organization) -> list[Organization]:
    return list(Organization.objects.get_children(org).filter(dissolved_on__isnull=True).select_related("kind"))


# ---------------------------------------------------------------------------------------
# Versions


def _snapshot(org: Organization) -> dict[str, Any]:
    parent = Organization.objects.get_parent(org, update=True)
    return {
        "name": org.name,
        "short_name": org.short_name,
        "kind_id": org.kind_id,
        "sector_id": org.sector_id,
        "parent_id": parent.pk if parent else None,
        "path": org.path,
        "depth": org.depth,
    }


def _open_versions(orgs: Iterable[Organization], date: dt.date) -> None:
    """Close each organization's current version on ``date`` and open one from its state now.

    A second change on the same day rewrites that day's version instead.
    """
    for org in orgs:
        org.refresh_from_db()
        snapshot = _snapshot(org)
        current = org.versions.filter(valid_to__isnull=True).first()
        if current and current.valid_from == date:
            OrgVersion.objects.filter(pk=current.pk).update(**snapshot)
            continue
        if current:
            OrgVersion.objects.filter(pk=current.pk).update(valid_to=date)
        OrgVersion.objects.create(organization=org, valid_from=date, **snapshot)


def _close_version(org: Organization, date: dt.date) -> None:
    current = org.versions.filter(valid_to__isnull=True).first()
    if current is None:
        return
    if current.valid_from >= date:
        # Dissolved the day it was opened: the last state never was in force.
        current.delete()
    else:
        OrgVersion.objects.filter(pk=current.pk).update(valid_to=date)


def _record(
    *,
    kind: str,
    date: dt.date,
    decision_no: str,
    summary: str,
    user: Any,
    links: Sequence[tuple[Organization, str]],
    note: str = "",
) -> OrgChange:
    change = OrgChange.objects.create(
        kind=kind,
        effective_on=date,
        decision_no=decision_no,
        summary=summary,
        note=note,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    OrgChangeLink.objects.bulk_create(
        [OrgChangeLink(change=change, organization=org, role=role) for org, role in links], ignore_conflicts=True
    )
    return change


def _lock(*orgs: Organization | None) -> None:
    """Lock the rows of ``orgs`` until the transaction ends and read them again, in place.

    Two changes of one organization then run one after the other, and each starts from
    what the other saved: a rename records the name the organization has now, not the
    one a page loaded before someone else renamed it. Rows are locked in id order, so two
    changes that lock the same rows cannot wait on each other.
    """
    locking = Organization.objects.select_for_update()
    for org in sorted((o for o in orgs if o is not None and o.pk), key=lambda o: o.pk):
        org.refresh_from_db(from_queryset=locking)


def _named(org: Organization) -> str:
    """``org`` as a decision names it when the sentence does not name its parent anyway
    ("… trực thuộc «…»"): with its parent (``orgs.labels``), so that one of many cells
    called «Chi bộ Văn phòng» is told apart in the record. A decision states the tree as
    decided, so the parent is named whoever reads it later."""
    return org_labels.label(org, user=None)


def _save(org: Organization, reason: str) -> None:
    """Save ``org`` with the reason simple-history records beside the change."""
    org._change_reason = reason  # type: ignore[attr-defined]
    org.save()


# ---------------------------------------------------------------------------------------
# Services


@transaction.atomic
def organization_found(
    *,
    parent: Organization | None,
    spec: NewOrgSpec,
    effective_on: dt.date,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    """Found a new organization under ``parent`` (at the top when None)."""
    _lock(parent)
    date = _check_date(effective_on)
    _check_code_free(spec.code)
    if not spec.name.strip():
        raise ValidationError({"name": _("Hãy nhập tên tổ chức.")})
    check_placement(kind=spec.kind, parent=parent, date=date)
    org = _create_node(parent, spec, date, decision_no)
    _open_versions([org], date)
    where = f"trực thuộc «{parent.name}»" if parent else "ở cấp cao nhất"
    summary = f"Thành lập «{org.name}» {where}."
    links: list[tuple[Organization, str]] = [(org, LinkRole.SUBJECT)]
    if parent:
        links.append((parent, LinkRole.NEW_PARENT))
    change = _record(
        kind=ChangeKind.FOUND, date=date, decision_no=decision_no, summary=summary, user=user, links=links, note=note
    )
    return ChangeResult(change=change, organization=org, effects=[summary])


def _create_node(parent: Organization | None, spec: NewOrgSpec, date: dt.date, decision_no: str) -> Organization:
    instance = Organization(
        code=spec.code,
        name=spec.name.strip(),
        short_name=spec.short_name.strip(),
        kind=spec.kind,
        sector=spec.sector,
        host_unit=spec.host_unit.strip(),
        founded_on=date,
        founding_decision=decision_no,
    )
    instance._change_reason = "Thành lập"  # type: ignore[attr-defined]
    if parent is None:
        org = Organization.objects.add_root(instance=instance)
    else:
        parent.refresh_from_db()
        org = Organization.objects.add_child(parent, instance=instance)
    return org


@transaction.atomic
def organization_rename(
    *,
    organization: Organization,
    name: str,
    short_name: str | None = None,
    effective_on: dt.date,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    date = _check_date(effective_on)
    org = organization
    _lock(org)
    _check_active(org, date)
    _check_after_last_change(org, date)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên mới.")})
    new_short = org.short_name if short_name is None else short_name.strip()
    if name == org.name and new_short == org.short_name:
        raise ValidationError({"name": _("Tên mới trùng với tên hiện tại.")})
    old_name, old_label = org.name, _named(org)
    org.name = name
    org.short_name = new_short
    _save(org, f"Đổi tên từ «{old_name}»")
    _open_versions([org], date)
    summary = f"Đổi tên «{old_label}» thành «{name}»."
    change = _record(
        kind=ChangeKind.RENAME,
        date=date,
        decision_no=decision_no,
        summary=summary,
        user=user,
        links=[(org, LinkRole.SUBJECT)],
        note=note,
    )
    return ChangeResult(change=change, organization=org, effects=[summary])


def _move_node(org: Organization, new_parent: Organization, date: dt.date) -> list[str]:
    """Move ``org`` with its subtree under ``new_parent`` and reopen their versions."""
    org.refresh_from_db()
    new_parent.refresh_from_db()
    if org.pk == new_parent.pk or new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("Không thể chuyển «%(name)s» vào chính nó hoặc một tổ chức cấp dưới của nó.") % {"name": org.name}}
        )
    check_placement(kind=org.kind, parent=new_parent, date=date)
    old_parent = Organization.objects.get_parent(org, update=True)
    if old_parent and old_parent.pk == new_parent.pk:
        raise ValidationError(
            {"parent": _("«%(name)s» đã trực thuộc «%(parent)s».") % {"name": org.name, "parent": new_parent.name}}
        )
    subtree_ids = list(Organization.objects.filter(subtree_q(org.path)).values_list("pk", flat=True))
    latest = OrgVersion.objects.filter(organization_id__in=subtree_ids, valid_from__gt=date).order_by("-valid_from").first()
    if latest is not None:
        raise ValidationError(
            {
                "effective_on": _(
                    "«%(name)s» (thuộc «%(parent)s») đã có thay đổi ngày %(date)s; "
                    "việc chuyển phải có ngày hiệu lực từ ngày đó trở đi."
                )
                % {"name": latest.name, "parent": org.name, "date": format_date(latest.valid_from)}
            }
        )
    with ExitStack() as followers:
        for follower in MOVE_FOLLOWERS:
            followers.enter_context(follower(org))
        Organization.objects.move(org, new_parent, "last-child")
        moved = list(Organization.objects.filter(pk__in=subtree_ids))
        _open_versions(moved, date)
    effects = [f"Chuyển «{org.name}» từ «{old_parent.name if old_parent else '—'}» sang trực thuộc «{new_parent.name}»."]
    # treebeard moves with bulk updates, which simple-history does not see: save the moved
    # organization once so its history shows the new place.
    moved_root = Organization.objects.get(pk=org.pk)
    _save(moved_root, effects[0])
    if len(moved) > 1:
        effects.append(_("%(count)s tổ chức cấp dưới của «%(name)s» chuyển theo.") % {"count": len(moved) - 1, "name": org.name})
    return effects


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    effective_on: dt.date,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    date = _check_date(effective_on)
    org = organization
    _lock(org, new_parent)
    _check_active(org, date)
    _check_after_last_change(org, date)
    old_parent = Organization.objects.get_parent(org, update=True)
    effects = _move_node(org, new_parent, date)
    org.refresh_from_db()
    links = [(org, LinkRole.SUBJECT), (new_parent, LinkRole.NEW_PARENT)]
    if old_parent:
        links.append((old_parent, LinkRole.OLD_PARENT))
    change = _record(
        kind=ChangeKind.MOVE, date=date, decision_no=decision_no, summary=effects[0], user=user, links=links, note=note
    )
    return ChangeResult(change=change, organization=org, effects=effects)


def _dissolve_node(org: Organization, date: dt.date, decision_no: str, successor: Organization | None = None) -> None:
    org.refresh_from_db()
    org.dissolved_on = date
    org.dissolution_decision = decision_no
    org.successor = successor
    _save(org, "Giải thể" if successor is None else f"Hợp nhất vào «{_named(successor)}»")
    _close_version(org, date)


@transaction.atomic
def organization_dissolve(
    *,
    organization: Organization,
    effective_on: dt.date,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    """Dissolve an organization that no longer has active organizations under it.

    The registered dissolve handlers may refuse (the members app does while members are
    still there) or settle what hangs on it; their effects follow the summary.
    """
    date = _check_date(effective_on)
    org = organization
    _lock(org)
    _check_active(org, date)
    _check_after_last_change(org, date)
    children = _active_children(org)
    if children:
        names = ", ".join(c.name for c in children[:5])
        raise ValidationError(
            _(
                "«%(name)s» còn %(count)s tổ chức trực thuộc đang hoạt động (%(names)s). "
                "Hãy chuyển, hợp nhất hoặc giải thể các tổ chức này trước."
            )
            % {"name": org.name, "count": len(children), "names": names}
        )
    effects = _run_dissolve_handlers(org, date, user)
    _dissolve_node(org, date, decision_no)
    summary = f"Giải thể «{_named(org)}»."
    change = _record(
        kind=ChangeKind.DISSOLVE,
        date=date,
        decision_no=decision_no,
        summary=summary,
        user=user,
        links=[(org, LinkRole.SUBJECT)],
        note=note,
    )
    return ChangeResult(change=change, organization=org, effects=[summary, *effects])


@transaction.atomic
def organization_merge(
    *,
    sources: Sequence[Organization],
    effective_on: dt.date,
    target: Organization | None = None,
    new_parent: Organization | None = None,
    new_spec: NewOrgSpec | None = None,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    """Merge ``sources`` into an existing ``target`` or into a new organization.

    The sources' active sub-organizations move under the target, whatever hangs on the
    sources (members, through the registered handlers) moves to it, and the sources end
    on ``effective_on`` with the target as their successor.
    """
    date = _check_date(effective_on)
    sources = list(dict.fromkeys(sources))
    if (target is None) == (new_spec is None):
        raise ValidationError(_("Hãy chọn tổ chức nhận hợp nhất, hoặc khai báo tổ chức mới được thành lập."))
    if not sources or (target is None and len(sources) < 2):
        raise ValidationError(
            {"sources": _("Hãy chọn ít nhất hai tổ chức để hợp nhất, hoặc một tổ chức để sáp nhập vào tổ chức khác.")}
        )
    _lock(*sources, target, new_parent)
    for src in sources:
        _check_active(src, date)
        _check_after_last_change(src, date)
    effects: list[str] = []
    if target is not None:
        _check_active(target, date, _("Tổ chức nhận"))
        if target in sources:
            raise ValidationError({"target": _("Tổ chức nhận không được nằm trong các tổ chức bị hợp nhất.")})
        for src in sources:
            if target.path.startswith(src.path):
                raise ValidationError(
                    {
                        "target": _("«%(target)s» đang trực thuộc «%(source)s»: không thể hợp nhất vào cấp dưới.")
                        % {"target": target.name, "source": src.name}
                    }
                )
    else:
        assert new_spec is not None
        _check_code_free(new_spec.code)
        parent = new_parent or Organization.objects.get_parent(sources[0], update=True)
        check_placement(kind=new_spec.kind, parent=parent, date=date)
        target = _create_node(parent, new_spec, date, decision_no)
        _open_versions([target], date)
        effects.append(
            _("Thành lập «%(name)s» trực thuộc «%(parent)s».") % {"name": target.name, "parent": parent.name if parent else "—"}
        )
    names = org_labels.labels([*sources, target], user=None)  # the decision names every parent
    for src in sources:
        for child in _active_children(src):
            effects.extend(_move_node(child, target, date))
        for handler in MERGE_HANDLERS:
            effects.extend(handler(source=src, target=target, date=date))
        _dissolve_node(src, date, decision_no, successor=target)
        effects.append(
            _("«%(source)s» kết thúc hoạt động, hợp nhất vào «%(target)s».")
            % {"source": names[src.pk], "target": names[target.pk]}
        )
    summary = f"Hợp nhất {', '.join('«' + names[s.pk] + '»' for s in sources)} vào «{names[target.pk]}»."
    links = [(s, LinkRole.SOURCE) for s in sources] + [(target, LinkRole.TARGET)]
    change = _record(
        kind=ChangeKind.MERGE, date=date, decision_no=decision_no, summary=summary, user=user, links=links, note=note
    )
    return ChangeResult(change=change, organization=target, effects=[summary, *effects])


@dataclass
class SplitPart:
    spec: NewOrgSpec
    children: list[Organization] = field(default_factory=list)
    parent: Organization | None = None
    # What the part receives of each SplitShareHandler, by its key: {"members": [ids]}.
    shares: dict[str, list[int]] = field(default_factory=dict)


@transaction.atomic
def organization_split(
    *,
    organization: Organization,
    parts: Sequence[SplitPart],
    effective_on: dt.date,
    dissolve_source: bool = True,
    decision_no: str = "",
    user: Any = None,
    note: str = "",
) -> ChangeResult:
    """Split an organization into new ones; its sub-organizations go to the part named,
    and so does what the registered split handlers distribute (``SplitPart.shares``: the
    members of a cell go to the new cell chosen for each, with a dated cell history).

    When ``dissolve_source`` is true every active sub-organization must be given to a part,
    and the source ends on ``effective_on``.
    """
    date = _check_date(effective_on)
    org = organization
    _lock(org, *(p.parent for p in parts), *(c for p in parts for c in p.children))
    _check_active(org, date)
    _check_after_last_change(org, date)
    if len(parts) < (2 if dissolve_source else 1):
        raise ValidationError({"parts": _("Chia tách cần ít nhất hai tổ chức mới (hoặc một, khi tổ chức cũ vẫn hoạt động).")})
    codes = [p.spec.code for p in parts]
    if len(set(codes)) != len(codes):
        raise ValidationError({"parts": _("Mã của các tổ chức mới phải khác nhau.")})
    assigned: dict[int, str] = {}
    for part in parts:
        for child in part.children:
            if child.pk in assigned:
                raise ValidationError({"parts": _("«%(name)s» được giao cho hai tổ chức mới.") % {"name": child.name}})
            if Organization.objects.get_parent(child, update=True) != org:
                raise ValidationError(
                    {"parts": _("«%(child)s» không trực thuộc «%(name)s».") % {"child": child.name, "name": org.name}}
                )
            assigned[child.pk] = part.spec.code
    for key in {key for part in parts for key in part.shares}:
        if key not in SPLIT_HANDLERS:
            raise ValueError(f"No split handler is registered for {key!r}.")
        shared = [item for part in parts for item in part.shares.get(key, [])]
        if len(set(shared)) != len(shared):
            what = str(SPLIT_HANDLERS[key].title).lower()
            raise ValidationError({"parts": _("Có %(what)s được giao cho hai tổ chức mới.") % {"what": what}})
    remaining = [c for c in _active_children(org) if c.pk not in assigned]
    if dissolve_source and remaining:
        raise ValidationError(
            {
                "parts": _("Hãy giao các tổ chức trực thuộc sau cho một tổ chức mới: %(names)s")
                % {"names": ", ".join(c.name for c in remaining)}
            }
        )
    effects: list[str] = []
    source_label = _named(org)
    new_orgs: list[Organization] = []
    for part in parts:
        _check_code_free(part.spec.code)
        parent = part.parent or Organization.objects.get_parent(org, update=True)
        check_placement(kind=part.spec.kind, parent=parent, date=date)
        new_org = _create_node(parent, part.spec, date, decision_no)
        _open_versions([new_org], date)
        new_orgs.append(new_org)
        effects.append(
            _("Thành lập «%(name)s» trực thuộc «%(parent)s».") % {"name": new_org.name, "parent": parent.name if parent else "—"}
        )
        for child in part.children:
            effects.extend(_move_node(child, new_org, date))
    for key, handler in SPLIT_HANDLERS.items():
        destinations = {item: new_org for part, new_org in zip(parts, new_orgs, strict=True) for item in part.shares.get(key, [])}
        if destinations:
            effects.extend(handler.distribute(organization=org, destinations=destinations, date=date, user=user))
    if dissolve_source:
        effects.extend(_run_dissolve_handlers(org, date, user))
        _dissolve_node(org, date, decision_no, successor=None)
        effects.append(_("«%(name)s» kết thúc hoạt động.") % {"name": source_label})
    summary = f"Chia tách «{source_label}» thành {', '.join('«' + o.name + '»' for o in new_orgs)}."
    links = [(org, LinkRole.SOURCE)] + [(o, LinkRole.TARGET) for o in new_orgs]
    change = _record(
        kind=ChangeKind.SPLIT, date=date, decision_no=decision_no, summary=summary, user=user, links=links, note=note
    )
    return ChangeResult(change=change, organization=new_orgs[0], effects=[summary, *effects])


@transaction.atomic
def organization_update(
    *,
    organization: Organization,
    user: Any = None,
    **fields: Any,
) -> ChangeResult:
    """Correct descriptive fields (host unit, sector, founding decision) without a dated change."""
    allowed = {"host_unit", "sector", "founding_decision", "short_name"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Không thể sửa trực tiếp: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    org = organization
    _lock(org)
    changed = [name for name, value in fields.items() if getattr(org, name) != value]
    for name in changed:
        setattr(org, name, fields[name])
    if changed:
        _save(org, "Cập nhật thông tin")
        current = org.versions.filter(valid_to__isnull=True).first()
        if current:
            OrgVersion.objects.filter(pk=current.pk).update(short_name=org.short_name, sector_id=org.sector_id)
    if changed:
        effects = [_("Cập nhật %(count)s trường thông tin của «%(name)s».") % {"count": len(changed), "name": org.name}]
    else:
        effects = [_("Không có gì thay đổi.")]
    return ChangeResult(organization=org, effects=effects)


# ---------------------------------------------------------------------------------------
# Terms and committees


@transaction.atomic
def term_create(
    *, organization: Organization, name: str, starts_on: dt.date, ends_on: dt.date | None = None, congress_number: str = ""
) -> Term:
    if ends_on and ends_on <= starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc nhiệm kỳ phải sau ngày bắt đầu.")})
    if Term.objects.filter(organization=organization, name=name).exists():
        raise ValidationError({"name": _("«%(name)s» đã có nhiệm kỳ %(term)s.") % {"name": organization.name, "term": name}})
    overlapping = Term.objects.filter(organization=organization, starts_on__lt=ends_on or dt.date.max).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on)
    )
    if overlapping.exists():
        raise ValidationError({"starts_on": _("Nhiệm kỳ trùng thời gian với nhiệm kỳ %(term)s.") % {"term": overlapping.first()}})
    return Term.objects.create(
        organization=organization, name=name, starts_on=starts_on, ends_on=ends_on, congress_number=congress_number
    )


@transaction.atomic
def seat_assign(
    *,
    term: Term,
    role: str,
    holder_name: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    holder_code: str = "",
    decision_no: str = "",
) -> CommitteeSeat:
    """Record who held a committee seat. One secretary at a time in a term."""
    if not holder_name.strip():
        raise ValidationError({"holder_name": _("Hãy nhập họ và tên.")})
    if started_on < term.starts_on or (term.ends_on and started_on >= term.ends_on):
        raise ValidationError({"started_on": _("Ngày bắt đầu phải nằm trong nhiệm kỳ %(term)s.") % {"term": term.name}})
    if ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    if role == "secretary":
        clash = term.seats.filter(role="secretary", started_on__lte=ended_on or dt.date.max).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        holder = clash.first()
        if holder is not None:
            raise ValidationError({"role": _("Trong thời gian này đã có Bí thư: %(name)s.") % {"name": holder.holder_name}})
    return CommitteeSeat.objects.create(
        term=term,
        role=role,
        holder_name=holder_name.strip(),
        holder_code=holder_code,
        started_on=started_on,
        ended_on=ended_on,
        decision_no=decision_no,
    )


@transaction.atomic
def seat_end(*, seat: CommitteeSeat, ended_on: dt.date) -> CommitteeSeat:
    if ended_on < seat.started_on:
        raise ValidationError({"ended_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    seat.ended_on = ended_on
    seat.save()
    return seat


# ---------------------------------------------------------------------------------------
# Reading the tree as of a date


def tree_as_of(date: dt.date, *, user: Any, root_path: str | None = None) -> list[OrgVersion]:
    """The organizations as ``user`` may read them on ``date``, in tree order (by path).

    The rows are ``OrgVersion.objects.for_user(user, on=date)``: versions under the user's
    subtree roots as those roots were on ``date``, and organizations in their subtree today.
    """
    # The callers read the version, its kind, and the organization's code and name: load
    # only those of the organization, and each of the few kinds once (prefetched) rather
    # than once a row.
    version_fields = [f.name for f in OrgVersion._meta.concrete_fields]
    qs = (
        OrgVersion.objects.for_user(user, on=date)
        .as_of(date)
        .select_related("organization")
        .only(*version_fields, "organization__code", "organization__name")
        .prefetch_related("kind")
    )
    if root_path:
        qs = qs.subtree(root_path)
    return list(qs.order_by("path"))
