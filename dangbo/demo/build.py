"""Build the demonstration committee: the tree, its history, terms, members and logins.

Everything goes through ``orgs.services`` so the dated history (``OrgVersion``,
``OrgChange``) is what a user would have recorded by hand; only members are written in
bulk. One ``random.Random(seed)`` drives every choice, in a fixed order, so a seed gives
the same data set every time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from dangbo.demo import agencies as data
from dangbo.demo.agencies import Agency
from dangbo.demo.history import FIRST_YEAR, add_history
from dangbo.demo.logins import DemoLogin, create_logins
from dangbo.demo.members import CellQuota, create_members
from dangbo.demo.reviews import ReviewsSummary, add_reviews
from dangbo.demo.targets import add_targets
from lib.names import random_full_name
from lib.text import fold
from members.models import Member
from orgs.models import CommitteeSeat, Organization, OrgKind, SeatRole, Sector, Term
from orgs.services import (
    NewOrgSpec,
    SplitPart,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
    organization_update,
    term_create,
)
from orgs.testing import ensure_kinds, ensure_sectors

MEMBERS_AT_SCALE_1 = 4500


@dataclass
class DemoSummary:
    organizations: int = 0
    base_organizations_2020: int = 0
    cells: int = 0
    terms: int = 0
    seats: int = 0
    members: int = 0
    events: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)
    reviews: ReviewsSummary | None = None


def demo_is_loaded() -> bool:
    return Organization.objects.exists()


def build_demo(*, seed: int = 2026, scale: float = 1.0, members: int | None = None, today: dt.date | None = None) -> DemoSummary:
    """Build the whole demonstration data set in one transaction and say what it made."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    with transaction.atomic():
        builder = _Builder(random.Random(seed), today or dt.date.today())
        return builder.run(scale=scale, members=members)


def _code(text: str) -> str:
    return slugify(fold(text))[:40].strip("-")


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.kinds: dict[str, OrgKind] = ensure_kinds()
        self.sectors: dict[str, Sector] = ensure_sectors()
        self.codes: set[str] = set(Organization.objects.values_list("code", flat=True))
        self.base: dict[str, Organization] = {}  # agency key -> base organization
        self.by_pk: dict[int, Agency] = {}  # organization id -> its agency, kept after a merge
        self.summary = DemoSummary()
        self.seats: list[CommitteeSeat] = []

    # -- helpers --------------------------------------------------------------------

    def unique_code(self, text: str) -> str:
        base = _code(text) or "to-chuc"
        code, n = base, 2
        while code in self.codes:
            suffix = f"-{n}"
            code, n = base[: 40 - len(suffix)] + suffix, n + 1
        self.codes.add(code)
        return code

    def found(
        self,
        parent: Organization | None,
        *,
        code: str,
        name: str,
        kind: str,
        on: dt.date,
        sector: str | None = None,
        short: str = "",
        host_unit: str = "",
    ) -> Organization:
        spec = NewOrgSpec(
            code=self.unique_code(code),
            name=name,
            kind=self.kinds[kind],
            sector=self.sectors[sector] if sector else None,
            short_name=short,
            host_unit=host_unit,
        )
        decision = f"{self.rng.randint(10, 999)}-QĐ/{'TU' if parent is None or parent.depth == 1 else 'ĐU'}"
        org = organization_found(parent=parent, spec=spec, effective_on=on, decision_no=decision).organization
        assert org is not None
        return org

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    # -- the run --------------------------------------------------------------------

    def run(self, *, scale: float, members: int | None) -> DemoSummary:
        province = self.found(
            None, code="tinh-bac-giang", name=f"Tỉnh ủy {data.PROVINCE_NAME}", kind="tinh", on=data.PROVINCE_FOUNDED, short="TU"
        )
        bloc = self.found(
            province,
            code="khoi-cac-co-quan-tinh",
            name="Đảng bộ Khối các cơ quan tỉnh",
            kind="khoi",
            on=data.BLOC_FOUNDED,
            short="ĐBK CCQ tỉnh",
        )
        business = self.found(
            province,
            code="khoi-doanh-nghiep-tinh",
            name="Đảng bộ Khối doanh nghiệp tỉnh",
            kind="khoi",
            on=data.ENTERPRISE_BLOC_FOUNDED,
            short="ĐBK DN tỉnh",
        )
        bloc_agencies = _select(data.BLOC_AGENCIES, round(len(data.BLOC_AGENCIES) * scale), extras=True)
        enterprises = _select(data.ENTERPRISES, round(len(data.ENTERPRISES) * scale), extras=False)
        for agency in bloc_agencies:
            self.found_base(bloc, agency, data.BLOC_FOUNDED)
        for agency in enterprises:
            self.found_base(business, agency, data.ENTERPRISE_BLOC_FOUNDED)
        self.summary.base_organizations_2020 = len(bloc_agencies)

        self.restructure(province, [bloc, business])
        self.merge_departments()

        self.upper_terms(bloc, data.BLOC_CONGRESS_2015, data.BLOC_CONGRESS_2020, big=True)
        self.upper_terms(business, dt.date(2015, 7, 20), dt.date(2020, 7, 16), big=False)
        for org in Organization.objects.filter(kind__level="upper", founded_on=data.RESTRUCTURE_ON).order_by("path"):
            self.new_committee_terms(org)
        for org in Organization.objects.filter(kind__level__in=["base_committee", "base_cell"]).order_by("path"):
            self.base_terms(org)
        bulk_create_with_history(self.seats, CommitteeSeat, batch_size=500, default_change_reason="Dữ liệu minh họa")
        self.summary.seats = len(self.seats)

        total = members if members is not None else round(MEMBERS_AT_SCALE_1 * scale)
        create_members(rng=self.rng, quotas=self.quotas(total - self.transfers_in(scale)), today=self.today)
        self.summary.events = add_history(rng=self.rng, today=self.today, scale=scale).events
        self.summary.members = Member.objects.count()
        self.summary.logins = create_logins(rng=self.rng)
        self.summary.reviews = add_reviews(rng=self.rng, today=self.today)
        add_targets(today=self.today, scale=scale)
        self.summary.organizations = Organization.objects.count()
        self.summary.cells = Organization.objects.filter(kind__level__in=["base_cell", "cell"], dissolved_on__isnull=True).count()
        self.summary.terms = Term.objects.count()
        return self.summary

    # -- organizations --------------------------------------------------------------

    def found_base(self, upper: Organization, agency: Agency, not_before: dt.date) -> Organization:
        founded = agency.founded or self.day_between(not_before, not_before + dt.timedelta(days=700))
        if agency.key in ("so-van-hoa", "so-thong-tin"):
            self.found_by_split(upper, not_before)
            org = self.base[agency.key]
        elif agency.key == "vp-doan-dbqh-hdnd":
            org = self.found(
                upper,
                code=agency.key,
                name=f"Chi bộ {data.RENAME_OLD_UNIT}",
                kind="chi-bo-co-so",
                on=founded,
                sector=agency.sector,
                host_unit=data.RENAME_OLD_UNIT,
            )
            organization_rename(organization=org, name=agency.org_name, effective_on=data.RENAME_ON, decision_no="15-QĐ/ĐUK")
            org.refresh_from_db()
            organization_update(organization=org, host_unit=agency.unit)
        else:
            org = self.found(
                upper,
                code=agency.key,
                name=agency.org_name,
                kind="dang-bo-co-so" if agency.committee else "chi-bo-co-so",
                on=founded,
                sector=agency.sector,
                host_unit=agency.unit,
            )
            if agency.committee:
                for cell in self.cell_names(agency):
                    self.found(
                        org,
                        code=f"{org.code[:24]}-{_code(cell)}",
                        name=f"Chi bộ {cell}",
                        kind="chi-bo",
                        on=founded,
                        sector=agency.sector,
                        host_unit=agency.unit,
                    )
        self.base[agency.key] = org
        self.by_pk[org.pk] = agency
        return org

    def found_by_split(self, upper: Organization, not_before: dt.date) -> None:
        """The 2008 split of the Sở Văn hóa – Thông tin into culture and information."""
        if "so-van-hoa" in self.base:
            return
        culture = next(a for a in data.BLOC_AGENCIES if a.key == "so-van-hoa")
        source = self.found(
            upper,
            code="so-van-hoa-thong-tin",
            name=f"Đảng bộ {data.SPLIT_SOURCE_UNIT}",
            kind="dang-bo-co-so",
            on=self.day_between(not_before, not_before + dt.timedelta(days=300)),
            sector="co-quan-nha-nuoc",
            host_unit=data.SPLIT_SOURCE_UNIT,
        )
        cells = [
            self.found(
                source, code=f"vhtt-{_code(c)}", name=f"Chi bộ {c}", kind="chi-bo", on=source.founded_on, sector=culture.sector
            )
            for c in self.cell_names(culture)
        ]
        info = next(a for a in data.BLOC_AGENCIES if a.key == "so-thong-tin")
        state = self.sectors["co-quan-nha-nuoc"]
        parts = [
            SplitPart(
                spec=NewOrgSpec(
                    code=self.unique_code(culture.key),
                    name=culture.org_name,
                    kind=self.kinds["dang-bo-co-so"],
                    sector=state,
                    host_unit=culture.unit,
                ),
                children=cells,
            ),
            SplitPart(
                spec=NewOrgSpec(
                    code=self.unique_code(info.key),
                    name=info.org_name,
                    kind=self.kinds["chi-bo-co-so"],
                    sector=state,
                    host_unit=info.unit,
                )
            ),
        ]
        organization_split(organization=source, parts=parts, effective_on=data.SPLIT_ON, decision_no="08-QĐ/TU")
        self.base["so-van-hoa"] = Organization.objects.get(code=parts[0].spec.code)
        self.base["so-thong-tin"] = Organization.objects.get(code=parts[1].spec.code)
        self.by_pk[self.base["so-van-hoa"].pk] = culture
        self.by_pk[self.base["so-thong-tin"].pk] = info

    def cell_names(self, agency: Agency) -> list[str]:
        if agency.cells:
            return list(agency.cells)
        pool = data.CELL_POOLS[agency.pool]
        count = min(self.rng.randint(2, 6), len(pool))
        # Every department has its office cell; the others are drawn.
        first, rest = pool[0], pool[1:]
        return [first, *self.rng.sample(rest, count - 1)]

    def restructure(self, province: Organization, blocs: list[Organization]) -> None:
        """2025: found the two new committees, move every base organization, end the blocs."""
        new = {}
        for dest, (code, name, short) in data.NEW_COMMITTEES.items():
            new[dest] = self.found(province, code=code, name=name, kind="cap-tren-2025", on=data.RESTRUCTURE_ON, short=short)
        for bloc in blocs:
            for org in list(Organization.objects.get_children(bloc).filter(dissolved_on__isnull=True).order_by("path")):
                dest = self._destination(org)
                organization_move(
                    organization=org,
                    new_parent=new[dest],
                    effective_on=data.RESTRUCTURE_ON,
                    decision_no=data.RESTRUCTURE_DECISION,
                )
            bloc.refresh_from_db()
            organization_dissolve(
                organization=bloc,
                effective_on=data.RESTRUCTURE_ON,
                decision_no=data.RESTRUCTURE_DECISION,
                note="Kết thúc hoạt động theo Hướng dẫn 31-HD/BTCTW; các tổ chức cơ sở đảng chuyển về hai đảng bộ mới.",
            )

    def _destination(self, org: Organization) -> str:
        if org.pk in self.by_pk:
            return self.by_pk[org.pk].destination
        return data.SECTOR_DESTINATION.get(org.sector.code if org.sector else "", "ubnd")

    def merge_departments(self) -> None:
        """01/03/2025: departments merged; cells that clash by name merge too."""
        for sources, target_key, new_unit in data.DEPARTMENT_MERGES:
            if any(s not in self.base for s in sources) or (target_key and target_key not in self.base):
                continue
            source_orgs = [Organization.objects.get(pk=self.base[s].pk) for s in sources]
            if target_key:
                target = Organization.objects.get(pk=self.base[target_key].pk)
                organization_merge(sources=source_orgs, target=target, effective_on=data.MERGES_ON, decision_no="45-QĐ/UBND")
                target.refresh_from_db()
                if new_unit:
                    prefix = "Đảng bộ" if target.kind.level == "base_committee" else "Chi bộ"
                    organization_rename(
                        organization=target, name=f"{prefix} {new_unit}", effective_on=data.MERGES_ON, decision_no="46-QĐ/TU"
                    )
                self.merge_clashing_cells(target)
            else:
                agency = Agency(key=_code(new_unit), unit=new_unit, sector="co-quan-nha-nuoc", committee=True)
                spec = NewOrgSpec(
                    code=self.unique_code(agency.key),
                    name=agency.org_name,
                    kind=self.kinds["dang-bo-co-so"],
                    sector=self.sectors["co-quan-nha-nuoc"],
                    host_unit=new_unit,
                )
                result = organization_merge(
                    sources=source_orgs, new_spec=spec, effective_on=data.MERGES_ON, decision_no="45-QĐ/UBND"
                )
                assert result.organization is not None
                self.base[agency.key] = result.organization
                self.by_pk[result.organization.pk] = Agency(
                    key=agency.key,
                    unit=new_unit,
                    sector=agency.sector,
                    committee=True,
                    size=sum(self.by_pk[o.pk].size for o in source_orgs),
                )
                self.merge_clashing_cells(result.organization)
            for s in sources:
                self.base.pop(s, None)

    def merge_clashing_cells(self, target: Organization) -> None:
        seen: dict[str, Organization] = {}
        for cell in Organization.objects.get_children(target).filter(dissolved_on__isnull=True).order_by("path"):
            if cell.name in seen:
                organization_merge(sources=[cell], target=seen[cell.name], effective_on=data.MERGES_ON, decision_no="47-QĐ/ĐU")
            else:
                seen[cell.name] = cell

    # -- terms and committees -------------------------------------------------------

    def seat(self, term: Term, role: str, name: str, start: dt.date, end: dt.date | None = None) -> None:
        """Queue a seat; they are written in bulk (with history) once every term exists.

        The builder never gives a term two secretaries at once, which is the rule
        ``seat_assign`` checks one seat at a time.
        """
        decision = f"{self.rng.randint(10, 999)}-QĐ"
        self.seats.append(
            CommitteeSeat(term=term, role=role, holder_name=name, started_on=start, ended_on=end, decision_no=decision)
        )

    def committee(self, term: Term, *, deputies: int, standing: int, members: int, carry: str | None = None) -> str:
        """Fill a term's committee; sometimes the secretary changes mid-term. Returns a deputy."""
        rng = self.rng
        start, end = term.starts_on, term.ends_on
        secretary = carry if carry and rng.random() < 0.4 else random_full_name(rng)
        span = ((end or self.today) - start).days
        if span > 400 and rng.random() < 0.15:
            change = start + dt.timedelta(days=rng.randint(span // 3, 2 * span // 3))
            self.seat(term, SeatRole.SECRETARY, secretary, start, change - dt.timedelta(days=1))
            self.seat(term, SeatRole.SECRETARY, random_full_name(rng), change, end)
        else:
            self.seat(term, SeatRole.SECRETARY, secretary, start, end)
        deputy_names = [random_full_name(rng) for _ in range(deputies)]
        for name in deputy_names:
            self.seat(term, SeatRole.DEPUTY, name, start, end)
        for _ in range(standing):
            self.seat(term, SeatRole.STANDING, random_full_name(rng), start, end)
        for _ in range(members):
            self.seat(term, SeatRole.MEMBER, random_full_name(rng), start, end)
        return deputy_names[0] if deputy_names else secretary

    def term(self, org: Organization, name: str, start: dt.date, end: dt.date | None, number: str = "") -> Term | None:
        start = max(start, org.founded_on)
        if org.dissolved_on and start >= org.dissolved_on:
            return None
        if end and org.dissolved_on:
            end = min(end, org.dissolved_on)
        elif org.dissolved_on:
            end = org.dissolved_on
        if end and end <= start:
            return None
        return term_create(organization=org, name=name, starts_on=start, ends_on=end, congress_number=number)

    def upper_terms(self, org: Organization, congress_2015: dt.date, congress_2020: dt.date, *, big: bool) -> None:
        carry = None
        for (name, _, number), start, end in (
            (data.TERMS[0], congress_2015, congress_2020),
            (data.TERMS[1], congress_2020, org.dissolved_on),
        ):
            term = self.term(org, name, start, end, number)
            if term:
                carry = self.committee(
                    term, deputies=2 if big else 1, standing=5 if big else 3, members=8 if big else 6, carry=carry
                )

    def new_committee_terms(self, org: Organization) -> None:
        term = self.term(org, data.TERMS[2][0], org.founded_on, None, "I")
        if term:
            self.committee(term, deputies=2, standing=6, members=10)

    def base_terms(self, org: Organization) -> None:
        agency = self.by_pk.get(org.pk)
        size = agency.size if agency else 15
        committee = org.kind.level == "base_committee"
        starts = [self.day_between(dt.date(year, 3, 20), dt.date(year, 6, 30)) for _, year, _ in data.TERMS]
        carry = None
        for i, (name, _, _) in enumerate(data.TERMS):
            end = starts[i + 1] if i + 1 < len(starts) else None
            term = self.term(org, name, starts[i], end)
            if term is None:
                continue
            if committee:
                carry = self.committee(
                    term,
                    deputies=2 if size > 100 else 1,
                    standing=3 if size > 100 else 0,
                    members=min(3 + size // 25, 9),
                    carry=carry,
                )
            else:
                carry = self.committee(term, deputies=1, standing=0, members=1 if size >= 9 else 0, carry=carry)

    # -- members --------------------------------------------------------------------

    def transfers_in(self, scale: float) -> int:
        """Members who come from outside during the history (``dangbo.demo.history``), out of the total."""
        return max(2, round(3 * (self.today.year - FIRST_YEAR + 1) * scale))

    def quotas(self, total: int) -> list[CellQuota]:
        """Spread ``total`` members over today's cells, by the size of each host unit."""
        weights: list[tuple[Organization, float]] = []
        for base in Organization.objects.filter(pk__in=[o.pk for o in self.base.values()], dissolved_on__isnull=True).order_by(
            "path"
        ):
            size = self.by_pk[base.pk].size
            if base.kind.level == "base_cell":
                weights.append((base, float(size)))
                continue
            cells = list(Organization.objects.get_children(base).filter(dissolved_on__isnull=True).order_by("path"))
            shares = [self.rng.uniform(0.6, 1.4) for _ in cells]
            for cell, share in zip(cells, shares, strict=True):
                weights.append((cell, size * share / sum(shares)))
        whole = sum(w for _, w in weights)
        quotas = [CellQuota(cell=cell, count=max(3, int(total * w / whole))) for cell, w in weights]
        # Give what rounding left to the largest cells, one each.
        left = total - sum(q.count for q in quotas)
        for q in sorted(quotas, key=lambda q: -q.count)[: max(left, 0)]:
            q.count += 1
        return quotas


def _select(agencies: list[Agency], wanted: int, *, extras: bool) -> list[Agency]:
    """The core agencies and the first others in list order, up to ``wanted``."""
    core = [a for a in agencies if a.core]
    others = [a for a in agencies if not a.core]
    room = max(wanted - len(core), 0)
    chosen = {a.key for a in core} | {a.key for a in others[:room]}
    result = [a for a in agencies if a.key in chosen]
    if extras and wanted > len(agencies):
        for n in range(wanted - len(agencies)):
            unit, sector = data.EXTRA_UNITS[n % len(data.EXTRA_UNITS)]
            number = n // len(data.EXTRA_UNITS) + 1
            result.append(Agency(key=f"{_code(unit)[:30]}-{number}", unit=f"{unit} {number}", sector=sector, size=20))
    return result
