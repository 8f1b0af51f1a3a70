"""Model settings applied to all elements of a kind: radiation, bend models, drift model."""

__all__ = ["configure_radiation", "configure_bend_model", "configure_quadrupole_model", "configure_drift_model",
           "RADIATION_MODELS"]

#: Model name -> `radiation_flag` of the elements.
RADIATION_MODELS = {None: 0, "mean": 1, "quantum": 2, "quantum-kick": 3}


#: Beamstrahlung / Bhabha model name -> `flag_beamstrahlung` / `flag_bhabha` of beam-beam elements.
BEAMSTRAHLUNG_MODELS = {None: 0, "mean": 1, "quantum": 2}
BHABHA_MODELS = {None: 0, "quantum": 1}


def _line_elements(line):
    """The line's elements, each once; a slice stands for its parent (which it tracks)."""
    out = {}
    for element in line.elements:
        resolve = getattr(element, "_resolved_parent", None)
        if resolve is not None:  # slice_elements.py
            element = resolve(line.element_dict)
        out[id(element)] = element
    return list(out.values())


def _configure_beambeam_flag(line, field, models, model, what):
    if model not in models:
        raise ValueError(f"configure_radiation: {what} must be one of {list(models)}, got {model!r}.")
    for element in _line_elements(line):
        if hasattr(element, field):
            check = getattr(element, "_check_flag_value", None)
            if check is not None:  # the element says which values it implements
                check(field, models[model])
            setattr(element, field, models[model])
    if model == "quantum":  # photons drawn at random
        line._extra_config["_needs_rng"] = True


def configure_radiation(line, model=None, model_beamstrahlung=None, model_bhabha=None):
    """Set `radiation_flag` of every element that has one, and the kernel flag.

    The quantum models draw random numbers: from then on the particles'
    generators are initialised when they are tracked (if they are not yet).
    `model_beamstrahlung` / `model_bhabha` set `flag_beamstrahlung` /
    `flag_bhabha` of the elements that have them (beam-beam).
    """
    if model_beamstrahlung is not None:
        _configure_beambeam_flag(line, "flag_beamstrahlung", BEAMSTRAHLUNG_MODELS,
                                 model_beamstrahlung, "model_beamstrahlung")
    if model_bhabha is not None:
        _configure_beambeam_flag(line, "flag_bhabha", BHABHA_MODELS, model_bhabha, "model_bhabha")
    if model is None and (model_beamstrahlung is not None or model_bhabha is not None):
        return  # beam-beam models only: the synchrotron radiation setting stays
    if model not in RADIATION_MODELS:
        raise ValueError(f"configure_radiation: model must be one of {list(RADIATION_MODELS)}, got {model!r}.")
    flag = RADIATION_MODELS[model]
    for element in _line_elements(line):
        if hasattr(element, "radiation_flag"):
            element.radiation_flag = flag
    line.config["XTRACK_MULTIPOLE_NO_SYNRAD"] = model is None
    line._extra_config["_radiation_model"] = model
    if flag >= 2:
        line._extra_config["_needs_rng"] = True


def _unique_elements(line, class_names):
    return [e for e in _line_elements(line) if type(e).__name__ in class_names]


def configure_bend_model(line, core=None, edge=None, num_multipole_kicks=None):
    """Set `model` (core), edge models and kick counts of every Bend and RBend of the line."""
    bends = _unique_elements(line, ("Bend", "RBend"))
    for bend in bends:  # validate on every bend first: nothing changes on a bad name
        if core is not None:
            type(bend).model.code_of(core, type(bend).__name__)
        if edge is not None:
            type(bend).edge_entry_model.code_of(edge, type(bend).__name__)
    for bend in bends:
        if core is not None:
            bend.model = core
        if edge is not None:
            bend.edge_entry_model = edge
            bend.edge_exit_model = edge
        if num_multipole_kicks is not None:
            bend.num_multipole_kicks = num_multipole_kicks
    if line.tracker is not None:
        line.tracker.get_track_kernel_and_data_for_present_config()


#: `edge` of configure_quadrupole_model -> edge_entry_active / edge_exit_active.
QUADRUPOLE_EDGES = {"full": 1, "suppressed": 0}


def configure_quadrupole_model(line, core=None, edge=None, num_multipole_kicks=None):
    """Set `model` (core), the hard-edge fringes (`edge`: 'full' on, 'suppressed' off) and the
    kick counts of every Quadrupole of the line (the parents of its slices included)."""
    if edge is not None and edge not in QUADRUPOLE_EDGES:
        raise ValueError(f"configure_quadrupole_model: edge must be one of {list(QUADRUPOLE_EDGES)} or None, "
                         f"got {edge!r}.")
    quads = _unique_elements(line, ("Quadrupole",))
    for quad in quads[:1]:
        if core is not None:
            type(quad).model.code_of(core, "Quadrupole")
    for quad in quads:
        if core is not None:
            quad.model = core
        if edge is not None:
            quad.edge_entry_active = QUADRUPOLE_EDGES[edge]
            quad.edge_exit_active = QUADRUPOLE_EDGES[edge]
        if num_multipole_kicks is not None:
            quad.num_multipole_kicks = num_multipole_kicks


def configure_drift_model(line, model="expanded"):
    """Set `model` of every Drift of the line ('adaptive', 'expanded' or 'exact')."""
    drifts = _unique_elements(line, ("Drift",))
    for drift in drifts[:1]:
        type(drift).model.code_of(model, "Drift")
    for drift in drifts:
        drift.model = model
