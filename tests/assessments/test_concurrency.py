"""Lock, then check: two officers deciding or reviewing at the same moment (the races on PostgreSQL).

A peer group's quota of Excellent ratings is counted with the group's row
locked (``assessments_decide``), and a grid locks its assessments before it
checks their step (``assessments_review``). The races run each service on
its own connection: the first one inside a transaction kept open after it
has locked and written, the second one meanwhile. The main thread waits
until PostgreSQL shows the second waiting for the first (on a row of the
table expected), then lets the first commit; the second must then read the
committed state and be refused, writing nothing. The same decisions one
after the other (on any database) show the rule itself, not only the lock.
The last test (expected to fail) shows a deadlock on the rollups.

Row locks need PostgreSQL and two connections: those tests skip on SQLite,
and fail instead when ``PORTAL_REQUIRE`` names ``postgresql``.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from assessments import rules
from assessments import services as svc
from assessments.choices import Level, QuotaRounding, Step, SubjectKind
from assessments.models import Assessment, AssessmentEvent, PeerGroup, Period, Rollup
from audit.models import AuditEntry
from common.actors import SYSTEM
from organizations.models import OrgKind, RoleKind
from organizations.services import role_grant
from tests.conftest import need
from tests.factories import MembershipFactory, PersonFactory, UserFactory, make_org

from .conftest import of, open_period

NO_LOCKS = "row locks (SELECT ... FOR UPDATE) need PostgreSQL and two connections"
# 98 and 85 points under Regulation 366: the ceiling allows Excellent, resp. Good.
EXCELLENT_366 = {"politics": 5, "ethics": 5, "lifestyle": 5, "example": 5, "innovation": 5, "self_criticism": 5,
                 "tasks": 68}
GOOD_366 = {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4,
            "tasks": 60}
CELL_366 = {"building": 8, "organization": 8, "inspection": 8, "tasks": 65}


# --- Two connections -------------------------------------------------------------------------


@pytest.fixture
def postgresql():
    """Skip on SQLite, or fail there when PORTAL_REQUIRE names postgresql (before any database is set up)."""
    need("postgresql", connection.vendor == "postgresql", NO_LOCKS)


@pytest.fixture
def racing(postgresql, transactional_db):
    """Committed data other connections can see.

    A transactional test ends with a flush, which removes the rows the data
    migrations wrote; put back the posts and the regulations catalog (opening
    a period cites its regulation), as the browser tests do.
    """
    import importlib

    from django.apps import apps

    from common.text import fold
    from organizations.models import Position
    from regulations import catalog
    from regulations.models import Document
    from regulations.parser import parse

    if not Position.objects.exists():
        importlib.import_module("organizations.migrations.0002_database_rules_and_positions").add_positions(apps, None)
    if not Document.objects.exists():
        catalog.load(apps.get_model("regulations", "Document"), apps.get_model("regulations", "DocumentVersion"),
                     apps.get_model("regulations", "Provision"), fold, parse)


class _Act(threading.Thread):
    """One service on its own connection; with ``hold``, its transaction stays open until ``release``."""

    def __init__(self, act, hold: bool = False):
        super().__init__(daemon=True)
        self.act, self.hold = act, hold
        self.ready = threading.Event()  # the backend is known; a held act has also run and holds its locks
        self.released = threading.Event()
        self.pid: int | None = None
        self.result = None

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '5s'")  # a lost wake-up fails the test instead of hanging it
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            if self.hold:
                with transaction.atomic():
                    self.result = self.act()
                    self.ready.set()
                    if not self.released.wait(15):
                        raise TimeoutError("never released")
            else:
                self.ready.set()
                self.result = self.act()
        except Exception as exc:  # reported to the main thread
            self.result = exc
        finally:
            self.ready.set()
            connection.close()

    def release(self) -> None:
        self.released.set()


def _held(act) -> _Act:
    """Run ``act`` and keep its transaction open (its row locks held) until released."""
    thread = _Act(act, hold=True)
    thread.start()
    assert thread.ready.wait(15)
    assert not isinstance(thread.result, Exception), thread.result
    return thread


def _waiting(act) -> _Act:
    thread = _Act(act)
    thread.start()
    assert thread.ready.wait(15)
    return thread


def _lock_wait(thread: _Act, timeout: float = 5) -> tuple[set[int], set[str]]:
    """Whom ``thread`` waits for, and the tables of the rows it waits on (fails if it never waits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and thread.is_alive():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_blocking_pids(pid) FROM pg_stat_activity "
                           "WHERE pid = %s AND wait_event_type = 'Lock'", [thread.pid])
            row = cursor.fetchone()
            if row and row[0]:
                # The first waiter for a row holds the row's tuple lock while it waits for the holder.
                cursor.execute("SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND locktype = 'tuple'",
                               [thread.pid])
                time.sleep(0.2)
                assert thread.is_alive()
                return set(row[0]), {name for (name,) in cursor.fetchall()}
        time.sleep(0.02)
    raise AssertionError(f"the second act did not wait on a lock: {thread.result!r}")


def _finish(*threads: _Act) -> None:
    for thread in threads:
        if thread.hold:
            thread.release()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads)


# --- The peer group of the grassroots committee ------------------------------------------------


def _officer(name: str, org):
    user = UserFactory(username=name, first_name=name)
    role_grant(user=user, kind=RoleKind.COMMITTEE_STAFF, organization=org, actor=SYSTEM)
    return user


def _more_members(org, n: int, name: str) -> list:
    people = [PersonFactory(full_name=f"{name} {i}") for i in range(n)]
    for person in people:
        MembershipFactory(person=person, organization=org)
    return people


def _review(period: Period, cell, people, actor, level: str = Level.GOOD) -> None:
    rows = [svc.Row(of(period, cell).pk, grades=CELL_366, level=Level.GOOD)]
    rows += [svc.Row(of(period, p).pk, grades=EXCELLENT_366, level=level) for p in people]
    svc.assessments_review(period=period, rows=rows, actor=actor)


def _decide(period: Period, people, level: str, actor):
    decisions = [svc.Decision(of(period, p).pk, level) for p in people]
    return lambda: svc.assessments_decide(period=period, decisions=decisions, actor=actor)


class Quota:
    """10 Good decided in the committee's group of members (20%: 2 Excellent allowed); A's and B's batches."""

    def __init__(self, world, board_officer, capture):
        p = world.province
        cell_1 = world.members + _more_members(p.cell_1, 4, "Đỗ Văn Thôn Một")  # 8 members
        cell_2 = world.cell_2_members + _more_members(p.cell_2, 2, "Đỗ Thị Thôn Hai")  # 5 members
        self.period = open_period(p.root, board_officer, capture=capture)
        _review(self.period, p.cell_1, cell_1, world.cell_staff)
        _review(self.period, p.cell_2, cell_2, world.grassroots_staff)
        self.officer_a, self.officer_b = world.grassroots_staff, _officer("grassroots_staff_2", p.grassroots)
        svc.assessments_decide(period=self.period, decisions=[svc.Decision(of(self.period, m).pk, Level.GOOD)
                                                              for m in cell_1[:6] + cell_2[:4]],
                               actor=self.officer_a)
        self.group = of(self.period, cell_1[0]).peer_group
        assert self.group.organization == p.grassroots and self.group.kind == SubjectKind.MEMBER
        assert {of(self.period, m).peer_group_id for m in cell_1 + cell_2} == {self.group.pk}
        self.group.refresh_from_db()
        assert (self.group.good, self.group.excellent) == (10, 0)
        # Each batch alone is within the quota, the two together are not.
        assert rules.quota_max_excellent(10, self.period.quota_share, self.period.quota_rounding) == 2
        self.batches = {"A": cell_1[6:], "B": cell_2[4:5]}  # 2 Excellent of cell 1, 1 of cell 2
        self.officers = {"A": self.officer_a, "B": self.officer_b}

    def act(self, who: str):
        return _decide(self.period, self.batches[who], Level.EXCELLENT, self.officers[who])

    def check(self, winner: str, loser: str, refused) -> None:
        """The winner's batch decided, the loser's refused for the quota and untouched; the counters exact."""
        assert isinstance(refused, svc.Refused), refused
        quota = [r for r in refused.reasons if r.code == "quota"]
        assert quota and not refused.rows, refused.messages
        # The loser counted the winner's committed Excellent ratings with its own.
        assert quota[0].params["excellent"] == 3 and quota[0].params["good"] == 10
        assert quota[0].params["allowed"] == 2
        won = [of(self.period, p) for p in self.batches[winner]]
        lost = [of(self.period, p) for p in self.batches[loser]]
        assert {(a.state, a.level) for a in won} == {(Step.DECIDED, Level.EXCELLENT)}
        assert {(a.state, a.level) for a in lost} == {(Step.REVIEWED, "")}
        assert not AssessmentEvent.objects.filter(assessment__in=lost, transition="decide").exists()
        group = PeerGroup.objects.get(pk=self.group.pk)
        in_db = Assessment.objects.filter(peer_group=group)
        assert group.excellent == in_db.filter(level=Level.EXCELLENT).count() == len(won)
        assert group.good == in_db.filter(level=Level.GOOD).count() == 10
        assert rules.quota_allows(group.excellent, group.good, self.period.quota_share, self.period.quota_rounding)
        root = self.period.organization
        decided = Rollup.objects.filter(period=self.period, organization=root, kind=SubjectKind.MEMBER,
                                        state=Step.DECIDED)
        assert decided.get(level=Level.EXCELLENT).count == len(won)
        assert decided.get(level=Level.GOOD).count == 10
        assert AuditEntry.objects.filter(action="assessments.decide").count() == 2  # the Good ones, the winner


# --- 1. Two officers decide in the same peer group at once --------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["A", "B"])
def test_two_batches_at_once_cannot_together_exceed_the_quota(racing, world, board_officer,
                                                              django_capture_on_commit_callbacks, first):
    """A: 2 Excellent in cell 1, B: 1 in cell 2, each within the quota alone; the later one waits and is refused."""
    setup = Quota(world, board_officer, django_capture_on_commit_callbacks)
    second = "B" if first == "A" else "A"
    holder = _held(setup.act(first))
    waiter = _waiting(setup.act(second))
    # It waits where the quota is counted: on the peer group's row, which the first act holds.
    assert _lock_wait(waiter) == ({holder.pid}, {"assessments_peergroup"})
    _finish(holder, waiter)
    assert not isinstance(holder.result, Exception), holder.result
    setup.check(first, second, waiter.result)


# --- 2. The same decisions one after the other ---------------------------------------------------


@pytest.mark.parametrize("first", ["A", "B"])
def test_the_second_batch_after_the_first_is_refused(world, board_officer, django_capture_on_commit_callbacks,
                                                     first):
    """The rule without the race: either batch alone passes, the other one after it exceeds the quota."""
    setup = Quota(world, board_officer, django_capture_on_commit_callbacks)
    second = "B" if first == "A" else "A"
    setup.act(first)()
    with pytest.raises(svc.Refused) as refused:
        setup.act(second)()
    setup.check(first, second, refused.value)


# --- 3. Two saves of the same review grid ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_second_save_of_the_same_grid_waits_and_is_refused(racing, world, board_officer,
                                                            django_capture_on_commit_callbacks):
    """Cell 1's grid saved by its office (Good) while the committee's office saves it too (Completed)."""
    p = world.province
    period = open_period(p.root, board_officer, capture=django_capture_on_commit_callbacks)
    subjects = [of(period, p.cell_1)] + [of(period, m) for m in world.members]

    def grid(level: str, actor):
        rows = [svc.Row(subjects[0].pk, grades=CELL_366, level=level)]
        rows += [svc.Row(a.pk, grades=GOOD_366, level=level, text=f"Hội nghị ({actor})") for a in subjects[1:]]
        return lambda: svc.assessments_review(period=period, rows=rows, actor=actor)

    holder = _held(grid(Level.GOOD, world.cell_staff))
    waiter = _waiting(grid(Level.COMPLETED, world.grassroots_staff))
    assert _lock_wait(waiter) == ({holder.pid}, {"assessments_assessment"})
    _finish(holder, waiter)
    assert not isinstance(holder.result, Exception), holder.result
    refused = waiter.result
    assert isinstance(refused, svc.Refused), refused
    # Every row refused as already reviewed: it read the committed step after the lock, not the one before.
    assert set(refused.rows) == {a.pk for a in subjects}
    for reasons in refused.rows.values():
        assert [(r.code, r.params["state"]) for r in reasons] == [("wrong_step", Step.REVIEWED)]
    # The first save stands, nothing of the second one is written.
    for a in subjects:
        a.refresh_from_db()
        assert (a.state, a.review_level) == (Step.REVIEWED, Level.GOOD)
        assert list(a.events.values_list("transition", flat=True)) == ["submit_self", "review"]
        assert a.self_text in ("", f"Hội nghị ({world.cell_staff})")
    assert AuditEntry.objects.filter(action="assessments.review").count() == 1
    reviewed = Rollup.objects.get(period=period, organization=p.cell_1, kind=SubjectKind.MEMBER, state=Step.REVIEWED,
                                  level="")
    assert reviewed.count == len(world.members)


# --- 4. Three officers deciding in three peer groups at once -------------------------------------


class Deadlocked(Exception):
    """PostgreSQL aborted one of the acts to break a deadlock (SQLSTATE 40P01)."""


@pytest.mark.django_db(transaction=True)
def test_decisions_in_other_peer_groups_do_not_deadlock_on_the_rollups(racing, world, board_officer,
                                                                       django_capture_on_commit_callbacks):
    """Different groups share no quota, so neither act should be refused or aborted: both must succeed.

    Officer 0 decides a member of a cell of committee A (Completed) and holds
    the transaction; officer 1 decides three members of cell 1 (Excellent,
    Completed, Good), officer 2 three of cell B (Good, Completed, Excellent).
    The province's counters of decided members at each level do not exist yet:
    1 creates Excellent and waits for 0's Completed, 2 creates Good and waits
    for it too. When 0 commits, 1 goes on to create Good (2's, uncommitted)
    and 2 to create Excellent (1's): each waits for the other.
    """
    p = world.province
    cell_a = make_org(p.sub_a, OrgKind.GRASSROOTS_CELL, "Chi bộ cơ quan Khối A")
    cell_a_members = _more_members(cell_a, 1, "Ngô Văn Cơ Quan")
    cell_b_members = world.cell_b_members + _more_members(p.cell_b, 1, "Ngô Thị Trường")
    sub_b_staff = _officer("sub_b_staff", p.sub_b)
    # Rounded up, one Good in a batch allows its one Excellent.
    period = open_period(p.root, board_officer, capture=django_capture_on_commit_callbacks,
                         quota_rounding=QuotaRounding.UP)
    _review(period, p.cell_1, world.members[:3], world.cell_staff)
    _review(period, p.cell_b, cell_b_members, sub_b_staff)
    _review(period, cell_a, cell_a_members, world.sub_a_staff)
    groups = {of(period, m).peer_group.organization for m in [world.members[0], cell_b_members[0],
                                                                cell_a_members[0]]}
    assert groups == {p.grassroots, p.sub_b, p.sub_a}
    assert not Rollup.objects.filter(period=period, state=Step.DECIDED).exists()

    def decide(people, levels, actor):
        decisions = [svc.Decision(of(period, m).pk, lv) for m, lv in zip(people, levels, strict=True)]
        return lambda: svc.assessments_decide(period=period, decisions=decisions, actor=actor)

    zero = _held(decide(cell_a_members, [Level.COMPLETED], world.sub_a_staff))
    one = _waiting(decide(world.members[:3], [Level.EXCELLENT, Level.COMPLETED, Level.GOOD],
                          world.grassroots_staff))
    two = _waiting(decide(cell_b_members, [Level.GOOD, Level.COMPLETED, Level.EXCELLENT], sub_b_staff))
    assert _lock_wait(one)[0] == {zero.pid}
    assert _lock_wait(two)[0] == {zero.pid}
    _finish(zero, one, two)
    assert not isinstance(zero.result, Exception), zero.result
    for act in (one, two):
        if isinstance(act.result, OperationalError) and getattr(act.result.__cause__, "sqlstate", "") == "40P01":
            raise Deadlocked(str(act.result)) from act.result
        assert not isinstance(act.result, Exception), act.result
    decided = Rollup.objects.filter(period=period, organization=p.root, kind=SubjectKind.MEMBER, state=Step.DECIDED)
    assert dict(decided.values_list("level", "count")) == {Level.EXCELLENT: 2, Level.GOOD: 2, Level.COMPLETED: 3}


# --- A peer group split while a decision in it waits ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_decision_waiting_on_a_group_being_split_is_refused(racing, world, board_officer,
                                                             django_capture_on_commit_callbacks):
    """The decision read the members' group before the split moved them; it waits, then is refused."""
    p = world.province
    period = open_period(p.root, board_officer, capture=django_capture_on_commit_callbacks)
    _review(period, p.cell_1, world.members, world.cell_staff)
    group = of(period, world.members[0]).peer_group
    split = _held(lambda: svc.peer_group_split(period=period, group=group, name="Chi bộ cơ quan",
                                               organizations=[p.cell_1], actor=world.grassroots_staff))
    decide = _waiting(_decide(period, world.members, Level.GOOD, world.grassroots_staff))
    assert _lock_wait(decide) == ({split.pid}, {"assessments_peergroup"})
    _finish(split, decide)
    assert not isinstance(split.result, Exception), split.result
    refused = decide.result
    assert isinstance(refused, svc.Refused), refused
    assert [r.code for r in refused.reasons] == ["peer_group_changed"]
    assert {of(period, m).state for m in world.members} == {Step.REVIEWED}
    assert {of(period, m).peer_group_id for m in world.members} == {split.result.pk}
    assert not PeerGroup.objects.filter(period=period, good__gt=0).exists()


# --- A rebuild of the rollups while a grid is saved ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_waits_for_a_grid_being_saved_and_counts_it(racing, world, board_officer,
                                                             django_capture_on_commit_callbacks):
    """The grid updates counters that exist already (no new row locks the period); the rebuild, started
    meanwhile, waits for it on the period's row and counts what it committed, not what it read before."""
    p = world.province
    period = open_period(p.root, board_officer, capture=django_capture_on_commit_callbacks)
    _review(period, p.cell_1, world.members[:2], world.cell_staff)
    rest = [svc.Row(of(period, m).pk, grades=GOOD_366, level=Level.GOOD) for m in world.members[2:]]
    grid = _held(lambda: svc.assessments_review(period=period, rows=rest, actor=world.cell_staff))
    rebuild = _waiting(lambda: svc.rollups_rebuild(period=period, actor=board_officer))
    assert _lock_wait(rebuild)[0] == {grid.pid}
    _finish(grid, rebuild)
    assert not isinstance(grid.result, Exception), grid.result
    assert not isinstance(rebuild.result, Exception), rebuild.result
    reviewed = Rollup.objects.get(period=period, organization=p.root, kind=SubjectKind.MEMBER,
                                  state=Step.REVIEWED, level="")
    assert reviewed.count == len(world.members)
    assert sum(Rollup.objects.filter(period=period, organization=p.root).values_list("count", flat=True)) \
        == Assessment.objects.filter(period=period).count()
