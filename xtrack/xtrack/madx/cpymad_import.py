"""`Line.from_madx_sequence`: a line from the expanded sequence of a cpymad session.

MAD-X has already expanded the sequence (``use``): its elements come in
order with the drifts between them, each with its class chain, attribute
values and, for deferred attributes, the expression text. We hand those to
the native loader's machinery (`MadxLoader`): the same element mapping
(`xtrack.madx.elements`), the same expression translation (knobs stay live
when ``deferred_expressions=True``), apertures and the ``bv = -1`` mirror
(`xtrack.madx.reverse`), so that both routes give the same elements.

cpymad is an optional dependency (``pip install xtrack[madx]``).
"""

import re

from .loader import MadxLoader, _ElementDef, _Placement, _SequenceDef

__all__ = ["line_from_madx_sequence", "MadLoader", "add_lists", "non_zero_len"]

# Variables MAD-X defines for itself that are no knobs.
_SKIP_GLOBALS = {"none", "twiss_tol"}
# Classes that are thick only with a non-zero l (else lrad is just a length).
_THIN_UNLESS_LONG = {"multipole", "hkicker", "vkicker", "kicker", "tkicker"}


def non_zero_len(lst):
    """Length of `lst` without its trailing zeros."""
    n = len(lst)
    while n > 0 and lst[n - 1] == 0:
        n -= 1
    return n


def _multipole_order(params):
    """Order of a MAD-X multipole as cpymad reports it: its knl/ksl without trailing zeros
    (an expression counts as non-zero: it may become so), at least 0."""
    def length(items):
        items = list(items) if isinstance(items, (list, tuple)) else ([items] if items is not None else [])
        return non_zero_len([1 if _is_expr(x) else x for x in items])

    return max(length(params.get("knl")), length(params.get("ksl")), 1) - 1


def add_lists(a, b, length):
    """Element-wise sum of `a` and `b`, zero-padded to at least `length` entries."""
    n = max(len(a), len(b), length)
    a = list(a) + [0] * (n - len(a))
    b = list(b) + [0] * (n - len(b))
    return [x + y for x, y in zip(a, b)]


def _is_expr(x):
    return hasattr(x, "_get_value")


def _replace(text, replace_in_expr):
    for old, new in (replace_in_expr or {}).items():
        text = text.replace(old, new)
    return text


class MadLoader:
    """Builder of an xtrack Line from a cpymad sequence.

    Parameters
    ----------
    sequence : cpymad.madx.Sequence
        A used (expanded) sequence, e.g. ``mad.sequence.lhcb1``.
    enable_expressions : bool
        Keep deferred MAD-X expressions live in ``line.vars`` (default False).
    enable_field_errors, enable_align_errors : bool
        Add the MAD-X field errors (``efcomp``: to ``knl``/``ksl``) and
        alignment errors (``ealign``: dx, dy, ds, dpsi -> shift_x, shift_y,
        shift_s, rot_s_rad) (default False).
    skip_markers : bool
        Leave markers out (default False).
    install_apertures : bool
        Place ``<name>_aper`` Limit elements before elements with an
        aperture (default False).
    expressions_for_element_types : iterable of str, optional
        MAD-X classes (e.g. ``('kicker', 'hkicker', 'vkicker')``) whose
        expressions are kept; others get values (default: all).
    replace_in_expr : dict, optional
        Text replacements applied to expressions and variable names
        (``{'bv_aux': 'bv_aux_lhcb1'}``).
    allow_thick : bool
        Accept thick magnets (default True); False makes a sequence with
        thick magnets an error (use MAD-X ``makethin`` first).
    name_prefix : str, optional
        Prefix of every element name.
    reverse : bool, optional
        Build the line in its own direction (order reversed, attributes
        mirrored); default: when the sequence's beam has ``bv = -1``.
    enable_layout_data : bool
        Keep the layout attributes (``slot_id``, ``assembly_id``,
        ``mech_sep``, ...) in each element's ``extra`` (default False).
    """

    def __init__(self, sequence, enable_expressions=False, enable_field_errors=False,
                 enable_align_errors=False, skip_markers=False, install_apertures=False,
                 expressions_for_element_types=None, replace_in_expr=None, allow_thick=True,
                 name_prefix=None, reverse=None, enable_errors=None, enable_apertures=None,
                 merge_drifts=False, merge_multipoles=False, enable_layout_data=False,
                 **unused):
        if enable_apertures is not None:  # the name used by older scripts
            install_apertures = bool(enable_apertures)
        self.merge_drifts = merge_drifts
        self.enable_layout_data = enable_layout_data
        if enable_errors is not None:
            enable_field_errors = enable_align_errors = bool(enable_errors)
        self.sequence = sequence
        self.mad = sequence._madx
        self.enable_expressions = enable_expressions
        self.enable_field_errors = enable_field_errors
        self.enable_align_errors = enable_align_errors
        self.skip_markers = skip_markers
        self.install_apertures = install_apertures
        self.expr_types = (None if expressions_for_element_types is None
                           else {str(t).lower() for t in expressions_for_element_types})
        self.replace_in_expr = dict(replace_in_expr or {})
        self.allow_thick = allow_thick
        self.name_prefix = name_prefix or ""
        if reverse is None:
            try:
                reverse = float(sequence.beam.bv) == -1.0
            except Exception:
                reverse = False
        self.reverse = reverse

    # ------------------------------------------------------------ variables
    def _load_globals(self, loader):
        globals_ = self.mad.globals
        pending = []
        for name in globals_:
            if name in _SKIP_GLOBALS:
                continue
            par = globals_.cmdpar[name]
            if isinstance(par.value, str):
                continue
            new_name = _replace(name, self.replace_in_expr)
            loader.vm.set(new_name, float(par.value))
            if par.expr:
                pending.append((new_name, par.expr))
        for name, expr in pending:
            loader.vm.set(name, loader.eb.deferred(_replace(expr, self.replace_in_expr)))

    def _mad_attribute(self, loader):
        """``el->attr`` inside MAD-X expressions: the attribute of that element."""
        def element_attribute(element, attr, deferred):
            el = self.mad.elements[element]
            par = el.cmdpar[attr]
            if deferred and par.expr and self.enable_expressions:
                return loader.eb.deferred(_replace(par.expr, self.replace_in_expr))
            return par.value
        return element_attribute

    # ------------------------------------------------------------- elements
    def _params(self, el, loader, use_expr):
        """Attributes set on `el` or along its class chain (child first wins)."""
        chain = []
        cur = el
        while True:
            parent = cur.parent
            if parent is None or parent.name == cur.name:
                # the builtin class (its own parent): cpymad marks all its defaults
                # (frngmax, fintx = -1, aper_tol, ...) as set; the native reader never
                # sees them, and they are no choice of the lattice file
                if not chain:
                    chain.append(cur)
                break
            chain.append(cur)
            cur = parent
        params = {}
        for node in reversed(chain):
            for key, par in node.cmdpar.items():
                if not par.inform or key in ("at", "from"):
                    continue
                params[key] = self._param_value(par, loader, use_expr)
        return params

    def _param_value(self, par, loader, use_expr):
        value = par.value
        expr = par.expr
        if isinstance(value, str):
            return value.lower()
        if isinstance(value, (list, tuple)):
            exprs = expr if isinstance(expr, (list, tuple)) else [None] * len(value)
            return [loader.eb.deferred(_replace(e, self.replace_in_expr)) if (use_expr and e) else float(v)
                    for v, e in zip(value, exprs)]
        if use_expr and expr:
            return loader.eb.deferred(_replace(expr, self.replace_in_expr))
        if isinstance(value, bool):
            return value
        return float(value)

    def _with_errors(self, el, base, params):
        if self.enable_field_errors:
            fe = el.field_errors
            if fe is not None:
                dkn, dks = list(fe.dkn), list(fe.dks)
                if any(dkn) or any(dks):
                    n = max(non_zero_len(dkn), non_zero_len(dks), 1)
                    params["knl"] = add_lists(params.get("knl", []) or [], dkn[:n], n)
                    params["ksl"] = add_lists(params.get("ksl", []) or [], dks[:n], n)
        if self.enable_align_errors:
            ae = el.align_errors
            if ae is not None:
                params["_align"] = {"shift_x": ae.dx, "shift_y": ae.dy, "shift_s": ae.ds,
                                    "rot_s_rad": ae.dpsi}
                # the aperture moves with the element's aperture misalignment
                if ae.arex or ae.arey:
                    offset = list(params.get("aper_offset") or [0.0, 0.0]) + [0.0, 0.0]
                    params["aper_offset"] = [offset[0] + ae.arex, offset[1] + ae.arey]
        return params

    def make_line(self):
        """The xtrack Line of the sequence."""
        seq = self.sequence
        seq_name = seq.name
        loader = MadxLoader(install_apertures=self.install_apertures,
                            reverse_lines=[seq_name] if self.reverse else None,
                            keep_extra=self.enable_layout_data)
        loader.eb.element_attribute = self._mad_attribute(loader)
        if self.enable_expressions:
            self._load_globals(loader)
        seqdef = _SequenceDef(seq_name, None, "entry", None)
        s = 0.0
        aligned = {}
        for el in seq.expanded_elements:
            base = el.base_type.name
            name = self.name_prefix + el.name
            use_expr = self.enable_expressions and (self.expr_types is None or base in self.expr_types)
            if name not in loader.definitions:
                params = self._with_errors(el, base, self._params(el, loader, use_expr))
                if base in ("sbend", "rbend") and not _is_expr(params.get("k0", 1.0)) \
                        and params.get("k0") == 0.0:
                    params.pop("k0", None)  # MAD-X: k0 = 0 means "from the angle"
                if base == "multipole":
                    params["_order"] = _multipole_order(params)
                    knl = params.get("knl")
                    angle = params.get("angle", 0.0)
                    if not _is_expr(angle) and angle == 0.0 and isinstance(knl, (list, tuple)) and knl:
                        # MAD-X: a multipole's reference orbit follows its knl[0] unless
                        # an angle is given (cpymad reports an absent angle as 0)
                        params["angle"] = knl[0]
                if base in _THIN_UNLESS_LONG and not params.get("l"):
                    params.pop("l", None)  # MAD-X reports l=0 for thin kickers/multipoles
                align = params.pop("_align", None)
                if align and any(align.values()):
                    aligned[name] = align
                if not self.allow_thick and base not in ("drift", "marker") and float(el.length) != 0:
                    raise ValueError(f"from_madx_sequence: {name!r} ({base}) is thick, and "
                                     "allow_thick=False; use MAD-X makethin or allow_thick=True.")
                loader.definitions[name] = _ElementDef(name, None, params, base)
            length = loader.element_length(name)
            if not (self.skip_markers and base == "marker"):
                seqdef.placements.append(_Placement(name, s, None))
            s += length
        # MAD-X's own length: its expanded drifts drop gaps and overlaps under 1e-6 m, so
        # the end can lie a few um before the sequence's l (PSB: 157.0799968 for l=157.08)
        seqdef.length = s
        loader.sequences[seq_name] = seqdef
        # MAD-X has already given 0 to names it did not know: nothing to report
        loader.eb.undefined.clear()
        env = loader.build(sequences=[seq_name])
        line = env[seq_name]
        for name, align in aligned.items():
            element = loader.element_dict[name]
            for key, value in align.items():
                if value and hasattr(element, key):
                    setattr(element, key, getattr(element, key) + value)
        if self.merge_drifts and hasattr(line, "merge_consecutive_drifts"):
            line.merge_consecutive_drifts()
        return line

    def iter_elements(self):
        """(name, element) of the line, in order."""
        line = self.make_line()
        for name in line.element_names:
            yield name, line.element_dict[name]


def line_from_madx_sequence(sequence, deferred_expressions=False, install_apertures=False,
                            apply_madx_errors=None, enable_field_errors=None,
                            enable_align_errors=None, skip_markers=False, merge_drifts=False,
                            merge_multipoles=False, expressions_for_element_types=None,
                            replace_in_expr=None, allow_thick=True, name_prefix=None,
                            enable_layout_data=False, classes=None, ignored_madtypes=(),
                            exact_drift=False, reverse=None):
    """Line from a cpymad sequence (``mad.sequence.<name>``); see `MadLoader`.

    `apply_madx_errors` switches field and alignment errors together;
    `merge_drifts` merges consecutive drifts afterwards; `enable_layout_data`
    keeps the layout attributes in ``extra``. `merge_multipoles`, `classes`,
    `ignored_madtypes` and `exact_drift` are accepted for compatibility.
    """
    if isinstance(sequence, str):
        raise TypeError("from_madx_sequence: give the cpymad sequence object "
                        "(mad.sequence.<name>), not its name.")
    if apply_madx_errors is not None:
        enable_field_errors = bool(apply_madx_errors) if enable_field_errors is None else enable_field_errors
        enable_align_errors = bool(apply_madx_errors) if enable_align_errors is None else enable_align_errors
    loader = MadLoader(sequence, enable_expressions=deferred_expressions,
                       enable_field_errors=bool(enable_field_errors),
                       enable_align_errors=bool(enable_align_errors), skip_markers=skip_markers,
                       install_apertures=install_apertures,
                       expressions_for_element_types=expressions_for_element_types,
                       replace_in_expr=replace_in_expr, allow_thick=allow_thick,
                       name_prefix=name_prefix, reverse=reverse, merge_drifts=merge_drifts,
                       enable_layout_data=enable_layout_data)
    return loader.make_line()
