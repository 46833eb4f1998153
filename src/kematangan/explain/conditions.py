"""A criterion's condition in readable words, and the values it was judged on.

``members >= 5`` reads "Jumlah anggota minimal 5 orang" / "Number of members at
least 5"; expressions are written out with labels (``partnerships >= 1 and
market_access`` reads "ada kemitraan aktif dan Memiliki akses pasar tetap: ya").
A count compared with zero reads naturally ("tidak ada angsuran menunggak", not
"maksimal 0 kali"), a share the ruleset shows as a percentage reads "minimal 75%",
a bound that is a working assumption says "(belum dikonfirmasi)", and a criterion
that applies only sometimes says when.
"""

from __future__ import annotations

from kematangan.criteria import expr as ex
from kematangan.criteria.ruleset import Criterion, Interval, Text
from kematangan.explain.facts import Context
from kematangan.explain.types import Value
from kematangan.explain.wording import LANGS, fmt_number, fmt_unit, fmt_value, word
from kematangan.scoring import Assessment

__all__ = ["describe_applies", "describe_condition", "observed_values",
           "unconfirmed_notes"]

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
    """The condition of criterion ``c`` in Indonesian and English, with when it
    applies if it applies only sometimes.

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> ctx = context("ppmk-ksm")
    >>> describe_condition(ctx, ctx.criteria["enough_members"]).id
    'Jumlah anggota minimal 5 orang'
    >>> describe_condition(ctx, ctx.criteria["no_arrears"]).get("en")
    'no overdue loan instalments'
    >>> describe_condition(ctx, ctx.criteria["members_save"]).id
    'Bagian anggota yang menabung minimal 75%'
    >>> describe_condition(context("pemk-kub"), context("pemk-kub").criteria[
    ...     "led_capital"]).id
    'Mendapat modal usaha dari LED: ya (berlaku bila Desa sudah punya LED: ya)'
    """
    texts = []
    for lang in LANGS:
        text = _describe(ctx, c, lang)
        if c.applies_when is not None:
            text += (f" ({word('applies_when', lang)} "
                     f"{_expr(ctx, ex.parse(c.applies_when), lang, top=True)})")
        texts.append(text)
    return Text(id=texts[0], en=texts[1])


def describe_applies(ctx: Context, c: Criterion) -> Text | None:
    """When criterion ``c`` applies, in words (``None`` when it always does).

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> ctx = context("pemk-kub")
    >>> describe_applies(ctx, ctx.criteria["repayment_current"]).get("en")
    'The village has an LED: yes and Has received business capital from the LED: yes'
    """
    if c.applies_when is None:
        return None
    node = ex.parse(c.applies_when)
    return Text(id=_expr(ctx, node, "id", top=True),
                en=_expr(ctx, node, "en", top=True))


def _lab(ctx: Context, name: str, lang: str) -> str:
    """A field's or derived value's label, saying when its meaning or formula is a
    working assumption."""
    if name not in ctx.fields and name not in ctx.derived:
        return ctx.label(name).get(lang) if name in ctx.criteria else name
    notes = [word(f"unconfirmed_{u}", lang) for u in ctx.unconfirmed(name)
             if u in ("meaning", "formula")]
    return ctx.label(name).get(lang) + "".join(f" ({n})" for n in notes)


def _amount(ctx: Context, name: str, v: float, lang: str) -> str:
    return fmt_value(v, ctx.unit(name), lang, ctx.display(name))


def _noun(ctx: Context, name: str, lang: str) -> str | None:
    """What a count field counts ("angsuran menunggak" for "Jumlah angsuran
    menunggak"), or ``None`` when the field is not a count: a whole number from 0
    whose Indonesian label says "Jumlah"."""
    spec = ctx.fields.get(name)
    if spec is None or spec.type != "integer" or spec.min is None or spec.min < 0:
        return None
    if not spec.label.get("id").lower().startswith("jumlah "):
        return None
    text = spec.label.get(lang)
    for prefix in ("jumlah ", "number of "):
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
    # "KSM ..." keeps its capitals; "Overdue ..." becomes "overdue ...".
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _compare(ctx: Context, name: str, op: str, value: float, lang: str) -> str:
    """``name op value`` in words: a count compared with zero reads "tidak ada ..."
    or "ada ..."; otherwise "<label> <op> <amount>"."""
    label = _lab(ctx, name, lang)
    noun = _noun(ctx, name, lang)
    if noun is not None:
        if (op, value) in ((">=", 1), (">", 0), ("!=", 0)):
            return word("some_count", lang).format(noun=noun, label=label)
        if (op, value) in (("<=", 0), ("<", 1), ("==", 0)):
            return word("no_count", lang).format(noun=noun, label=label)
    return f"{label} {_op(op, lang)} {_amount(ctx, name, value, lang)}"


def _unconfirmed(ctx: Context, name: str, bound: str, lang: str) -> str:
    return (f" ({word('unconfirmed', lang)})" if bound in ctx.unconfirmed(name)
            else "")


def _describe(ctx: Context, c: Criterion, lang: str) -> str:
    def lab(name: str) -> str:
        return _lab(ctx, name, lang)

    if c.threshold is not None:
        t = c.threshold
        return _compare(ctx, t.field, t.op, t.value, lang)
    if c.range is not None:
        f = c.range.field
        word_in = "in" if lang == "en" else "dalam rentang"
        return (f"{lab(f)} {word_in} {_interval(ctx, f, c.range.interval, lang)}"
                f"{fmt_unit(ctx.unit(f), lang) if ctx.display(f) != 'percent' else ''}")
    if c.boolean is not None:
        return f"{lab(c.boolean.field)}: {word('yes' if c.boolean.value else 'no', lang)}"
    if c.in_set is not None:
        one_of = "one of" if lang == "en" else "salah satu dari"
        return f"{lab(c.in_set.field)} {one_of}: " + ", ".join(
            str(v) for v in c.in_set.values)
    if c.bands is not None:
        f = c.bands.field
        top = max(b.points for b in c.bands.bands)
        ivs = " / ".join(_interval(ctx, f, b.interval, lang) for b in c.bands.bands
                         if b.points == top)
        if lang == "en":
            return f"{lab(f)} in the top band {ivs} ({fmt_number(top, lang)} points)"
        return f"{lab(f)} di rentang tertinggi {ivs} ({fmt_number(top, lang)} poin)"
    if c.score is not None:
        f = c.score.field
        spec = ctx.fields.get(f)
        low = spec.min if spec is not None and spec.min is not None else 0.0
        high = spec.max if spec is not None and spec.max is not None else 0.0
        text = word("scored_range", lang).format(
            label=lab(f), low=fmt_number(low, lang) + _unconfirmed(ctx, f, "min", lang),
            high=fmt_number(high, lang)) + _unconfirmed(ctx, f, "max", lang)
        met_at = c.score.met_at if c.score.met_at is not None else high
        if met_at > low:
            text += "; " + word("met_from", lang).format(
                value=_amount(ctx, f, met_at, lang))
        return text
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


def _interval(ctx: Context, name: str, iv: Interval, lang: str) -> str:
    # A comma is the Indonesian decimal mark, so bounds are split by a semicolon.
    sep = ", " if lang == "en" else "; "

    def bound(v: float) -> str:
        if ctx.display(name) == "percent" and abs(v) != float("inf"):
            return fmt_number(v * 100, lang) + "%"
        return fmt_number(v, lang)

    return (("[" if iv.low_inclusive else "(") + bound(iv.low) + sep
            + bound(iv.high) + ("]" if iv.high_inclusive else ")"))


def _expr(ctx: Context, n: ex.Node, lang: str, top: bool = False) -> str:
    def lab(name: str) -> str:
        return _lab(ctx, name, lang)

    def is_bool_name(m: ex.Node) -> bool:
        return isinstance(m, ex.Name) and m.id in ctx.fields and (
            ctx.fields[m.id].type == "boolean")

    def lit(m: ex.Node) -> str:
        if isinstance(m, ex.Num):
            return fmt_number(m.value, lang)
        if isinstance(m, ex.Str):
            return f"'{m.value}'"
        if isinstance(m, ex.Bool):
            return word("yes" if m.value else "no", lang)
        if isinstance(m, ex.Bin):
            return f"({_expr(ctx, m, lang)})"
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
            if isinstance(n.right, ex.Num):
                return _compare(ctx, n.left.id, n.op, n.right.value, lang)
            return f"{lab(n.left.id)} {_op(n.op, lang)} {lit(n.right)}"
        return f"{lit(n.left)} {_op(n.op, lang)} {lit(n.right)}"
    if isinstance(n, ex.In):
        phrase = ("one of" if lang == "en" else "salah satu dari") if not n.negate else (
            "none of" if lang == "en" else "bukan salah satu dari")
        return f"{lit(n.operand)} {phrase}: " + ", ".join(lit(o) for o in n.options)
    if isinstance(n, ex.Bin):
        return f"{lit(n.left)} {n.op} {lit(n.right)}"
    if isinstance(n, ex.Neg):
        return f"-{lit(n.operand)}"
    if isinstance(n, ex.Call):
        if n.fn == "coalesce":
            first, fallback = (_expr(ctx, a, lang, top=True) for a in n.args)
            return f"{first} ({word('if_missing', lang)}: {fallback})"
        if n.fn in ("known", "missing") and isinstance(n.args[0], ex.Name):
            state = word("recorded" if n.fn == "known" else "blank", lang)
            return f"{lab(n.args[0].id)} {state}"
        return f"{n.fn}(" + ", ".join(lit(a) for a in n.args) + ")"
    return lit(n)


def unconfirmed_notes(ctx: Context) -> list[Text]:
    """Every working assumption of the ruleset, one line each: bounds, meanings
    of fields and formulas of derived values that the source does not confirm.

    Examples
    --------
    >>> from kematangan.explain.facts import context
    >>> notes = unconfirmed_notes(context("poktan-2018"))
    >>> len(notes), notes[0].id
    (8, 'nilai maksimum Mengorganisasikan kegiatan belajar: skor 25')
    """
    notes = []
    for f in ctx.ruleset.fields:
        for what in f.unconfirmed:
            key = "unconfirmed_meaning_of" if what == "meaning" else f"unconfirmed_{what}"
            bound = getattr(f, what) if what != "meaning" else None
            notes.append(Text(**{lang: word(key, lang).format(
                label=f.label.get(lang),
                value=fmt_value(bound, f.unit, lang, f.display)) for lang in LANGS}))
    for d in ctx.ruleset.derived:
        if "formula" in d.unconfirmed:
            node = ex.parse(d.expr)
            notes.append(Text(**{lang: word("unconfirmed_formula_of", lang).format(
                label=d.label.get(lang), expr=_expr(ctx, node, lang, top=True))
                for lang in LANGS}))
    return notes


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
            out.append(ctx.value(name, assessment.inputs.get(name)))
        elif name in ctx.derived:
            out.append(ctx.value(name, assessment.derived.get(name)))
            for n in sorted(ex.names(ex.parse(ctx.derived[name].expr))):
                add(n)

    for name in ctx.names[c.id]:
        add(name)
    for s in ctx.subs.get(c.id, ()):
        out.append(Value(name=s, kind="criterion", label=ctx.label(s),
                         value=assessment.outcomes[s].outcome.value))
    return out
