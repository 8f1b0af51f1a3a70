"""Particles of an environment: ``env.new_particle``, ``env.particles``.

Reference particles are kept by name next to the variables, elements and
lines (one name space: a name belongs to one of the four). Their fields may
be expressions of the variables (``env.new_particle('p', 'proton',
beta0='b0')``): the particles container is registered in the environment's
variable manager as ``particles``, so ``particles['p'].beta0`` is a target
like an element field.
"""

__all__ = ["EnvParticles", "new_particle", "ParticleView", "EnvParticleRef", "LineParticleRef",
           "particle_ref_target"]


class EnvParticles:
    """``env.particles``: the particles of the environment by name."""

    def __init__(self, env):
        self._env = env
        vm = env._var_management
        # environments sharing one set of variables (a line's lazily made environment and
        # its shallow copies) share the particles too: the container is registered once
        if getattr(vm, "_env_particles", None) is None:
            vm._env_particles = ({}, None)
            vm._env_particles = (vm._env_particles[0],
                                 vm.register_container(vm._env_particles[0], "particles"))
        self._dict, self._ref = vm._env_particles

    def __getitem__(self, name):
        try:
            return self._dict[name]
        except KeyError:
            from .environment import _close_matches

            raise KeyError(f"no particle named {name!r} in the environment"
                           f"{_close_matches(name, self._dict)}.") from None

    def __setitem__(self, name, particles):
        from xpart import Particles

        if not isinstance(particles, Particles):
            raise TypeError(f"env.particles[{name!r}] must be an xtrack.Particles, got "
                            f"{type(particles).__name__}.")
        self._env._check_free_name(name, "particle")
        self._dict[name] = particles

    def __contains__(self, name):
        return name in self._dict

    def __iter__(self):
        return iter(self._dict)

    def __len__(self):
        return len(self._dict)

    def keys(self):
        return self._dict.keys()

    def values(self):
        return self._dict.values()

    def items(self):
        return self._dict.items()

    def get(self, name, default=None):
        return self._dict.get(name, default)

    def remove(self, name):
        """Remove particle `name` and its expressions (KeyError if there is none,
        RuntimeError while expressions read it)."""
        from .env_names import remove_particle

        remove_particle(self._env, name)

    __delitem__ = remove

    def ref(self, name):
        """Reference ``particles[name]`` (for expressions of its fields)."""
        return self._ref[name]


def new_particle(env, name, *args, **kwargs):
    """Create particle `name` (arguments of `xtrack.Particles`; string or reference values,
    also as one-item lists, become expressions of the variables)."""
    from xdeps.refs import BaseRef, value_of
    from xpart import Particles

    env._check_free_name(name, "particle")
    values, exprs = {}, {}
    for key, value in kwargs.items():
        item = value[0] if isinstance(value, (list, tuple)) and len(value) == 1 else value
        if isinstance(item, (str, BaseRef)):
            expr = env.new_expr(item) if isinstance(item, str) else item
            values[key] = value_of(expr)
            if isinstance(expr, BaseRef):
                exprs[key] = expr
        else:
            values[key] = value
    particles = Particles(*args, **values)  # a leading string names the species ('proton')
    env.particles._dict[name] = particles
    pref = env.particles.ref(name)
    for key, expr in exprs.items():
        setattr(pref, key, expr)
    return name


class ParticleView:
    """A particle seen through its environment: ``env['p'].p0c = '1e12 * a'`` makes an
    expression, a number replaces it; reading gives the particle's values.

    `_target()` gives the particle (or None) and `_pref()` the reference of a named
    particle (None for a particle object that the environment does not name).
    """

    __slots__ = ("_owner", "_get_key")

    def __init__(self, owner, get_key):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_get_key", get_key)

    def _env(self):
        return self._owner if hasattr(self._owner, "_particles") else self._owner.env

    def _target(self):
        key = self._get_key()
        return self._env().particles[key] if isinstance(key, str) else key

    def _pref(self):
        key = self._get_key()
        return self._env().particles.ref(key) if isinstance(key, str) else None

    def __getattr__(self, attr):
        return getattr(self._target(), attr)

    def __setattr__(self, attr, value):
        from xdeps.refs import BaseRef

        pref = self._pref()
        if pref is not None:
            if isinstance(value, str):
                value = self._env().new_expr(value)
            setattr(pref, attr, value)  # a number replaces a previous expression
            return
        if isinstance(value, (str, BaseRef)):
            raise ValueError(f"particle_ref.{attr} = {value!r}: expressions need a particle named "
                             "in the environment (env.new_particle(name, ...), then "
                             "env.particle_ref = name).")
        setattr(self._target(), attr, value)

    def __dir__(self):
        return dir(self._target())

    def __repr__(self):
        return f"{type(self).__name__}({self._get_key()!r})"


class EnvParticleRef(ParticleView):
    """``env.particle_ref``: the environment's reference particle (by name or object)."""

    __slots__ = ()


class LineParticleRef(ParticleView):
    """``line.particle_ref``: the line's reference particle (a name of its environment's
    particles, or a particle object)."""

    __slots__ = ()


def particle_ref_target(value, env=None, what="particle_ref"):
    """What a ``particle_ref`` setter stores: None, a particle name of `env`, or a
    Particles object (a particle_ref view stands for what it shows)."""
    from xpart import Particles

    if isinstance(value, ParticleView):
        return value._get_key()
    if value is None or isinstance(value, Particles):
        return value
    if isinstance(value, str):
        if env is not None and value not in env.particles:
            from .environment import _close_matches

            raise KeyError(f"{what}: no particle named {value!r} in the environment"
                           f"{_close_matches(value, env.particles)}.")
        return value
    raise TypeError(f"{what} must be an xtrack.Particles, a particle name or None, "
                    f"got {type(value).__name__}.")
