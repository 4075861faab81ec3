"""The summary of a review period for an organization's subtree (the provincial summary at the root).

Read from the rollups (counts per organization for its whole subtree), so the
province costs the same few queries as a cell: the period, the organization's
own counts, the counts of every organization below it (one query, whatever
their number), their names, the peer groups over the quota, and the peer
groups' totals. Lateness is judged on the day of ``as_of``, so the same data
and moment give the same document.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.choices import LEVEL_ORDER, SHORT_LEVEL, STEP_ORDER, SubjectKind
from assessments.models import PeerGroup, Period, Rollup
from assessments.rules import quota_max_excellent
from assessments.selectors import Summary, breached_groups, summarize
from common.charts import donut, stacked_bars
from common.reasons import Refused
from organizations.models import Organization

CHART_CHILDREN = 40  # bars in the chart of subordinate organizations (the table lists them all)


def _period(organization: Organization, params: dict) -> Period:
    period = Period.objects.select_related("organization").filter(pk=params.get("period")).first()
    if period is None or not organization.path.startswith(period.organization.path):
        raise Refused.because("report_period_gone")
    return period


def _row(org: dict, summary: Summary, period: Period, on) -> dict:
    late = summary.late_steps(period, on)
    return {"name": org["name"], "depth": org["depth"], "total": summary.total, "decided": summary.decided,
            "percent": summary.percent_decided, "levels": [summary.by_level[level] for level in LEVEL_ORDER],
            "late": sum(n for _step, n in late)}


def summary_context(organization: Organization, params: dict, as_of=None) -> dict:
    period = _period(organization, params)
    on = timezone.localdate(as_of) if as_of else timezone.localdate()
    below = list(Organization.objects.filter(path__startswith=organization.path, depth__gt=organization.depth)
                 .order_by("path").values("pk", "name", "depth"))
    sums = summarize(Rollup.objects.filter(period=period, count__gt=0, organization__path__startswith=organization.path)
                     .values_list("organization_id", "kind", "state", "level", "count"))
    own = sums.get(organization.pk) or Summary()
    rows = [_row(org, sums.get(org["pk"]) or Summary(), period, on) for org in below]
    top = organization.depth
    children = [row for row in rows if row["depth"] == top + 1]
    late_steps = {step for step, _n in own.late_steps(period, on)}
    steps = [{"label": step.label, "count": own.by_state[step], "deadline": period.deadline_of(step),
              "late": step in late_steps} for step in STEP_ORDER]
    groups = PeerGroup.objects.filter(period=period, organization__path__startswith=organization.path).aggregate(
        groups=Count("pk"), excellent=Sum("excellent"), good=Sum("good"),
        collective=Count("pk", filter=Q(kind=SubjectKind.COLLECTIVE)))
    breached = [{"name": g.name, "decider": g.organization.name, "kind": g.get_kind_display(), "good": g.good,
                 "excellent": g.excellent,
                 "allowed": quota_max_excellent(g.good, period.quota_share, period.quota_rounding)}
                for g in breached_groups(period, organization)]
    level_names = [str(SHORT_LEVEL[level]) for level in LEVEL_ORDER]
    decided = sum(own.by_level.values())
    kinds = [(label, [own.by_kind_level[kind][level] for level in LEVEL_ORDER])
             for kind, label in SubjectKind.choices if own.by_kind_level.get(kind)]
    level_rows = [(name, own.by_level[level], round(own.by_level[level] * 100 / decided) if decided else 0)
                  for name, level in zip(level_names, LEVEL_ORDER, strict=True)]
    return {
        "period": period, "org": organization,
        "superior": Organization.objects.filter(path=organization.parent_path).first(),
        "own": own, "level_rows": level_rows,
        "kinds": kinds, "level_names": level_names, "steps": steps, "rows": rows, "children_count": len(children),
        "late_total": sum(row["late"] for row in children) if children else sum(s["count"] for s in steps if s["late"]),
        "groups": groups, "breached": breached, "quota_share": period.quota_share,
        "charts": {
            "levels": donut(_("Xếp loại đã quyết định"), list(zip(level_names, [own.by_level[lv] for lv in LEVEL_ORDER],
                                                                 strict=True))),
            "children": stacked_bars(_("Xếp loại theo tổ chức trực thuộc"),
                                     [row["name"] for row in children[:CHART_CHILDREN]],
                                     [(name, [row["levels"][i] for row in children[:CHART_CHILDREN]])
                                      for i, name in enumerate(level_names)]) if children else "",
        },
    }
