"""Watch many groups as their data changes, and report what changed.

A :class:`GroupMonitor` holds the current facts (field values) of many groups. Each
:meth:`~GroupMonitor.update` merges new values into one group's facts, scores that
group again (only that group: the work per update does not grow with the number of
groups) and compares the new assessment with the previous one. The differences
become typed events:

==========================  =====================================================
event                       when
==========================  =====================================================
:class:`StageReached`       the stage reached for certain went up
:class:`StageLost`          it went down
:class:`ClassChanged`       the class changed
:class:`GateFailed`         a stage gate became ``not_met`` (one event per gate)
:class:`BecameExitReady`    exit readiness became true
:class:`NoLongerExitReady`  it was true and is now false or unknown
:class:`DataBecameUnknown`  a criterion's outcome went from met or not met to
                            unknown (one event per criterion)
:class:`Regressed`          the stage or class is certainly below the one before,
                            with the criteria met before and not met now
:class:`Stagnating`         the group has now been at its stage longer than the
                            ruleset's ``history.stagnation`` allows (once a stay)
==========================  =====================================================

Time is the updates' ``at``: a stay at a stage is counted in months from the update
that reached it, as :mod:`kematangan.trajectory.rules` counts it for histories. The
monitor keeps each group's steps (its level and class at each change; see
:meth:`~GroupMonitor.history`), and its state keeps them too.

A group's first update compares with nothing: it reports the stage and class
reached, gates not met and exit readiness, but no :class:`DataBecameUnknown`, and
its ``changed`` lists every criterion.

Every event carries the group id, ``before`` and ``after``, ``changed`` (the
criteria whose outcome changed in this update), the ruleset (id, version, hash)
and a timestamp. Events go to subscribers (:meth:`~GroupMonitor.subscribe`) and to
a queue that :meth:`~GroupMonitor.events` drains.

Examples
--------
>>> monitor = GroupMonitor("ppmk-ksm")
>>> rules = {f"basic_rule_{i}": True for i in range(1, 6)}  # the five basic rules
>>> events = monitor.update("KSM-01", {
...     "formed_participatory": True, "members": 12, "members_voluntary": True,
...     "meetings_last_3_months": 3, **rules})
>>> [e.type for e in events]
['stage_reached', 'class_changed']
>>> events[0].before, events[0].after
(None, 'growth')
>>> [(e.type, e.changed) for e in monitor.update("KSM-01", {"members": None})]
[('stage_lost', ('enough_members',)), ('data_became_unknown', ('enough_members',))]
>>> [(e.type, e.criterion) for e in monitor.update("KSM-01",
...                                                {"admin_books_kept": False})]
[('gate_failed', 'admin_books')]
>>> len(list(monitor.events())), len(list(monitor.events()))
(5, 0)
"""

from kematangan.monitor.events import (
    BecameExitReady,
    ClassChanged,
    DataBecameUnknown,
    GateFailed,
    MonitorEvent,
    NoLongerExitReady,
    Regressed,
    StageLost,
    StageReached,
    Stagnating,
    SubscriberError,
)
from kematangan.monitor.watch import GroupMonitor

__all__ = [
    "BecameExitReady",
    "ClassChanged",
    "DataBecameUnknown",
    "GateFailed",
    "GroupMonitor",
    "MonitorEvent",
    "NoLongerExitReady",
    "Regressed",
    "StageLost",
    "StageReached",
    "Stagnating",
    "SubscriberError",
]
