"""The schemes of review: Regulation 124 (periods 2023, 2024) and Regulation 366 (from 2025).

One interface (``Scheme``), two modules. A period stores its scheme's code and
keeps it forever, so a 2024 period is judged, shown and printed by the rules
of Regulation 124 even after 366 replaced it. Each scheme gives its subject
kinds, the criteria of each kind (with the Regulation 144 standards among an
individual's), how a criterion is entered (a grade or points), its ceiling
function (``assessments.rules``), the quota's parameters and the official
form each kind uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from regulations.citations import Cite, cite

from ..choices import LeaderForm, SchemeCode, SubjectKind
from ..rules import Ceiling, Facts, Parameters

# The five standards of revolutionary ethics (Regulation 144 Art. 1-5), criteria of every individual.
STANDARDS_144 = [cite("144-QĐ/TW", str(n), by="assessments.schemes (criteria of individuals)") for n in range(1, 6)]


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    max_points: int | None = None  # 366: the most points it carries; 124: graded X/T/B/K
    cites: tuple[Cite, ...] = ()


@dataclass(frozen=True)
class Scheme:
    code: str
    label: str
    document: str  # the regulation's code in the catalog
    guidance: str  # the guidance whose forms it uses
    first_year: int
    last_year: int | None
    quarterly: bool
    kinds: tuple[str, ...]
    criteria: dict[str, tuple[Criterion, ...]]
    ceiling_function: Callable[[Facts, Parameters], Ceiling]
    parameters: Parameters = field(default_factory=Parameters)
    quota_shares: tuple[int, ...] = (20,)
    levels_cite: Cite | None = None
    authority_cite: Cite | None = None
    form_function: Callable[[str, str], str] = lambda kind, leader_form: ""

    @property
    def graded(self) -> bool:
        return all(c.max_points is None for kind in self.criteria.values() for c in kind)

    def criteria_for(self, kind: str) -> tuple[Criterion, ...]:
        return self.criteria[kind]

    def ceiling(self, facts: Facts) -> Ceiling:
        return self.ceiling_function(facts, self.parameters)

    def form_for(self, kind: str, leader_form: str = LeaderForm.AS_GUIDANCE_25) -> str:
        return self.form_function(kind, leader_form)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def citations(self) -> list[tuple[str, str]]:
        """Every provision the scheme's rules rest on, for the period's rows of the citation table."""
        refs: list[tuple[str, str]] = []
        for cited in [self.levels_cite, self.authority_cite]:
            if cited:
                refs.append((cited.code, cited.ref))
        refs.append((self.guidance, ""))
        for criteria in self.criteria.values():
            for criterion in criteria:
                refs.extend((c.code, c.ref) for c in criterion.cites)
        return list(dict.fromkeys(refs))


def get(code: str) -> Scheme:
    from . import reg124, reg366

    return {SchemeCode.REG124: reg124.SCHEME, SchemeCode.REG366: reg366.SCHEME}[SchemeCode(code)]


def for_year(year: int) -> Scheme:
    """The scheme a period of ``year`` runs under."""
    from . import reg124, reg366

    for scheme in (reg366.SCHEME, reg124.SCHEME):
        if scheme.covers(year):
            return scheme
    raise LookupError(year)


def all_schemes() -> list[Scheme]:
    from . import reg124, reg366

    return [reg124.SCHEME, reg366.SCHEME]


KINDS_ALL = tuple(SubjectKind)


def grade_errors(scheme: Scheme, kind: str, grades: dict) -> list:
    """What is wrong with a subject's criteria (missing, not a grade, too many points), as reasons."""
    from decimal import Decimal, InvalidOperation

    from common.reasons import Reason

    from ..choices import Grade

    if kind not in scheme.kinds:
        return [Reason("kind_not_in_scheme", {"kind": kind})]
    errors, missing = [], []
    for criterion in scheme.criteria_for(kind):
        value = grades.get(criterion.code)
        if value in (None, ""):
            missing.append(str(criterion.label))
        elif criterion.max_points is None:
            if value not in Grade.values:
                errors.append(Reason("grade_invalid", {"criterion": str(criterion.label), "value": str(value)[:20]}))
        else:
            try:
                points = Decimal(str(value))
            except (InvalidOperation, ValueError):
                points = None
            if points is None or not points.is_finite() or points < 0:
                errors.append(Reason("grade_invalid", {"criterion": str(criterion.label), "value": str(value)[:20]}))
            elif points > criterion.max_points:
                errors.append(Reason("points_over", {"criterion": str(criterion.label), "max": criterion.max_points}))
    if missing:
        errors.insert(0, Reason("grades_missing", {"missing": ", ".join(missing)}))
    return errors


def clean_grades(scheme: Scheme, kind: str, grades: dict) -> dict:
    """Only the scheme's criteria, as stored (grades as letters, points as strings of decimals)."""
    from decimal import Decimal

    out = {}
    for criterion in scheme.criteria_for(kind):
        value = grades.get(criterion.code)
        if value in (None, ""):
            continue
        if criterion.max_points is None:
            out[criterion.code] = str(value)
        else:
            out[criterion.code] = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
    return out
