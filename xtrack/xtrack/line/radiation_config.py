"""Switch synchrotron radiation on the elements of a line."""

__all__ = ["configure_radiation", "RADIATION_MODELS"]

#: Model name -> `radiation_flag` of the elements.
RADIATION_MODELS = {None: 0, "mean": 1, "quantum": 2, "quantum-kick": 3}


def configure_radiation(line, model=None):
    """Set `radiation_flag` of every element that has one, and the kernel flag.

    The quantum models draw random numbers: from then on the particles'
    generators are initialised when they are tracked (if they are not yet).
    """
    if model not in RADIATION_MODELS:
        raise ValueError(f"configure_radiation: model must be one of {list(RADIATION_MODELS)}, got {model!r}.")
    flag = RADIATION_MODELS[model]
    for element in {id(e): e for e in line.elements}.values():
        if hasattr(element, "radiation_flag"):
            element.radiation_flag = flag
    line.config["XTRACK_MULTIPOLE_NO_SYNRAD"] = model is None
    line._extra_config["_radiation_model"] = model
    if flag >= 2:
        line._extra_config["_needs_rng"] = True
