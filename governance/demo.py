"""The demo's working regulations: registered with ``organizations.demo.register_demo_step``."""

from __future__ import annotations

from organizations.demo import TERM_START
from organizations.models import Organization, OrgKind
from regulations.models import Citation
from regulations.services import citations_build

from .models import Matter, WorkingRegulation
from .regulation_templates import TEMPLATES

TEMPLATE_FOR = {OrgKind.PROVINCIAL: "provincial", OrgKind.SUBORDINATE: "provincial",
                OrgKind.GRASSROOTS_COMMITTEE: "grassroots", OrgKind.AGENCY: "agency"}


def working_regulations(organizations: list[Organization]) -> str:
    """Each committee and agency gets the matching template, adopted when its term began."""

    def ref(i: int, node: Organization) -> str:
        return f"{i + 1:03d}-QĐ/{'TU' if node.kind == OrgKind.PROVINCIAL else 'ĐU'}"

    regulations = [(node, WorkingRegulation(organization=node, version=1, title="Quy chế làm việc nhiệm kỳ",
                                            start=TERM_START[node.kind], adoption_ref=ref(i, node)))
                   for i, node in enumerate(organizations) if node.kind in TEMPLATE_FOR]
    WorkingRegulation.objects.bulk_create([r for _n, r in regulations], batch_size=2000)
    matters, refs = [], []
    for node, regulation in regulations:
        for position, fields in enumerate(TEMPLATES[TEMPLATE_FOR[node.kind]]["matters"], start=1):
            fields = dict(fields)
            refs.append([(p["code"], p.get("ref", "")) for p in fields.pop("provisions", [])])
            matters.append(Matter(regulation=regulation, position=position, **fields))
    Matter.objects.bulk_create(matters, batch_size=2000)
    documents: dict = {}
    citations = []
    for matter, matter_refs in zip(matters, refs):
        regulation = matter.regulation
        citations += citations_build(obj=matter, refs=matter_refs, label=matter.citation_label(),
                                     url=regulation.get_absolute_url(), scope=regulation.organization.path,
                                     documents=documents)
    Citation.objects.bulk_create(citations, batch_size=5000)
    return f"{len(regulations)} quy chế làm việc"
