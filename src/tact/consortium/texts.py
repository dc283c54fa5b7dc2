"""The solver's reports in the reader's language: checks, roles and objective terms.

The algorithm writes English sentences for the command line and keeps the figures in
``params``; the web and the API rebuild each sentence here through gettext.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .rules import type_names


def _pct(x: float) -> str:
    return f"{x * 100:.0f} %"


def check_text(c: Mapping[str, Any]) -> str:
    kind = c.get("kind")
    p = c.get("params", {})
    actual = c.get("actual", 0)
    required = c.get("required", 0)
    if kind == "partners":
        n = int(actual)
        has = ngettext("%(n)d partner", "%(n)d partners", n) % {"n": n}
        if n < p["min"]:
            return _("%(has)s; the call needs at least %(min)d.") % {"has": has, "min": p["min"]}
        if n > p["max"]:
            return _("%(has)s; the call allows at most %(max)d.") % {"has": has, "max": p["max"]}
        return _("%(has)s; the call allows %(min)d to %(max)d.") % {
            "has": has,
            "min": p["min"],
            "max": p["max"],
        }
    if kind in ("type", "academic"):
        n = int(actual)
        label = p.get("label") or ""
        if kind == "academic":
            has = ngettext("%(n)d academic partner", "%(n)d academic partners", n) % {"n": n}
        else:
            has = ngettext("%(n)d %(label)s partner", "%(n)d %(label)s partners", n) % {
                "n": n,
                "label": label,
            }
        has += f" ({type_names(p.get('types', []))})"
        if p.get("max") is not None and n > p["max"]:
            return _("%(has)s; the call allows at most %(max)d.") % {"has": has, "max": p["max"]}
        return _("%(has)s; the call needs at least %(min)d.") % {"has": has, "min": int(required)}
    if kind == "region":
        where = f"{p.get('label', '')} ({', '.join(p.get('prefixes', []))})"
        among = p.get("among_label") or _("partners")
        parts = []
        if p.get("min_count"):
            parts.append(
                _("%(n)d %(among)s from %(where)s; the call needs at least %(min)d.")
                % {"n": p["inside"], "among": among, "where": where, "min": p["min_count"]}
            )
        if p.get("min_share"):
            if p.get("group"):
                parts.append(
                    _(
                        "%(n)d of %(group)d %(among)s from %(where)s (%(share)s); "
                        "the call needs at least %(min)s."
                    )
                    % {
                        "n": p["inside"],
                        "group": p["group"],
                        "among": among,
                        "where": where,
                        "share": _pct(p["inside"] / p["group"]),
                        "min": _pct(p["min_share"]),
                    }
                )
            else:
                parts.append(
                    _("No %(among)s, so the share from %(where)s holds.")
                    % {"among": among, "where": where}
                )
        return " ".join(parts)
    if kind == "budget":
        if not p.get("total"):
            return _(
                "No planned budget contributions; the call needs industry to provide at least %s."
            ) % _pct(required)
        return _(
            "Industry provides %(share)s of the budget (%(ind)s of %(total)s); "
            "the call needs at least %(min)s."
        ) % {
            "share": _pct(actual),
            "ind": f"{p['industry']:,.0f}",
            "total": f"{p['total']:,.0f}",
            "min": _pct(required),
        }
    if kind == "competence":
        if p.get("by"):
            return _(
                "%(name)s covered at level %(level)d by %(by)s; the call needs level %(min)d."
            ) % {
                "name": p["name"],
                "level": int(actual),
                "by": p["by"],
                "min": int(required),
            }
        return _("No partner has %(name)s; the call needs it at level %(min)d.") % {
            "name": p["name"],
            "min": int(required),
        }
    if kind == "forbidden":
        if actual:
            return _("%(a)s and %(b)s are both in; the call forbids this pair.") % {
                "a": p.get("a_name", p.get("a")),
                "b": p.get("b_name", p.get("b")),
            }
        return _("%(a)s and %(b)s are not together.") % {
            "a": p.get("a_name", p.get("a")),
            "b": p.get("b_name", p.get("b")),
        }
    if kind == "mandatory":
        who = _("the applicant") if p.get("applicant") else _("a mandatory partner")
        if actual:
            return _("%(name)s (%(who)s) is in.") % {"name": p.get("name"), "who": who}
        return _("%(name)s (%(who)s) must be in the consortium but is missing.") % {
            "name": p.get("name"),
            "who": who,
        }
    return str(c.get("message", ""))


def role_text(r: Mapping[str, Any]) -> str:
    kind = r.get("kind")
    p = r.get("params", {})
    if kind == "coordinator":
        return _("coordinator (the applicant)")
    if kind == "mandatory":
        return _("mandatory partner named by the call")
    if kind == "competence":
        return _("competence provider for %(competence)s (level %(level)d)") % p
    if kind == "academic":
        return _("academic partner (%s)") % type_names([p.get("type", "")])
    if kind == "industrial":
        return _("industrial partner (%(type)s), contributes %(budget)s") % {
            "type": type_names([p.get("type", "")]),
            "budget": f"{p.get('budget', 0):,.0f}",
        }
    if kind == "regional":
        return _("counts for %(label)s (%(region)s)") % p
    if kind == "connector":
        return _("already worked with %s") % ", ".join(p.get("partners", []))
    return _("partner")


def term_name(name: str) -> str:
    names = {
        "coverage": _("competence coverage"),
        "trust": _("prior collaboration (trust)"),
        "sectors": _("interdisciplinarity"),
        "small_group": _("small core group"),
    }
    return names.get(name, name)


def term_text(t: Mapping[str, Any], *, applicant: bool = True) -> str:
    name = t.get("name")
    v = t.get("value", 0)
    if name == "coverage":
        return _("sum over the required competences of the best level a partner has (1–5)")
    if name == "trust" and not applicant:
        return ngettext(
            "%(n)d joint project counted: for each partner, its projects with its closest "
            "partner (up to 3)",
            "%(n)d joint projects counted: for each partner, its projects with its closest "
            "partner (up to 3)",
            v,
        ) % {"n": v}
    if name == "trust":
        return ngettext(
            "%(n)d joint project counted: for each partner, its projects with the applicant "
            "side (up to 3)",
            "%(n)d joint projects counted: for each partner, its projects with the applicant "
            "side (up to 3)",
            v,
        ) % {"n": v}
    if name == "sectors":
        return ngettext(
            "%(n)d kind of organisation takes part",
            "%(n)d kinds of organisation take part",
            v,
        ) % {"n": v}
    if name == "small_group":
        return ngettext(
            "%(n)d seat left free below the call's maximum",
            "%(n)d seats left free below the call's maximum",
            v,
        ) % {"n": v}
    return str(t.get("explanation", ""))


def rule_words(p: Mapping[str, Any]) -> str:
    """One rule in words, from ``tact.algorithms.consortium.rule_params``."""
    kind = p.get("kind")
    if kind == "partners":
        return _("%(min)d to %(max)d partners") % p
    if kind == "type":
        text = _("at least %(min)d %(label)s partners (%(types)s)") % {
            "min": p["min"],
            "label": p.get("label", ""),
            "types": type_names(p.get("types", [])),
        }
        if p.get("max") is not None:
            text += ", " + _("at most %d") % p["max"]
        return text
    if kind == "academic":
        return _("at least %(min)d academic partners") % p
    if kind == "region":
        where = f"{p.get('label', '')} ({', '.join(p.get('prefixes', []))})"
        parts = []
        if p.get("min_count"):
            parts.append(
                _("at least %(n)d %(among)s from %(where)s")
                % {"n": p["min_count"], "among": p.get("among_label", ""), "where": where}
            )
        if p.get("min_share"):
            parts.append(
                _("at least %(pct)s of the %(among)s from %(where)s")
                % {"pct": _pct(p["min_share"]), "among": p.get("among_label", ""), "where": where}
            )
        return _(" and ").join(parts)
    if kind == "budget":
        return _("industry provides at least %s of the budget") % _pct(p.get("share", 0))
    if kind == "competence":
        return _("competence %(name)s at level %(level)d or more") % p
    if kind == "forbidden":
        return _("%(a)s and %(b)s not together") % p
    if kind == "mandatory":
        return _("%(name)s is a partner") % p
    return str(kind)


def blocker_text(b: Mapping[str, Any]) -> str:
    """Why no consortium exists, in the reader's language (falls back to the stored English)."""
    code = b.get("code", "")
    p = b.get("params", {})
    try:
        if code == "mandatory_missing":
            return _("%(name)s must be in the consortium but is not in the registry.") % p
        if code == "mandatory_forbidden":
            return _("%(a)s and %(b)s are both mandatory, but the call forbids this pair.") % p
        if code == "too_few_organisations":
            return (
                _(
                    "The registry has %(have)d organisations; the call needs at least %(need)d partners."
                )
                % p
            )
        if code == "too_many_mandatory":
            return _("%(n)d mandatory partners; the call allows at most %(max)d.") % p
        if code == "min_above_max":
            return _("The call asks for at least %(min)d and at most %(max)d partners.") % p
        if code == "type_short":
            return _(
                "The registry has only %(have)d %(label)s organisations (%(types)s); "
                "the call needs at least %(need)d."
            ) % {**p, "types": type_names(p.get("types", []))}
        if code == "type_above_max":
            return (
                _(
                    "The call needs %(need)d %(label)s partners but allows only %(max)d partners "
                    "in all."
                )
                % p
            )
        if code == "type_mandatory_over":
            return _("%(n)d mandatory partners are %(label)s; the call allows at most %(max)d.") % p
        if code == "region_short":
            return (
                _(
                    "The registry has only %(have)d %(among)s from %(where)s; "
                    "the call needs at least %(need)d."
                )
                % p
            )
        if code == "region_share_short":
            return _(
                "At least %(group)d %(among)s are needed and %(pct)s of them must be from "
                "%(where)s, i.e. %(need)d; the registry has only %(have)d."
            ) % {**p, "pct": _pct(p["share"])}
        if code == "competence_missing":
            return (
                _(
                    "No organisation in the registry has %(name)s at level %(level)d or more "
                    "(the best is level %(best)d)."
                )
                % p
            )
        if code == "budget_short":
            return _(
                "Even the largest industrial contributions reach only %(share)s of the budget "
                "next to the %(non)d non-industrial partners the call needs; the call needs "
                "%(need)s."
            ) % {"share": _pct(p["share"]), "non": p["non"], "need": _pct(p["need"])}
        if code == "clash":
            return _(
                "Without the rule “%s” an eligible consortium exists: this rule cannot be met "
                "together with the others."
            ) % rule_words(p.get("rule", {}))
        if code == "combination":
            return _(
                "Each rule can be met alone and no single rule is to blame: several rules "
                "together cannot be met."
            )
        if code == "time":
            return _("Ran out of time before testing every rule.")
        if code == "no_result":
            return _(
                "No eligible consortium was found within the time limit, and none was proven "
                "impossible; try a longer time limit."
            )
    except (KeyError, TypeError, ValueError):
        pass
    return str(b.get("message", ""))
