"""A criterion's condition in readable words, and the values it was judged on.

``members >= 5`` reads "Jumlah anggota minimal 5 orang" / "Number of members at
least 5"; expressions are written out with labels (``partnerships >= 1 and
market_access`` reads "Jumlah kemitraan aktif minimal 1 mitra dan Memiliki akses
pasar tetap: ya").
"""

from __future__ import annotations

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, Interval, Text
from kematangan.explain.facts import Context
from kematangan.explain.types import Value
from kematangan.explain.wording import LANGS, fmt_number, fmt_unit, word
from kematangan.scoring import Assessment

__all__ = ["describe_condition", "observed_values"]

_OPS: dict[str, tuple[str, str]] = {
    ">=": ("minimal", "at least"),
    ">": ("lebih dari", "more than"),
    "<=": ("maksimal", "at most"),
    "<": ("kurang dari", "less than"),
    "==": ("sama dengan", "equal to"),
    "!=": ("bukan", "not"),
}


def _op(op: str, lang: str) -> str:
    id_, en = _OPS[op]
    return en if lang == "en" else id_


def describe_condition(ctx: Context, c: Criterion) -> Text:
    """The condition of criterion ``c`` in Indonesian and English.

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> ctx = context("ppmk-ksm")
    >>> describe_condition(ctx, ctx.criteria["enough_members"]).id
    'Jumlah anggota minimal 5 orang'
    >>> describe_condition(ctx, ctx.criteria["partnership_or_market"]).get("en")
    'Active partnerships at least 1 and Has regular market access: yes'
    """
    id_, en = (_describe(ctx, c, lang) for lang in LANGS)
    return Text(id=id_, en=en)


def _describe(ctx: Context, c: Criterion, lang: str) -> str:
    def lab(name: str) -> str:
        return ctx.label(name).get(lang)

    def amount(name: str, v: float) -> str:
        return fmt_number(v, lang) + fmt_unit(ctx.unit(name), lang)

    if c.threshold is not None:
        t = c.threshold
        return f"{lab(t.field)} {_op(t.op, lang)} {amount(t.field, t.value)}"
    if c.range is not None:
        word_in = "in" if lang == "en" else "dalam rentang"
        return (f"{lab(c.range.field)} {word_in} {_interval(c.range.interval, lang)}"
                f"{fmt_unit(ctx.unit(c.range.field), lang)}")
    if c.boolean is not None:
        return f"{lab(c.boolean.field)}: {word('yes' if c.boolean.value else 'no', lang)}"
    if c.in_set is not None:
        one_of = "one of" if lang == "en" else "salah satu dari"
        return f"{lab(c.in_set.field)} {one_of}: " + ", ".join(
            str(v) for v in c.in_set.values)
    if c.bands is not None:
        top = max(b.points for b in c.bands.bands)
        ivs = " / ".join(_interval(b.interval, lang) for b in c.bands.bands
                         if b.points == top)
        if lang == "en":
            return (f"{lab(c.bands.field)} in the top band {ivs} "
                    f"({fmt_number(top, lang)} points)")
        return (f"{lab(c.bands.field)} di rentang tertinggi {ivs} "
                f"({fmt_number(top, lang)} poin)")
    if c.score is not None:
        f = c.score.field
        spec = ctx.fields.get(f)
        top = spec.max if spec is not None and spec.max is not None else 0.0
        met_at = c.score.met_at if c.score.met_at is not None else top
        if lang == "en":
            return (f"{lab(f)} at least {amount(f, met_at)} (points = value, "
                    f"at most {fmt_number(top, lang)})")
        return (f"{lab(f)} minimal {amount(f, met_at)} (poin = nilai, "
                f"maksimal {fmt_number(top, lang)})")
    subs = [lab(s) for s in ctx.subs.get(c.id, ())]
    listed = "; ".join(subs)
    if c.all_of is not None:
        return (f"all of: {listed}" if lang == "en" else
                f"semua terpenuhi: {listed}")
    if c.any_of is not None:
        return (f"any of: {listed}" if lang == "en" else
                f"minimal satu terpenuhi: {listed}")
    if c.at_least is not None:
        k, n = c.at_least.k, len(subs)
        return (f"at least {k} of {n}: {listed}" if lang == "en" else
                f"minimal {k} dari {n} terpenuhi: {listed}")
    assert c.expr is not None
    return _expr(ctx, ex.parse(c.expr), lang, top=True)


def _interval(iv: Interval, lang: str) -> str:
    # A comma is the Indonesian decimal mark, so bounds are split by a semicolon.
    sep = ", " if lang == "en" else "; "
    return (("[" if iv.low_inclusive else "(") + fmt_number(iv.low, lang) + sep
            + fmt_number(iv.high, lang) + ("]" if iv.high_inclusive else ")"))


def _expr(ctx: Context, n: ex.Node, lang: str, top: bool = False) -> str:
    def lab(name: str) -> str:
        if name in ctx.fields or name in ctx.derived:
            return ctx.label(name).get(lang)
        return name

    def is_bool_name(m: ex.Node) -> bool:
        return isinstance(m, ex.Name) and m.id in ctx.fields and (
            ctx.fields[m.id].type == "boolean")

    def lit(m: ex.Node, unit_of: str | None = None) -> str:
        if isinstance(m, ex.Num):
            unit = fmt_unit(ctx.unit(unit_of), lang) if unit_of else ""
            return fmt_number(m.value, lang) + unit
        if isinstance(m, ex.Str):
            return f"'{m.value}'"
        if isinstance(m, ex.Bool):
            return word("yes" if m.value else "no", lang)
        return _expr(ctx, m, lang)

    if is_bool_name(n):
        assert isinstance(n, ex.Name)
        return f"{lab(n.id)}: {word('yes', lang)}"
    if isinstance(n, ex.Not) and is_bool_name(n.operand):
        assert isinstance(n.operand, ex.Name)
        return f"{lab(n.operand.id)}: {word('no', lang)}"
    if isinstance(n, ex.Name):
        return lab(n.id)
    if isinstance(n, ex.And | ex.Or):
        joiner = {("and", "id"): " dan ", ("and", "en"): " and ",
                  ("or", "id"): " atau ", ("or", "en"): " or "}[
            ("and" if isinstance(n, ex.And) else "or", "en" if lang == "en" else "id")]
        text = joiner.join(_expr(ctx, i, lang) for i in n.items)
        return text if top else f"({text})"
    if isinstance(n, ex.Not):
        return ("not " if lang == "en" else "tidak ") + _expr(ctx, n.operand, lang)
    if isinstance(n, ex.Cmp):
        if isinstance(n.left, ex.Name) and not isinstance(n.right, ex.Name):
            if isinstance(n.right, ex.Bool) and is_bool_name(n.left):
                want = n.right.value == (n.op == "==")
                return f"{lab(n.left.id)}: {word('yes' if want else 'no', lang)}"
            return f"{lab(n.left.id)} {_op(n.op, lang)} {lit(n.right, n.left.id)}"
        return f"{lit(n.left)} {n.op} {lit(n.right)}"
    if isinstance(n, ex.In):
        phrase = ("one of" if lang == "en" else "salah satu dari") if not n.negate else (
            "none of" if lang == "en" else "bukan salah satu dari")
        return f"{lit(n.operand)} {phrase}: " + ", ".join(lit(o) for o in n.options)
    if isinstance(n, ex.Bin):
        return f"{lit(n.left)} {n.op} {lit(n.right)}"
    if isinstance(n, ex.Neg):
        return f"-{lit(n.operand)}"
    if isinstance(n, ex.Call):
        return f"{n.fn}(" + ", ".join(lit(a) for a in n.args) + ")"
    return lit(n)


def observed_values(ctx: Context, c: Criterion, assessment: Assessment
                    ) -> list[Value]:
    """The values criterion ``c`` was judged on, as the assessment used them.

    A derived value comes with the fields it is computed from; a criterion that
    combines others lists their outcomes.

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> ctx = context("ppmk-ksm")
    >>> a = ctx.scorer.score({"members": 8, "members_saving": 4})
    >>> [(v.name, v.value) for v in observed_values(ctx, ctx.criteria["members_save"], a)]
    [('saving_member_share', 0.5), ('members', 8), ('members_saving', 4)]
    """
    out: list[Value] = []
    seen: set[str] = set()

    def add(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        if name in ctx.fields:
            out.append(Value(name=name, kind="field", label=ctx.label(name),
                             value=assessment.inputs.get(name), unit=ctx.unit(name)))
        elif name in ctx.derived:
            out.append(Value(name=name, kind="derived", label=ctx.label(name),
                             value=assessment.derived.get(name),
                             unit=ctx.unit(name)))
            for n in sorted(ex.names(ex.parse(ctx.derived[name].expr))):
                add(n)

    for name in ctx.names[c.id]:
        add(name)
    for s in ctx.subs.get(c.id, ()):
        out.append(Value(name=s, kind="criterion", label=ctx.label(s),
                         value=assessment.outcomes[s].outcome.value))
    return out
