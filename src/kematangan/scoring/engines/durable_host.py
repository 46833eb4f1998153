"""Low-level adapter around durable-rules 2.0.28.

This is the only module of kematangan that talks to durable-rules, and it loads the
engine lazily: importing this module imports neither ``durable`` nor
``durable_rules_engine``; the first :class:`DurableHost` does. Other modules must
import this one inside functions only.

What the adapter does
---------------------
A :class:`DurableHost` takes named boolean conditions written in a small neutral
tree (:class:`Compare`, :class:`OneOf`, :class:`IsMissing`, :class:`AllOf`,
:class:`AnyOf`, :class:`Negate`), compiles them into one durable ruleset and
evaluates records one at a time: each record becomes one *fact* in its own session
(durable's ``sid``), every rule whose condition is true fires, the names of the
rules that fired are collected, and the session is deleted in a ``finally`` block.

Semantics
---------
Missing values follow the three-valued (Kleene) logic of kematangan's expression
language. A field is *missing* when the record lacks it or holds ``None``, NaN or
NaT. A comparison with a missing field is *unknown*; ``not unknown`` is unknown;
``false and unknown`` is false; ``true or unknown`` is true. A rule *fires* when its
condition is definitely true. :meth:`DurableHost.verdicts` also tells definitely
false from unknown.

Why the engine's C API is used directly
---------------------------------------
``durable.engine`` serialises with :func:`json.dumps`, whose floats such as
``1e-05`` or ``1e+16`` (an exponent without a decimal point) are rejected by
durable's JSON parser, in facts and in rule literals alike. ``durable.engine.Host``
also starts two background timer threads that poll every ruleset. The adapter
therefore drives ``durable_rules_engine`` (the C extension shipped in the
durable-rules wheel) with JSON it writes itself, and reads the fired rule from the
action message instead of running Python closures. This is about three times faster
than ``Host.assert_fact`` with closures.

Limitations
-----------
Comparisons are always *field op literal*. durable can compare two fields of a fact
or do arithmetic (``m.x > m.y + 1``), but 2.0.28 crashes the process (segfault)
when one of those fields is absent or null, so the adapter does not offer it:
compute such values before scoring. Other defects of 2.0.28 worked around here:

* deleting a session whose facts never started an action frees uninitialised
  pointers (a segfault or ``free(): invalid pointer`` once the heap has been
  used), so every ruleset has a catch-all rule and every record fires it;
* at most 1024 live sessions per ruleset (about 1 MB each for 40 rules); the
  1025th raises ``MemoryError`` and leaves a half-made session whose deletion
  crashes, so sessions are deleted as soon as a record is done;
* the limits of one durable rule and of one fact, which the compilation in
  :mod:`~kematangan.scoring.engines.durable_compile` respects.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import itertools
import json
import re
import threading
import uuid
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, Protocol, TypeAlias, cast

from kematangan.errors import EngineError, RecordError
from kematangan.scoring.engines.durable_compile import (
    BACKEND,
    MARKER,
    Condition,
    compile_ruleset,
    encode_value,
)

__all__ = ["DurableHost", "engine_version"]

# Result code of durable_rules_engine.assert_fact / retract_fact (rules.h); 1 is
# "not handled" (MessageNotHandledException in durable.engine).
_RULES_OK: Final = 0
# Error codes worth a sentence (rules.h of durable-rules 2.0.28).
_CODES: Final[dict[int, str]] = {
    106: "too many rules in the ruleset",
    107: "too many absence tests under one node",
    108: "too many rules share one condition",
    113: "too many and/or in one rule",
    201: "JSON value not parsed",
    202: "JSON string not parsed",
    203: "JSON number not parsed",
    204: "JSON object not parsed",
    302: "too many attributes in one fact",
    309: "session not found",
}
_SID_NOT_FOUND: Final = 309

# --------------------------------------------------------------------------------
# Engine access


class _Engine(Protocol):
    """The part of ``durable_rules_engine`` (durable-rules 2.0.28) used here."""

    error: type[Exception]

    def create_ruleset(self, name: str, rules: str, /) -> int: ...
    def delete_ruleset(self, handle: int, /) -> None: ...
    def assert_fact(self, handle: int, fact: str, /) -> tuple[int, int]: ...
    def retract_fact(self, handle: int, fact: str, /) -> tuple[int, int]: ...
    def start_action_for_state(
        self, handle: int, state: int, /
    ) -> tuple[str, str] | None: ...
    def complete_and_start_action(self, handle: int, state: int, /) -> str | None: ...
    def abandon_action(self, handle: int, state: int, /) -> None: ...
    def get_state(self, handle: int, sid: str | None, /) -> str: ...
    def delete_state(self, handle: int, sid: str | None, /) -> None: ...


_LOCK: Final = threading.RLock()
"""Guards every call into the engine: it has process-wide tables and no locks."""
_NAMES: Final = itertools.count(1)
_engine: _Engine | None = None


def _load_engine() -> _Engine:
    global _engine
    if _engine is None:
        try:
            module = importlib.import_module("durable_rules_engine")
        except ImportError as exc:
            raise EngineError(
                BACKEND, "durable-rules is not installed: pip install durable-rules"
            ) from exc
        _engine = cast(_Engine, module)
    return _engine


def engine_version() -> str | None:
    """Return the installed durable-rules version, or ``None`` if not installed.

    Examples
    --------
    >>> engine_version() is None or isinstance(engine_version(), str)
    True
    """
    try:
        return importlib.metadata.version("durable_rules")
    except importlib.metadata.PackageNotFoundError:
        return None


def _wrap(exc: BaseException, doing: str) -> EngineError:
    text = str(exc) or type(exc).__name__
    match = re.search(r"error code: (\d+)", text)
    extra = {"action": doing}
    if match:
        code = int(match.group(1))
        extra["code"] = str(code)
        if code in _CODES:
            text = f"{text} ({_CODES[code]})"
    return EngineError(BACKEND, f"{doing}: {text}", extra)


def _error_code(exc: BaseException) -> int | None:
    match = re.search(r"error code: (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _release(engine: _Engine, handle: int, live: list[str]) -> None:
    with _LOCK:
        for sid in live:
            try:
                engine.delete_state(handle, sid)
            except engine.error:
                pass
        live.clear()
        try:
            engine.delete_ruleset(handle)
        except engine.error:
            pass


_Finalizer: TypeAlias = "weakref.finalize[[_Engine, int, list[str]], DurableHost]"

# --------------------------------------------------------------------------------
# Host


class DurableHost:
    """A compiled durable-rules ruleset that tells which conditions a record meets.

    Parameters
    ----------
    rules : sequence of (str, Condition)
        Rule names (unique, non-empty) and their conditions.
    negatives : bool, default False
        Also compile the negations, so that :meth:`verdicts` can tell false from
        unknown. Doubles the size of the durable ruleset.
    reuse_session : bool, default False
        Evaluate every record in one long-lived session, asserting the record's
        fact and retracting it afterwards, instead of creating and deleting a
        session per record. Same results, about twice as fast for 40 rules:
        creating a durable session allocates about 13 KB per compiled
        conjunction. On any error the session is deleted and a new one is used.
    max_terms : int, default 256
        Largest number of conjunctions one rule may expand to (per polarity).

    Raises
    ------
    kematangan.errors.RulesetError
        For an invalid description (duplicate or empty name, bad field name,
        missing literal).
    kematangan.errors.EngineError
        When durable-rules is not installed or refuses the compiled ruleset, or a
        rule exceeds a durable limit.

    Notes
    -----
    Each instance registers its own durable ruleset under a process-unique name
    (a counter and a UUID), so hosts built from the same rules coexist. All engine
    calls of all hosts go through one process-wide lock: a host can be shared by
    threads, and calls are serialised. Call :meth:`close` (or use ``with``) to
    free the engine's memory; garbage collection does it otherwise.

    Usage (not a doctest, it needs durable-rules)::

        with DurableHost([("big", Compare("members", "ge", 10))]) as host:
            host.evaluate({"members": 12})       # frozenset({'big'})
            host.evaluate({"members": None})     # frozenset()
    """

    def __init__(
        self,
        rules: Sequence[tuple[str, Condition]],
        *,
        negatives: bool = False,
        reuse_session: bool = False,
        max_terms: int = 256,
    ) -> None:
        compiled = compile_ruleset(rules, negatives=negatives, max_terms=max_terms)
        self._rule_names: tuple[str, ...] = compiled.rule_names
        self._negatives = negatives
        self._reuse = reuse_session
        self._targets = compiled.targets
        self._fields: tuple[str, ...] = compiled.fields
        self._definition = compiled.definition
        self._name = f"kematangan-{next(_NAMES)}-{uuid.uuid4().hex}"
        self._serial = itertools.count(1)
        self._live: list[str] = []
        self._last_sid: str | None = None
        self._session: str | None = None
        self._handle: int | None = None
        self._closed = False
        self._finalizer: _Finalizer | None = None

        self._engine = _load_engine()
        if rules:
            with _LOCK:
                try:
                    self._handle = self._engine.create_ruleset(
                        self._name, self._definition
                    )
                except (self._engine.error, MemoryError) as exc:
                    raise _wrap(exc, "create ruleset") from exc
            self._finalizer = weakref.finalize(
                self, _release, self._engine, self._handle, self._live
            )

    # ---------------------------------------------------------------- properties

    @property
    def name(self) -> str:
        """The process-unique durable ruleset name."""
        return self._name

    @property
    def rule_names(self) -> tuple[str, ...]:
        """Rule names, in the order given."""
        return self._rule_names

    @property
    def fields(self) -> tuple[str, ...]:
        """Fields the rules read; only these are sent to durable."""
        return self._fields

    @property
    def definition(self) -> str:
        """The compiled durable ruleset, as the JSON text given to durable."""
        return self._definition

    @property
    def live_sessions(self) -> int:
        """Sessions durable holds for this host (0 or 1: the reused session)."""
        return len(self._live)

    @property
    def last_session_id(self) -> str | None:
        """The sid used by the last evaluation, for diagnostics."""
        return self._last_sid

    # ---------------------------------------------------------------- evaluation

    def evaluate(self, record: Mapping[str, object]) -> frozenset[str]:
        """Return the names of the rules whose condition is true for ``record``.

        Parameters
        ----------
        record : mapping of str to object
            Field values; fields the rules do not use are ignored.

        Returns
        -------
        frozenset of str
            Empty when no rule fires.

        Raises
        ------
        kematangan.errors.RecordError
            When a used field holds a value durable cannot represent.
        kematangan.errors.EngineError
            When durable fails, or the host is closed.
        """
        hits = self._run(self._encode(record))
        return frozenset(self._rule_names[i] for i, positive in hits if positive)

    def evaluate_many(
        self, records: Iterable[Mapping[str, object]]
    ) -> list[frozenset[str]]:
        """Evaluate records one by one; see :meth:`evaluate`."""
        return [self.evaluate(record) for record in records]

    def verdicts(self, record: Mapping[str, object]) -> dict[str, bool | None]:
        """Return each rule's value for ``record``: True, False or None (unknown).

        Requires ``negatives=True``.

        Raises
        ------
        kematangan.errors.EngineError
            If the host was built without ``negatives``, or durable fails.
        """
        if not self._negatives:
            raise EngineError(BACKEND, "verdicts() needs DurableHost(negatives=True)")
        hits = self._run(self._encode(record))
        out: dict[str, bool | None] = dict.fromkeys(self._rule_names)
        for index, positive in hits:
            name = self._rule_names[index]
            if out[name] is not None and out[name] != positive:
                raise EngineError(BACKEND, f"rule {name!r} is both true and false")
            out[name] = positive
        return out

    def session_exists(self, sid: str) -> bool:
        """Tell whether durable still holds state for session ``sid``."""
        if self._handle is None or self._closed:
            return False
        with _LOCK:
            try:
                self._engine.get_state(self._handle, sid)
            except self._engine.error as exc:
                if _error_code(exc) == _SID_NOT_FOUND:
                    return False
                raise _wrap(exc, "get state") from exc
        return True

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Delete the durable ruleset and any live session; idempotent."""
        with _LOCK:
            self._closed = True
            if self._finalizer is not None:
                self._finalizer()

    def __enter__(self) -> DurableHost:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self._rule_names)} rules"
        return f"<DurableHost {self._name} {state}>"

    # ------------------------------------------------------------------- helpers

    def _encode(self, record: Mapping[str, object]) -> list[str]:
        parts: list[str] = []
        for field in self._fields:
            if field not in record:
                continue
            try:
                text = encode_value(record[field])
            except (TypeError, ValueError) as exc:
                raise RecordError(str(exc), column=field) from None
            if text is not None:
                parts.append(f'"{field}":{text}')
        return parts

    def _run(self, parts: list[str]) -> set[tuple[int, bool]]:
        with _LOCK:
            if self._closed:
                raise EngineError(BACKEND, "the host is closed")
            if self._handle is None:
                return set()
            if self._reuse:
                return self._run_reused(self._handle, parts)
            return self._run_fresh(self._handle, parts)

    def _fact(self, sid: str, parts: list[str], fact_id: str | None) -> str:
        head = f'"sid":"{sid}","{MARKER}":1'
        if fact_id is not None:
            head += f',"id":"{fact_id}"'
        return "{" + ",".join([head, *parts]) + "}"

    def _run_fresh(self, handle: int, parts: list[str]) -> set[tuple[int, bool]]:
        engine = self._engine
        sid = f"s{next(self._serial)}"
        self._last_sid = sid
        started: tuple[str, str] | None = None
        try:
            code, state = engine.assert_fact(handle, self._fact(sid, parts, None))
            started = self._start(handle, code, state)
            return self._drain(handle, state, started[1])
        except MemoryError as exc:
            self._closed = True  # durable's session table is full: unusable
            raise _wrap(exc, "assert fact") from exc
        except engine.error as exc:
            raise _wrap(exc, "assert fact") from exc
        finally:
            if started is not None:
                self._delete_state(handle, sid)

    def _run_reused(self, handle: int, parts: list[str]) -> set[tuple[int, bool]]:
        engine = self._engine
        sid = self._session
        if sid is None:
            sid = f"s{next(self._serial)}"
        self._last_sid = sid
        ok = False
        try:
            code, state = engine.assert_fact(handle, self._fact(sid, parts, "r"))
            started = self._start(handle, code, state)
            if self._session is None:
                self._session = sid
                self._live.append(sid)
            hits = self._drain(handle, state, started[1])
            code, state = engine.retract_fact(handle, f'{{"sid":"{sid}","id":"r"}}')
            if code == _RULES_OK and engine.start_action_for_state(handle, state):
                engine.abandon_action(handle, state)
                raise EngineError(BACKEND, "retracting a record fired a rule")
            ok = True
            return hits
        except MemoryError as exc:
            self._closed = True
            raise _wrap(exc, "assert fact") from exc
        except engine.error as exc:
            raise _wrap(exc, "assert or retract fact") from exc
        finally:
            if not ok and not self._closed and self._session is not None:
                self._session = None
                self._live.remove(sid)
                self._delete_state(handle, sid)

    def _start(self, handle: int, code: int, state: int) -> tuple[str, str]:
        """Start the first action of a session that has just received a fact.

        durable 2.0.28 leaves a session's action context uninitialised until its
        first action starts, and deleting such a session frees garbage pointers.
        The catch-all rule "c0" guarantees that every record fact is handled and
        starts an action; if that ever fails the session is left alive (leaked)
        rather than deleted.
        """
        if code != _RULES_OK:
            raise EngineError(BACKEND, f"fact not handled (result code {code})")
        started = self._engine.start_action_for_state(handle, state)
        if started is None:
            raise EngineError(BACKEND, "no action started for a record fact")
        return started

    def _drain(self, handle: int, state: int, message: str) -> set[tuple[int, bool]]:
        """Run the session's actions, from the started one, and return targets."""
        engine = self._engine
        hits: set[tuple[int, bool]] = set()
        next_message: str | None = message
        try:
            while next_message is not None:
                # Messages look like {"c0":{"m":{...}}}; rule names need no escape.
                if next_message.startswith('{"'):
                    key = next_message[2 : next_message.index('"', 2)]
                else:
                    key = next(iter(json.loads(next_message)))
                hits.update(self._targets[key])
                next_message = engine.complete_and_start_action(handle, state)
        except BaseException:
            engine.abandon_action(handle, state)
            raise
        return hits

    def _delete_state(self, handle: int, sid: str) -> None:
        try:
            self._engine.delete_state(handle, sid)
        except self._engine.error as exc:
            if _error_code(exc) != _SID_NOT_FOUND:
                raise _wrap(exc, "delete state") from exc
