"""The confidence votes' pages: the office records a vote from its minutes, all or nothing; the register lists
the results with filters and export; nobody else records."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from personnel.models import ConfidenceResult, ConfidenceVote

pytestmark = pytest.mark.django_db
D = dt.date


def _rows(c, counts: dict) -> dict:
    """The form's data: the ballots, then each member's counts keyed by their standing-committee tenure."""
    data = {"issued": 9, "returned": 9}
    for person, (high, conf, low, invalid) in counts.items():
        tenure = person.tenures.get(organization=c.org, position__rank__lte=30)
        data.update({f"t{tenure.pk}_high": high, f"t{tenure.pk}_confidence": conf, f"t{tenure.pk}_low": low,
                     f"t{tenure.pk}_invalid": invalid})
    return data


def test_the_office_records_a_vote_and_the_register_shows_and_exports_it(client, committee):
    c = committee
    meeting = c.meeting(D(2026, 3, 20))
    client.force_login(c.clerk)
    url = f"/org/{c.org.pk}/confidence-votes/new/"
    page = client.get(url, {"meeting": meeting.pk})
    assert page.status_code == 200 and page.content.decode().count("<tr data-tenure=") == 9
    bad = client.post(url, {"meeting": meeting.pk, **_rows(c, {c.members[1]: (6, 2, 1, 1)})})
    assert bad.status_code == 400 and "phải cộng lại bằng số phiếu thu về (9)" in bad.content.decode()
    assert not ConfidenceVote.objects.exists()
    done = client.post(url, {"meeting": meeting.pk, **_rows(c, {c.members[1]: (6, 2, 1, 0),
                                                                c.members[2]: (1, 2, 6, 0)})})
    assert done.status_code == 302 and done["Location"] == f"/org/{c.org.pk}/confidence-votes/"
    assert ConfidenceResult.objects.count() == 2
    register = client.get(f"/org/{c.org.pk}/confidence-votes/")
    html = register.content.decode()
    assert register.context["table"].paginator.count == 2 and 'data-outcome="low_two_thirds"' in html
    assert client.get(f"/org/{c.org.pk}/confidence-votes/", {"outcome": "ok"}).context["table"].paginator.count == 1
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/org/{c.org.pk}/confidence-votes/",
                                                        {"export": "xlsx"}).content)).active
    assert len(list(book.iter_rows(min_row=2))) == 2
    assert meeting.pk not in [m.pk for m in client.get(url).context["meetings"]]  # a meeting holds one vote


def test_a_retiring_cadre_is_left_off_from_the_form(client, committee):
    c = committee
    meeting = c.meeting(D(2026, 3, 20))
    client.force_login(c.clerk)
    retiring = c.members[1].tenures.get(organization=c.org, position__rank__lte=30)
    data = {"meeting": meeting.pk, **_rows(c, {c.members[2]: (6, 2, 1, 0)}), f"t{retiring.pk}_retiring": "on"}
    assert client.post(f"/org/{c.org.pk}/confidence-votes/new/", data).status_code == 302
    vote = ConfidenceVote.objects.get()
    assert vote.left_out == [{"tenure": retiring.pk, "person": c.members[1].pk, "why": "retiring"}]


@pytest.mark.parametrize("who", ["head_user"])
def test_only_the_office_records(client, committee, who):
    client.force_login(getattr(committee, who))
    assert client.get(f"/org/{committee.org.pk}/confidence-votes/").status_code == 200
    assert client.get(f"/org/{committee.org.pk}/confidence-votes/new/").status_code in (403, 404)


@pytest.mark.parametrize("query", ["?meeting=abc", f"?meeting={10**20}", "?meeting=-1", "?year=x&outcome=zz"])
def test_hostile_input_never_breaks_the_pages(client, committee, query):
    client.force_login(committee.clerk)
    assert client.get(f"/org/{committee.org.pk}/confidence-votes/new/{query}").status_code == 200
    assert client.get(f"/org/{committee.org.pk}/confidence-votes/{query}").status_code == 200
    assert client.post(f"/org/{committee.org.pk}/confidence-votes/new/", {"meeting": "x"}).status_code == 400
